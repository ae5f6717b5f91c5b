//! Property tests of the core (issue #5, item 2), on documents generated
//! from the markup's own fragments mixed with arbitrary characters:
//!
//! - every range the parser or the rules produce lies inside its document,
//!   on character boundaries, never inside a CRLF, and survives the trip
//!   offset → (line, column) → offset in UTF-8, UTF-16 and UTF-32, whatever
//!   the line endings (LF, CR, CRLF or a mix);
//! - editing a document of a workspace and undoing the edit through
//!   `Workspace::insert` (the incremental index the language server uses)
//!   leaves the parses, the index and every diagnostic exactly as they were,
//!   and at every step equal to a workspace loaded from scratch.
//!
//! Failing cases are shrunk by proptest and saved next to this file
//! (`properties.proptest-regressions`) so they are replayed first next time.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::Index;

use dossier::analysis::check_workspace;
use dossier::config::Config;
use dossier::diagnostic::{Rule, Severity};
use dossier::syntax::{self, Keep, Namespace, Parse, Role};
use dossier::text::{Encoding, LineCol, LineIndex, TextRange};
use dossier::workspace::{Defined, Document, Usage, Workspace};

/// Cases per property: enough to run in seconds in a debug build; set
/// `PROPTEST_CASES` for a longer hunt (`PROPTEST_CASES=20000 cargo test
/// --release --test core_api properties::`).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

// ------------------------------------------------------------- generators

/// Pieces of the markup and of what surrounds it: sigils and whole tokens,
/// claim braces and pipes (escaped too), metadata, definition blocks and
/// fields (good and bad values), the places where markup is not read (code,
/// comments, front matter), templating braces, every line ending, and text
/// whose width differs in UTF-8, UTF-16 and UTF-32.
const FRAGMENTS: &[&str] = &[
    "@putin",
    "@x",
    "@nobody",
    "[Putin](@putin)",
    "[Reuters](^src)",
    "](@",
    "{",
    "}",
    "|",
    "\\{",
    "\\}",
    "\\|",
    "\\@putin",
    "\\",
    "^src",
    "^src(p. 3)",
    "^src(",
    "^gone",
    "#id",
    "#x",
    "kind:quote",
    "kind:assessment",
    "kind:forecast",
    "kind:bogus",
    "conf:high",
    "est:likely",
    "by:@putin",
    "supports:#x",
    "contradicts:#id",
    "supports:#nowhere",
    "@x: Name\n  kind: person\n",
    "@putin: Vladimir Putin\n  aliases: Putin, Кремль\n",
    "^src: Reuters\n  reliability: E5\n",
    "  date: 2014-02-30\n",
    "  url: ftp://x\n",
    "  role: head of @x\n",
    "```\n",
    "~~~\n",
    "`",
    "``",
    "    code\n",
    "<!--",
    "-->",
    "---\n",
    "...\n",
    "# Heading\n",
    "## ",
    "{{",
    "}}",
    "{%",
    "{#",
    "{.",
    "{:",
    "[",
    "]",
    "(",
    ")",
    ":",
    "Putin",
    "Vladimir Putin",
    "a@b.com",
    "x-1",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "  ",
    "\t",
    " ",
    "’",
    "—",
    "Кремль",
    "中俄",
    "😀",
    "\u{FEFF}",
    "\0",
];

/// A few arbitrary characters, any Unicode scalar value (proptest favours
/// the awkward ones: controls, surrogate neighbours, the last plane).
fn arbitrary_chars() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter)
}

/// Metadata tokens, valid and not, and a few characters that break them.
const METADATA: &[&str] = &[
    "^src",
    "^src(p. 3)",
    "^weak",
    "^gone(para 2",
    "#id",
    "#x",
    "#x",
    "kind:fact",
    "kind:quote",
    "kind:assessment",
    "kind:forecast",
    "kind:bogus",
    "conf:high",
    "conf:low",
    "conf:",
    "est:likely",
    "est:bogus",
    "due:2020",
    "due:9999-12",
    "due:2024-02-30",
    "outcome:true",
    "outcome:maybe",
    "by:@putin",
    "by:@nobody",
    "@putin",
    "@x",
    "supports:#x",
    "contradicts:#id",
    "supports:#",
    "|",
    "{",
    "\\}",
    "’",
    "😀",
];

