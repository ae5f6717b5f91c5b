//! The pages beside the notes: the overview (`index.html`: the core's
//! stats as tables and bar charts, and the list of notes) and the actors'
//! and sources' cards (`actors.html`, `sources.html`), each card with the
//! claims that mention or cite it.

use std::fmt::Write;

use rustc_hash::{FxHashMap, FxHashSet};

use super::card::{definition_card, short};
use super::html::{escape, escaped, page_end, page_start};
use super::site::Site;
use crate::analysis::stats::{AuthorScore, Brier, Counts, GRADE_COLUMNS};
use crate::syntax::{ClaimKind, Date, Namespace};
use crate::workspace::Document;

/// One note in the overview.
pub struct NoteRow {
    pub path: String,
    /// Its page in `notes/`, unless it could not be read.
    pub page: Option<String>,
    pub counts: Counts,
    /// Findings at error, warning and info severity.
    pub findings: [u32; 3],
    /// Why it is not rendered (not UTF-8, unreadable).
    pub problem: Option<String>,
}

/// What the overview shows, over every workspace of the report.
pub struct Overview {
    pub today: Date,
    pub notes: Vec<NoteRow>,
    pub total: Counts,
    pub by_author: Vec<AuthorScore>,
}

/// A horizontal bar chart: one bar per `(label, value)`, scaled to `max`.
fn bars(out: &mut String, label: &str, rows: &[(String, f64, String)], max: f64) {
    let _ = writeln!(out, "<ul class=\"bars\" aria-label=\"{}\">", escaped(label));
    for (name, value, shown) in rows {
        let width = if max > 0.0 { (value / max * 100.0).clamp(0.0, 100.0) } else { 0.0 };
        let _ = writeln!(
            out,
            "<li><span class=\"bar-label\">{}</span><svg class=\"bar\" viewBox=\"0 0 100 10\" \
             preserveAspectRatio=\"none\" aria-hidden=\"true\" focusable=\"false\"><rect width=\"{width:.2}\" \
             height=\"10\"></rect></svg><span class=\"bar-value\">{}</span></li>",
            escaped(name),
            escaped(shown)
        );
    }
    out.push_str("</ul>\n");
}

/// A small bar for a share (0–1) inside a table cell.
fn share_bar(out: &mut String, share: f64) {
    let _ = write!(
        out,
        "<svg class=\"share\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" \
         focusable=\"false\"><rect width=\"{:.2}\" height=\"10\"></rect></svg>",
        (share * 100.0).clamp(0.0, 100.0)
    );
}

