//! `dossier export`: writes the core's claims and graph
//! (`analysis::export`) as JSON, CSV, Graphviz DOT or Mermaid.

use std::io::Write;
use std::path::PathBuf;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use crate::analysis::export::{self, ClaimRecord, Edge, Graph, claim_node};
use crate::syntax::Outcome;
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

/// Why an export stopped: a usage or configuration error, said in one
/// line, or the output could not be written.
pub enum Failure {
    Usage(String),
    Write(std::io::Error),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Usage(message)
    }
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Failure {
        Failure::Write(error)
    }
}

/// What is written: every workspace's claims (their notes as `dossier
/// check` prints them), and, for the graph formats, one graph.
struct All {
    notes: Vec<String>,
    claims: Vec<ClaimRecord>,
    graph: Graph,
}

pub fn run(paths: &[PathBuf], format: ExportFormat, out: &mut impl Write) -> Result<(), Failure> {
    crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let progress = Progress::start("reading notes");
    let mut all = All { notes: Vec::new(), claims: Vec::new(), graph: Graph::default() };
    // A node named in two workspaces is one node: its index in `all.graph`.
    let mut node_index: FxHashMap<String, u32> = FxHashMap::default();
    let keep = Keep { prose: false, outline: false };
    each_workspace(paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        let workspace = host.workspace();
        progress.phase("exporting", workspace.len() as u64);
        let found = export::export(workspace, |d| in_scope(&d.path), || progress.tick());
        if format != ExportFormat::Csv {
            let graph = export::graph(workspace, &found.claims);
            let global: Vec<u32> = graph
                .nodes
                .into_iter()
                .map(|node| {
                    *node_index.entry(node.id.clone()).or_insert_with(|| {
                        all.graph.nodes.push(node);
                        all.graph.nodes.len() as u32 - 1
                    })
                })
                .collect();
            let remap = |i: u32| global[i as usize];
            all.graph.edges.extend(graph.edges.iter().map(|e| Edge {
                from: remap(e.from),
                to: remap(e.to),
                kind: e.kind,
            }));
        }
        let base = all.notes.len() as u32;
        // Notes are shown as `dossier check` shows them: from the current folder.
        all.notes.extend(found.notes.iter().map(|(_, path)| display_path(path, &cwd)));
        all.claims.extend(found.claims.into_iter().map(|c| ClaimRecord { note: base + c.note, ..c }));
        progress.phase("reading notes", 0);
    })?;
    progress.finish();
    match format {
        ExportFormat::Json => json(&all, out)?,
        ExportFormat::Csv => csv(&all, out)?,
        ExportFormat::Dot => dot(&all.graph, out)?,
        ExportFormat::Mermaid => mermaid(&all.graph, out)?,
    }
    Ok(())
}

#[derive(Serialize)]
struct SourceOut<'a> {
    key: &'a str,
    locator: Option<&'a str>,
    grade: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: String,
    note: &'a str,
    line: u32,
    text: &'a str,
    kind: &'a str,
    conf: Option<&'a str>,
    est: Option<&'a str>,
    by: Option<&'a str>,
    due: Option<String>,
    outcome: Option<bool>,
    sources: Vec<SourceOut<'a>>,
    actors: &'a [String],
    supports: &'a [String],
    contradicts: &'a [String],
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    kind: &'a str,
    label: &'a str,
    defined: bool,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
}

/// One JSON object, `{"claims": […], "nodes": […], "edges": […]}`,
/// written as it is made, one array item per line.
fn json(all: &All, out: &mut impl Write) -> std::io::Result<()> {
    fn items<T: Serialize>(
        out: &mut impl Write,
        key: &str,
        items: impl Iterator<Item = T>,
        last: bool,
    ) -> std::io::Result<()> {
        write!(out, "\"{key}\": [")?;
        for (i, item) in items.enumerate() {
            out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *out, &item)?;
        }
        write!(out, "\n]{}\n", if last { "" } else { "," })
    }
    out.write_all(b"{\n")?;
    let claims = all.claims.iter().map(|c| ClaimOut {
        id: claim_node(c),
        note: &all.notes[c.note as usize],
        line: c.line,
        text: &c.text,
        kind: c.kind.as_str(),
        conf: c.conf.map(|v| v.as_str()),
        est: c.est.map(|v| v.as_str()),
        by: c.by.as_deref(),
        due: c.due.map(|d| d.to_string()),
        outcome: c.outcome.map(|o| o == Outcome::True),
        sources: c
            .sources
            .iter()
            .map(|s| SourceOut { key: &s.key, locator: s.locator.as_deref(), grade: s.grade.as_deref() })
            .collect(),
        actors: &c.actors,
        supports: &c.supports,
        contradicts: &c.contradicts,
    });
    items(out, "claims", claims, false)?;
    let nodes = all.graph.nodes.iter().map(|n| NodeOut {
        id: &n.id,
        kind: n.kind.as_str(),
        label: &n.label,
        defined: n.defined,
    });
    items(out, "nodes", nodes, false)?;
    let id = |i: u32| all.graph.nodes[i as usize].id.as_str();
    let edges = all.graph.edges.iter().map(|e| EdgeOut { from: id(e.from), to: id(e.to), kind: e.kind.as_str() });
    items(out, "edges", edges, true)?;
    out.write_all(b"}\n")
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
fn csv(all: &All, out: &mut impl Write) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for c in &all.claims {
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
            all.notes[c.note as usize].clone(),
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
        writer.write_record(&record)?;
    }
    writer.flush()
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
fn dot(graph: &Graph, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(b"digraph dossier {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n")?;
    for n in &graph.nodes {
        let shape = match n.kind {
            export::NodeKind::Claim => "box",
            export::NodeKind::Source => "note",
            export::NodeKind::Actor => "ellipse",
        };
        let style = if n.defined { "" } else { ", style=dashed" };
        writeln!(out, "  {} [label={}, shape={shape}{style}];", dot_quoted(&n.id), dot_quoted(&label(&n.label)))?;
    }
    let id = |i: u32| dot_quoted(&graph.nodes[i as usize].id);
    for e in &graph.edges {
        writeln!(out, "  {} -> {} [label={}];", id(e.from), id(e.to), dot_quoted(e.kind.as_str()))?;
    }
    out.write_all(b"}\n")
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
fn mermaid(graph: &Graph, out: &mut impl Write) -> std::io::Result<()> {
    out.write_all(b"flowchart LR\n")?;
    for (i, n) in graph.nodes.iter().enumerate() {
        let text = mermaid_quoted(&n.label);
        let shape = match n.kind {
            export::NodeKind::Claim => format!("[{text}]"),
            export::NodeKind::Source => format!("([{text}])"),
            export::NodeKind::Actor => format!("(({text}))"),
        };
        writeln!(out, "  n{i}{shape}")?;
    }
    for e in &graph.edges {
        let arrow = if e.kind == export::EdgeKind::Contradicts { "-.->" } else { "-->" };
        writeln!(out, "  n{} {arrow}|{}| n{}", e.from, e.kind.as_str(), e.to)?;
    }
    Ok(())
}
