//! `non_overlapping` looks each edit up among those taken instead of
//! comparing it with all of them: on random actions it keeps exactly what
//! the pairwise comparison keeps.

use crate::analysis::{Action, ActionKind, FileEdit, Fix, Replacement, non_overlapping};
use crate::text::TextRange;
use crate::workspace::DocId;

/// What `non_overlapping` promises, compared pair by pair.
fn pairwise(mut actions: Vec<Action>) -> Vec<Action> {
    let first = |a: &Action| match &a.edits[0] {
        FileEdit::Edit { doc, replacements } => (doc.0, replacements[0].range.start, replacements[0].range.end),
        FileEdit::Create { .. } => unreachable!(),
    };
    actions.sort_by_key(first);
    let overlaps = |a: TextRange, b: TextRange| {
        (a.start < b.end && b.start < a.end) || (a.start == b.start && (a.is_empty() || b.is_empty()))
    };
    let mut taken: Vec<(DocId, TextRange)> = Vec::new();
    let mut out = Vec::new();
    for action in actions {
        let edits: Vec<(DocId, TextRange)> = action
            .edits
            .iter()
            .flat_map(|e| match e {
                FileEdit::Edit { doc, replacements } => replacements.iter().map(|r| (*doc, r.range)).collect(),
                FileEdit::Create { .. } => Vec::new(),
            })
            .collect();
        if edits.iter().any(|(d, r)| taken.iter().any(|(td, t)| td == d && overlaps(*t, *r))) {
            continue;
        }
        taken.extend(edits);
        out.push(action);
    }
    out
}

#[test]
fn the_look_up_keeps_what_the_pairwise_comparison_keeps() {
    // A fixed linear congruential sequence: the same cases on every run.
    let mut seed: u64 = 0x5eed;
    let mut next = |below: u32| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) % u64::from(below)) as u32
    };
    for case in 0..500 {
        let actions: Vec<Action> = (0..1 + next(12))
            .map(|i| {
                // One to three edits, each in one of two documents, sorted
                // and not overlapping within a document, as actions are.
                let doc = DocId(next(2));
                let mut at = next(20);
                let replacements = (0..1 + next(3))
                    .map(|_| {
                        let (start, len) = (at, next(4));
                        at = start + len + next(4);
                        Replacement { range: TextRange::new(start as usize, (start + len) as usize), text: "x".into() }
                    })
                    .collect();
                Action {
                    title: format!("{case}-{i}"),
                    kind: ActionKind::QuickFix,
                    fix: Some(Fix::ValueSpelling),
                    fixes: None,
                    edits: vec![FileEdit::Edit { doc, replacements }],
                }
            })
            .collect();
        let titles = |kept: Vec<Action>| kept.into_iter().map(|a| a.title).collect::<Vec<_>>();
        assert_eq!(titles(non_overlapping(actions.clone())), titles(pairwise(actions)), "case {case}");
    }
}
