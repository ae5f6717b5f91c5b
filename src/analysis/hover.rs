//! Hover cards: an actor, a source, a claim, or the meaning of a metadata value.

use std::fmt::Write;

use super::forecast::{Standing, standing};
use super::navigation::id_at;
use crate::syntax::vocab::{ActorKind, Admiralty};
use crate::syntax::{Claim, Date, Definition, Namespace, Role};
use crate::text::TextRange;
use crate::workspace::{Defined, DocId, Document, Workspace};

/// A hover card: Markdown, and the range it describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub markdown: String,
    pub range: TextRange,
}

/// On a token, the token's own card; elsewhere inside a claim, the claim's.
pub fn hover(workspace: &Workspace, doc: DocId, offset: usize) -> Option<Hover> {
    let document = workspace.document(doc);
    if let Some(id) = id_at(document, offset) {
        let markdown = match id.namespace {
            Namespace::Actor => actor_card(workspace, &id.name),
            Namespace::Source => source_card(workspace, &id.name),
            Namespace::Claim => claim_card_by_id(workspace, &id.name),
        };
        return Some(Hover { markdown, range: id.span });
    }
    let claim =
        document.parse.claims.iter().find(|c| c.range.contains_inclusive(offset) && offset < c.range.end as usize)?;
    if let Some(hover) = value_card(claim, offset, workspace.today) {
        return Some(hover);
    }
    Some(Hover { markdown: claim_card(workspace, doc, claim), range: claim.range })
}

fn value_card(claim: &Claim, offset: usize, today: crate::syntax::Date) -> Option<Hover> {
    let on = |r: TextRange| r.contains_inclusive(offset);
    if let Some(k) = claim.kind_token().filter(|k| on(k.range)) {
        return Some(Hover {
            markdown: format!("**kind: {}** — {}", k.value.as_str(), k.value.meaning()),
            range: k.range,
        });
    }
    if let Some(c) = claim.confidence().filter(|c| on(c.range)) {
        return Some(Hover {
            markdown: format!("**conf: {}** — {}", c.value.as_str(), c.value.meaning()),
            range: c.range,
        });
    }
    if let Some(e) = claim.estimate().filter(|e| on(e.range)) {
        return Some(Hover {
            markdown: format!("**est: {}** — {} (ICD 203 estimative probability)", e.value.as_str(), e.value.meaning()),
            range: e.range,
        });
    }
    forecast_value_card(claim, offset, today)
}

/// "actors.md:3", relative to the workspace root.
fn place(workspace: &Workspace, document: &Document, range: TextRange) -> String {
    let path = document.path.strip_prefix(&workspace.root).unwrap_or(&document.path);
    format!("{}:{}", path.display(), document.line_index().line_of(range.start as usize) + 1)
}

fn first_block<'w>(
    workspace: &'w Workspace,
    namespace: Namespace,
    name: &str,
) -> Option<(&'w Document, &'w Definition)> {
    let site = workspace.definitions(namespace, name).into_iter().next()?;
    match site.defined {
        Defined::Block(def) => Some((site.document, def)),
        Defined::Claim(_) => None,
    }
}

/// How many distinct claims hold a reference to `name` in one of the roles.
fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn other_fields(out: &mut String, text: &str, def: &Definition, shown: &[&str]) {
    if let Some(entry) = &def.entry {
        for (key, value) in entry.fields.iter().filter(|(key, _)| !shown.contains(key)) {
            let _ = writeln!(out, "- {key}: {value}");
        }
    }
    for field in &def.fields {
        let key = field.key.of(text);
        if !shown.contains(&key) {
            let _ = writeln!(out, "- {key}: {}", field.value.of(text));
        }
    }
}