/// Definition headers and the lines that may follow them.
const DEFINITION_HEADERS: &[&str] = &[
    "@putin: Vladimir Putin",
    "@x: Кремль 中俄",
    "@x:",
    "^src: Reuters",
    "^weak: Rumour mill",
    "^src:Title",
    " @y: Indented",
];
const DEFINITION_LINES: &[&str] = &[
    "  kind: person",
    "  kind: bogus",
    "  aliases: Putin, Vladimir Putin, Кремль",
    "  role: head of @x ’ — 😀",
    "  date: 2014-05-21",
    "  date: 2014-02-30",
    "  reliability: E5",
    "  reliability: B2",
    "  reliability: Z9",
    "  url: https://example.org/a",
    "  url: ftp://example.org",
    "\tdescription with {a claim} and [Putin](@putin)",
    "  ",
    "",
];

/// A whole claim: text (fragments and mentions), then maybe a `|` and tokens.
fn claim() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(
        prop_oneof![3 => prop::sample::select(FRAGMENTS).prop_map(String::from), 1 => arbitrary_chars()],
        0..5,
    );
    let metadata = prop::option::of(prop::collection::vec(prop::sample::select(METADATA), 0..5));
    (text, metadata).prop_map(|(text, metadata)| match metadata {
        Some(tokens) => format!("{{{} | {}}}", text.concat(), tokens.join(" ")),
        None => format!("{{{}}}", text.concat()),
    })
}

/// A definition block at the start of a line, with fields and description.
fn definition() -> impl Strategy<Value = String> {
    (prop::sample::select(DEFINITION_HEADERS), prop::collection::vec(prop::sample::select(DEFINITION_LINES), 0..5))
        .prop_map(|(header, lines)| {
            let mut block = format!("\n{header}\n");
            for line in lines {
                block.push_str(line);
                block.push('\n');
            }
            block
        })
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => prop::sample::select(FRAGMENTS).prop_map(String::from),
        3 => claim(),
        2 => definition(),
        2 => arbitrary_chars(),
    ]
}

/// How a generated text's line breaks end up.
#[derive(Clone, Copy, Debug)]
enum Endings {
    Lf,
    Cr,
    Crlf,
    /// As generated: LF, CR and CRLF side by side.
    Mixed,
}

fn with_endings(text: &str, endings: Endings) -> String {
    let eol = match endings {
        Endings::Lf => "\n",
        Endings::Cr => "\r",
        Endings::Crlf => "\r\n",
        Endings::Mixed => return text.to_string(),
    };
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\n', eol)
}

fn document_text(max_fragments: usize) -> impl Strategy<Value = String> {
    let endings = prop_oneof![Just(Endings::Lf), Just(Endings::Cr), Just(Endings::Crlf), Just(Endings::Mixed)];
    (prop::collection::vec(fragment(), 0..max_fragments), endings)
        .prop_map(|(pieces, endings)| with_endings(&pieces.concat(), endings))
}

/// A definitions note: a few valid definitions the notes can resolve, then
/// generated text (which may break them, duplicate them or add more).
fn definitions_text() -> impl Strategy<Value = String> {
    (any::<bool>(), document_text(20)).prop_map(|(base, rest)| {
        let base = if base {
            "@putin: Vladimir Putin\n  kind: person\n  aliases: Putin\n\n^src: Reuters\n  reliability: B2\n\n^weak: Rumour mill\n  reliability: E5\n\n{A claim | #x ^src}\n"
        } else {
            ""
        };
        format!("{base}{rest}")
    })
}

// ------------------------------------------------------ (a) valid ranges

