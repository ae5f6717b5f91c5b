//! `dossier stats`: renders the core's numbers (`analysis::stats`) as
//! aligned tables, JSON or Markdown.

use std::path::PathBuf;

use serde::Serialize;

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
    // Nothing counted asks who mentions an id: no index of mentions.
    each_workspace(paths, &cwd, keep, Usage::Definitions, |host, in_scope| {
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

/// `stats --format json`, written straight from the counts. Every object
/// has its keys in alphabetical order (docs/cli.md lists them).
#[derive(Serialize)]
struct StatsJson<'a> {
    brier_by_author: Vec<AuthorJson<'a>>,
    notes: Vec<CountsJson<'a>>,
    today: String,
    total: CountsJson<'a>,
}

#[derive(Serialize)]
struct AuthorJson<'a> {
    author: Option<&'a str>,
    forecasts: u32,
    name: Option<&'a str>,
    score: Option<f64>,
}

#[derive(Serialize)]
struct CountsJson<'a> {
    assessments_without_confidence: u32,
    brier: BrierJson,
    citations: SortedMap,
    claims: SortedMap,
    forecasts: ForecastsJson,
    forecasts_without_estimate: u32,
    /// A note's; the total has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    sourced: SourcedJson,
    weak_sourced: u32,
}

#[derive(Serialize)]
struct BrierJson {
    forecasts: u32,
    score: Option<f64>,
}

#[derive(Serialize)]
struct ForecastsJson {
    overdue: u32,
    resolved: u32,
    with_due: u32,
}

#[derive(Serialize)]
struct SourcedJson {
    facts_and_quotes: u32,
    share: Option<f64>,
    sourced: u32,
}

/// Counts by name (claim kinds, grades), written in the names' order.
struct SortedMap(Vec<(&'static str, u32)>);

impl SortedMap {
    fn new(mut entries: Vec<(&'static str, u32)>) -> SortedMap {
        entries.sort_unstable_by_key(|(name, _)| *name);
        SortedMap(entries)
    }
}

impl Serialize for SortedMap {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, count)| (name, count)))
    }
}

fn brier_json(brier: Brier) -> BrierJson {
    BrierJson { forecasts: brier.forecasts, score: brier.score() }
}

fn counts_json<'a>(c: &Counts, path: Option<&'a str>) -> CountsJson<'a> {
    let mut claims: Vec<(&str, u32)> = ClaimKind::ALL.iter().map(|kind| (kind.as_str(), c.of_kind(*kind))).collect();
    claims.push(("total", c.total_claims()));
    CountsJson {
        assessments_without_confidence: c.assessments_without_confidence,
        brier: brier_json(c.brier),
        citations: SortedMap::new(GRADE_COLUMNS.iter().copied().zip(c.citations).collect()),
        claims: SortedMap::new(claims),
        forecasts: ForecastsJson {
            overdue: c.forecasts_overdue,
            resolved: c.forecasts_resolved,
            with_due: c.forecasts_due,
        },
        forecasts_without_estimate: c.forecasts_without_estimate,
        path,
        sourced: SourcedJson { facts_and_quotes: c.facts_and_quotes, share: c.sourced_share(), sourced: c.sourced },
        weak_sourced: c.weak_sourced,
    }
}

fn to_json(report: &Report) -> StatsJson<'_> {
    StatsJson {
        brier_by_author: report
            .by_author
            .iter()
            .map(|a| AuthorJson {
                author: a.author.as_deref(),
                forecasts: a.brier.forecasts,
                name: a.name.as_deref(),
                score: a.brier.score(),
            })
            .collect(),
        notes: report.notes.iter().map(|(path, counts)| counts_json(counts, Some(path))).collect(),
        today: report.today.to_string(),
        total: counts_json(&report.total, None),
    }
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