fn table_start(out: &mut String, caption: &str, header: &[&str]) {
    let _ = write!(out, "<div class=\"table-wrap\"><table>\n<caption>{}</caption>\n<thead><tr>", escaped(caption));
    for cell in header {
        let _ = write!(out, "<th scope=\"col\">{cell}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
}

fn table_end(out: &mut String) {
    out.push_str("</tbody></table></div>\n");
}

/// A row's first cell: the note, linked to its page.
fn note_cell(out: &mut String, row: &NoteRow) {
    out.push_str("<th scope=\"row\">");
    match &row.page {
        Some(page) => {
            let _ = write!(out, "<a href=\"notes/{page}\">{}</a>", escaped(&row.path));
        }
        None => escape(out, &row.path),
    }
    out.push_str("</th>");
}

fn brier_text(brier: Brier) -> String {
    match brier.score() {
        Some(score) => format!("{score:.3} ({})", brier.forecasts),
        None => "–".into(),
    }
}

/// `index.html`.
pub fn overview(overview: &Overview) -> String {
    let total = &overview.total;
    let mut out = String::with_capacity(4096 + overview.notes.len() * 1024);
    page_start(&mut out, "Overview", "");
    let rendered = overview.notes.iter().filter(|n| n.page.is_some()).count();
    let _ = writeln!(
        out,
        "<h1>Dossier report</h1>\n<p>{} notes, {} claims; forecasts judged as of {}.</p>",
        rendered,
        total.total_claims(),
        overview.today
    );

    out.push_str("<section aria-labelledby=\"claims\"><h2 id=\"claims\">Claims</h2>\n");
    let kinds: Vec<(String, f64, String)> = ClaimKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), f64::from(total.of_kind(*k)), total.of_kind(*k).to_string()))
        .collect();
    let max = kinds.iter().map(|k| k.1).fold(0.0, f64::max);
    bars(&mut out, "Claims by kind", &kinds, max);
    if let Some(share) = total.sourced_share() {
        let _ = writeln!(
            out,
            "<p>Facts and quotes citing a source: {} of {} ({:.0}%). Facts resting on weak sources only: {}.</p>",
            total.sourced,
            total.facts_and_quotes,
            share * 100.0,
            total.weak_sourced
        );
    }
    let with_claims: Vec<&NoteRow> = overview.notes.iter().filter(|n| n.counts.total_claims() > 0).collect();
    table_start(
        &mut out,
        "Claims per note",
        &["note", "facts", "assessments", "quotes", "forecasts", "total", "sourced", "weak", "no conf", "no est"],
    );
    let claims_row = |out: &mut String, c: &Counts| {
        for kind in ClaimKind::ALL {
            let _ = write!(out, "<td>{}</td>", c.of_kind(*kind));
        }
        let _ = write!(out, "<td>{}</td><td>", c.total_claims());
        match c.sourced_share() {
            Some(share) => {
                let _ = write!(out, "{}/{} ({:.0}%)", c.sourced, c.facts_and_quotes, share * 100.0);
                share_bar(out, share);
            }
            None => out.push('–'),
        }
        let _ = writeln!(
            out,
            "</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            c.weak_sourced, c.assessments_without_confidence, c.forecasts_without_estimate
        );
    };
    for row in &with_claims {
        out.push_str("<tr>");
        note_cell(&mut out, row);
        claims_row(&mut out, &row.counts);
    }
    out.push_str("<tr class=\"total\"><th scope=\"row\">total</th>");
    claims_row(&mut out, total);
    table_end(&mut out);
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"grades\"><h2 id=\"grades\">Citations by source grade</h2>\n");
    let grades: Vec<(String, f64, String)> =
        GRADE_COLUMNS.iter().zip(total.citations).map(|(g, n)| (g.to_string(), f64::from(n), n.to_string())).collect();
    let max = grades.iter().map(|g| g.1).fold(0.0, f64::max);
    bars(&mut out, "Citations by source grade", &grades, max);
    let mut header = vec!["note"];
    header.extend(GRADE_COLUMNS);
    table_start(&mut out, "Citations per note", &header);
    for row in &with_claims {
        out.push_str("<tr>");
        note_cell(&mut out, row);
        for n in row.counts.citations {
            let _ = write!(out, "<td>{n}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("<tr class=\"total\"><th scope=\"row\">total</th>");
    for n in total.citations {
        let _ = write!(out, "<td>{n}</td>");
    }
    out.push_str("</tr>\n");
    table_end(&mut out);
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"forecasts\"><h2 id=\"forecasts\">Forecasts</h2>\n");
    let _ = writeln!(
        out,
        "<p>{} with a due date, {} resolved, {} overdue. The Brier score is the mean squared error of the \
         resolved forecasts with an estimate: 0 is perfect, 0.25 is always saying 50%.</p>",
        total.forecasts_due, total.forecasts_resolved, total.forecasts_overdue
    );
    table_start(&mut out, "Forecasts per note", &["note", "with due", "resolved", "overdue", "Brier (n)"]);
    let forecast_row = |out: &mut String, c: &Counts| {
        let _ = writeln!(
            out,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            c.forecasts_due,
            c.forecasts_resolved,
            c.forecasts_overdue,
            brier_text(c.brier)
        );
    };
    for row in with_claims.iter().filter(|r| r.counts.of_kind(ClaimKind::Forecast) > 0) {
        out.push_str("<tr>");
        note_cell(&mut out, row);
        forecast_row(&mut out, &row.counts);
    }
    out.push_str("<tr class=\"total\"><th scope=\"row\">total</th>");
    forecast_row(&mut out, total);
    table_end(&mut out);
    if !overview.by_author.is_empty() {
        let authors: Vec<(String, f64, String)> = overview
            .by_author
            .iter()
            .map(|a| {
                let who = match (&a.author, &a.name) {
                    (Some(id), Some(name)) => format!("{name} (@{id})"),
                    (Some(id), None) => format!("@{id}"),
                    (None, _) => "(no by:)".to_string(),
                };
                (who, a.brier.score().unwrap_or(0.0), brier_text(a.brier))
            })
            .collect();
        out.push_str("<h3>Brier score by author</h3>\n");
        bars(&mut out, "Brier score by author (shorter is better; the bar's full length is 1)", &authors, 1.0);
    }
    out.push_str("</section>\n");

    out.push_str("<section aria-labelledby=\"notes\"><h2 id=\"notes\">Notes</h2>\n");
    table_start(&mut out, "Every note, with its findings", &["note", "claims", "errors", "warnings", "info"]);
    for row in &overview.notes {
        out.push_str("<tr>");
        note_cell(&mut out, row);
        match &row.problem {
            Some(problem) => {
                let _ = writeln!(out, "<td colspan=\"4\" class=\"warn\">not rendered: {}</td></tr>", escaped(problem));
            }
            None => {
                let [e, w, i] = row.findings;
                let _ =
                    writeln!(out, "<td>{}</td><td>{e}</td><td>{w}</td><td>{i}</td></tr>", row.counts.total_claims());
            }
        }
    }
    table_end(&mut out);
    out.push_str("</section>\n");
    page_end(&mut out);
    out
}

