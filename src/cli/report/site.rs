//! Where everything of one workspace is in the report: each claim's page
//! and anchor, the claims that point at a claim (relations read both
//! ways), and the display names of actors and sources, read from the
//! core's export and workspace.

use std::path::Path;

use rustc_hash::FxHashMap;

use super::html::id_part;
use crate::analysis::export::{ClaimRecord, Export};
use crate::syntax::Namespace;
use crate::workspace::{DocId, Workspace};

/// A relation pointing at a claim, seen from that claim.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Incoming {
    SupportedBy,
    ContradictedBy,
}

pub struct Site<'a> {
    /// The workspace's number in this report (anchors of later ones carry it).
    pub ws: usize,
    pub workspace: &'a Workspace,
    pub export: &'a Export<'a>,
    /// Each note's page file name (inside `notes/`), by document.
    pub page_of_doc: FxHashMap<DocId, String>,
    /// Each claim record's page file name.
    pub page_of_claim: Vec<&'a str>,
    /// A claim id's first record.
    pub claim_by_id: FxHashMap<&'a str, usize>,
    pub incoming: FxHashMap<&'a str, Vec<(Incoming, usize)>>,
    /// Paths are shown from here.
    pub cwd: &'a Path,
}

impl<'a> Site<'a> {
    /// `notes` pairs each rendered document (in export order) with its page
    /// and how many claim records it has.
    pub fn new(
        ws: usize,
        workspace: &'a Workspace,
        export: &'a Export<'a>,
        notes: &'a [(DocId, String, usize)],
        cwd: &'a Path,
    ) -> Self {
        let mut page_of_claim = Vec::with_capacity(export.claims.len());
        for (_, page, count) in notes {
            page_of_claim.extend(std::iter::repeat_n(page.as_str(), *count));
        }
        let mut claim_by_id = FxHashMap::default();
        let mut incoming: FxHashMap<&str, Vec<(Incoming, usize)>> = FxHashMap::default();
        for (i, claim) in export.claims.iter().enumerate() {
            if claim.has_id {
                claim_by_id.entry(&*claim.id).or_insert(i);
            }
            for target in &claim.supports {
                incoming.entry(*target).or_default().push((Incoming::SupportedBy, i));
            }
            for target in &claim.contradicts {
                incoming.entry(*target).or_default().push((Incoming::ContradictedBy, i));
            }
        }
        Site {
            ws,
            workspace,
            export,
            page_of_doc: notes.iter().map(|(doc, page, _)| (*doc, page.clone())).collect(),
            page_of_claim,
            claim_by_id,
            incoming,
            cwd,
        }
    }

    /// The page of the note at `path`, when it is in the report.
    pub fn doc_page(&self, path: &Path) -> Option<&str> {
        self.page_of_doc.get(&self.workspace.doc_id(path)?).map(String::as_str)
    }

    /// A path as the user would type it.
    pub fn shown(&self, path: &Path) -> String {
        crate::cli::check::display_path(path, self.cwd)
    }

    /// The anchor of an actor's (`@`) or source's (`^`) card.
    pub fn entity_anchor(&self, sigil: char, id: &str) -> String {
        let letter = if sigil == '@' { 'a' } else { 's' };
        if self.ws == 0 { format!("{letter}-{}", id_part(id)) } else { format!("{letter}{}-{}", self.ws, id_part(id)) }
    }

    /// The link from a page in the folder `up` leads out of to an actor's
    /// or a source's card.
    pub fn entity_href(&self, up: &str, sigil: char, id: &str) -> String {
        let page = if sigil == '@' { "actors.html" } else { "sources.html" };
        format!("{up}{page}#{}", self.entity_anchor(sigil, id))
    }

    /// A claim's anchor on its note page.
    pub fn claim_anchor(&self, index: usize) -> String {
        let claim = &self.export.claims[index];
        if claim.has_id { format!("c-{}", id_part(&claim.id)) } else { format!("n{index}") }
    }

    /// The link to a claim from a page in the folder `to_notes` leads into
    /// `notes/` from (`""` from a note page, `"notes/"` from the top).
    pub fn claim_href(&self, to_notes: &str, index: usize) -> String {
        format!("{to_notes}{}#{}", self.page_of_claim[index], self.claim_anchor(index))
    }

    pub fn claim(&self, index: usize) -> &'a ClaimRecord<'a> {
        &self.export.claims[index]
    }

    /// An actor's display name, or its id when it has none.
    pub fn actor_name(&self, id: &str) -> String {
        crate::analysis::stats::actor_name(self.workspace, id).unwrap_or_else(|| id.to_string())
    }

    pub fn is_defined(&self, sigil: char, id: &str) -> bool {
        let namespace = if sigil == '@' { Namespace::Actor } else { Namespace::Source };
        self.workspace.is_defined(namespace, id)
    }

    pub fn source_title(&self, key: &str) -> Option<String> {
        crate::analysis::export::source_title(self.workspace, key)
    }
}

/// A note's page file name: its number and its path, made safe
/// (`0001-notes-china-russia.html`).
pub fn page_name(number: usize, display_path: &str) -> String {
    let stem = display_path.strip_suffix(".md").unwrap_or(display_path);
    let mut slug = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { format!("{number:04}.html") } else { format!("{number:04}-{slug}.html") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_names_are_numbered_safe_and_short() {
        assert_eq!(super::page_name(1, "notes/b 中俄.md"), "0001-notes-b.html");
        assert_eq!(super::page_name(12, "../x/<script>.md"), "0012-x-script.html");
        assert_eq!(super::page_name(3, "中俄.md"), "0003.html");
        assert_eq!(super::page_name(4, &"a".repeat(500)), format!("0004-{}.html", "a".repeat(60)));
    }
}
