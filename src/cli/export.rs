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
use crate::analysis::export::{self, ClaimRecord, EdgeKind, NodeIndex, NodeKind, claim_node};
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

impl NotesOut {
    /// `spare`'s buffers (see [`Spare`]), emptied, for the notes `docs`:
    /// each sized once for all their claims (from their number and the
    /// length of their text), so that none is grown, and copied, note by
    /// note.
    fn for_notes(format: ExportFormat, workspace: &Workspace, docs: &[DocId], spare: NotesOut) -> NotesOut {
        let (mut claims, mut text) = (0, 0);
        for &doc in docs {
            let parse = &workspace.document(doc).parse;
            claims += parse.claims.len();
            text += parse.claims.iter().map(|c| c.range.len()).sum::<usize>();
        }
        let mut out = spare;
        out.rows.clear();
        out.nodes.clear();
        out.ids.clear();
        out.claims.clear();
        out.edges.clear();
        // What a claim costs beyond its text, in the corpus of bench/: a
        // little more than is usual, so that the buffers seldom grow.
        let rows = match format {
            ExportFormat::Json => text + claims * 384,
            ExportFormat::Csv => text + claims * 192,
            ExportFormat::Dot | ExportFormat::Mermaid => 0,
        };
        out.rows.reserve(rows);
        if format == ExportFormat::Csv {
            return out;
        }
        out.nodes.reserve(match format {
            ExportFormat::Json => text + claims * 96,
            _ => claims * 192,
        });
        out.ids.reserve(claims * 64);
        out.claims.reserve(claims);
        out.edges.reserve(claims * 5);
        out
    }
}

/// What the writer is done with (a few notes' buffers, a run of edges),
/// for the renderers to fill again: memory that is already the process's,
/// where new buffers would be paged in afresh by the kernel.
struct Spare<T>(std::sync::Mutex<Vec<T>>);

impl<T: Default> Spare<T> {
    fn new() -> Spare<T> {
        Spare(std::sync::Mutex::new(Vec::new()))
    }

    /// A spare one, as it was given (the taker empties it), or a new one.
    fn take(&self) -> T {
        self.0.lock().map(|mut spare| spare.pop().unwrap_or_default()).unwrap_or_default()
    }

    fn give(&self, spare: T) {
        if let Ok(mut kept) = self.0.lock() {
            kept.push(spare);
        }
    }
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
/// numbered in order of first use: a workspace's claims first, then the
/// other nodes its edges go to.
///
/// The edges are added as their notes come, not once the workspace's last
/// claim is known: an edge to an id that has no node yet goes to a
/// pending number, which becomes a node's when the workspace ends
/// ([`GraphOut::end_workspace`]): a claim's that came later, or a new
/// node's. The ids left without a node are pending in the order of their
/// first use, so the numbers are those that adding every edge at the end
/// would give.
#[derive(Default)]
struct GraphOut {
    index: NodeIndex,
    /// The notes' `nodes` buffers.
    buffers: Vec<Vec<u8>>,
    /// The renderings and quoted ids of the nodes that are not claims of the export.
    others: Vec<u8>,
    /// Each node as [`render_node`] writes it, and its id as an edge gives it.
    nodes: Vec<(Piece, Piece)>,
    /// (from, to, kind); `to` is a pending number (marked with
    /// [`GraphOut::PENDING`]) until its workspace ends.
    edges: Vec<(u32, u32, EdgeKind)>,
    /// The ids this workspace's edges go to that had no node when the edge
    /// came, numbered in order of first use.
    pending: NodeIndex,
    /// Each pending id's kind, hash and place in `pending_ids`.
    pending_nodes: Vec<(NodeKind, u64, Span)>,
    pending_ids: String,
    /// Where this workspace's edges start in `edges`.
    workspace_edges: usize,
}

impl GraphOut {
    /// [`GraphOut::others`] as a buffer number.
    const OTHERS: u32 = u32::MAX;

    /// The mark of a pending number in an edge.
    const PENDING: u32 = 1 << 31;

    fn bytes(&self, piece: &Piece) -> &[u8] {
        let buffer = if piece.buffer == Self::OTHERS { &self.others } else { &self.buffers[piece.buffer as usize] };
        &buffer[piece.span.start as usize..piece.span.end as usize]
    }

