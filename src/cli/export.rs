//! `dossier export`: writes the core's claims and graph
//! (`analysis::export`) as JSON, CSV, Graphviz DOT or Mermaid. Every
//! workspace is loaded first; then their notes are read and rendered a
//! batch at a time on every core and written in path order, while one
//! core numbers the graph's nodes (by first use, so in order); the nodes
//! and edges come last.

use std::io::Write;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::check::{display_path, each_workspace};
use super::progress::Progress;
use crate::analysis::Host;
use crate::analysis::export::{self, Citation, ClaimRecord, EdgeKind, NodeIndex, NodeKind, claim_node};
use crate::syntax::Outcome;
use crate::workspace::{DocId, Keep, Usage, Workspace};

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

/// A few notes' share of the output, rendered apart from the other notes:
/// a few buffers for them all, not strings per claim, so that neither
/// making nor freeing them is a cost in itself.
#[derive(Default)]
struct NotesOut {
    /// Their claims as JSON objects (each after `,\n  `) or CSV rows.
    rows: Vec<u8>,
    /// For the graph formats: its claims as nodes ([`render_node`]) and
    /// their ids as an edge gives them ([`quote_id`]), one after the other.
    nodes: Vec<u8>,
    /// The ids of its claims and of the nodes their edges go to.
    ids: String,
    claims: Vec<ClaimNode>,
    /// Each edge's kind, the kind of node it goes to, that node's id (in
    /// `ids`, with its sigil) and the id's [`export::id_hash`].
    edges: Vec<(EdgeKind, NodeKind, Span, u64)>,
}

/// A range of one of the buffers of a [`NotesOut`].
type Span = std::ops::Range<u32>;

fn span(from: usize, to: usize) -> Span {
    from as u32..to as u32
}

/// A claim as a graph node, rendered before it is known whether an earlier
/// claim took its id: spans of its [`NotesOut`]'s buffers.
struct ClaimNode {
    /// Its node's number, once known: its own or that of the first claim
    /// with its id.
    from: u32,
    id: Span,
    /// The id's [`export::id_hash`], worked out where the note is rendered.
    hash: u64,
    rendered: Span,
    quoted: Span,
    edges: Span,
}

/// A node's rendering or quoted id: a span of a [`NotesOut::nodes`]
/// (kept in [`GraphOut::buffers`]), or of [`GraphOut::others`].
#[derive(Clone)]
struct Piece {
    buffer: u32,
    span: Span,
}

/// The graph of every workspace, one node per id (the first wins),
/// numbered in order of first use.
#[derive(Default)]
struct GraphOut {
    index: NodeIndex,
    /// The notes' `nodes` buffers.
    buffers: Vec<Vec<u8>>,
    /// The renderings and quoted ids of the nodes that are not claims of the export.
    others: Vec<u8>,
    /// Each node as [`render_node`] writes it, and its id as an edge gives it.
    nodes: Vec<(Piece, Piece)>,
    edges: Vec<(u32, u32, EdgeKind)>,
}

impl GraphOut {
    /// [`GraphOut::others`] as a buffer number.
    const OTHERS: u32 = u32::MAX;

    fn bytes(&self, piece: &Piece) -> &[u8] {
        let buffer = if piece.buffer == Self::OTHERS { &self.others } else { &self.buffers[piece.buffer as usize] };
        &buffer[piece.span.start as usize..piece.span.end as usize]
    }

    /// Adds the nodes of some notes' claims, numbering each claim's node.
    /// All of a workspace's claims come before its edges (see
    /// [`GraphOut::add_edges`]), so that an edge to a claim finds it.
    fn add_nodes(&mut self, notes: &mut [NotesOut]) {
        self.index.reserve(notes.iter().map(|n| n.claims.len()).sum());
        for note in notes {
            let buffer = self.buffers.len() as u32;
            for claim in &mut note.claims {
                let id = &note.ids[claim.id.start as usize..claim.id.end as usize];
                claim.from = self.index.get_or_add_hashed(claim.hash, id).unwrap_or_else(|at| {
                    let rendered = Piece { buffer, span: claim.rendered.clone() };
                    self.nodes.push((rendered, Piece { buffer, span: claim.quoted.clone() }));
                    at
                });
            }
            self.buffers.push(std::mem::take(&mut note.nodes));
        }
    }