/// Every range of a parse, named for the failure message.
fn parse_ranges(p: &Parse) -> Vec<(&'static str, TextRange)> {
    let mut out = Vec::new();
    for r in &p.references {
        out.push(("reference", r.range));
        match r.role() {
            Role::Link { text } => out.push(("link text", text)),
            Role::Citation { locator: Some(locator) } => out.push(("locator", locator)),
            _ => {}
        }
        if let Some(claim) = r.claim() {
            assert!((claim as usize) < p.claims.len(), "reference in claim {claim} of {}", p.claims.len());
            assert!(p.claims[claim as usize].range.contains_range(r.range), "reference outside its claim");
        }
    }
    for c in &p.claims {
        out.push(("claim", c.range));
        out.push(("claim text", c.text()));
        assert!(c.range.contains_range(c.text()), "claim text {:?} outside claim {:?}", c.text(), c.range);
        out.extend(c.metadata().map(|m| ("metadata", m)));
        out.extend(c.id().map(|r| ("claim id", r)));
        out.extend(c.kind_token().map(|k| ("kind", k.range)));
        out.extend(c.confidence().map(|k| ("conf", k.range)));
        out.extend(c.estimate().map(|k| ("est", k.range)));
        out.extend(c.speaker().map(|r| ("speaker", r)));
        for part in [c.metadata(), c.id(), c.kind_token().map(|k| k.range), c.speaker()].into_iter().flatten() {
            assert!(c.range.contains_range(part), "claim part {part:?} outside claim {:?}", c.range);
        }
        assert!(c.refs.start <= c.refs.end && c.refs.end as usize <= p.references.len(), "claim refs {:?}", c.refs);
    }
    for d in &p.definitions {
        out.push(("definition id", d.id));
        out.push(("definition title", d.title));
        out.push(("definition block", d.range));
        assert!(d.range.contains_range(d.id), "definition id outside its block");
        for f in &d.fields {
            out.push(("field key", f.key));
            out.push(("field value", f.value));
            assert!(d.range.contains_range(f.value), "field value outside its block");
        }
        out.extend(d.description.iter().map(|&r| ("description", r)));
    }
    out.extend(p.headings.iter().map(|h| ("heading", h.range)));
    out.extend(p.errors.iter().map(|e| ("syntax error", e.range)));
    out
}

/// A range lies inside `text`, starts and ends on character boundaries and
/// not between the CR and LF of a CRLF (no LSP position can name that spot),
/// and both ends survive offset → (line, column) → offset in every encoding.
fn assert_valid_range(text: &str, index: &LineIndex, what: &str, r: TextRange) {
    let (start, end) = (r.start as usize, r.end as usize);
    assert!(start <= end && end <= text.len(), "{what} {r:?} outside a text of {} bytes: {text:?}", text.len());
    for offset in [start, end] {
        assert!(text.is_char_boundary(offset), "{what} {r:?}: {offset} inside a character of {text:?}");
        assert!(!inside_crlf(text, offset), "{what} {r:?}: {offset} between CR and LF in {text:?}");
        assert_round_trip(text, index, offset);
    }
}

fn inside_crlf(text: &str, offset: usize) -> bool {
    let bytes = text.as_bytes();
    offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n')
}

fn assert_round_trip(text: &str, index: &LineIndex, offset: usize) {
    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        let pos = index.line_col(text, offset, encoding);
        assert_eq!(
            index.offset(text, pos, encoding),
            Some(offset),
            "offset {offset} → {pos:?} ({encoding:?}) does not come back, in {text:?}"
        );
    }
}

/// The column of a position, counted by hand, to check `LineIndex` itself
/// rather than only its consistency with itself.
fn expected_col(text: &str, offset: usize, encoding: Encoding) -> (u32, u32) {
    let before = &text[..offset];
    let mut line = 0;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n'));
        if ends_line {
            line += 1;
            line_start = i + 1;
        }
    }
    let col = before[line_start..]
        .chars()
        .map(|c| match encoding {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        })
        .sum();
    (line, col)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(512), ..ProptestConfig::default() })]

    /// Every character boundary that is a position (all but the middle of a
    /// CRLF) maps to the line and column counted by hand, and back.
    #[test]
    fn every_position_round_trips_in_every_encoding(text in document_text(40)) {
        let index = LineIndex::new(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o) && !inside_crlf(&text, o)) {
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let pos = index.line_col(&text, offset, encoding);
                prop_assert_eq!((pos.line, pos.col), expected_col(&text, offset, encoding), "offset {} in {:?}", offset, text);
            }
            assert_round_trip(&text, &index, offset);
        }
        // A column past a line's end clamps to the end of its text, before
        // the line break; a line past the last one has no offset.
        for line in 0..index.line_count() {
            let range = index.line_range(&text, line);
            prop_assert!(!range.of(&text).contains(['\r', '\n']), "line {} is {:?}", line, range.of(&text));
            let end = range.end as usize;
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let past = LineCol { line: line as u32, col: u32::MAX };
                prop_assert_eq!(index.offset(&text, past, encoding), Some(end), "line {} of {:?}", line, text);
            }
        }
        let after = LineCol { line: index.line_count() as u32, col: 0 };
        prop_assert_eq!(index.offset(&text, after, Encoding::Utf16), None);
    }

    /// Every range of every parse item and of every diagnostic (and its
    /// related places) is valid in its own document, in a workspace whose
    /// definitions stand in another note.
    #[test]
    fn every_range_is_valid_and_round_trips(defs in definitions_text(), note in document_text(40)) {
        let ws = workspace(&[("actors.md", &defs), ("note.md", &note)]);
        for (_, document) in ws.documents() {
            let text = &document.text;
            for (what, range) in parse_ranges(&document.parse) {
                assert_valid_range(text, document.line_index(), what, range);
            }
        }
        for (doc, diagnostics) in check_workspace(&ws, Severity::Hint) {
            let document = ws.document(doc);
            for d in &diagnostics {
                assert_valid_range(&document.text, document.line_index(), d.rule.id(), d.range);
                for related in &d.related {
                    let other = ws.document(related.doc);
                    assert_valid_range(&other.text, other.line_index(), "related", related.range);
                }
            }
        }
    }
}

