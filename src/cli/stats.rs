//! `dossier stats`: renders the core's numbers (`analysis::stats`) as
//! aligned tables, JSON or Markdown.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use super::table::Table;
use crate::analysis::stats::{self, AuthorScore, Brier, Counts, GRADE_COLUMNS};
use crate::syntax::{ClaimKind, Date};
use crate::workspace::{Keep, Usage};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
    Markdown,
}

/// What is printed: each note's counts (by displayed path), the total and
/// the Brier score per author, over every workspace given.
struct Report {
    today: Date,
    notes: Vec<(String, Counts)>,
    total: Counts,
    by_author: Vec<AuthorScore>,
}

pub fn run(paths: &[PathBuf], format: StatsFormat) -> Result<String, String> {
    let today = crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let progress = Progress::start("reading notes");
    let mut report = Report { today, notes: Vec::new(), total: Counts::default(), by_author: Vec::new() };
    let keep = Keep { prose: false, outline: false };
    each_workspace(paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        let workspace = host.workspace();
        progress.phase("counting", workspace.len() as u64);
        let found = stats::stats(workspace, |d| in_scope(&d.path), || progress.tick());
        // Notes without claims (definitions, prose) add nothing to see.
        for (doc, counts) in found.notes.into_iter().filter(|(_, c)| c.total_claims() > 0) {
            report.notes.push((display_path(&workspace.document(doc).path, &cwd), counts));
        }
        report.total.add(&found.total);
        for score in found.by_author {
            match report.by_author.iter_mut().find(|s| s.author == score.author) {
                Some(known) => known.brier.add(score.brier),
                None => report.by_author.push(score),
            }
        }
        progress.phase("reading notes", 0);
    })?;
    progress.finish();
    report.notes.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(match format {
        StatsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&to_json(&report)).unwrap_or_default();
            text.push('\n');
            text
        }
        StatsFormat::Table => tables(&report).iter().map(Table::to_text).collect::<Vec<_>>().join("\n"),
        StatsFormat::Markdown => tables(&report).iter().map(Table::to_markdown).collect::<Vec<_>>().join("\n"),
    })
}

fn brier_json(brier: Brier) -> Value {
    json!({ "score": brier.score(), "forecasts": brier.forecasts })
}

fn counts_json(c: &Counts) -> Value {
    let mut claims = serde_json::Map::new();
    for kind in ClaimKind::ALL {
        claims.insert(kind.as_str().into(), c.of_kind(*kind).into());
    }
    claims.insert("total".into(), c.total_claims().into());
    let citations: serde_json::Map<String, Value> =
        GRADE_COLUMNS.iter().zip(c.citations).map(|(g, n)| (g.to_string(), n.into())).collect();
    json!({
        "claims": claims,
        "sourced": { "sourced": c.sourced, "facts_and_quotes": c.facts_and_quotes, "share": c.sourced_share() },
        "citations": citations,
        "weak_sourced": c.weak_sourced,
        "assessments_without_confidence": c.assessments_without_confidence,
        "forecasts_without_estimate": c.forecasts_without_estimate,
        "forecasts": { "with_due": c.forecasts_due, "resolved": c.forecasts_resolved, "overdue": c.forecasts_overdue },
        "brier": brier_json(c.brier),
    })
}

fn to_json(report: &Report) -> Value {
    let notes: Vec<Value> = report
        .notes
        .iter()
        .map(|(path, counts)| {
            let mut note = counts_json(counts);
            note["path"] = path.as_str().into();
            note
        })
        .collect();
    let authors: Vec<Value> = report
        .by_author
        .iter()
        .map(
            |a| json!({ "author": a.author, "name": a.name, "score": a.brier.score(), "forecasts": a.brier.forecasts }),
        )
        .collect();
    json!({
        "today": report.today.to_string(),
        "notes": notes,
        "total": counts_json(&report.total),
        "brier_by_author": authors,
    })
}

fn share(c: &Counts) -> String {
    match c.sourced_share() {
        Some(share) => format!("{}/{} ({:.0}%)", c.sourced, c.facts_and_quotes, share * 100.0),
        None => "–".into(),
    }
}

fn brier_cell(brier: Brier) -> String {
    match brier.score() {
        Some(score) => format!("{score:.3} ({})", brier.forecasts),
        None => "–".into(),
    }
}

/// The four tables: claims, citations by grade, forecasts, Brier by author.
fn tables(report: &Report) -> Vec<Table> {
    let rows = || report.notes.iter().map(|(p, c)| (p.as_str(), c)).chain(std::iter::once(("total", &report.total)));
    let header = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let claims = Table {
        title: "Claims".into(),
        text_columns: 1,
        header: header(&[
            "note",
            "facts",
            "assessments",
            "quotes",
            "forecasts",
            "total",
            "sourced",
            "weak",
            "no conf",
            "no est",
        ]),
        rows: rows()
            .map(|(path, c)| {
                let mut row = vec![path.to_string()];
                row.extend(ClaimKind::ALL.iter().map(|k| c.of_kind(*k).to_string()));
                row.push(c.total_claims().to_string());
                row.push(share(c));
                row.push(c.weak_sourced.to_string());
                row.push(c.assessments_without_confidence.to_string());
                row.push(c.forecasts_without_estimate.to_string());
                row
            })
            .collect(),
    };
    let mut grade_header = vec!["note".to_string()];
    grade_header.extend(GRADE_COLUMNS.iter().map(|g| g.to_string()));
    let citations = Table {
        title: "Citations by source grade".into(),
        text_columns: 1,
        header: grade_header,
        rows: rows()
            .map(|(path, c)| std::iter::once(path.to_string()).chain(c.citations.iter().map(u32::to_string)).collect())
            .collect(),
    };
    let forecasts = Table {
        title: format!("Forecasts (today: {})", report.today),
        text_columns: 1,
        header: header(&["note", "with due", "resolved", "overdue", "Brier (n)"]),
        rows: rows()
            .map(|(path, c)| {
                vec![
                    path.to_string(),
                    c.forecasts_due.to_string(),
                    c.forecasts_resolved.to_string(),
                    c.forecasts_overdue.to_string(),
                    brier_cell(c.brier),
                ]
            })
            .collect(),
    };
    let authors = Table {
        title: "Brier score by author (0 is perfect; 0.25 is always saying 50%)".into(),
        text_columns: 2,
        header: header(&["author", "name", "Brier", "forecasts"]),
        rows: report
            .by_author
            .iter()
            .map(|a| {
                vec![
                    a.author.as_ref().map_or_else(|| "(no by:)".to_string(), |id| format!("@{id}")),
                    a.name.clone().unwrap_or_default(),
                    a.brier.score().map_or_else(|| "–".into(), |s| format!("{s:.3}")),
                    a.brier.forecasts.to_string(),
                ]
            })
            .chain(std::iter::once(vec![
                "all".to_string(),
                String::new(),
                report.total.brier.score().map_or_else(|| "–".into(), |s| format!("{s:.3}")),
                report.total.brier.forecasts.to_string(),
            ]))
            .collect(),
    };
    vec![claims, citations, forecasts, authors]
}
