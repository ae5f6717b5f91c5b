//! `edits`: a random session of the engine's edit path.
//!
//! Two notes are opened (a third, `actors.md`, is on disk), then a random
//! sequence of edits (incremental, in UTF-16 positions, some of them past a
//! line's end, past the last line or reversed, and whole-text
//! replacements), closes and opens is driven through the core's engine
//! (`dossier::analysis::Host`), with each open note held as a rope and
//! edited by `dossier::text::apply_edit`, exactly as the language server
//! does. Afterwards the engine must agree with everything rebuilt from
//! scratch on the final texts:
//!
//! - each rope equals the text a plain `String` reaches under a simple,
//!   independent model of LSP positions (below), and the rejected edits agree;
//! - each document of the workspace equals `Document::new` on its final text;
//! - the index (definitions, references, counts) equals a fresh `Workspace`'s;
//! - the diagnostics last reported for each file equal those a fresh `Host`
//!   reports when opened on the final texts.

#![no_main]

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use dossier::analysis::{Changes, Host};
use dossier::diagnostic::{Rule, Severity};
use dossier::syntax::Namespace;
use dossier::text::{self, Encoding, LineCol, TextRange};
use dossier::workspace::{Document, Workspace};
use libfuzzer_sys::fuzz_target;
use ropey::Rope;

/// Pieces the texts are built from: the markup's own tokens, the places
/// where it is switched off, line ends of all three kinds and the non-ASCII
/// text that shifts UTF-16 columns away from byte and char counts.
const FRAGMENTS: &[&str] = &[
    "@putin",
    "@xi",
    "@gazprom",
    "@x",
    "^src",
    "^reuters-2014-05-21",
    "#deal",
    "#id",
    "{",
    "}",
    "|",
    " | ",
    "^src(p. 3)",
    "kind:quote",
    "kind:assessment",
    "kind:forecast",
    "conf:high",
    "est:likely",
    "due:2020",
    "outcome:true",
    "^bare: An ungraded source\n",
    "by:@putin",
    "supports:#deal",
    "contradicts:#id",
    "[Vladimir Putin](@putin)",
    "[Reuters](^src)",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "@x: Name\n  kind: person\n",
    "@putin: Vladimir Putin\n  kind: person\n  aliases: Putin, Vladimir Putin\n",
    "^src: A source\n  date: 2014-05-21\n  reliability: E5\n  url: https://example.org/\n",
    "  ",
    "\t",
    "```\n",
    "~~~\n",
    "`",
    "<!--",
    "-->",
    "---\n",
    "# Heading\n",
    "## Sub\n",
    "\\{",
    "\\@",
    "{{",
    "’",
    " — ",
    "Кремль",
    "中俄",
    "😀",
    "Putin",
    "Xi Jinping",
    " ",
    "a@b.com",
    "    indented\n",
    "- ",
    "> ",
    ":",
    ".",
];

/// `actors.md`, on disk for the whole run: the workspace's disk half, and
/// what returns when the fuzzer closes that note after editing it.
const ON_DISK: &str = "# Actors\n\n@putin: Vladimir Putin\n  kind: person\n  aliases: Putin\n\n\
                       @gazprom: Gazprom\n  kind: organization\n\n^src: A source\n  reliability: B2\n\n\
                       {@putin met ’ — 中俄 😀 @xi | ^src #deal}\n";

const NOTES: [&str; 3] = ["a.md", "b.md", "actors.md"];

#[derive(Arbitrary, Debug)]
enum Piece {
    Fragment(u8),
    Text(String),
}

#[derive(Arbitrary, Debug)]
struct Text(Vec<Piece>);

impl Text {
    fn build(&self) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Fragment(i) => out.push_str(FRAGMENTS[*i as usize % FRAGMENTS.len()]),
                Piece::Text(s) => out.push_str(s),
            }
        }
        out
    }
}

