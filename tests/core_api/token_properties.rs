//! The semantic tokens a note gets after a run of edits, reusing those of
//! the version before when they allow it (`semantic_tokens_reusing`, what
//! the server answers `full` and `full/delta` with), are exactly the tokens
//! computed afresh, in the core's form and in the protocol's relative one;
//! whatever the edits: typing in a paragraph, adding or removing a
//! definition, a claim id, a brace, a blank line, non-ASCII text, or a
//! grade changed in another note.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use proptest::sample::Index;
use tower_lsp::lsp_types::Url;

use dossier::analysis::{Host, KeptTokens, Reused, semantic_tokens, semantic_tokens_reusing};
use dossier::lsp::to_lsp::{Out, Uris};
use dossier::text::Encoding;

struct FileUris;

impl Uris for FileUris {
    fn uri_of(&self, path: &Path) -> Option<Url> {
        Url::from_file_path(path).ok()
    }
}

const ACTORS: &str = "@putin: Vladimir Putin\n  aliases: Putin\n\n@xi: Xi Jinping\n";
const SOURCES_WEAK: &str = "^src: Reuters\n  reliability: E5\n\n^tass: TASS\n  reliability: C3\n";
const SOURCES_STRONG: &str = "^src: Reuters\n  reliability: B2\n\n^tass: TASS\n  reliability: C3\n";

/// Paragraph lines, so that most edits take the short way of the reparse.
const LINES: &[&str] = &[
    "Putin met @putin in Кремль 中俄 ’ — 😀 and @nobody.",
    "{Gazprom signed | ^src #deal kind:fact conf:high}",
    "{A claim that runs",
    "over two lines | ^src(p. 3) ^gone by:@xi}",
    "{Unsourced talk | supports:#deal contradicts:#none @xi}",
    "[Vladimir Putin](@putin) said, per [Reuters](^tass), `code @x` here",
    "@local: A local actor",
    "^mine: A source of this note",
    "Unclosed {claim here",
];

/// What an edit inserts: markup, definitions, claim ids, braces, blank
/// lines, Markdown blocks, non-ASCII text, or nothing that matters.
const INSERTS: &[&str] = &[
    "a",
    " ",
    "@",
    "@putin ",
    "@local ",
    "#deal ",
    "#other ",
    "{",
    "}",
    "|",
    "^src",
    "^mine ",
    " est:likely",
    " by:@nobody",
    "\n",
    "\n\n",
    "\r\n",
    "@new: New actor\n",
    "\n^mine: Mine\n  reliability: E5\n",
    "  reliability: B2\n",
    "```\n",
    "- ",
    "😀",
    "Кремль",
    "[P](@putin)",
    "\\",
];

fn note() -> impl Strategy<Value = String> {
    let paragraph = prop::collection::vec(prop::sample::select(LINES), 1..4).prop_map(|l| l.join("\n"));
    prop::collection::vec(paragraph, 1..6).prop_map(|p| p.join("\n\n") + "\n")
}

/// One step: an edit of the note (where, how many characters it deletes,
/// what it inserts), or the source `^src` graded again in its own note.
#[derive(Clone, Debug)]
enum Step {
    Edit(Index, usize, &'static str),
    Regrade,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => (any::<Index>(), 0..4usize, prop::sample::select(INSERTS)).prop_map(|(at, n, s)| Step::Edit(at, n, s)),
        1 => Just(Step::Regrade),
    ]
}

fn splice(text: &str, at: Index, delete: usize, insert: &str) -> String {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let start = boundaries[at.index(boundaries.len())];
    let end = text[start..].char_indices().nth(delete).map_or(text.len(), |(i, _)| start + i);
    format!("{}{insert}{}", &text[..start], &text[end..])
}

/// A server-like host over a folder holding the actors, the sources and
/// the note, the note and the sources open.
struct Editing {
    _dir: tempfile::TempDir,
    host: Host,
    note: PathBuf,
    sources: PathBuf,
}

