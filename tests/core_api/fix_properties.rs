//! Property tests of the safe fixes (SPEC §6), on generated workspaces full
//! of near-misses (misspelt values, lower-case grades, unpadded dates)
//! among the markup's other fragments: applying every safe fix of every
//! note
//!
//! - changes no byte outside the fixed findings' ranges: each edit lies
//!   inside the range of the finding it fixes, none overlaps another, and
//!   the text between edits is the original's;
//! - adds no finding that was not there, but for what the corrected value
//!   itself asks for: a claim whose `kind:` is now read may need what that
//!   kind needs (`missing-*`, `unsourced-claim`; `overdue-forecast` for a
//!   forecast with a past `due:`), a claim whose `conf:high` is now read
//!   may be `thin-sourcing`, and a source whose grade is now read may make
//!   the claims citing it `weak-sourcing` or `thin-sourcing`. (§6 states
//!   the property without these exceptions; a corrected `kind:quote` must
//!   name its speaker, so it cannot hold without them.)

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use dossier::analysis::{Action, FileEdit, RuleContext, Safety, apply, check_workspace, replacements_in, safe_fixes};
use dossier::config::Config;
use dossier::diagnostic::Severity;
use dossier::text::TextRange;
use dossier::workspace::{Document, Workspace};

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

const TOKENS: &[&str] = &[
    "^src",
    "^weak(p. 3)",
    "^gone",
    "kind:fact",
    "kind:quot",
    "kind:fcat",
    "kind:asessment",
    "kind:forecast",
    "kind:Quote",
    "conf:hgh",
    "conf:high",
    "conf:lo",
    "conf:sure",
    "est:likly",
    "est:ulikely",
    "est:very-likley",
    "outcome:ture",
    "by:@putin",
    "@putin",
    "#id",
    "|",
    "’",
    "🛢",
];

const TEXT: &[&str] = &[
    "@putin",
    "Putin",
    "Vladimir Putin",
    "[Putin](@putin)",
    "’ — Кремль 中俄 🛢 ",
    "words ",
    "\n",
    "\n\n",
    "\r\n",
    "`code`",
    "\\{",
    "{",
    "}",
    "|",
    " ",
];

const FIELDS: &[&str] = &[
    "  reliability: b2",
    "  reliability: e5",
    "  reliability: B2",
    "  reliability: bb",
    "  reliability: g7",
    "  date: 2014-5-1",
    "  date: 2014-5",
    "  date: 2014-2-30",
    "  date: 2014-05-21",
    "  kind: person",
    "  aliases: Putin",
    "",
];

fn claim() -> impl Strategy<Value = String> {
    let text = prop::collection::vec(prop::sample::select(TEXT), 0..4);
    let meta = prop::option::of(prop::collection::vec(prop::sample::select(TOKENS), 0..5));
    (text, meta).prop_map(|(text, meta)| match meta {
        Some(tokens) => format!("{{{} | {}}}", text.concat(), tokens.join(" ")),
        None => format!("{{{}}}", text.concat()),
    })
}

fn definition() -> impl Strategy<Value = String> {
    let header =
        prop::sample::select(&["^src: Reuters", "^weak: Rumours", "@putin: Vladimir Putin", "^src: Again"][..]);
    (header, prop::collection::vec(prop::sample::select(FIELDS), 0..4)).prop_map(|(header, fields)| {
        let mut block = format!("\n{header}\n");
        for field in fields {
            block.push_str(field);
            block.push('\n');
        }
        block
    })
}

fn note() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => claim(), 2 => definition(), 3 => prop::sample::select(TEXT).prop_map(String::from)],
        0..12,
    )
    .prop_map(|pieces| pieces.concat())
}

const PATHS: [&str; 2] = ["/ws/defs.md", "/ws/note.md"];

fn workspace(texts: &[String]) -> Workspace {
    let mut ws = Workspace::new(PathBuf::from("/ws"), Config::default());
    for (path, text) in PATHS.iter().zip(texts) {
        ws.insert(Document::new(PathBuf::from(path), text.clone()));
    }
    ws
}

