//! `dossier export`: writes the core's claims and graph
//! (`analysis::export`) as JSON, CSV, Graphviz DOT or Mermaid.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use crate::analysis::export::{self, ClaimRecord, EdgeKind, NodeIndex, NodeKind, claim_node};
use crate::syntax::Outcome;
use crate::workspace::{Keep, Usage, Workspace};

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

/// One note's share of the output, rendered apart from the other notes.
struct NoteOut {
    /// Its claims as JSON objects (each after `,\n  `) or CSV rows.
    rows: Vec<u8>,
    /// Its claims as graph nodes, for the graph formats.
    nodes: Vec<ClaimNode>,
}

/// A claim as a graph node, rendered before it is known whether an earlier
/// claim took its id.
struct ClaimNode {
    id: String,
    /// The id as an edge gives it (JSON and DOT: quoted).
    quoted: String,
    /// The node as [`render_node`] writes it.
    rendered: Vec<u8>,
    edges: Vec<(EdgeKind, NodeKind, String)>,
}

/// The graph of every workspace, one node per id (the first wins),
/// numbered in order of first use.
#[derive(Default)]
struct GraphOut {
    index: NodeIndex,
    /// Each node as [`render_node`] writes it.
    nodes: Vec<Vec<u8>>,
    /// Each node's id as an edge gives it.
    quoted: Vec<String>,
    edges: Vec<(u32, u32, EdgeKind)>,
}

impl GraphOut {
    /// Adds the nodes and edges of one workspace's claims: every claim's
    /// node first, so that an edge to a claim of the workspace finds it.
    fn add(&mut self, format: ExportFormat, workspace: &Workspace, notes: &mut [NoteOut]) {
        let mut from = Vec::new();
        for claim in notes.iter_mut().flat_map(|n| n.nodes.iter_mut()) {
            from.push(self.index.get_or_add(&claim.id).unwrap_or_else(|at| {
                self.nodes.push(std::mem::take(&mut claim.rendered));
                self.quoted.push(std::mem::take(&mut claim.quoted));
                at
            }));
        }
        let claims = notes.iter().flat_map(|n| n.nodes.iter());
        for (claim, from) in claims.zip(from) {
            for (kind, node, to) in &claim.edges {
                let to = self.index.get_or_add(to).unwrap_or_else(|at| {
                    let node = export::other_node(workspace, *node, to.clone());
                    let mut rendered = Vec::new();
                    render_node(format, &mut rendered, &node.id, node.kind, &node.label, node.defined);
                    self.nodes.push(rendered);
                    self.quoted.push(quoted_id(format, &node.id));
                    at
                });
                self.edges.push((from, to, *kind));
            }
        }
        for note in notes {
            note.nodes = Vec::new();
        }
    }
}

pub fn run(paths: &[PathBuf], format: ExportFormat, out: &mut impl Write) -> Result<(), Failure> {
    crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let progress = Progress::start("reading notes");
    // Kept until every workspace has loaded: a later one may still fail,
    // and then nothing is written.
    let mut rows: Vec<Vec<u8>> = Vec::new();
    let mut graph = GraphOut::default();
    let keep = Keep { prose: false, outline: false };
    each_workspace(paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        let workspace = host.workspace();
        progress.phase("exporting", workspace.len() as u64);
        let mut notes = export::each_note(
            workspace,
            |d| in_scope(&d.path),
            || progress.tick(),
            // Notes are shown as `dossier check` shows them: from the current folder.
            |_, document, claims| render_note(format, &display_path(&document.path, &cwd), &claims),
        );
        if format != ExportFormat::Csv {
            graph.add(format, workspace, &mut notes);
        }
        rows.extend(notes.into_iter().map(|n| n.rows).filter(|r| !r.is_empty()));
        progress.phase("reading notes", 0);
    })?;
    progress.finish();
    let edges = render_edges(format, &graph);
    match format {
        ExportFormat::Json => {
            out.write_all(b"{\n")?;
            items(out, "claims", rows.iter(), false)?;
            items(out, "nodes", graph.nodes.iter(), false)?;
            items(out, "edges", edges.iter(), true)?;
            out.write_all(b"}\n")?;
        }
        ExportFormat::Csv => {
            let mut header = csv::Writer::from_writer(Vec::new());
            in_memory(header.write_record(CSV_COLUMNS));
            out.write_all(&in_memory(header.into_inner()))?;
            rows.iter().try_for_each(|r| out.write_all(r))?;
        }
        ExportFormat::Dot => {
            out.write_all(b"digraph dossier {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n")?;
            graph.nodes.iter().try_for_each(|n| out.write_all(n))?;
            edges.iter().try_for_each(|e| out.write_all(e))?;
            out.write_all(b"}\n")?;
        }
        ExportFormat::Mermaid => {
            out.write_all(b"flowchart LR\n")?;
            for (i, n) in graph.nodes.iter().enumerate() {
                write!(out, "  n{i}")?;
                out.write_all(n)?;
            }
            edges.iter().try_for_each(|e| out.write_all(e))?;
        }
    }
    Ok(())
}