    /// Adds the edges of the claims of `notes`, all of one workspace, and
    /// the nodes they reach that are not claims of the export.
    fn add_edges(&mut self, format: ExportFormat, workspace: &Workspace, notes: &[NotesOut]) {
        for (note, claim) in notes.iter().flat_map(|n| n.claims.iter().map(move |c| (n, c))) {
            for (kind, node, to_id, hash) in &note.edges[claim.edges.start as usize..claim.edges.end as usize] {
                let to_id = &note.ids[to_id.start as usize..to_id.end as usize];
                let to = self.index.get_or_add_hashed(*hash, to_id).unwrap_or_else(|at| {
                    let node = export::other_node(workspace, *node, to_id.to_string());
                    let start = self.others.len();
                    render_node(format, &mut self.others, &node.id, node.kind, &node.label, node.defined);
                    let rendered = Piece { buffer: Self::OTHERS, span: span(start, self.others.len()) };
                    let start = self.others.len();
                    quote_id(format, &mut self.others, &node.id);
                    self.nodes.push((rendered, Piece { buffer: Self::OTHERS, span: span(start, self.others.len()) }));
                    at
                });
                self.edges.push((claim.from, to, *kind));
            }
        }
    }
}

/// How many notes are rendered at a time before their rows are written:
/// enough to keep every core busy, few enough that the row buffers are
/// reused rather than the whole output held.
const BATCH: usize = 256;

/// How many notes of a batch one core renders into the same buffers: a
/// few buffers per task rather than per note are fewer to make and free.
const NOTES_PER_TASK: usize = 8;

pub fn run(paths: &[PathBuf], format: ExportFormat, out: &mut impl Write) -> Result<(), Failure> {
    crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let progress = Progress::start("reading notes");
    // Every workspace is loaded before anything is written (a later one
    // may fail, and then nothing is), and kept: each is read once more to
    // write it, note by note.
    let mut loaded: Vec<(Host, Vec<DocId>)> = Vec::new();
    let keep = Keep { prose: false, outline: false };
    // Nothing printed says whether an id is mentioned: no reverse index.
    each_workspace(paths, &cwd, keep, Usage::Definitions, |host, in_scope| {
        let host = std::mem::replace(host, Host::new(Vec::new()));
        let notes = export::notes_in_scope(host.workspace(), |d| in_scope(&d.path));
        loaded.push((host, notes));
    })?;
    progress.phase("exporting", loaded.iter().map(|(_, notes)| notes.len() as u64).sum());
    match format {
        ExportFormat::Json => out.write_all(b"{\n\"claims\": [")?,
        ExportFormat::Csv => {
            let mut header = csv::Writer::from_writer(Vec::new());
            in_memory(header.write_record(CSV_COLUMNS));
            out.write_all(&in_memory(header.into_inner()))?;
        }
        ExportFormat::Dot => out.write_all(b"digraph dossier {\n  rankdir=LR;\n  node [fontname=\"sans-serif\"];\n")?,
        ExportFormat::Mermaid => out.write_all(b"flowchart LR\n")?,
    }
    // The notes are rendered on the pool's cores, driven from a thread of
    // their own, while this one writes each batch before and numbers its
    // nodes: writing and numbering, one core's work, no longer leave the
    // others waiting between batches.
    let (graph, written) = std::thread::scope(|scope| {
        let (send, rendered) = std::sync::mpsc::sync_channel::<Vec<NotesOut>>(2);
        let (loaded, progress, cwd) = (&loaded, &progress, &cwd);
        scope.spawn(move || {
            for (host, notes) in loaded {
                let workspace = host.workspace();
                let reader = export::Reader::new(workspace);
                for batch in notes.chunks(BATCH) {
                    let rendered: Vec<NotesOut> = batch
                        .par_chunks(NOTES_PER_TASK)
                        .map(|docs| {
                            let mut out = NotesOut::default();
                            for &doc in docs {
                                let document = workspace.document(doc);
                                let (_, found) = reader.note_claims(document);
                                progress.tick();
                                // Notes are shown as `dossier check` shows them: from the current folder.
                                if !found.is_empty() {
                                    render_note(&mut out, format, &display_path(&document.path, cwd), &found);
                                }
                            }
                            out
                        })
                        .collect();
                    // The writer stopped (it could not write): so does this.
                    if send.send(rendered).is_err() {
                        return;
                    }
                }
            }
        });
        let mut claims = Items::default();
        let mut graph = GraphOut::default();
        let written = loaded.iter().try_for_each(|(host, notes)| {
            // The graph formats: this workspace's notes, until their edges are added.
            let mut kept: Vec<NotesOut> = Vec::new();
            for _ in notes.chunks(BATCH) {
                // The renderer sends a batch for every chunk, or panics, and
                // the scope passes the panic on.
                let Ok(mut batch) = rendered.recv() else { return Ok(()) };
                for note in &mut batch {
                    let rows = std::mem::take(&mut note.rows);
                    if format == ExportFormat::Json { claims.write(out, &rows)? } else { out.write_all(&rows)? }
                }
                if format != ExportFormat::Csv {
                    graph.add_nodes(&mut batch);
                    kept.append(&mut batch);
                }
            }
            graph.add_edges(format, host.workspace(), &kept);
            Ok::<(), std::io::Error>(())
        });
        (graph, written)
    });
    written?;
    progress.finish();
    // The edges are rendered on the pool while this thread writes the nodes.
    let edges = std::thread::scope(|scope| {
        let edges = scope.spawn(|| render_edges(format, &graph));
        let nodes = write_nodes(format, &graph, out);
        let edges = edges.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        nodes.map(|()| edges)
    })?;
    match format {
        ExportFormat::Json => {
            out.write_all(b"\n],\n\"edges\": [")?;
            let mut items = Items::default();
            edges.iter().try_for_each(|e| items.write(out, e))?;
            out.write_all(b"\n]\n}\n")?;
        }
        ExportFormat::Csv => {}
        ExportFormat::Dot => {
            edges.iter().try_for_each(|e| out.write_all(e))?;
            out.write_all(b"}\n")?;
        }
        ExportFormat::Mermaid => edges.iter().try_for_each(|e| out.write_all(e))?,
    }
    // The process ends soon: freeing the workspaces and every node id one
    // by one is wasted time.
    std::mem::forget((loaded, graph, edges));
    Ok(())
}