pub fn actor_card(workspace: &Workspace, name: &str) -> String {
    let Some((document, def)) = first_block(workspace, Namespace::Actor, name) else {
        return format!("**Unknown actor** `@{name}`: no definition in the workspace. Define it with `@{name}: Name`.");
    };
    let text = &document.text;
    let mut out = format!("**{}** `@{name}`", def.title.of(text));
    if let Some(kind) = def.field(text, "kind") {
        let _ = write!(out, " — {}", ActorKind::parse(kind).map_or(kind, |k| k.as_str()));
    }
    out.push_str("\n\n");
    if let Some(role) = def.field(text, "role") {
        let _ = writeln!(out, "{role}\n");
    }
    if let Some(aliases) = def.field(text, "aliases") {
        let _ = writeln!(out, "*Also:* {aliases}\n");
    }
    for line in &def.description {
        let _ = writeln!(out, "{}", line.of(text));
    }
    if !def.description.is_empty() {
        out.push('\n');
    }
    other_fields(&mut out, text, def, &["kind", "role", "aliases"]);
    let mentions = workspace.reference_count(Namespace::Actor, name);
    let claims = workspace.claim_count(Namespace::Actor, name);
    let _ = write!(
        out,
        "\nDefined at {} · {} · in {}",
        place(workspace, document, def.id),
        plural(mentions, "mention"),
        plural(claims, "claim")
    );
    out
}

pub fn source_card(workspace: &Workspace, key: &str) -> String {
    let Some((document, def)) = first_block(workspace, Namespace::Source, key) else {
        return format!("**Unknown source** `^{key}`: no definition in the workspace. Define it with `^{key}: Title`.");
    };
    let text = &document.text;
    let mut out = format!("**{}** `^{key}`\n\n", def.title_text(text));
    let byline: Vec<&str> = ["publisher", "date"].iter().filter_map(|f| def.field(text, f)).collect();
    if !byline.is_empty() {
        let _ = writeln!(out, "{}\n", byline.join(" · "));
    }
    if let Some(url) = def.field(text, "url") {
        let _ = writeln!(out, "<{url}>\n");
    }
    match def.field(text, "reliability") {
        Some(grade) => match Admiralty::parse(grade) {
            Some(a) => {
                let _ = writeln!(out, "Reliability: **{}**\n", a.spelled_out());
            }
            None => {
                let _ = writeln!(out, "Reliability: `{grade}` (not an Admiralty grade)\n");
            }
        },
        None => out.push_str("Reliability: not graded\n\n"),
    }
    for line in &def.description {
        let _ = writeln!(out, "{}", line.of(text));
    }
    other_fields(&mut out, text, def, &["publisher", "date", "url", "reliability"]);
    let claims = workspace.claim_count(Namespace::Source, key);
    let _ = write!(out, "\nCited by {} · defined at {}", plural(claims, "claim"), place(workspace, document, def.id));
    out
}

fn claim_card_by_id(workspace: &Workspace, id: &str) -> String {
    match workspace.definitions(Namespace::Claim, id).into_iter().next() {
        Some(site) => match site.defined {
            Defined::Claim(claim) => claim_card(workspace, site.doc, claim),
            Defined::Block(_) => String::new(),
        },
        None => {
            format!("**Unknown claim** `#{id}`: no claim has this id. Give one the id with `#{id}` in its metadata.")
        }
    }
}

fn actor_label(workspace: &Workspace, name: &str) -> String {
    match first_block(workspace, Namespace::Actor, name) {
        Some((document, def)) => format!("{} (`@{name}`)", def.title.of(&document.text)),
        None => format!("`@{name}` (unknown)"),
    }
}

