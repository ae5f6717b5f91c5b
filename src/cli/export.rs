//! `dossier export`: writes the core's claims and graph
//! (`analysis::export`) as JSON, CSV, Graphviz DOT or Mermaid.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use crate::analysis::export::{self, ClaimRecord, Export, claim_node};
use crate::workspace::{Keep, Usage};

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Dot,
    Mermaid,
}

/// A graph label longer than this is cut (with `…`): the whole text is in
/// the JSON and CSV.
const LABEL_CHARS: usize = 80;

pub fn run(paths: &[PathBuf], format: ExportFormat) -> Result<Vec<u8>, String> {
    crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let progress = Progress::start("reading notes");
    let mut all = Export::default();
    let keep = Keep { prose: false, outline: false };
    each_workspace(paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        let workspace = host.workspace();
        progress.phase("exporting", workspace.len() as u64);
        let mut found = export::export(workspace, |d| in_scope(&d.path), || progress.tick());
        // Notes are shown as `dossier check` shows them: from the current folder.
        for claim in &mut found.claims {
            claim.note = display_path(&workspace.root.join(&claim.note), &cwd);
        }
        all.claims.extend(found.claims);
        all.nodes.extend(found.nodes);
        all.edges.extend(found.edges);
        progress.phase("reading notes", 0);
    })?;
    dedup_nodes(&mut all);
    progress.finish();
    Ok(match format {
        ExportFormat::Json => {
            let mut text = serde_json::to_vec_pretty(&to_json(&all)).unwrap_or_default();
            text.push(b'\n');
            text
        }
        ExportFormat::Csv => csv(&all.claims)?,
        ExportFormat::Dot => dot(&all).into_bytes(),
        ExportFormat::Mermaid => mermaid(&all).into_bytes(),
    })
}

/// Keeps the first node of each id (two workspaces may name one).
fn dedup_nodes(all: &mut Export) {
    let mut seen = rustc_hash::FxHashSet::default();
    all.nodes.retain(|n| seen.insert(n.id.clone()));
}

fn claim_json(c: &ClaimRecord) -> Value {
    let sources: Vec<Value> =
        c.sources.iter().map(|s| json!({ "key": s.key, "locator": s.locator, "grade": s.grade })).collect();
    json!({
        "id": claim_node(c),
        "note": c.note,
        "line": c.line,
        "text": c.text,
        "kind": c.kind.as_str(),
        "conf": c.conf.map(|v| v.as_str()),
        "est": c.est.map(|v| v.as_str()),
        "by": c.by,
        "due": c.due.map(|d| d.to_string()),
        "outcome": c.outcome.map(|o| o.as_str() == "true"),
        "sources": sources,
        "actors": c.actors,
        "supports": c.supports,
        "contradicts": c.contradicts,
    })
}

fn to_json(all: &Export) -> Value {
    let nodes: Vec<Value> = all
        .nodes
        .iter()
        .map(|n| json!({ "id": n.id, "kind": n.kind.as_str(), "label": n.label, "defined": n.defined }))
        .collect();
    let edges: Vec<Value> =
        all.edges.iter().map(|e| json!({ "from": e.from, "to": e.to, "kind": e.kind.as_str() })).collect();
    json!({ "claims": all.claims.iter().map(claim_json).collect::<Vec<_>>(), "nodes": nodes, "edges": edges })
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 14] = [
    "id",
    "note",
    "line",
    "kind",
    "conf",
    "est",
    "by",
    "due",
    "outcome",
    "text",
    "sources",
    "actors",
    "supports",
    "contradicts",
];