/// The graph's nodes, and for JSON what comes between the claims and them.
fn write_nodes(format: ExportFormat, graph: &GraphOut, out: &mut impl Write) -> std::io::Result<()> {
    match format {
        ExportFormat::Json => {
            out.write_all(b"\n],\n\"nodes\": [")?;
            let mut items = Items::default();
            graph.nodes.iter().try_for_each(|(n, _)| items.write(out, graph.bytes(n)))
        }
        ExportFormat::Csv => Ok(()),
        ExportFormat::Dot => graph.nodes.iter().try_for_each(|(n, _)| out.write_all(graph.bytes(n))),
        ExportFormat::Mermaid => graph.nodes.iter().enumerate().try_for_each(|(i, (n, _))| {
            write!(out, "  n{i}")?;
            out.write_all(graph.bytes(n))
        }),
    }
}

/// The items of a JSON array, written as they come, each rendered after
/// `,\n  `: the first starts its line with no comma.
#[derive(Default)]
struct Items {
    written: bool,
}

impl Items {
    fn write(&mut self, out: &mut impl Write, rendered: &[u8]) -> std::io::Result<()> {
        if rendered.is_empty() {
            return Ok(());
        }
        let first = !std::mem::replace(&mut self.written, true);
        out.write_all(if first { &rendered[1..] } else { rendered })
    }
}

/// Writing into memory does not fail: a `Vec<u8>` takes every byte.
fn in_memory<T, E: std::fmt::Debug>(result: Result<T, E>) -> T {
    result.expect("writing into memory cannot fail")
}