// ------------------------------------------------- (b) edit, then undo

const PATHS: [&str; 3] = ["/ws/actors.md", "/ws/notes/a.md", "/ws/notes/b.md"];

fn workspace(files: &[(&str, &str)]) -> Workspace {
    let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
    for (path, text) in files {
        ws.insert(Document::new(Path::new("/ws").join(path), text.to_string()));
    }
    ws
}

/// A workspace as a bulk load builds it (`insert_many`, the loader's path).
fn loaded(texts: &[Option<String>; 3]) -> Workspace {
    loaded_with(texts, Usage::Full)
}

fn loaded_with(texts: &[Option<String>; 3], usage: Usage) -> Workspace {
    let mut ws = Workspace::with_usage(PathBuf::from("/ws"), Config::default(), usage);
    let documents = PATHS
        .iter()
        .zip(texts)
        .filter_map(|(path, text)| Some(std::sync::Arc::new(Document::new(PathBuf::from(path), text.clone()?))))
        .collect();
    ws.insert_many(documents);
    ws
}

/// One change to one of the three notes.
#[derive(Clone, Debug)]
enum Edit {
    /// Replace `delete` characters at a character position with `insert`.
    Splice { doc: usize, at: Index, delete: usize, insert: String },
    /// The note is deleted (`Workspace::remove`); the undo inserts it again.
    Remove { doc: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (0..3usize, any::<Index>(), 0..12usize, document_text(4))
            .prop_map(|(doc, at, delete, insert)| Edit::Splice { doc, at, delete, insert }),
        1 => (0..3usize).prop_map(|doc| Edit::Remove { doc }),
    ]
}

fn splice(text: &str, at: Index, delete: usize, insert: &str) -> String {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let start = boundaries[at.index(boundaries.len())];
    let end = text[start..].char_indices().nth(delete).map_or(text.len(), |(i, _)| start + i);
    format!("{}{insert}{}", &text[..start], &text[end..])
}

/// Everything a workspace answers, keyed by path rather than `DocId` (a
/// removed and re-inserted note may get another slot): each note's text and
/// parse, every diagnostic, and for every id the workspace may have heard of,
/// its definitions and references as the index gives them.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    parses: BTreeMap<PathBuf, (String, Parse)>,
    diagnostics: BTreeMap<PathBuf, Vec<Finding>>,
    index: BTreeMap<(Namespace, String), IdEntry>,
    defined: [BTreeSet<String>; 3],
}

/// A diagnostic with its related places named by path.
type Finding = (Rule, Severity, TextRange, String, Vec<(PathBuf, TextRange, String)>);

#[derive(Debug, PartialEq, Eq)]
struct IdEntry {
    is_defined: bool,
    definition_count: usize,
    /// In the order `definitions` gives them (earliest first, by path then position).
    definitions: Vec<(PathBuf, TextRange)>,
    is_referenced: bool,
    reference_count: usize,
    /// The code lens counts: claims involving an actor or citing a source;
    /// a claim id's supports and contradictions.
    claim_counts: (usize, usize),
    references: BTreeSet<(PathBuf, TextRange)>,
}

/// Every id written anywhere in `text` (used or defined), whatever the
/// namespace: the names whose index entries must match.
fn names_in(text: &str, into: &mut BTreeSet<(Namespace, String)>) {
    let p = syntax::parse(text);
    for r in &p.references {
        into.insert((r.namespace(), r.name(text).to_string()));
    }
    for d in &p.definitions {
        into.insert((d.namespace, d.name(text).to_string()));
    }
    for c in &p.claims {
        if let Some(name) = c.id_name(text) {
            into.insert((Namespace::Claim, name.to_string()));
        }
    }
}

