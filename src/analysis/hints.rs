//! Inlay hints (SPEC §7): a cited source's grade after the citation, and an
//! estimate's probability range after `est:TERM`, shown without a hover.

use rustc_hash::FxHashMap;

use super::diagnostics::source_grade;
use crate::syntax::Role;
use crate::text::TextRange;
use crate::workspace::{Document, Workspace};

/// A hint shown at a byte offset: a label, and its meaning spelled out.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InlayHint {
    /// Where the hint goes: right after the token it is about.
    pub at: usize,
    /// With its leading space: ` B2`, ` 55–80%`.
    pub label: String,
    pub tooltip: String,
}

/// The hints of `document` placed within `within` (the visible range), in
/// text order.
pub fn inlay_hints(workspace: &Workspace, document: &Document, within: TextRange) -> Vec<InlayHint> {
    let text = document.text.as_str();
    let parse = &document.parse;
    let mut grades: FxHashMap<&str, Option<(String, String)>> = FxHashMap::default();
    let mut out = Vec::new();
    // A hint at the very end of the range is still visible.
    let shown = |at: usize| within.start as usize <= at && at <= within.end as usize;
    for claim in parse.claims.iter().filter(|c| c.range.start <= within.end && within.start <= c.range.end) {
        for r in &parse.references[claim.refs.start as usize..claim.refs.end as usize] {
            let Role::Citation { locator } = r.role() else { continue };
            let at = locator.map_or(r.range.end as usize, |l| l.end as usize + 1);
            if !shown(at) {
                continue;
            }
            let key = r.name(text);
            let grade = grades.entry(key).or_insert_with(|| {
                source_grade(workspace, key).map(|(grade, admiralty)| (format!(" {grade}"), admiralty.spelled_out()))
            });
            if let Some((label, tooltip)) = grade {
                out.push(InlayHint { at, label: label.clone(), tooltip: tooltip.clone() });
            }
        }
        if let Some(estimate) = claim.estimate()
            && shown(estimate.range.end as usize)
        {
            out.push(InlayHint {
                at: estimate.range.end as usize,
                label: format!(" {}", estimate.value.range_text()),
                tooltip: format!("ICD 203: {}", estimate.value.meaning()),
            });
        }
    }
    out.sort_by_key(|h| h.at);
    out
}