/// One note's claims as `format` writes them, after what `out` holds
/// already: JSON objects or CSV rows, and, for the graph formats, nodes.
fn render_note(out: &mut NotesOut, format: ExportFormat, note: &str, claims: &[ClaimRecord]) {
    // Room for a typical claim's share, so that the buffers seldom grow.
    let room = |buffer: &mut Vec<u8>, bytes: usize| buffer.reserve(claims.len() * bytes);
    if format == ExportFormat::Csv {
        room(&mut out.rows, 256);
        let mut writer = csv::Writer::from_writer(std::mem::take(&mut out.rows));
        let mut cell = String::new();
        claims.iter().for_each(|c| in_memory(csv_row(&mut writer, &mut cell, note, c)));
        out.rows = in_memory(writer.into_inner());
        return;
    }
    if format == ExportFormat::Json {
        room(&mut out.rows, 768);
    }
    room(&mut out.nodes, if format == ExportFormat::Json { 256 } else { 160 });
    out.ids.reserve(claims.len() * 64);
    out.claims.reserve(claims.len());
    out.edges.reserve(claims.len() * 4);
    // The note's path, escaped once for all its claims.
    let note_json = if format == ExportFormat::Json { in_memory(serde_json::to_vec(note)) } else { Vec::new() };
    for c in claims {
        let start = out.ids.len();
        if c.has_id {
            out.ids.push('#');
        }
        out.ids.push_str(&c.id);
        let id = span(start, out.ids.len());
        let id_text = &out.ids[start..];
        let (rendered, quoted) = if format == ExportFormat::Json {
            json_claim(&mut out.rows, &mut out.nodes, id_text, &note_json, c)
        } else {
            let start = out.nodes.len();
            render_node(format, &mut out.nodes, id_text, NodeKind::Claim, &c.text, true);
            let rendered = span(start, out.nodes.len());
            let start = out.nodes.len();
            quote_id(format, &mut out.nodes, id_text);
            (rendered, span(start, out.nodes.len()))
        };
        let first_edge = out.edges.len();
        let hash = export::id_hash(id_text);
        export::claim_edges(c, |kind, node, name| {
            let start = out.ids.len();
            out.ids.push(node.sigil());
            out.ids.push_str(name);
            let to = &out.ids[start..];
            out.edges.push((kind, node, span(start, out.ids.len()), export::id_hash(to)));
        });
        let edges = span(first_edge, out.edges.len());
        out.claims.push(ClaimNode { from: 0, id, hash, rendered, quoted, edges });
    }
}

/// A claim as a JSON object (after `,\n  `) in `rows`, and as a node in
/// `nodes`: its id and text are escaped once, in the claim, and their bytes
/// copied into the node. The spans of `nodes` are the node's rendering
/// (as [`render_node`] writes it) and its quoted id (as [`quote_id`] does).
fn json_claim(rows: &mut Vec<u8>, nodes: &mut Vec<u8>, id: &str, note_json: &[u8], c: &ClaimRecord) -> (Span, Span) {
    rows.extend_from_slice(b",\n  {\"id\":");
    let id_start = rows.len();
    in_memory(serde_json::to_writer(&mut *rows, id));
    let id_end = rows.len();
    rows.extend_from_slice(b",\"note\":");
    rows.extend_from_slice(note_json);
    in_memory(write!(rows, ",\"line\":{},\"text\":", c.line));
    let text_start = rows.len();
    in_memory(serde_json::to_writer(&mut *rows, &c.text));
    let text_end = rows.len();
    // The remaining fields as serde writes a struct of them, its `{`
    // turned into the comma that follows `text`.
    let rest = rows.len();
    in_memory(serde_json::to_writer(&mut *rows, &claim_rest(c)));
    rows[rest] = b',';

    let start = nodes.len();
    nodes.extend_from_slice(b",\n  {\"id\":");
    nodes.extend_from_slice(&rows[id_start..id_end]);
    nodes.extend_from_slice(b",\"kind\":\"claim\",\"label\":");
    nodes.extend_from_slice(&rows[text_start..text_end]);
    nodes.extend_from_slice(b",\"defined\":true}");
    let rendered = span(start, nodes.len());
    let start = nodes.len();
    nodes.extend_from_slice(&rows[id_start..id_end]);
    (rendered, span(start, nodes.len()))
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
            out.extend_from_slice(b"  ");
            dot_quoted(out, id, false);
            out.extend_from_slice(b" [label=");
            let (shown, cut) = label(text);
            dot_quoted(out, shown, cut);
            in_memory(writeln!(out, ", shape={shape}{style}];"));
        }
        ExportFormat::Mermaid => {
            let (open, close) = match kind {
                NodeKind::Claim => ("[", "]\n"),
                NodeKind::Source => ("([", "])\n"),
                NodeKind::Actor => ("((", "))\n"),
            };
            out.extend_from_slice(open.as_bytes());
            mermaid_quoted(out, text);
            out.extend_from_slice(close.as_bytes());
        }
        ExportFormat::Csv => {}
    }
}