/// A position, mostly chosen relative to the current text so that it lands
/// near real lines and columns, sometimes one or two lines past the end or
/// a few units past a line's end; sometimes anything at all.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Pos {
    Near { line: u16, character: u16 },
    Raw { line: u32, character: u32 },
}

#[derive(Arbitrary, Debug)]
enum Change {
    Edit { start: Pos, end: Pos, text: Text },
    Replace(Text),
}

#[derive(Arbitrary, Debug)]
enum Action {
    Change { note: u8, changes: Vec<Change> },
    Close { note: u8 },
    Open { note: u8, text: Text },
}

#[derive(Arbitrary, Debug)]
struct Input {
    a: Text,
    b: Text,
    actions: Vec<Action>,
}

fuzz_target!(|input: Input| run(&input));

fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        // One folder per process: parallel fuzzing jobs do not share it.
        let root = std::env::temp_dir().join(format!("dossier-fuzz-edits-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("create the fuzz workspace");
        std::fs::write(root.join("actors.md"), ON_DISK).expect("write actors.md");
        root.canonicalize().expect("canonical root")
    })
}

/// A position as a client sends it.
#[derive(Clone, Copy, Debug)]
struct Position {
    line: u32,
    character: u32,
}

#[derive(Clone, Copy, Debug)]
struct Range {
    start: Position,
    end: Position,
}

/// A diagnostic as reported, with its related places by path (document ids
/// differ between two engines).
type Reported = (Rule, Severity, TextRange, String, Vec<(PathBuf, TextRange, String)>);

/// Diagnostics per file as last reported (none reported: still empty).
type Published = HashMap<PathBuf, Vec<Reported>>;

fn collect(published: &mut Published, host: &Host, changes: Changes) {
    let ws = host.workspace();
    if changes.reindexed {
        let live: BTreeSet<PathBuf> = changes.checked.iter().map(|(doc, _)| ws.document(*doc).path.clone()).collect();
        published.retain(|path, _| live.contains(path));
    }
    for (doc, found) in changes.checked {
        let reported = found
            .into_iter()
            .map(|d| {
                let related = d.related.into_iter().map(|r| (ws.document(r.doc).path.clone(), r.range, r.message)).collect();
                (d.rule, d.severity, d.range, d.message, related)
            })
            .collect();
        published.insert(ws.document(doc).path.clone(), reported);
    }
    for path in changes.removed {
        published.remove(&path);
    }
}