fn snapshot(ws: &Workspace, names: &BTreeSet<(Namespace, String)>) -> Snapshot {
    let parses = ws.documents().map(|(_, d)| (d.path.clone(), (d.text.clone(), d.parse.clone()))).collect();
    let diagnostics = findings(ws);
    let index = names
        .iter()
        .map(|(namespace, name)| {
            let namespace = *namespace;
            let definitions = ws
                .definitions(namespace, name)
                .into_iter()
                .map(|site| {
                    // The site's document is the one the index says it is.
                    assert!(std::ptr::eq(site.document, ws.document(site.doc)));
                    let range = site.defined.id_range();
                    match site.defined {
                        Defined::Block(def) => assert_eq!(def.name(&site.document.text), name),
                        Defined::Claim(claim) => assert_eq!(claim.id_name(&site.document.text), Some(name.as_str())),
                    }
                    (site.document.path.clone(), range)
                })
                .collect();
            let references: Vec<_> =
                ws.references(namespace, name).map(|(_, document, r)| (document.path.clone(), r.range)).collect();
            let entry = IdEntry {
                is_defined: ws.is_defined(namespace, name),
                definition_count: ws.definition_count(namespace, name),
                definitions,
                is_referenced: ws.is_referenced(namespace, name),
                reference_count: ws.reference_count(namespace, name),
                claim_counts: match namespace {
                    Namespace::Claim => ws.relation_counts(name),
                    _ => (ws.claim_count(namespace, name), 0),
                },
                references: references.iter().cloned().collect(),
            };
            assert_eq!(references.len(), entry.references.len(), "a reference listed twice for {name}");
            ((namespace, name.clone()), entry)
        })
        .collect();
    let defined = Namespace::ALL.map(|ns| {
        let names: BTreeSet<String> = ws.defined_names(ns).map(String::from).collect();
        assert_eq!(names.len(), ws.defined_count(ns));
        names
    });
    Snapshot { parses, diagnostics, index, defined }
}

/// Every diagnostic of every note, by path.
fn findings(ws: &Workspace) -> BTreeMap<PathBuf, Vec<Finding>> {
    let path_of = |doc| ws.document(doc).path.clone();
    check_workspace(ws, Severity::Hint)
        .into_iter()
        .map(|(doc, diagnostics)| {
            let list = diagnostics
                .into_iter()
                .map(|d| {
                    let related = d.related.into_iter().map(|r| (path_of(r.doc), r.range, r.message)).collect();
                    (d.rule, d.severity, d.range, d.message, related)
                })
                .collect();
            (path_of(doc), list)
        })
        .collect()
}