/// A node id as an edge of `format` gives it (Mermaid uses the number).
fn quote_id(format: ExportFormat, out: &mut Vec<u8>, id: &str) {
    match format {
        ExportFormat::Json => in_memory(serde_json::to_writer(out, id)),
        ExportFormat::Dot => dot_quoted(out, id, false),
        ExportFormat::Mermaid | ExportFormat::Csv => {}
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
                        out.extend_from_slice(graph.bytes(&graph.nodes[from].1));
                        out.extend_from_slice(b",\"to\":");
                        out.extend_from_slice(graph.bytes(&graph.nodes[to].1));
                        out.extend_from_slice(b",\"kind\":\"");
                        out.extend_from_slice(kind.as_bytes());
                        out.extend_from_slice(b"\"}");
                    }
                    ExportFormat::Dot => {
                        out.extend_from_slice(b"  ");
                        out.extend_from_slice(graph.bytes(&graph.nodes[from].1));
                        out.extend_from_slice(b" -> ");
                        out.extend_from_slice(graph.bytes(&graph.nodes[to].1));
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

/// A claim's JSON fields after `id`, `note`, `line` and `text` (which
/// [`json_claim`] writes itself).
#[derive(Serialize)]
struct ClaimRest<'a> {
    kind: &'a str,
    conf: Option<&'a str>,
    est: Option<&'a str>,
    by: Option<&'a str>,
    due: Option<String>,
    outcome: Option<bool>,
    sources: &'a [Citation<'a>],
    actors: &'a [&'a str],
    supports: &'a [&'a str],
    contradicts: &'a [&'a str],
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    kind: &'a str,
    label: &'a str,
    defined: bool,
}