/// A finding as compared: path, rule and range.
type Finding = (PathBuf, &'static str, TextRange);

fn findings(ws: &Workspace) -> BTreeSet<Finding> {
    let mut out = BTreeSet::new();
    for (doc, found) in check_workspace(ws, Severity::Hint) {
        let path = ws.document(doc).path.clone();
        out.extend(found.into_iter().map(|d| (path.clone(), d.rule.id(), d.range)));
    }
    out
}

/// Where an offset of the text before the edits is after them.
fn moved(edits: &[(TextRange, usize)], offset: u32) -> u32 {
    let mut out = offset as i64;
    for (range, new_len) in edits {
        if range.end <= offset && !(range.is_empty() && range.start == offset) {
            out += *new_len as i64 - range.len() as i64;
        }
    }
    out as u32
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), ..ProptestConfig::default() })]

    #[test]
    fn safe_fixes_change_only_their_findings_and_add_none(defs in note(), text in note()) {
        let before_ws = workspace(&[defs, text]);
        let context = RuleContext::new(&before_ws);
        let before = findings(&before_ws);
        let mut after_texts = Vec::new();
        // Per note: its edits (range, new length), the claims and sources fixed.
        let mut edits_of: Vec<Vec<(TextRange, usize)>> = Vec::new();
        let mut fixed_claims: Vec<(PathBuf, TextRange)> = Vec::new();
        let mut grade_fixed = false;
        for path in PATHS {
            let doc = before_ws.doc_id(Path::new(path)).unwrap();
            let document = before_ws.document(doc);
            let fixes: Vec<Action> = safe_fixes(&before_ws, &context, doc);
            for fix in &fixes {
                prop_assert_eq!(fix.safety(), Safety::Safe);
                let finding = fix.fixes.as_ref().expect("a fix names its finding");
                for edit in &fix.edits {
                    let FileEdit::Edit { doc: edited, replacements } = edit else {
                        panic!("a safe fix creates no file")
                    };
                    prop_assert_eq!(*edited, doc, "a safe fix edits its own note");
                    for r in replacements {
                        prop_assert!(finding.range.contains_range(r.range), "{:?} outside {:?}", r.range, finding.range);
                    }
                }
                if finding.rule.id() == "invalid-field" {
                    grade_fixed = true;
                }
                if let Some(claim) = document.parse.claims.iter().find(|c| c.range.contains_range(finding.range)) {
                    fixed_claims.push((PathBuf::from(path), claim.range));
                }
            }
            let replacements = replacements_in(&fixes, doc);
            for pair in replacements.windows(2) {
                prop_assert!(pair[0].range.end <= pair[1].range.start, "overlapping edits {:?}", pair);
            }
            // Between the edits, the text is the original's.
            let fixed = apply(&document.text, &replacements);
            let (mut old_at, mut new_at) = (0usize, 0usize);
            for r in &replacements {
                let keep = r.range.start as usize - old_at;
                prop_assert_eq!(&fixed[new_at..new_at + keep], &document.text[old_at..r.range.start as usize]);
                prop_assert_eq!(&fixed[new_at + keep..new_at + keep + r.text.len()], r.text.as_str());
                new_at += keep + r.text.len();
                old_at = r.range.end as usize;
            }
            prop_assert_eq!(&fixed[new_at..], &document.text[old_at..]);
            edits_of.push(replacements.iter().map(|r| (r.range, r.text.len())).collect());
            after_texts.push(fixed);
        }
        let after_ws = workspace(&after_texts);
        let expected: BTreeSet<Finding> = before
            .iter()
            .map(|(path, rule, range)| {
                let edits = &edits_of[PATHS.iter().position(|p| Path::new(p) == path).unwrap()];
                (path.clone(), *rule, TextRange { start: moved(edits, range.start), end: moved(edits, range.end) })
            })
            .collect();
        for (path, rule, range) in findings(&after_ws).difference(&expected) {
            let edits = &edits_of[PATHS.iter().position(|p| Path::new(p) == path).unwrap()];
            let in_fixed_claim = fixed_claims.iter().any(|(p, claim)| {
                p == path && TextRange { start: moved(edits, claim.start), end: moved(edits, claim.end) } == *range
            });
            let follows = match *rule {
                "missing-speaker" | "missing-confidence" | "missing-estimate" | "unsourced-claim" => in_fixed_claim,
                "weak-sourcing" => grade_fixed,
                // `conf:hgh` → `conf:high` asks for two good sources; a
                // corrected grade may be a weak one; `kind:forecat` →
                // `kind:forecast` makes its `due:` count.
                "thin-sourcing" => in_fixed_claim || grade_fixed,
                "overdue-forecast" => in_fixed_claim,
                _ => false,
            };
            prop_assert!(
                follows,
                "new finding {} at {:?} in {}:\n{:?}\nwas:\n{:?}",
                rule,
                range,
                path.display(),
                after_ws.document(after_ws.doc_id(path).unwrap()).text,
                before_ws.document(before_ws.doc_id(path).unwrap()).text
            );
        }
    }
}