/// Writing into memory does not fail: a `Vec<u8>` takes every byte.
fn in_memory<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    result.expect("writing into memory cannot fail")
}

/// One note's claims as `format` writes them: JSON objects or CSV rows,
/// and, for the graph formats, nodes.
fn render_note(format: ExportFormat, note: &str, claims: &[ClaimRecord]) -> NoteOut {
    let mut rows = Vec::new();
    let mut nodes = Vec::new();
    match format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(rows);
            claims.iter().for_each(|c| in_memory(csv_row(&mut writer, note, c)));
            rows = in_memory(writer.into_inner());
        }
        ExportFormat::Json | ExportFormat::Dot | ExportFormat::Mermaid => {
            for c in claims {
                let id = claim_node(c);
                if format == ExportFormat::Json {
                    rows.extend_from_slice(b",\n  ");
                    in_memory(serde_json::to_writer(&mut rows, &claim_out(&id, note, c)));
                }
                let mut rendered = Vec::new();
                render_node(format, &mut rendered, &id, NodeKind::Claim, &c.text, true);
                let quoted = quoted_id(format, &id);
                nodes.push(ClaimNode { id, quoted, rendered, edges: export::claim_edges(c) });
            }
        }
    }
    NoteOut { rows, nodes }
}

/// A node as `format` writes it, but for what depends on its number: a
/// JSON object after `,\n  `, a DOT statement, a Mermaid shape (after
/// `  n` and the number); each ends its line but the JSON. DOT: claims
/// as boxes, sources as notes, actors as ellipses, every id and label
/// quoted. Mermaid: nodes get generated ids (`n0`, `n1`…), so no note text
/// is ever an id; claims are boxes, sources stadiums, actors circles.
fn render_node(format: ExportFormat, out: &mut Vec<u8>, id: &str, kind: NodeKind, text: &str, defined: bool) {
    match format {
        ExportFormat::Json => {
            out.extend_from_slice(b",\n  ");
            let node = NodeOut { id, kind: kind.as_str(), label: text, defined };
            in_memory(serde_json::to_writer(&mut *out, &node));
        }
        ExportFormat::Dot => {
            let shape = match kind {
                NodeKind::Claim => "box",
                NodeKind::Source => "note",
                NodeKind::Actor => "ellipse",
            };
            let style = if defined { "" } else { ", style=dashed" };
            let line = format!("  {} [label={}, shape={shape}{style}];\n", dot_quoted(id), dot_quoted(&label(text)));
            out.extend_from_slice(line.as_bytes());
        }
        ExportFormat::Mermaid => {
            let text = mermaid_quoted(text);
            let shape = match kind {
                NodeKind::Claim => format!("[{text}]\n"),
                NodeKind::Source => format!("([{text}])\n"),
                NodeKind::Actor => format!("(({text}))\n"),
            };
            out.extend_from_slice(shape.as_bytes());
        }
        ExportFormat::Csv => {}
    }
}

/// A node id as an edge of `format` gives it (Mermaid uses the number).
fn quoted_id(format: ExportFormat, id: &str) -> String {
    match format {
        ExportFormat::Json => in_memory(serde_json::to_string(id)),
        ExportFormat::Dot => dot_quoted(id),
        ExportFormat::Mermaid | ExportFormat::Csv => String::new(),
    }
}