fn run(input: &Input) {
    let root = root();
    let paths: Vec<PathBuf> = NOTES.iter().map(|n| root.join(n)).collect();
    let mut host = Host::new(vec![root.to_path_buf()]);
    // What the client believes, and what the server holds: the open notes
    // as plain strings edited by the model below, and as ropes.
    let mut model: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut ropes: BTreeMap<PathBuf, Rope> = BTreeMap::new();
    let mut published = Published::new();
    let mut names: BTreeSet<(Namespace, String)> = BTreeSet::new();

    let changes = host.index();
    collect(&mut published, &host, changes);
    for (path, text) in [(&paths[0], &input.a), (&paths[1], &input.b)] {
        let text = text.build();
        model.insert(path.clone(), text.clone());
        ropes.insert(path.clone(), Rope::from_str(&text));
        let changes = host.open(path, text);
        collect(&mut published, &host, changes);
    }
    remember_names(host.workspace(), &mut names);

    for action in &input.actions {
        match action {
            Action::Change { note, changes } => {
                let path = &paths[*note as usize % paths.len()];
                // A change to a note that is not open: the server leaves it alone.
                let (Some(text), Some(rope)) = (model.get_mut(path), ropes.get_mut(path)) else { continue };
                for change in changes {
                    match change {
                        Change::Edit { start, end, text: new } => {
                            let range = Range { start: resolve_pos(text, *start), end: resolve_pos(text, *end) };
                            let new = new.build();
                            let expected = apply(text, range, &new);
                            let at = |p: Position| LineCol { line: p.line, col: p.character };
                            let applied = text::apply_edit(rope, at(range.start), at(range.end), &new, Encoding::Utf16);
                            assert_eq!(applied, expected, "edit {range:?} applied");
                        }
                        Change::Replace(new) => {
                            *text = new.build();
                            *rope = Rope::from_str(text);
                        }
                    }
                }
                let changes = host.edit(path, rope.to_string());
                collect(&mut published, &host, changes);
            }
            Action::Close { note } => {
                let path = &paths[*note as usize % paths.len()];
                model.remove(path);
                ropes.remove(path);
                let changes = host.close(path);
                collect(&mut published, &host, changes);
            }
            Action::Open { note, text } => {
                let path = &paths[*note as usize % paths.len()];
                let text = text.build();
                model.insert(path.clone(), text.clone());
                ropes.insert(path.clone(), Rope::from_str(&text));
                let changes = host.open(path, text);
                collect(&mut published, &host, changes);
            }
        }
        remember_names(host.workspace(), &mut names);
    }

    // The ropes hold exactly the client's texts.
    for (path, text) in &model {
        assert_eq!(ropes[path].to_string(), *text, "rope of {}", path.display());
        assert!(host.is_open(path), "{} is open", path.display());
    }

    // Each document equals one parsed afresh from its final text: the open
    // text, or for a closed note the disk's (absent when it has no file).
    let final_texts: Vec<(PathBuf, String)> = paths
        .iter()
        .filter_map(|path| match model.get(path) {
            Some(text) => Some((path.clone(), text.clone())),
            None => path.is_file().then(|| (path.clone(), ON_DISK.to_string())),
        })
        .collect();
    let workspace = host.workspace();
    assert_eq!(workspace.len(), final_texts.len(), "documents in the workspace");
    let mut fresh = Workspace::new(root.to_path_buf(), Default::default());
    fresh.insert_many(final_texts.iter().map(|(p, t)| std::sync::Arc::new(Document::new(p.clone(), t.clone()))).collect());
    for (path, text) in &final_texts {
        let id = workspace.doc_id(path).unwrap_or_else(|| panic!("{} is indexed", path.display()));
        let got = workspace.document(id);
        let want = Document::new(path.clone(), text.clone());
        assert_eq!(got.text, want.text, "text of {}", path.display());
        assert_eq!(got.parse, want.parse, "parse of {}", path.display());
        assert_eq!(got.line_index(), want.line_index(), "line index of {}", path.display());
        assert_eq!(got.problem, want.problem);
    }

    // The index: every id ever seen during the session, and every id now.
    remember_names(&fresh, &mut names);
    for (namespace, name) in &names {
        let (ns, name) = (*namespace, name.as_str());
        assert_eq!(definitions(workspace, ns, name), definitions(&fresh, ns, name), "definitions of {name}");
        assert_eq!(references(workspace, ns, name), references(&fresh, ns, name), "references to {name}");
        assert_eq!(workspace.is_defined(ns, name), fresh.is_defined(ns, name));
        assert_eq!(workspace.definition_count(ns, name), fresh.definition_count(ns, name));
        assert_eq!(workspace.is_referenced(ns, name), fresh.is_referenced(ns, name), "{name} referenced");
        assert_eq!(workspace.reference_count(ns, name), fresh.reference_count(ns, name), "count of {name}");
        if ns == Namespace::Claim {
            assert_eq!(workspace.relation_counts(name), fresh.relation_counts(name), "relations of {name}");
        } else {
            assert_eq!(workspace.claim_count(ns, name), fresh.claim_count(ns, name), "claims of {name}");
        }
    }
    for ns in Namespace::ALL {
        assert_eq!(workspace.defined_count(ns), fresh.defined_count(ns));
        let mut got: Vec<&str> = workspace.defined_names(ns).collect();
        let mut want: Vec<&str> = fresh.defined_names(ns).collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
    }

    // The diagnostics: what the session last reported for each file equals
    // what an engine started on the final texts reports.
    let mut new_host = Host::new(vec![root.to_path_buf()]);
    let mut expected = Published::new();
    let changes = new_host.index();
    collect(&mut expected, &new_host, changes);
    for (path, text) in &model {
        let changes = new_host.open(path, text.clone());
        collect(&mut expected, &new_host, changes);
    }
    let files: BTreeSet<&PathBuf> = published.keys().chain(expected.keys()).collect();
    for path in files {
        let got = published.get(path).map_or(&[][..], |d| d.as_slice());
        let want = expected.get(path).map_or(&[][..], |d| d.as_slice());
        assert_eq!(got, want, "diagnostics of {}", path.display());
    }
}