impl Editing {
    fn new(text: &str) -> Editing {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("actors.md"), ACTORS).unwrap();
        std::fs::write(dir.path().join("sources.md"), SOURCES_WEAK).unwrap();
        std::fs::write(dir.path().join("note.md"), text).unwrap();
        let mut host = Host::new(vec![dir.path().to_path_buf()]);
        host.index();
        let note = host.key(&dir.path().join("note.md"));
        let sources = host.key(&dir.path().join("sources.md"));
        host.open(&note, text.to_string());
        host.open(&sources, SOURCES_WEAK.to_string());
        Editing { _dir: dir, host, note, sources }
    }

    /// The note's tokens reusing `kept` when they allow, checked against
    /// those computed afresh, in both forms; and how they were had.
    fn tokens(
        &self,
        kept: Option<&(KeptTokens, Vec<tower_lsp::lsp_types::SemanticToken>)>,
    ) -> ((KeptTokens, Vec<tower_lsp::lsp_types::SemanticToken>), Option<Reused>) {
        let workspace = self.host.workspace();
        let document = workspace.document(workspace.doc_id(&self.note).unwrap());
        let (core, reused) = semantic_tokens_reusing(
            workspace,
            self.host.rule_context(),
            document,
            self.host.facts(),
            kept.map(|(core, _)| core),
        );
        let fresh = semantic_tokens(workspace, None, document, None);
        assert_eq!(core.tokens, fresh, "{:?}", document.text);
        let out = Out { workspace, encoding: Encoding::Utf16, uris: &FileUris };
        let data = match (reused, kept) {
            (Some(reused), Some((_, old))) => out.semantic_tokens_reused(document, &core.tokens, old, reused),
            _ => out.semantic_tokens(document, &core.tokens),
        };
        assert_eq!(data, out.semantic_tokens(document, &fresh), "{:?}", document.text);
        ((core, data), reused)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256), ..ProptestConfig::default() })]

    #[test]
    fn tokens_reused_after_edits_equal_tokens_computed_afresh(text in note(), steps in prop::collection::vec(step(), 1..8)) {
        let mut editing = Editing::new(&text);
        let (mut kept, _) = editing.tokens(None);
        let (mut current, mut strong) = (text, false);
        for step in steps {
            match step {
                Step::Edit(at, delete, insert) => {
                    current = splice(&current, at, delete, insert);
                    let note = editing.note.clone();
                    editing.host.edit(&note, current.clone());
                }
                Step::Regrade => {
                    strong = !strong;
                    let sources = editing.sources.clone();
                    editing.host.edit(&sources, if strong { SOURCES_STRONG } else { SOURCES_WEAK }.to_string());
                }
            }
            kept = editing.tokens(Some(&kept)).0;
        }
    }
}

/// The reuse happens where it should (so the property above tests it),
/// and not where the edit changes what other paragraphs' tokens read.
#[test]
fn tokens_are_reused_only_after_an_edit_that_changes_nothing_elsewhere() {
    let text =
        "Putin met @putin and @local.\n\n{Gazprom signed | ^src #deal kind:fact}\n\nLast {talk | supports:#deal}.\n";
    let mut editing = Editing::new(text);
    let (kept, first) = editing.tokens(None);
    assert_eq!(first, None, "nothing kept yet");
    let note = editing.note.clone();
    let edit = |editing: &mut Editing, kept: &KeptTokens, text: &str| {
        editing.host.edit(&note, text.to_string());
        let workspace = editing.host.workspace();
        let document = workspace.document(workspace.doc_id(&note).unwrap());
        // Only the edited paragraph was parsed again: the reuse, when
        // refused, is refused for what the edit changed elsewhere.
        assert!(document.edited_from(kept.serial).is_some(), "{text:?}");
    };

    // A keystroke in the middle paragraph: its 7 tokens computed again.
    let typed = text.replace("Gazprom signed", "Gazprom has signed");
    edit(&mut editing, &kept.0, &typed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert_eq!(reused, Some(Reused { head: 2, region: 7, old_tail: 9 }));

    // Defining `@local` in that paragraph: the first one's tokens change.
    let defined = typed.replace("{Gazprom", "@local: Local\n{Gazprom");
    edit(&mut editing, &kept.0, &defined);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert_eq!(reused, None, "a definition added");

    // A claim id added, then the one the last claim supports taken away.
    let typed = defined.replace("supports:#deal}", "supports:#deal #pact}");
    edit(&mut editing, &kept.0, &typed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert_eq!(reused, None, "#pact defined");
    let typed = typed.replace("has signed", "signed");
    edit(&mut editing, &kept.0, &typed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert!(reused.is_some(), "a keystroke again");
    let removed = typed.replace(" #deal", "");
    edit(&mut editing, &kept.0, &removed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert_eq!(reused, None, "#deal no longer defined");

    // A grade changed in another note, then a keystroke in this one.
    let sources = editing.sources.clone();
    editing.host.edit(&sources, SOURCES_STRONG.to_string());
    let typed = removed.replace("Putin met", "Putin has met");
    edit(&mut editing, &kept.0, &typed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert_eq!(reused, None, "^src is graded B2 now");
    // Prose typed in the other note, outside its definitions, changes
    // nothing this one reads (a definition's title would: its text is
    // what the workspace compares).
    editing.host.edit(&sources, format!("{SOURCES_STRONG}\nGathered by hand.\n"));
    let typed = typed.replace("Putin has met", "Putin had met");
    edit(&mut editing, &kept.0, &typed);
    let (kept, reused) = editing.tokens(Some(&kept));
    assert!(reused.is_some(), "prose edited elsewhere");

    // Two edits since the tokens kept: all computed again.
    editing.host.edit(&note, typed.replace("had met", "met"));
    editing.host.edit(&note, typed.replace("had met", "meets"));
    assert_eq!(editing.tokens(Some(&kept)).1, None, "kept for a version two edits back");
}