pub fn claim_card(workspace: &Workspace, doc: DocId, claim: &Claim) -> String {
    let document = workspace.document(doc);
    let text = &document.text;
    let kind = claim.kind();
    let mut out = String::from("**Claim**");
    if let Some(id) = claim.id() {
        let _ = write!(out, " `{}`", id.of(text));
    }
    let _ = writeln!(out, " — {}: {}\n", kind.as_str(), kind.meaning());
    let _ = writeln!(out, "> {}\n", claim.text().of(text).split_whitespace().collect::<Vec<_>>().join(" "));
    if let Some(c) = claim.confidence() {
        let _ = writeln!(out, "- Confidence: {}", c.value.meaning());
    }
    if let Some(e) = claim.estimate() {
        let _ = writeln!(out, "- Estimate: {}", e.value.meaning());
    }
    forecast_lines(&mut out, claim, workspace.today);
    if let Some(speaker) = claim.speaker() {
        let _ = writeln!(out, "- Speaker: {}", actor_label(workspace, speaker.without_sigil().of(text)));
    }
    let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
    let mut sources = Vec::new();
    let (mut supports, mut contradicts) = (Vec::new(), Vec::new());
    for r in refs {
        let name = r.name(text);
        match r.role() {
            Role::Citation { locator } => {
                let grade = first_block(workspace, Namespace::Source, name)
                    .and_then(|(d, def)| def.field(&d.text, "reliability"))
                    .and_then(Admiralty::parse)
                    .map_or_else(|| "ungraded".to_string(), |a| a.spelled_out());
                let at = locator.map_or_else(String::new, |l| format!(", {}", l.of(text)));
                sources.push(format!("`^{name}`{at} ({grade})"));
            }
            Role::Supports => supports.push(format!("`#{name}`")),
            Role::Contradicts => contradicts.push(format!("`#{name}`")),
            _ => {}
        }
    }
    if sources.is_empty() {
        out.push_str("- Sources: none\n");
    } else {
        let _ = writeln!(out, "- Sources: {}", sources.join("; "));
    }
    // Relations both ways: what this claim says of others, and what others say of it.
    let (mut supported_by, mut contradicted_by) = (Vec::new(), Vec::new());
    if let Some(id) = claim.id_name(text) {
        for (other_doc, other, r) in workspace.references(Namespace::Claim, id) {
            let Some(index) = r.claim() else { continue };
            let source = &other.parse.claims[index as usize];
            let label = source.id().map_or_else(
                || place(workspace, workspace.document(other_doc), source.range),
                |i| format!("`{}`", i.of(&other.text)),
            );
            match r.role() {
                Role::Supports => supported_by.push(label),
                Role::Contradicts => contradicted_by.push(label),
                _ => {}
            }
        }
    }
    for (label, list) in [
        ("Supports", supports),
        ("Contradicts", contradicts),
        ("Supported by", supported_by),
        ("Contradicted by", contradicted_by),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "- {label}: {}", list.join(", "));
        }
    }
    out.trim_end().to_string()
}

/// The claim card's lines on a forecast's due date and outcome.
fn forecast_lines(out: &mut String, claim: &Claim, today: Date) {
    let due = claim.due().map(|d| d.value);
    match (standing(claim, today), due) {
        (Some(Standing::Resolved(outcome)), due) => {
            if let Some(due) = due {
                let _ = writeln!(out, "- Due: {due}");
            }
            let _ = writeln!(out, "- Outcome: {} — {}", outcome.as_str(), outcome.meaning());
        }
        (Some(Standing::Overdue(due)), _) => {
            let _ = writeln!(out, "- Due: {due} — **overdue** (today is {today}): record its `outcome:`");
        }
        (Some(Standing::Open(due)), _) => {
            let _ = writeln!(out, "- Due: {due} — not yet due (today is {today})");
        }
        _ => {}
    }
}

/// The card of a `due:` or `outcome:` token under `offset`.
fn forecast_value_card(claim: &Claim, offset: usize, today: Date) -> Option<Hover> {
    if let Some(due) = claim.due().filter(|d| d.range.contains_inclusive(offset)) {
        let state = match standing(claim, today) {
            Some(Standing::Resolved(_)) => "resolved".to_string(),
            Some(Standing::Overdue(_)) => format!("**overdue**: past (today is {today}) and no `outcome:` yet"),
            _ => format!("not yet due (today is {today})"),
        };
        let last = due.value.last_day();
        let markdown =
            format!("**due: {}** — the date by which this forecast resolves (through {last}); {state}", due.value);
        return Some(Hover { markdown, range: due.range });
    }
    let outcome = claim.outcome().filter(|o| o.range.contains_inclusive(offset))?;
    Some(Hover {
        markdown: format!(
            "**outcome: {}** — {}: how this forecast resolved",
            outcome.value.as_str(),
            outcome.value.meaning()
        ),
        range: outcome.range,
    })
}
