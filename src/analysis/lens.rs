//! Code lens (SPEC §7): over each actor and source definition, how much the
//! workspace uses it; over each claim id that other claims support or
//! contradict, how many do each. Every count is read from the reverse
//! index: a lens costs a lookup, not a walk over the mentions.

use crate::syntax::Namespace;
use crate::text::TextRange;
use crate::workspace::{Document, Workspace};

/// A lens over an id's definition; its title comes from [`lens_title`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Lens {
    /// The definition's id token with its sigil (SPEC §1.6).
    pub range: TextRange,
    pub namespace: Namespace,
    pub name: String,
}

/// The lenses of `document`, in text order: every actor and source
/// definition, and every claim id that some claim supports or contradicts.
pub fn code_lenses(workspace: &Workspace, document: &Document) -> Vec<Lens> {
    let text = document.text.as_str();
    let parse = &document.parse;
    let lens = |range: TextRange, namespace| Lens { range, namespace, name: range.without_sigil().of(text).into() };
    let mut out: Vec<Lens> = parse.definitions.iter().map(|d| lens(d.id, d.namespace)).collect();
    out.extend(
        parse
            .claims
            .iter()
            .filter_map(|c| c.id())
            .filter(|id| workspace.reference_count(Namespace::Claim, id.without_sigil().of(text)) > 0)
            .map(|id| lens(id, Namespace::Claim)),
    );
    out.sort_by_key(|l| l.range.start);
    out
}

/// A lens's title: `N mentions · M claims` for an actor or a source (N the
/// references, M the claims that mention it, or for a source cite it), or
/// `supported by N · contradicted by M` for a claim id; with singulars.
pub fn lens_title(workspace: &Workspace, namespace: Namespace, name: &str) -> String {
    match namespace {
        Namespace::Actor | Namespace::Source => {
            let mentions = workspace.reference_count(namespace, name);
            let claims = workspace.claim_count(namespace, name);
            format!("{} · {}", counted(mentions, "mention"), counted(claims, "claim"))
        }
        Namespace::Claim => {
            let (supported, contradicted) = workspace.relation_counts(name);
            format!("supported by {supported} · contradicted by {contradicted}")
        }
    }
}

fn counted(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