/// The edges as `format` writes them, a run of them per core: JSON objects
/// (each after `,\n  `), DOT or Mermaid lines, each labelled with its kind.
fn render_edges(format: ExportFormat, graph: &GraphOut) -> Vec<Vec<u8>> {
    graph
        .edges
        .par_chunks(8192)
        .map(|edges| {
            let mut out = Vec::with_capacity(edges.len() * 64);
            for &(from, to, kind) in edges {
                let (from, to, kind) = (from as usize, to as usize, kind.as_str());
                match format {
                    ExportFormat::Json => {
                        out.extend_from_slice(b",\n  {\"from\":");
                        out.extend_from_slice(graph.quoted[from].as_bytes());
                        out.extend_from_slice(b",\"to\":");
                        out.extend_from_slice(graph.quoted[to].as_bytes());
                        out.extend_from_slice(b",\"kind\":\"");
                        out.extend_from_slice(kind.as_bytes());
                        out.extend_from_slice(b"\"}");
                    }
                    ExportFormat::Dot => {
                        out.extend_from_slice(b"  ");
                        out.extend_from_slice(graph.quoted[from].as_bytes());
                        out.extend_from_slice(b" -> ");
                        out.extend_from_slice(graph.quoted[to].as_bytes());
                        out.extend_from_slice(b" [label=\"");
                        out.extend_from_slice(kind.as_bytes());
                        out.extend_from_slice(b"\"];\n");
                    }
                    ExportFormat::Mermaid => {
                        let arrow = if kind == EdgeKind::Contradicts.as_str() { "-.->" } else { "-->" };
                        in_memory(writeln!(out, "  n{from} {arrow}|{kind}| n{to}"));
                    }
                    ExportFormat::Csv => {}
                }
            }
            out
        })
        .collect()
}

/// Writes `"key": [` and the items, rendered each after `,\n  `, so that
/// the first starts its own line with no comma; then `]`.
fn items<'a>(
    out: &mut impl Write,
    key: &str,
    rendered: impl Iterator<Item = &'a Vec<u8>>,
    last: bool,
) -> std::io::Result<()> {
    write!(out, "\"{key}\": [")?;
    let mut first = true;
    for chunk in rendered.filter(|r| !r.is_empty()) {
        out.write_all(if first { &chunk[1..] } else { chunk })?;
        first = false;
    }
    write!(out, "\n]{}\n", if last { "" } else { "," })
}

#[derive(Serialize)]
struct SourceOut<'a> {
    key: &'a str,
    locator: Option<&'a str>,
    grade: Option<&'a str>,
}

#[derive(Serialize)]
struct ClaimOut<'a> {
    id: &'a str,
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

/// A claim as JSON shows it.
fn claim_out<'a>(id: &'a str, note: &'a str, c: &'a ClaimRecord) -> ClaimOut<'a> {
    ClaimOut {
        id,
        note,
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
    }
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
fn csv_row(writer: &mut csv::Writer<Vec<u8>>, note: &str, c: &ClaimRecord) -> csv::Result<()> {
    let sources: Vec<String> = c
        .sources
        .iter()
        .map(|s| {
            let mut cell = s.key.clone();
            if let Some(locator) = &s.locator {
                cell.push('(');
                cell.push_str(locator);
                cell.push(')');
            }
            if let Some(grade) = &s.grade {
                cell.push(' ');
                cell.push_str(grade);
            }
            cell
        })
        .collect();
    let record = [
        &claim_node(c),
        note,
        &c.line.to_string(),
        c.kind.as_str(),
        c.conf.map(|v| v.as_str()).unwrap_or_default(),
        c.est.map(|v| v.as_str()).unwrap_or_default(),
        c.by.as_deref().unwrap_or_default(),
        &c.due.map(|d| d.to_string()).unwrap_or_default(),
        c.outcome.map(|o| o.as_str()).unwrap_or_default(),
        &c.text,
        &sources.join("; "),
        &c.actors.join("; "),
        &c.supports.join("; "),
        &c.contradicts.join("; "),
    ];
    writer.write_record(record)
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