/// The start of `actors.html` or `sources.html`.
pub fn entity_page_start(title: &str) -> String {
    let mut out = String::new();
    page_start(&mut out, title, "");
    let _ = writeln!(out, "<h1>{title}</h1>");
    out
}

pub fn entity_page_end() -> String {
    let mut out = String::new();
    page_end(&mut out);
    out
}

/// How a claim names an actor or a source, for the lists on the cards.
struct Use<'a> {
    claim: usize,
    /// `by`, `involved`, or a citation's locator.
    how: Option<&'a str>,
}

/// The cards of one workspace's actors or sources (every definition in
/// the workspace, by path and position), each with the claims of the
/// report that name it; `write` takes each card as it is made.
pub fn entity_cards(
    site: &Site,
    namespace: Namespace,
    mut write: impl FnMut(&str) -> Result<(), String>,
) -> Result<(), String> {
    let mut uses: FxHashMap<&str, Vec<Use>> = FxHashMap::default();
    for (i, claim) in site.export.claims.iter().enumerate() {
        if namespace == Namespace::Actor {
            for actor in &claim.actors {
                uses.entry(*actor).or_default().push(Use { claim: i, how: None });
            }
            if let Some(by) = claim.by {
                uses.entry(by).or_default().push(Use { claim: i, how: Some("by") });
            }
        } else {
            for source in &claim.sources {
                uses.entry(source.key).or_default().push(Use { claim: i, how: source.locator });
            }
        }
    }
    let mut docs: Vec<&Document> = site.workspace.documents().map(|(_, d)| d).filter(|d| d.problem.is_none()).collect();
    docs.sort_by(|a, b| a.path.cmp(&b.path));
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let mut out = String::new();
    for document in docs {
        for def in document.parse.definitions.iter().filter(|d| d.namespace == namespace) {
            out.clear();
            let name = def.name(&document.text);
            if !seen.insert(name) {
                // A duplicate (`duplicate-definition`): shown, without the anchor.
                definition_card(&mut out, site, document, def, "", "notes/", false);
                write(&out)?;
                continue;
            }
            definition_card(&mut out, site, document, def, "", "notes/", true);
            let found = uses.get(name).map_or(&[][..], Vec::as_slice);
            let noun = if namespace == Namespace::Actor { "Claims naming it" } else { "Claims citing it" };
            let _ = writeln!(out, "<h3>{noun} ({})</h3>", found.len());
            if !found.is_empty() {
                out.push_str("<ul>\n");
                for u in found {
                    let claim = site.claim(u.claim);
                    let _ = write!(
                        out,
                        "<li><a href=\"{}\">{}</a>",
                        site.claim_href("notes/", u.claim),
                        escaped(&short(&claim.text, 120))
                    );
                    if let Some(how) = u.how {
                        let _ = write!(out, " <span class=\"muted\">({})</span>", escaped(how));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            out.push_str("</section>\n");
            write(&out)?;
        }
    }
    Ok(())
}