fn remember_names(workspace: &Workspace, names: &mut BTreeSet<(Namespace, String)>) {
    for (_, document) in workspace.documents() {
        let text = &document.text;
        let parse = &document.parse;
        names.extend(parse.references.iter().map(|r| (r.namespace(), r.name(text).to_string())));
        names.extend(parse.definitions.iter().map(|d| (d.namespace, d.name(text).to_string())));
        names.extend(parse.claims.iter().filter_map(|c| Some((Namespace::Claim, c.id_name(text)?.to_string()))));
    }
}

fn definitions(workspace: &Workspace, ns: Namespace, name: &str) -> Vec<(PathBuf, TextRange)> {
    let sites = workspace.definitions(ns, name);
    sites.iter().map(|s| (s.document.path.clone(), s.defined.id_range())).collect()
}

fn references(workspace: &Workspace, ns: Namespace, name: &str) -> Vec<(PathBuf, TextRange)> {
    let mut out: Vec<_> = workspace.references(ns, name).map(|(_, d, r)| (d.path.clone(), r.range)).collect();
    out.sort();
    out
}

// ------------------------------------------------ the reference edit model
//
// LSP positions as the server documents them, written out plainly on a
// `String`: lines end at LF, CR or CRLF; a column counts UTF-16 code units
// of the line's content (its terminator excluded); a column past the end of
// the content clamps to that end, and one inside a surrogate pair to the
// start of its character; the line just past the last one is valid at
// column 0 only (the very end of the text, where an append points); any
// other line past the end makes the whole change rejected. A reversed range
// is taken from its smaller end.

/// Each line's content as a byte range (terminator excluded).
fn lines(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                out.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                out.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, bytes.len()));
    out
}

fn offset_of(text: &str, pos: Position) -> Option<usize> {
    let lines = lines(text);
    let line = pos.line as usize;
    if line >= lines.len() {
        return (line == lines.len() && pos.character == 0).then_some(text.len());
    }
    let (start, end) = lines[line];
    let mut units = 0;
    for (i, c) in text[start..end].char_indices() {
        units += c.len_utf16() as u32;
        if units > pos.character {
            return Some(start + i);
        }
    }
    Some(end)
}

/// Applies one change; `false` (and the text untouched) when it is rejected.
fn apply(text: &mut String, range: Range, new: &str) -> bool {
    let (Some(a), Some(b)) = (offset_of(text, range.start), offset_of(text, range.end)) else { return false };
    let (a, b) = (a.min(b), a.max(b));
    text.replace_range(a..b, new);
    true
}

/// A fuzzed position against the current text.
fn resolve_pos(text: &str, pos: Pos) -> Position {
    match pos {
        Pos::Raw { line, character } => Position { line, character },
        Pos::Near { line, character } => {
            let lines = lines(text);
            // Up to two lines past the last one.
            let line = line as usize % (lines.len() + 2);
            let width = lines.get(line).map_or(0, |&(s, e)| text[s..e].encode_utf16().count());
            // Up to two units past the line's end.
            let character = character as usize % (width + 3);
            Position { line: line as u32, character: character as u32 }
        }
    }
}
