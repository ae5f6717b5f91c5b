//! The cards: a claim's (shown on hover and focus), and an actor's or a
//! source's definition. Everything in them comes from the core's export
//! and the parse; every piece of note text is escaped.

use std::fmt::Write;

use super::html::{escape, escaped, is_web_url, web_link};
use super::site::{Incoming, Site};
use crate::analysis::export::ClaimRecord;
use crate::analysis::forecast::Standing;
use crate::diagnostic::Diagnostic;
use crate::syntax::vocab::Admiralty;
use crate::syntax::{Definition, Namespace};
use crate::workspace::Document;

/// A claim's sourcing state, a class name: `unsourced` (cites nothing),
/// `weak` (every source graded weak, as `weak-sourcing` reads it),
/// `sourced`.
pub fn sourcing(claim: &ClaimRecord) -> &'static str {
    if claim.sources.is_empty() {
        "unsourced"
    } else if claim
        .sources
        .iter()
        .all(|s| s.grade.and_then(|g| Admiralty::parse(g.as_str())).is_some_and(Admiralty::is_weak))
    {
        "weak"
    } else {
        "sourced"
    }
}

fn row(out: &mut String, key: &str) {
    let _ = write!(out, "<span class=\"row\"><b>{key}</b> ");
}

/// How many claims a card links to as supporting or contradicting it; the
/// rest are counted (a claim many others lean on would make every page
/// that shows it heavy).
const INCOMING_SHOWN: usize = 10;

/// A claim's card, with the id `card_id`, inside its mark (note pages are
/// in `notes/`: the cards of actors and sources are up one folder).
pub fn claim_card(
    out: &mut String,
    site: &Site,
    index: usize,
    card_id: &str,
    findings: &[&Diagnostic],
    forecast: Option<Standing>,
) {
    let claim = site.claim(index);
    let _ = write!(out, "<span class=\"card\" role=\"tooltip\" id=\"{card_id}\"><span class=\"card-head\">");
    let _ = write!(out, "<span class=\"badge kind-{0}\">{0}</span>", claim.kind.as_str());
    if claim.has_id {
        out.push_str(" <code>#");
        escape(out, &claim.id);
        out.push_str("</code>");
    }
    let _ = write!(out, " <span class=\"muted\">line {}</span></span>", claim.line);
    row(out, "Sources");
    if claim.sources.is_empty() {
        out.push_str("<span class=\"warn\">none cited</span>");
    }
    out.push_str("</span>");
    if !claim.sources.is_empty() {
        out.push_str("<span class=\"list\">");
        for source in &claim.sources {
            out.push_str("<span class=\"item\">");
            entity_link(out, site, "../", '^', source.key);
            if let Some(locator) = source.locator {
                out.push_str(" (");
                escape(out, locator);
                out.push(')');
            }
            if let Some(title) = site.source_title(source.key) {
                out.push_str(" — ");
                escape(out, &title);
            }
            out.push_str(" — ");
            match source.grade.and_then(|g| Admiralty::parse(g.as_str())) {
                Some(grade) => {
                    let weak = if grade.is_weak() { " weak" } else { "" };
                    let _ = write!(out, "<span class=\"grade{weak}\">{}</span>", escaped(&grade.spelled_out()));
                }
                None => out.push_str("<span class=\"grade none\">ungraded</span>"),
            }
            out.push_str("</span>");
        }
        out.push_str("</span>");
    }
    if let Some(by) = &claim.by {
        row(out, "By");
        entity_link(out, site, "../", '@', by);
        out.push_str("</span>");
    }
    if let Some(conf) = claim.conf {
        row(out, "Confidence");
        escape(out, conf.meaning());
        out.push_str("</span>");
    }
    if let Some(est) = claim.est {
        row(out, "Estimate");
        escape(out, est.meaning());
        out.push_str("</span>");
    }
    match forecast {
        Some(Standing::Resolved(outcome)) => {
            if let Some(due) = claim.due {
                let _ = write!(out, "<span class=\"row\"><b>Due</b> {due}</span>");
            }
            row(out, "Outcome");
            let _ = write!(out, "{} — {}</span>", outcome.as_str(), outcome.meaning());
        }
        Some(Standing::Overdue(due)) => {
            row(out, "Due");
            let _ = write!(out, "{due} — <span class=\"warn\">overdue</span>, no outcome recorded</span>");
        }
        Some(Standing::Open(due)) => {
            row(out, "Due");
            let _ = write!(out, "{due} — not yet due</span>");
        }
        _ => {}
    }
    if !claim.actors.is_empty() {
        row(out, "Actors");
        for (i, actor) in claim.actors.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            entity_link(out, site, "../", '@', actor);
        }
        out.push_str("</span>");
    }
    relation_row(out, site, "Supports", claim.supports.iter().copied());
    relation_row(out, site, "Contradicts", claim.contradicts.iter().copied());
    if claim.has_id
        && let Some(incoming) = site.incoming.get(&*claim.id)
    {
        for (kind, label) in [(Incoming::SupportedBy, "Supported by"), (Incoming::ContradictedBy, "Contradicted by")] {
            let from: Vec<usize> = incoming.iter().filter(|(k, _)| *k == kind).map(|(_, i)| *i).collect();
            if from.is_empty() {
                continue;
            }
            row(out, label);
            for (n, &i) in from.iter().take(INCOMING_SHOWN).enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                claim_link(out, site, "", i);
            }
            if from.len() > INCOMING_SHOWN {
                let _ = write!(out, " and {} more", from.len() - INCOMING_SHOWN);
            }
            out.push_str("</span>");
        }
    }
    for finding in findings {
        let _ = write!(
            out,
            "<span class=\"row finding sev-{0}\"><b>{0}</b> <code>{1}</code> ",
            finding.severity.as_str(),
            finding.rule.id()
        );
        escape(out, &finding.message);
        out.push_str("</span>");
    }
    out.push_str("</span>");
}

