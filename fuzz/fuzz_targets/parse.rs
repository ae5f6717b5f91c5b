//! `parse`: arbitrary bytes as one note.
//!
//! The parser must never panic (README, "Invariants"), and everything it and
//! the rules produce is used to slice the text and to build LSP positions, so
//! every range must lie inside the text, start before it ends and fall on
//! character boundaries. The offsets those ranges hold are then pushed
//! through `LineIndex` in all three encodings and must come back unchanged,
//! agreeing with a naive line/column count done here.

#![no_main]

use std::path::PathBuf;

use dossier::analysis::{self, check_workspace};
use dossier::diagnostic::Severity;
use dossier::syntax::{self, Namespace, Role, is_valid_id};
use dossier::text::{Encoding, LineCol, LineIndex, TextRange};
use dossier::workspace::{Document, Problem, Workspace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check(data));

fn check(data: &[u8]) {
    let path = PathBuf::from("/fuzz/note.md");
    let document = Document::from_bytes(path.clone(), data.to_vec());
    let text = document.text.as_str();
    let mut ranges = Ranges { text, all: Vec::new() };

    match &document.problem {
        Some(Problem::InvalidUtf8 { at }) => {
            // The bytes before the first bad one decode unchanged, so `at`
            // is a boundary of the lossy text too; and nothing is parsed.
            assert!(text.is_char_boundary(*at), "invalid-utf8 offset {at} is not a boundary");
            assert_eq!(document.parse, Default::default(), "a non-UTF-8 document is not parsed");
        }
        Some(Problem::Unreadable(_)) => panic!("bytes in memory are never unreadable"),
        None => {
            // The document's parse is the parser's answer on its text.
            assert_eq!(document.parse, syntax::parse(text));
        }
    }
    assert_eq!(*document.line_index(), LineIndex::new(text));

    check_parse(&document, &mut ranges);
    for r in syntax::prose(text) {
        ranges.add("prose", r);
    }

    let mut workspace = Workspace::new(PathBuf::from("/fuzz"), Default::default());
    let doc = workspace.insert(document.clone());
    for (id, diagnostics) in check_workspace(&workspace, Severity::Hint) {
        assert_eq!(id, doc);
        for d in diagnostics {
            ranges.add(d.rule.id(), d.range);
            for related in &d.related {
                // One document: whatever is related lives in it.
                assert_eq!(related.doc, doc);
                ranges.add("related", related.range);
            }
        }
    }

    // The features that read positions must hold up at every offset the
    // parse made (the server only ever passes character boundaries).
    let offsets: Vec<usize> = ranges.all.iter().flat_map(|(_, r)| [r.start as usize, r.end as usize]).collect();
    let mut extra = Ranges { text, all: Vec::new() };
    for &offset in offsets.iter().take(64) {
        if let Some(hover) = analysis::hover(&workspace, doc, offset) {
            extra.add("hover", hover.range);
        }
        for item in analysis::complete(&workspace, &document, offset) {
            extra.add("completion", item.replace);
        }
        if let Some(id) = analysis::id_at(&document, offset) {
            extra.add("id_at", id.range);
        }
    }
    for symbol in analysis::document_symbols(&document) {
        walk_symbol(&symbol, &mut extra);
    }

    for (what, r) in ranges.all.iter().chain(&extra.all) {
        round_trip(document.line_index(), text, r.start as usize, what);
        round_trip(document.line_index(), text, r.end as usize, what);
    }
    // Small texts: every boundary, not only those the parse produced
    // (except between the CR and LF of a CRLF, which no position names).
    if text.len() <= 256 {
        let splits_crlf = |o: usize| o > 0 && text[..o].ends_with('\r') && text[o..].starts_with('\n');
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o) && !splits_crlf(o)) {
            round_trip(document.line_index(), text, offset, "boundary");
        }
    }
}

fn walk_symbol(symbol: &analysis::Symbol, ranges: &mut Ranges) {
    ranges.add("symbol", symbol.range);
    ranges.add("symbol selection", symbol.selection);
    assert!(symbol.range.contains_range(symbol.selection), "selection outside its symbol: {symbol:?}");
    for child in &symbol.children {
        walk_symbol(child, ranges);
    }
}

/// Every range seen, checked as it is added.
struct Ranges<'t> {
    text: &'t str,
    all: Vec<(&'static str, TextRange)>,
}

impl Ranges<'_> {
    fn add(&mut self, what: &'static str, r: TextRange) {
        let text = self.text;
        assert!(r.start <= r.end, "{what}: inverted range {r:?}");
        assert!(r.end as usize <= text.len(), "{what}: range {r:?} past the end ({})", text.len());
        assert!(
            text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
            "{what}: range {r:?} splits a character"
        );
        self.all.push((what, r));
    }
}