/// What the rules read and answer: the findings and which actors and
/// sources are mentioned. A `Usage::Presence` workspace (`dossier check`'s)
/// must agree with a full one on all of it.
fn rules_view(ws: &Workspace, names: &BTreeSet<(Namespace, String)>) -> (BTreeMap<PathBuf, Vec<Finding>>, Vec<bool>) {
    let mentioned = names
        .iter()
        .filter(|(namespace, _)| *namespace != Namespace::Claim)
        .map(|(namespace, name)| ws.is_referenced(*namespace, name))
        .collect();
    (findings(ws), mentioned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    /// A series of edits, each compared with a workspace loaded from scratch
    /// with the same texts, then undone in reverse order: the workspace ends
    /// exactly as it began.
    #[test]
    fn edits_then_undo_leave_parses_index_and_diagnostics_unchanged(
        defs in definitions_text(),
        a in document_text(30),
        b in document_text(30),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let original: [Option<String>; 3] = [Some(defs), Some(a), Some(b)];
        let mut ws = loaded(&original);
        // `dossier check`'s workspace, which keeps only whether each id is
        // mentioned, goes through the same edits.
        let mut presence = loaded_with(&original, Usage::Presence);

        // Every id any version of any note writes, so that an entry an edit
        // added and its undo failed to drop shows up.
        let mut names = BTreeSet::new();
        let mut current = original.clone();
        let mut undo = Vec::new();
        let mut versions = vec![current.clone()];
        for edit in &edits {
            let (doc, next) = match edit {
                Edit::Splice { doc, at, delete, insert } => {
                    let old = current[*doc].clone().unwrap_or_default();
                    (*doc, Some(splice(&old, *at, *delete, insert)))
                }
                Edit::Remove { doc } => (*doc, None),
            };
            undo.push((doc, current[doc].clone()));
            current[doc] = next;
            versions.push(current.clone());
        }
        for text in versions.iter().flatten().flatten() {
            names_in(text, &mut names);
        }

        let before = snapshot(&ws, &names);
        prop_assert_eq!(&before, &snapshot(&workspace_of(&original), &names), "bulk load and inserts differ");

        // Apply the edits one by one, as the server does.
        let mut state = original.clone();
        for (step, edit) in edits.iter().enumerate() {
            let doc = match edit {
                Edit::Splice { doc, .. } | Edit::Remove { doc } => *doc,
            };
            state[doc] = versions[step + 1][doc].clone();
            apply(&mut ws, doc, &state[doc]);
            apply(&mut presence, doc, &state[doc]);
            prop_assert_eq!(&snapshot(&ws, &names), &snapshot(&loaded(&state), &names), "after edit {}", step);
            prop_assert_eq!(rules_view(&presence, &names), rules_view(&ws, &names), "presence, after edit {}", step);
        }
        // Undo them, last first.
        for (doc, text) in undo.into_iter().rev() {
            state[doc] = text;
            apply(&mut ws, doc, &state[doc]);
            apply(&mut presence, doc, &state[doc]);
            prop_assert_eq!(&snapshot(&ws, &names), &snapshot(&loaded(&state), &names), "during the undo");
            prop_assert_eq!(rules_view(&presence, &names), rules_view(&ws, &names), "presence, during the undo");
        }
        prop_assert_eq!(&state, &original);
        prop_assert_eq!(snapshot(&ws, &names), before, "the undo does not restore the workspace");
    }
}

/// A workspace built note by note with `insert`, the server's path.
fn workspace_of(texts: &[Option<String>; 3]) -> Workspace {
    let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
    for (path, text) in PATHS.iter().zip(texts) {
        if let Some(text) = text {
            ws.insert(Document::new(PathBuf::from(path), text.clone()));
        }
    }
    ws
}

/// Puts the note's new version into the workspace: an insert (replacing the
/// old one), or a removal when the note is gone.
fn apply(ws: &mut Workspace, doc: usize, text: &Option<String>) {
    let path = PathBuf::from(PATHS[doc]);
    match text {
        Some(text) => {
            ws.insert(Document::new(path, text.clone()));
        }
        None => {
            ws.remove(&path);
        }
    }
}

// ------------------------------------------- what the properties found

/// Found by the edit/undo property (the index listed one reference twice):
/// a link opened in a definition's description line and closed on the next
/// line was recorded by the description's scan and again where the scan
/// resumed inside it, after the line or after the block.
#[test]
fn a_link_running_past_a_description_line_is_one_reference() {
    for text in
        ["@x: X\n  and [a\nb](@putin)\n", "@x: X\n  and [a\n  b](@putin)\n", "@x: X\n\tand [{@y: Y\n}P](@putin)\n"]
    {
        let p = syntax::parse(text);
        let links: Vec<&str> = p.references.iter().map(|r| r.range.of(text)).collect();
        assert_eq!(links, ["@putin"], "in {text:?}");
    }
    let ws = workspace(&[("actors.md", "@putin: Vladimir Putin\n"), ("note.md", "@x: X\n  and [a\nb](@putin)\n")]);
    assert_eq!(ws.reference_count(Namespace::Actor, "putin"), 1);
}

/// Paragraph lines an analyst types, each starting as a plain paragraph
/// does, so that edits among them take the short way of `syntax::reparse`.
const PARAGRAPH_LINES: &[&str] = &[
    "Putin met @putin in Кремль 中俄 ’ — 😀.",
    "{Gazprom signed | ^src #x kind:fact}",
    "{A claim that runs",
    "over two lines | ^src(p. 3) by:@putin}",
    "[Vladimir Putin](@putin) said, per [Reuters](^src), `code @x` here",
    "@putin: Vladimir Putin",
    "^src: Reuters",
    "Unclosed {claim here",
    "a <!-- comment @x --> b <http://x.org/@putin>",
    "text with \\@escaped and \\{ braces \\}",
    "a code span ``` that runs on @x",
    "to the next line ``` @putin",
];

/// What an edit inserts: characters that matter to the markup, to Markdown
/// blocks, or to nothing.
const INSERTS: &[&str] = &[
    "a",
    " ",
    "@",
    "@putin ",
    "{",
    "}",
    "|",
    "^src",
    "`",
    "``",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "# ",
    "- ",
    "1. ",
    "```\n",
    "    ",
    "> ",
    "[x]: /url\n",
    "]:",
    "---\n",
    "😀",
    "’",
    "Кремль",
    "[P](@putin)",
    "\\",
];

fn paragraph_document() -> impl Strategy<Value = String> {
    let paragraph = prop::collection::vec(prop::sample::select(PARAGRAPH_LINES), 1..4).prop_map(|l| l.join("\n"));
    let block = prop_oneof![
        8 => paragraph,
        1 => Just("```\ncode {x} @putin\n\nmore code\n```".to_string()),
        1 => Just("<pre>\n@putin\n\n{x}\n</pre>".to_string()),
        1 => Just("- a list @putin\n\n  continued {x}".to_string()),
        1 => Just("- item @x\n\n    indented @putin {c}".to_string()),
        1 => prop::sample::select(DEFINITION_LINES).prop_map(|l| format!("@putin: Vladimir Putin\n{l}")),
    ];
    let endings = prop_oneof![Just(Endings::Lf), Just(Endings::Crlf), Just(Endings::Mixed)];
    (prop::collection::vec(block, 1..8), endings)
        .prop_map(|(blocks, endings)| with_endings(&blocks.join("\n\n"), endings))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1024), ..ProptestConfig::default() })]

    /// Reparsing only the edited paragraph, when `syntax::reparse` takes
    /// that way, gives exactly the parse and prose ranges of the whole text.
    #[test]
    fn reparsing_the_edited_paragraph_equals_parsing_the_whole_text(
        text in paragraph_document(),
        at in any::<Index>(),
        delete in 0..4usize,
        insert in prop::sample::select(INSERTS),
    ) {
        let (old_parse, old_prose) = syntax::parse_with_prose(&text);
        let edited = splice(&text, at, delete, insert);
        if let Some((parse, prose)) = syntax::reparse(&text, &old_parse, Some(&old_prose), &edited) {
            let (whole, whole_prose) = syntax::parse_with_prose(&edited);
            prop_assert_eq!(&parse, &whole, "{:?} -> {:?}", text, edited);
            prop_assert_eq!(prose, Some(whole_prose), "{:?} -> {:?}", text, edited);
        }
        // Without prose ranges or headings, as `dossier check --fix` parses.
        let keep = Keep { prose: false, outline: false };
        let (old_parse, _) = syntax::parse_keeping(&text, keep);
        if let Some((parse, prose)) = syntax::reparse(&text, &old_parse, None, &edited) {
            prop_assert_eq!(parse, syntax::parse_keeping(&edited, keep).0, "{:?} -> {:?}", text, edited);
            prop_assert_eq!(prose, None);
        }
    }
}