/// `Supports`/`Contradicts`: links to the claims named (plain `#id` for one
/// that is not in the report).
fn relation_row<'s>(out: &mut String, site: &Site, label: &str, ids: impl Iterator<Item = &'s str>) {
    let mut ids = ids.peekable();
    if ids.peek().is_none() {
        return;
    }
    row(out, label);
    for (n, id) in ids.enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        match site.claim_by_id.get(id) {
            Some(&i) => claim_link(out, site, "", i),
            None => {
                out.push_str("<code class=\"unknown\">#");
                escape(out, id);
                out.push_str("</code>");
            }
        }
    }
    out.push_str("</span>");
}

/// A link to claim `index`, labelled with its id (or its text's start).
pub fn claim_link(out: &mut String, site: &Site, to_notes: &str, index: usize) {
    let claim = site.claim(index);
    let _ = write!(out, "<a href=\"{}\">", site.claim_href(to_notes, index));
    if claim.has_id {
        out.push('#');
        escape(out, &claim.id);
    } else {
        escape(out, &short(&claim.text, 60));
    }
    out.push_str("</a>");
}

/// `text` cut to `chars` characters, with `…` when cut.
pub fn short(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A link to an actor's (`@`) or source's (`^`) card, labelled with its
/// name or title (and its id as a tooltip); an undefined one is marked.
pub fn entity_link(out: &mut String, site: &Site, up: &str, sigil: char, id: &str) {
    let defined = site.is_defined(sigil, id);
    let class = if sigil == '@' { "actor" } else { "source" };
    let unknown = if defined { "" } else { " unknown" };
    let label = if sigil == '@' { site.actor_name(id) } else { format!("^{id}") };
    let _ = write!(out, "<a class=\"{class}{unknown}\" href=\"{}\">", site.entity_href(up, sigil, id));
    escape(out, &label);
    out.push_str("</a>");
    if !defined {
        out.push_str(" <span class=\"warn\">(not defined)</span>");
    }
}

/// An actor's or a source's definition: name or title, checked fields
/// spelled out (a source's grade, its `url:` as a web link), the other
/// fields and the description. `anchored` gives it its card's anchor.
pub fn definition_card(
    out: &mut String,
    site: &Site,
    document: &Document,
    def: &Definition,
    up: &str,
    to_notes: &str,
    anchored: bool,
) {
    let text = &document.text;
    let name = def.name(text);
    let sigil = if def.namespace == Namespace::Actor { '@' } else { '^' };
    let class = if sigil == '@' { "actor" } else { "source" };
    if anchored {
        let _ = write!(out, "<section class=\"entity {class}\" id=\"{}\">\n<h2>", site.entity_anchor(sigil, name));
        escape(out, def.title.of(text));
        let _ = writeln!(out, " <code>{sigil}{}</code></h2>", escaped(name));
    } else {
        let _ = write!(out, "<div class=\"entity {class}\"><p class=\"def-head\">");
        let _ = write!(
            out,
            "<a class=\"{class}\" href=\"{}\"><code>{sigil}{}</code></a> ",
            site.entity_href(up, sigil, name),
            escaped(name)
        );
        escape(out, def.title.of(text));
        out.push_str("</p>\n");
    }
    if !def.fields.is_empty() {
        out.push_str("<dl>\n");
        for field in &def.fields {
            let key = field.key.of(text);
            let value = field.value.of(text);
            out.push_str("<dt>");
            escape(out, key);
            out.push_str("</dt><dd>");
            match key {
                "url" if is_web_url(value) => web_link(out, value, value),
                "reliability" => match Admiralty::parse(value) {
                    Some(grade) => escape(out, &grade.spelled_out()),
                    None => escape(out, value),
                },
                _ => escape(out, value),
            }
            out.push_str("</dd>\n");
        }
        out.push_str("</dl>\n");
    }
    for line in &def.description {
        out.push_str("<p class=\"description\">");
        escape(out, line.of(text));
        out.push_str("</p>\n");
    }
    if anchored {
        let line = document.line_index().line_of(def.id.start as usize) + 1;
        out.push_str("<p class=\"muted\">Defined in ");
        let shown = site.shown(&document.path);
        match site.doc_page(&document.path) {
            Some(page) => {
                let _ = write!(out, "<a href=\"{to_notes}{page}\">{}</a>", escaped(&shown));
            }
            None => escape(out, &shown),
        }
        let _ = writeln!(out, ", line {line}.</p>");
    } else {
        out.push_str("</div>\n");
    }
}
