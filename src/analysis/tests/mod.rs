//! Fixture tests of the questions an editor asks: code actions, hover, definition,
//! references, highlights, rename and completion, answered by the core.
//!
//! A fixture holds several files, each after a `//- path` line, as in
//! `tests/rules.rs`. In the text, `$0` marks the cursor (exactly one) and
//! `[[…]]` marks the ranges the answer must give; both markers are taken
//! out before the files are parsed, and every offset is counted in the text
//! without them. Each fixture has non-ASCII text before its markup, so a
//! byte/character mix-up shows as a shifted range.

mod actions;
mod completion;
mod decorations;
mod hover;
mod navigation;
mod non_overlapping;
mod unsafe_fixes;

use std::path::PathBuf;

use crate::analysis::Location;
use crate::config::Config;
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

/// The non-ASCII run that precedes the markup in every fixture family.
const WIDE: &str = "’ — Кремль 中俄 😀";

/// Definitions most fixtures share, each file with non-ASCII text before
/// its markup.
const DEFS: &str = "//- actors.md
# ’ — Кремль 中俄 😀 Actors
@putin: Vladimir Putin
  kind: person
  role: President of the Russian Federation
  aliases: Putin
@xi: Xi Jinping
  kind: person
//- sources.md
# ’ — Кремль 中俄 😀 Sources
^reuters: China, Russia sign $400 billion gas deal
  publisher: Reuters
  date: 2014-05-21
  reliability: B2
^tass: Gas deal signed in Shanghai
  reliability: C3
";

/// `DEFS` followed by the fixture's own files.
fn with_defs(files: &str) -> String {
    format!("{DEFS}{files}")
}

/// A fixture's workspace, its cursor and its marked ranges.
struct Fixture {
    workspace: Workspace,
    /// The document holding `$0`, and the offset of the cursor in it.
    doc: DocId,
    offset: usize,
    /// Every `[[…]]` range, in the order of the fixture's text.
    marked: Vec<Location>,
}

/// `text` without its `$0` and `[[`/`]]` markers: the text, the cursor if
/// any, and the marked ranges.
fn strip_markers(marked: &str) -> (String, Option<usize>, Vec<TextRange>) {
    let mut text = String::with_capacity(marked.len());
    let (mut cursor, mut open, mut ranges) = (None, None, Vec::new());
    let mut rest = marked;
    while let Some(at) = rest.find(['$', '[', ']']) {
        text.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("$0") {
            assert!(cursor.replace(text.len()).is_none(), "two `$0` in one file");
        } else if tail.starts_with("[[") {
            assert!(open.replace(text.len()).is_none(), "`[[` inside `[[`");
        } else if tail.starts_with("]]") {
            let start = open.take().expect("`]]` without `[[`");
            ranges.push(TextRange::new(start, text.len()));
        } else {
            text.push_str(&tail[..1]);
            rest = &tail[1..];
            continue;
        }
        rest = &tail[2..];
    }
    text.push_str(rest);
    assert!(open.is_none(), "`[[` without `]]`");
    (text, cursor, ranges)
}

fn fixture(fixture: &str) -> Fixture {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        match line.strip_prefix("//- ") {
            Some(path) => files.push((path.trim().to_string(), String::new())),
            None => files.last_mut().expect("fixture starts with `//- path`").1.push_str(line),
        }
    }
    let config = files
        .iter()
        .find(|(p, _)| p == "dossier.toml")
        .map_or_else(Config::default, |(_, text)| Config::parse(text).expect("fixture config is valid"));
    let mut workspace = Workspace::new(PathBuf::from("/ws"), config);
    let (mut cursor, mut marked) = (None, Vec::new());
    for (path, text) in files.into_iter().filter(|(p, _)| p.ends_with(".md")) {
        let (text, at, ranges) = strip_markers(&text);
        let doc = workspace.insert(Document::new(PathBuf::from("/ws").join(path), text));
        if let Some(at) = at {
            assert!(cursor.replace((doc, at)).is_none(), "two files hold a `$0`");
        }
        marked.extend(ranges.into_iter().map(|range| Location { doc, range }));
    }
    let (doc, offset) = cursor.expect("the fixture has a `$0` cursor");
    Fixture { workspace, doc, offset, marked }
}

impl Fixture {
    /// `path start..end "covered text"`: a location as a failing test shows it.
    fn show(&self, location: &Location) -> String {
        let document = self.workspace.document(location.doc);
        let path = document.path.strip_prefix("/ws").unwrap().display();
        let TextRange { start, end } = location.range;
        format!("{path} {start}..{end} {:?}", location.range.of(&document.text))
    }

    fn show_all(&self, locations: &[Location]) -> Vec<String> {
        locations.iter().map(|l| self.show(l)).collect()
    }

    /// The marked ranges, ordered by path then position, as an answer that
    /// spans documents is.
    fn expected(&self) -> Vec<String> {
        let mut marked = self.marked.clone();
        marked.sort_by(|a, b| {
            let path = |l: &Location| &self.workspace.document(l.doc).path;
            path(a).cmp(path(b)).then(a.range.start.cmp(&b.range.start))
        });
        self.show_all(&marked)
    }

    /// The one marked range.
    fn the_marked(&self) -> Location {
        assert_eq!(self.marked.len(), 1, "the fixture marks exactly one range");
        self.marked[0]
    }
}

#[test]
fn markers_are_taken_out_and_offsets_count_the_text_without_them() {
    let (text, cursor, ranges) = strip_markers("’ — [[@pu$0tin]] [x](@xi) $1 ]x [[]]");
    assert_eq!(text, "’ — @putin [x](@xi) $1 ]x ");
    assert_eq!(cursor, Some("’ — @pu".len()));
    let starts = ["’ — ".len(), text.len()];
    assert_eq!(ranges, [TextRange::new(starts[0], starts[0] + "@putin".len()), TextRange::empty(starts[1])]);
    assert!(WIDE.chars().any(|c| c.len_utf8() == 4));
}