    /// Makes room for the nodes and edges of the notes of `loaded`: for a
    /// node per claim and an edge per reference in a claim, at most, so that
    /// the index is not built again, nor the lists copied, as they grow.
    fn reserve(&mut self, loaded: &[(Host, Vec<DocId>)]) {
        let (mut claims, mut references) = (0, 0);
        for (host, notes) in loaded {
            for &doc in notes {
                let parse = &host.workspace().document(doc).parse;
                claims += parse.claims.len();
                references += parse.claims.iter().map(|c| c.refs.len()).sum::<usize>();
            }
        }
        self.index.reserve(claims);
        self.nodes.reserve(claims);
        self.edges.reserve(references);
    }

    /// Adds the nodes of some notes' claims, numbering each claim's node,
    /// and then their edges.
    fn add_notes(&mut self, notes: &mut [NotesOut]) {
        for note in notes.iter_mut() {
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
        for (note, claim) in notes.iter().flat_map(|n| n.claims.iter().map(move |c| (n, c))) {
            for (kind, node, to_id, hash) in &note.edges[claim.edges.start as usize..claim.edges.end as usize] {
                let to_id = &note.ids[to_id.start as usize..to_id.end as usize];
                let to = self.index.get_hashed(*hash, to_id).unwrap_or_else(|| {
                    let pending = self.pending.get_or_add_hashed(*hash, to_id).unwrap_or_else(|at| {
                        let start = self.pending_ids.len();
                        self.pending_ids.push_str(to_id);
                        self.pending_nodes.push((*node, *hash, span(start, self.pending_ids.len())));
                        at
                    });
                    pending | Self::PENDING
                });
                self.edges.push((claim.from, to, *kind));
            }
        }
    }

    /// Gives each pending id its node (that of a claim which came after the
    /// edge, or a new one), and the edges their numbers.
    fn end_workspace(&mut self, format: ExportFormat, workspace: &Workspace) {
        let pending = std::mem::take(&mut self.pending_nodes);
        let numbers: Vec<u32> = pending
            .iter()
            .map(|(kind, hash, id)| {
                let id = &self.pending_ids[id.start as usize..id.end as usize];
                self.index.get_or_add_hashed(*hash, id).unwrap_or_else(|at| {
                    let node = export::other_node(workspace, *kind, id.to_string());
                    let start = self.others.len();
                    render_node(format, &mut self.others, &node.id, node.kind, &node.label, node.defined);
                    let rendered = Piece { buffer: Self::OTHERS, span: span(start, self.others.len()) };
                    let start = self.others.len();
                    quote_id(format, &mut self.others, &node.id);
                    self.nodes.push((rendered, Piece { buffer: Self::OTHERS, span: span(start, self.others.len()) }));
                    at
                })
            })
            .collect();
        self.edges[self.workspace_edges..].par_iter_mut().for_each(|(_, to, _)| {
            if *to & Self::PENDING != 0 {
                *to = numbers[(*to & !Self::PENDING) as usize];
            }
        });
        self.workspace_edges = self.edges.len();
        self.pending = NodeIndex::default();
        self.pending_ids.clear();
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
    let mut graph = GraphOut::default();
    if format != ExportFormat::Csv {
        graph.reserve(&loaded);
    }
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
    // their own, while this one writes each batch before and adds its
    // nodes and edges to the graph: writing and numbering, one core's
    // work, leave the others waiting neither between batches nor at the end.
    let spare = Spare::<NotesOut>::new();
    std::thread::scope(|scope| {
        let (send, rendered) = std::sync::mpsc::sync_channel::<Vec<NotesOut>>(2);
        let (loaded, progress, cwd, spare) = (&loaded, &progress, &cwd, &spare);
        scope.spawn(move || {
            for (host, notes) in loaded {
                let workspace = host.workspace();
                let reader = export::Reader::new(workspace);
                for batch in notes.chunks(BATCH) {
                    let rendered: Vec<NotesOut> = batch
                        .par_chunks(NOTES_PER_TASK)
                        .map(|docs| {
                            let mut out = NotesOut::for_notes(format, workspace, docs, spare.take());
                            let mut found = Vec::new();
                            for &doc in docs {
                                let document = workspace.document(doc);
                                reader.claims_into(document, &mut found);
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
        loaded.iter().try_for_each(|(host, notes)| {
            for _ in notes.chunks(BATCH) {
                // The renderer sends a batch for every chunk, or panics, and
                // the scope passes the panic on.
                let Ok(mut batch) = rendered.recv() else { return Ok(()) };
                for note in &batch {
                    if format == ExportFormat::Json {
                        claims.write(out, &note.rows)?
                    } else {
                        out.write_all(&note.rows)?
                    }
                }
                if format != ExportFormat::Csv {
                    graph.add_notes(&mut batch);
                }
                batch.into_iter().for_each(|note| spare.give(note));
            }
            if format != ExportFormat::Csv {
                graph.end_workspace(format, host.workspace());
            }
            Ok::<(), std::io::Error>(())
        })
    })?;
    progress.finish();
    // The edges are rendered on the pool, a run at a time, while this
    // thread writes the nodes and then each run of edges: they are never
    // held all at once.
    let spare_edges = Spare::<Vec<u8>>::new();
    std::thread::scope(|scope| {
        let (send, rendered) = std::sync::mpsc::sync_channel::<Vec<Vec<u8>>>(1);
        let (graph, spare) = (&graph, &spare_edges);
        scope.spawn(move || {
            for run in graph.edges.chunks(EDGES_PER_TASK * EDGE_TASKS) {
                let parts =
                    run.par_chunks(EDGES_PER_TASK).map(|edges| render_edges(format, graph, edges, spare.take()));
                // The writer stopped (it could not write): so does this.
                if send.send(parts.collect()).is_err() {
                    return;
                }
            }
        });
        write_nodes(format, graph, out)?;
        let mut items = Items::default();
        if format == ExportFormat::Json {
            out.write_all(b"\n],\n\"edges\": [")?;
        }
        for part in rendered.into_iter().flatten() {
            if format == ExportFormat::Json {
                items.write(out, &part)?
            } else {
                out.write_all(&part)?
            }
            spare.give(part);
        }
        match format {
            ExportFormat::Json => out.write_all(b"\n]\n}\n"),
            ExportFormat::Dot => out.write_all(b"}\n"),
            ExportFormat::Csv | ExportFormat::Mermaid => Ok(()),
        }
    })?;
    // The process ends soon: freeing the workspaces and every node id one
    // by one is wasted time.
    std::mem::forget((loaded, graph));
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
    if format == ExportFormat::Csv {
        let mut writer = csv::Writer::from_writer(std::mem::take(&mut out.rows));
        let mut cell = String::new();
        claims.iter().for_each(|c| in_memory(csv_row(&mut writer, &mut cell, note, c)));
        out.rows = in_memory(writer.into_inner());
        return;
    }
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
    json_rest(rows, c);

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

/// How many edges one core renders into one buffer, and how many such
/// buffers are rendered at a time: runs the size of a few hundred
/// kilobytes, on every core, while the writer never waits long.
const EDGES_PER_TASK: usize = 2048;
const EDGE_TASKS: usize = 16;

/// `edges` as `format` writes them, after what `out` holds: JSON objects
/// (each after `,\n  `), DOT or Mermaid lines, each labelled with its kind.
fn render_edges(format: ExportFormat, graph: &GraphOut, edges: &[(u32, u32, EdgeKind)], mut out: Vec<u8>) -> Vec<u8> {
    out.clear();
    out.reserve(edges.len() * 64);
    // JSON and DOT give each end by its quoted id: what comes before the
    // first, between the two, before the kind and after it.
    let [start, between, before_kind, end] = match format {
        ExportFormat::Json => [",\n  {\"from\":", ",\"to\":", ",\"kind\":\"", "\"}"],
        _ => ["  ", " -> ", " [label=\"", "\"];\n"],
    };
    for &(from, to, kind) in edges {
        let (from, to, kind) = (from as usize, to as usize, kind.as_str());
        match format {
            ExportFormat::Json | ExportFormat::Dot => {
                for (piece, node) in [(start, from), (between, to)] {
                    out.extend_from_slice(piece.as_bytes());
                    out.extend_from_slice(graph.bytes(&graph.nodes[node].1));
                }
                out.extend_from_slice(before_kind.as_bytes());
                out.extend_from_slice(kind.as_bytes());
                out.extend_from_slice(end.as_bytes());
            }
            ExportFormat::Mermaid => {
                let arrow = if kind == EdgeKind::Contradicts.as_str() { "-.->" } else { "-->" };
                in_memory(writeln!(out, "  n{from} {arrow}|{kind}| n{to}"));
            }
            ExportFormat::Csv => {}
        }
    }
    out
}

/// A claim's JSON fields after `id`, `note`, `line` and `text` (which
/// [`json_claim`] writes itself), and its closing `}`: what serde writes
/// for them (the tests compare), with the keys and the vocabulary written
/// as they are, since they never need escaping, and every text of the note
/// escaped by serde_json.
fn json_rest(out: &mut Vec<u8>, c: &ClaimRecord) {
    fn text(out: &mut Vec<u8>, text: &str) {
        in_memory(serde_json::to_writer(&mut *out, text));
    }
    fn word(out: &mut Vec<u8>, word: Option<&str>) {
        match word {
            Some(word) => {
                out.push(b'"');
                out.extend_from_slice(word.as_bytes());
                out.push(b'"');
            }
            None => out.extend_from_slice(b"null"),
        }
    }
    fn texts(out: &mut Vec<u8>, items: &[&str]) {
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            text(out, item);
        }
        out.push(b']');
    }
    out.extend_from_slice(b",\"kind\":");
    word(out, Some(c.kind.as_str()));
    out.extend_from_slice(b",\"conf\":");
    word(out, c.conf.map(|v| v.as_str()));
    out.extend_from_slice(b",\"est\":");
    word(out, c.est.map(|v| v.as_str()));
    out.extend_from_slice(b",\"by\":");
    match c.by {
        Some(by) => text(out, by),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"due\":");
    match c.due {
        // A date is digits and hyphens.
        Some(due) => in_memory(write!(out, "\"{due}\"")),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"outcome\":");
    out.extend_from_slice(match c.outcome {
        Some(Outcome::True) => b"true",
        Some(_) => b"false",
        None => b"null",
    });
    out.extend_from_slice(b",\"sources\":[");
    for (i, source) in c.sources.iter().enumerate() {
        out.extend_from_slice(if i > 0 { b",{\"key\":" } else { b"{\"key\":" });
        text(out, source.key);
        out.extend_from_slice(b",\"locator\":");
        match source.locator {
            Some(locator) => text(out, locator),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"grade\":");
        word(out, source.grade.as_ref().map(|g| g.as_str()));
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"actors\":");
    texts(out, &c.actors);
    out.extend_from_slice(b",\"supports\":");
    texts(out, &c.supports);
    out.extend_from_slice(b",\"contradicts\":");
    texts(out, &c.contradicts);
    out.push(b'}');
}

/// A node that is not a claim of the export, as JSON shows it.
#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    kind: &'a str,
    label: &'a str,
    defined: bool,
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
    use crate::analysis::export::{Citation, Grade};
    use crate::syntax::vocab::Admiralty;
    use crate::syntax::{ClaimKind, Confidence, Date, Estimate};

    /// The fields [`json_rest`] writes, as serde writes them.
    #[derive(serde::Serialize)]
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

    #[test]
    fn a_claim_s_fields_are_written_as_serde_writes_them() {
        let hostile = "a\"b\\c\u{1}\u{7f}\u{85}\n’ — Кремль 中俄 😀";
        let grade = Grade::new(Admiralty::parse("B2").unwrap());
        let mut claims = vec![ClaimRecord {
            note: 0,
            line: 1,
            id: "x".into(),
            has_id: true,
            text: "t".into(),
            kind: ClaimKind::Fact,
            conf: None,
            est: None,
            by: None,
            due: None,
            outcome: None,
            sources: Vec::new(),
            actors: Vec::new(),
            supports: Vec::new(),
            contradicts: Vec::new(),
        }];
        for (i, kind) in ClaimKind::ALL.iter().enumerate() {
            let mut c = claims[0].clone();
            c.kind = *kind;
            c.conf = Confidence::ALL.get(i).copied();
            c.est = Estimate::ALL.get(i).copied();
            c.by = Some(hostile);
            c.due = Some(if i % 2 == 0 {
                Date { year: 2026, month: 3, day: 9 }
            } else {
                Date { year: 2031, month: 0, day: 0 }
            });
            c.outcome = [Outcome::True, Outcome::False].get(i).copied();
            c.sources = vec![
                Citation { key: "s1", locator: Some(hostile), grade: Some(grade) },
                Citation { key: hostile, locator: None, grade: None },
            ];
            c.actors = vec!["putin", hostile];
            c.supports = vec![hostile];
            c.contradicts = vec!["a", "b"];
            claims.push(c);
        }
        for c in &claims {
            let mut ours = Vec::new();
            json_rest(&mut ours, c);
            let mut serde = serde_json::to_vec(&claim_rest(c)).unwrap();
            serde[0] = b',';
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(serde).unwrap());
        }
    }

    #[test]
    fn the_vocabulary_needs_no_escaping_in_json() {
        let words = ClaimKind::ALL.iter().map(|v| v.as_str());
        let words = words.chain(Confidence::ALL.iter().map(|v| v.as_str()));
        for word in words.chain(Estimate::ALL.iter().map(|v| v.as_str())) {
            assert_eq!(serde_json::to_string(word).unwrap(), format!("\"{word}\""));
        }
    }

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