/// The rest of a claim as JSON shows it.
fn claim_rest<'a>(c: &'a ClaimRecord<'a>) -> ClaimRest<'a> {
    ClaimRest {
        kind: c.kind.as_str(),
        conf: c.conf.map(|v| v.as_str()),
        est: c.est.map(|v| v.as_str()),
        by: c.by,
        due: c.due.map(|d| d.to_string()),
        outcome: c.outcome.map(|o| o == Outcome::True),
        sources: &c.sources,
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
fn csv_row(writer: &mut csv::Writer<Vec<u8>>, cell: &mut String, note: &str, c: &ClaimRecord) -> csv::Result<()> {
    // A list cell: its items joined by `; `, made in one reused string.
    fn list<'a>(cell: &mut String, items: impl Iterator<Item = &'a str>) -> &str {
        cell.clear();
        for (i, item) in items.enumerate() {
            if i > 0 {
                cell.push_str("; ");
            }
            cell.push_str(item);
        }
        cell
    }
    writer.write_field(claim_node(c))?;
    writer.write_field(note)?;
    writer.write_field(c.line.to_string())?;
    writer.write_field(c.kind.as_str())?;
    writer.write_field(c.conf.map(|v| v.as_str()).unwrap_or_default())?;
    writer.write_field(c.est.map(|v| v.as_str()).unwrap_or_default())?;
    writer.write_field(c.by.unwrap_or_default())?;
    writer.write_field(c.due.map(|d| d.to_string()).unwrap_or_default())?;
    writer.write_field(c.outcome.map(|o| o.as_str()).unwrap_or_default())?;
    writer.write_field(c.text.as_bytes())?;
    cell.clear();
    for (i, s) in c.sources.iter().enumerate() {
        if i > 0 {
            cell.push_str("; ");
        }
        cell.push_str(s.key);
        if let Some(locator) = s.locator {
            cell.push('(');
            cell.push_str(locator);
            cell.push(')');
        }
        if let Some(grade) = s.grade {
            cell.push(' ');
            cell.push_str(grade.as_str());
        }
    }
    writer.write_field(&*cell)?;
    writer.write_field(list(cell, c.actors.iter().copied()))?;
    writer.write_field(list(cell, c.supports.iter().copied()))?;
    writer.write_field(list(cell, c.contradicts.iter().copied()))?;
    writer.write_record(None::<&[u8]>)
}

/// A graph label: the part of `text` shown, and whether it was cut. At
/// most [`LABEL_CHARS`] characters: a longer text keeps one fewer and ends
/// with a `…`, which the caller writes.
fn label(text: &str) -> (&str, bool) {
    // Never more characters than bytes: most labels are decided here.
    if text.len() <= LABEL_CHARS || text.char_indices().nth(LABEL_CHARS).is_none() {
        return (text, false);
    }
    let end = text.char_indices().nth(LABEL_CHARS - 1).map_or(text.len(), |(at, _)| at);
    (&text[..end], true)
}

/// `text` on one line, control characters made spaces, each character
/// whose (ASCII) byte `special` picks written by `escape`. The runs of
/// bytes between are copied whole.
fn push_escaped(out: &mut Vec<u8>, text: &str, special: fn(u8) -> bool, escape: fn(&mut Vec<u8>, u8)) {
    let bytes = text.as_bytes();
    let (mut copied, mut at) = (0, 0);
    while at < bytes.len() {
        let b = bytes[at];
        // A C1 control character (U+0080 to U+009F) is 0xC2 then 0x80 to 0x9F.
        let c1 = b == 0xC2 && matches!(bytes.get(at + 1), Some(0x80..=0x9F));
        let control = b < 0x20 || b == 0x7F || c1;
        if !control && !special(b) {
            at += 1;
            continue;
        }
        out.extend_from_slice(&bytes[copied..at]);
        if control {
            out.push(b' ');
        } else {
            escape(out, b);
        }
        at += if c1 { 2 } else { 1 };
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// A DOT double-quoted string: `\` and `"` escaped (so no label escape
/// such as `\n` or `\l` is formed), control characters made spaces, and a
/// `…` after it when `cut`.
fn dot_quoted(out: &mut Vec<u8>, text: &str, cut: bool) {
    out.push(b'"');
    push_escaped(out, text, |b| b == b'"' || b == b'\\', |out, b| out.extend_from_slice(&[b'\\', b]));
    if cut {
        out.extend_from_slice("…".as_bytes());
    }
    out.push(b'"');
}

/// A Mermaid label: quoted, with `"`, `#`, `<`, `>`, `&` and backticks
/// written as entity codes, so that no text ends the string, forms an
/// entity, HTML or a Markdown string.
fn mermaid_quoted(out: &mut Vec<u8>, text: &str) {
    let (shown, cut) = label(text);
    out.push(b'"');
    push_escaped(
        out,
        shown,
        |b| matches!(b, b'"' | b'#' | b'<' | b'>' | b'&' | b'`'),
        |out, b| in_memory(write!(out, "#{b};")),
    );
    if cut {
        out.extend_from_slice("…".as_bytes());
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dot(text: &str) -> String {
        let mut out = Vec::new();
        let (shown, cut) = label(text);
        dot_quoted(&mut out, shown, cut);
        String::from_utf8(out).unwrap()
    }

    fn mermaid(text: &str) -> String {
        let mut out = Vec::new();
        mermaid_quoted(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn labels_escape_their_specials_and_make_every_control_character_a_space() {
        // C0 (tab, U+0001), DEL and C1 (U+0085, U+009F) controls; U+00A0
        // and U+2028 are not controls and stay.
        let text = "a\t\u{1}\u{7f}\u{85}\u{9f}\u{a0}\u{2028}\"\\#<>&`’ — Кремль 中俄 😀";
        assert_eq!(dot(text), "\"a     \u{a0}\u{2028}\\\"\\\\#<>&`’ — Кремль 中俄 😀\"");
        assert_eq!(mermaid(text), "\"a     \u{a0}\u{2028}#34;\\#35;#60;#62;#38;#96;’ — Кремль 中俄 😀\"");
    }

    #[test]
    fn a_label_is_cut_after_one_character_fewer_than_the_limit_and_ends_with_an_ellipsis() {
        let exactly = "中".repeat(LABEL_CHARS);
        assert_eq!(label(&exactly), (exactly.as_str(), false), "at the limit: whole");
        let over = format!("{}😀", "中".repeat(LABEL_CHARS));
        let kept = "中".repeat(LABEL_CHARS - 1);
        assert_eq!(label(&over), (kept.as_str(), true));
        assert_eq!(dot(&over), format!("\"{kept}…\""));
        assert_eq!(mermaid(&over), format!("\"{kept}…\""));
        let ascii = "a".repeat(LABEL_CHARS + 1);
        assert_eq!(label(&ascii), (&ascii[..LABEL_CHARS - 1], true));
    }
}