/// One row per claim (RFC 4180: fields quoted where needed, CRLF-free
/// `\n` records); lists in a cell are separated by `; `, a source written
/// `key(locator) grade`.
fn csv(claims: &[ClaimRecord]) -> Result<Vec<u8>, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| format!("cannot write the CSV: {e}");
    writer.write_record(CSV_COLUMNS).map_err(fail)?;
    for c in claims {
        let sources: Vec<String> = c
            .sources
            .iter()
            .map(|s| {
                let mut cell = s.key.clone();
                if let Some(locator) = &s.locator {
                    cell.push_str(&format!("({locator})"));
                }
                if let Some(grade) = &s.grade {
                    cell.push(' ');
                    cell.push_str(grade);
                }
                cell
            })
            .collect();
        let record = [
            claim_node(c),
            c.note.clone(),
            c.line.to_string(),
            c.kind.as_str().to_string(),
            c.conf.map(|v| v.as_str()).unwrap_or_default().to_string(),
            c.est.map(|v| v.as_str()).unwrap_or_default().to_string(),
            c.by.clone().unwrap_or_default(),
            c.due.map(|d| d.to_string()).unwrap_or_default(),
            c.outcome.map(|o| o.as_str()).unwrap_or_default().to_string(),
            c.text.clone(),
            sources.join("; "),
            c.actors.join("; "),
            c.supports.join("; "),
            c.contradicts.join("; "),
        ];
        writer.write_record(&record).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| format!("cannot write the CSV: {e}"))
}

/// A graph label: one line, at most [`LABEL_CHARS`] characters.
fn label(text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if line.chars().count() <= LABEL_CHARS {
        return line;
    }
    line.chars().take(LABEL_CHARS - 1).chain(std::iter::once('…')).collect()
}

/// A DOT double-quoted string: `\` and `"` escaped (so no label escape
/// such as `\n` or `\l` is formed), control characters made spaces.
fn dot_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz DOT: claims as boxes, sources as notes, actors as ellipses;
/// each edge labelled with its kind. Every id and label is quoted.
fn dot(all: &Export) -> String {
    let mut out = String::from("digraph dossier {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n");
    for n in &all.nodes {
        let shape = match n.kind {
            export::NodeKind::Claim => "box",
            export::NodeKind::Source => "note",
            export::NodeKind::Actor => "ellipse",
        };
        let style = if n.defined { "" } else { ", style=dashed" };
        out.push_str(&format!(
            "  {} [label={}, shape={shape}{style}];\n",
            dot_quoted(&n.id),
            dot_quoted(&label(&n.label))
        ));
    }
    for e in &all.edges {
        out.push_str(&format!(
            "  {} -> {} [label={}];\n",
            dot_quoted(&e.from),
            dot_quoted(&e.to),
            dot_quoted(e.kind.as_str())
        ));
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label: quoted, with `"`, `#`, `<`, `>`, `&` and backticks
/// written as entity codes, so that no text ends the string, forms an
/// entity, HTML or a Markdown string.
fn mermaid_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in label(text).chars() {
        match c {
            '"' | '#' | '<' | '>' | '&' | '`' => out.push_str(&format!("#{};", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Mermaid flowchart: nodes get generated ids (`n0`, `n1`…), so no note
/// text is ever an id; claims are boxes, sources stadiums, actors circles.
fn mermaid(all: &Export) -> String {
    let mut out = String::from("flowchart LR\n");
    let index: rustc_hash::FxHashMap<&str, usize> =
        all.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    for (i, n) in all.nodes.iter().enumerate() {
        let text = mermaid_quoted(&n.label);
        let shape = match n.kind {
            export::NodeKind::Claim => format!("[{text}]"),
            export::NodeKind::Source => format!("([{text}])"),
            export::NodeKind::Actor => format!("(({text}))"),
        };
        out.push_str(&format!("  n{i}{shape}\n"));
    }
    for e in &all.edges {
        if let (Some(from), Some(to)) = (index.get(e.from.as_str()), index.get(e.to.as_str())) {
            let arrow = if e.kind == export::EdgeKind::Contradicts { "-.->" } else { "-->" };
            out.push_str(&format!("  n{from} {arrow}|{}| n{to}\n", e.kind.as_str()));
        }
    }
    out
}