fn check_parse(document: &Document, ranges: &mut Ranges) {
    let text = document.text.as_str();
    let parse = &document.parse;
    for r in &parse.references {
        ranges.add("reference", r.range);
        // §1.6: a reference's range is the token with its sigil.
        let token = r.range.of(text);
        assert!(token.starts_with(r.namespace().sigil()), "reference {token:?} lacks its sigil");
        assert!(is_valid_id(r.name(text)), "reference to an invalid id {token:?}");
        match r.role() {
            Role::Link { text: inner } => ranges.add("link text", inner),
            Role::Citation { locator: Some(locator) } => ranges.add("locator", locator),
            _ => {}
        }
        if let Some(claim) = r.claim() {
            let claim = parse.claims.get(claim as usize).expect("a reference's claim exists");
            assert!(claim.range.contains_range(r.range), "reference {token:?} outside its claim");
        }
    }
    for (i, claim) in parse.claims.iter().enumerate() {
        for (what, r) in [("claim", Some(claim.range)), ("claim text", Some(claim.text())), ("metadata", claim.metadata())]
            .into_iter()
            .chain([
                ("claim id", claim.id()),
                ("kind", claim.kind_token().map(|k| k.range)),
                ("conf", claim.confidence().map(|c| c.range)),
                ("est", claim.estimate().map(|e| e.range)),
                ("speaker", claim.speaker()),
            ])
        {
            let Some(r) = r else { continue };
            ranges.add(what, r);
            assert!(claim.range.contains_range(r), "{what} {r:?} outside its claim {:?}", claim.range);
        }
        let whole = claim.range.of(text);
        assert!(whole.starts_with('{') && whole.ends_with('}') && whole.len() >= 2, "claim range {whole:?}");
        if let Some(id) = claim.id() {
            assert!(id.of(text).starts_with('#') && is_valid_id(&id.of(text)[1..]), "claim id {:?}", id.of(text));
        }
        assert!(claim.refs.start <= claim.refs.end && claim.refs.end as usize <= parse.references.len());
        for r in &parse.references[claim.refs.start as usize..claim.refs.end as usize] {
            assert_eq!(r.claim(), Some(i as u32), "claim {i} lists a reference of another claim");
        }
    }
    for def in &parse.definitions {
        ranges.add("definition id", def.id);
        ranges.add("definition title", def.title);
        ranges.add("definition", def.range);
        let token = def.id.of(text);
        assert!(token.starts_with(def.namespace.sigil()) && is_valid_id(def.name(text)), "definition id {token:?}");
        assert_ne!(def.namespace, Namespace::Claim, "claims are not definition blocks");
        assert!(def.range.contains_range(def.id), "definition id outside its block");
        for field in &def.fields {
            ranges.add("field key", field.key);
            ranges.add("field value", field.value);
        }
        for &line in &def.description {
            ranges.add("description", line);
        }
    }
    for heading in &parse.headings {
        ranges.add("heading", heading.range);
    }
    for error in &parse.errors {
        ranges.add("syntax error", error.range);
    }
}

/// Offset → line/column → offset in every encoding, checked against a
/// plain count of line breaks and code units.
fn round_trip(index: &LineIndex, text: &str, offset: usize, what: &str) {
    let (line, line_start) = naive_line(text, offset, what);
    for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
        let col: u32 = text[line_start..offset].chars().map(|c| width(c, encoding)).sum();
        let lc = index.line_col(text, offset, encoding);
        assert_eq!(lc, LineCol { line, col }, "{what}: offset {offset} in {encoding:?}");
        assert_eq!(index.offset(text, lc, encoding), Some(offset), "{what}: round trip of {offset} in {encoding:?}");
    }
}

/// The line holding `offset` and where it starts: lines end at LF, CR or
/// CRLF. An offset between the CR and LF of a CRLF would have no column of
/// its own, so none of the ranges may point there.
fn naive_line(text: &str, offset: usize, what: &str) -> (u32, usize) {
    let bytes = text.as_bytes();
    assert!(
        !(offset > 0 && bytes.get(offset - 1) == Some(&b'\r') && bytes.get(offset) == Some(&b'\n')),
        "{what}: offset {offset} splits a CRLF"
    );
    let (mut line, mut start, mut i) = (0u32, 0usize, 0usize);
    while i < offset {
        match bytes[i] {
            b'\n' => {
                line += 1;
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                line += 1;
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (line, start)
}

fn width(c: char, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => c.len_utf8() as u32,
        Encoding::Utf16 => c.len_utf16() as u32,
        Encoding::Utf32 => 1,
    }
}