/// The short way is taken for typing in a paragraph (so the property above
/// tests something), and not where a Markdown block is involved.
#[test]
fn reparse_takes_the_short_way_only_inside_a_plain_paragraph() {
    let text = "# Notes\n\nPutin met {@xi | ^src}.\nMore text.\n\n```\ncode\n\nstill code\n```\n\nLast @putin.\n";
    let (parse, prose) = syntax::parse_with_prose(text);
    let edit = |from: &str, to: &str| {
        let edited = text.replacen(from, to, 1);
        let reparsed = syntax::reparse(text, &parse, Some(&prose), &edited);
        if let Some((parse, prose)) = &reparsed {
            assert_eq!(
                (parse, prose.as_ref()),
                (&syntax::parse_with_prose(&edited).0, Some(&syntax::parse_with_prose(&edited).1)),
                "{edited:?}"
            );
        }
        reparsed.is_some()
    };
    assert!(edit("More text.", "More text, @putin said."), "typing in a paragraph");
    assert!(edit("Last @putin.", "Last @putin and {a claim | ^src}."), "the last paragraph");
    assert!(!edit("still code", "still @code"), "inside a fenced code block");
    assert!(!edit("More text.", "- More text."), "a line that starts a list");
    assert!(!edit("More text.", "More text.\n\nSplit."), "a blank line typed inside the region");
    assert!(!edit("Last @putin.", "Last [x] @putin.\n\n[x]: /url"), "a link reference definition");
    assert!(!edit("# Notes", "# Notes @putin"), "a heading");
}
