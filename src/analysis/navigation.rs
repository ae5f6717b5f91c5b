//! What the cursor is on, and where else that id lives: definition,
//! references, highlights and rename, all across the workspace.

use crate::syntax::{Namespace, Reference, Role, is_valid_id};
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

/// An id under the cursor: its namespace, its name, the token's range and
/// whether the token is the id's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdAt {
    pub namespace: Namespace,
    pub name: String,
    /// The token with its sigil.
    pub range: TextRange,
    /// What the cursor is on: the token, or the whole link form
    /// (`[Vladimir Putin](@putin)`) when it is on the link's words.
    pub span: TextRange,
    pub is_definition: bool,
}

/// A range in some document of the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub doc: DocId,
    pub range: TextRange,
}

/// The id token at `offset` (a cursor just after a token counts as on it),
/// or the id of the link form whose visible words hold the cursor: on
/// `Vladimir` in `[Vladimir Putin](@putin)` it is `@putin`.
pub fn id_at(document: &Document, offset: usize) -> Option<IdAt> {
    let text = &document.text;
    let parse = &document.parse;
    let make = |namespace, range: TextRange, span, is_definition| IdAt {
        namespace,
        name: range.without_sigil().of(text).to_string(),
        range,
        span,
        is_definition,
    };
    if let Some(r) = parse.references.iter().find(|r| r.range.contains_inclusive(offset)) {
        return Some(make(r.namespace(), r.range, r.range, false));
    }
    if let Some(d) = parse.definitions.iter().find(|d| d.id.contains_inclusive(offset)) {
        // A bibliography's key has no sigil: its name is all of it.
        return Some(IdAt { name: d.name(text).to_string(), ..make(d.namespace, d.id, d.id, true) });
    }
    if let Some(claim_id) = parse.claims.iter().filter_map(|c| c.id()).find(|id| id.contains_inclusive(offset)) {
        return Some(make(Namespace::Claim, claim_id, claim_id, true));
    }
    // Then the visible words of a link form (never scanned for tokens).
    parse.references.iter().find_map(|r| {
        let span = link_form(text, *r)?;
        span.contains_inclusive(offset).then(|| make(r.namespace(), r.range, span, false))
    })
}

/// The whole link form of a link reference, `[` to `)`.
fn link_form(text: &str, reference: Reference) -> Option<TextRange> {
    let Role::Link { text: words } = reference.role() else { return None };
    let end = reference.range.end + u32::from(text.as_bytes().get(reference.range.end as usize) == Some(&b')'));
    Some(TextRange { start: words.start.saturating_sub(1), end })
}

/// Where the id at the cursor is defined (every definition, earliest first).
pub fn definition(workspace: &Workspace, doc: DocId, offset: usize) -> Vec<Location> {
    let Some(id) = id_at(workspace.document(doc), offset) else { return Vec::new() };
    workspace
        .definitions(id.namespace, &id.name)
        .into_iter()
        .map(|site| Location { doc: site.doc, range: site.defined.id_range() })
        .collect()
}

/// Every mention of the id at the cursor, and its definitions when asked;
/// sorted by document path, then position.
pub fn references(workspace: &Workspace, doc: DocId, offset: usize, include_declaration: bool) -> Vec<Location> {
    let Some(id) = id_at(workspace.document(doc), offset) else { return Vec::new() };
    all_occurrences(workspace, id.namespace, &id.name, include_declaration)
}

fn all_occurrences(workspace: &Workspace, namespace: Namespace, name: &str, definitions: bool) -> Vec<Location> {
    let mut out: Vec<Location> =
        workspace.references(namespace, name).map(|(doc, _, r)| Location { doc, range: r.range }).collect();
    if definitions {
        for site in workspace.definitions(namespace, name) {
            out.push(Location { doc: site.doc, range: site.defined.id_range() });
        }
    }
    // By path, then position: the paths are compared once per document,
    // not once per occurrence (the main actors have thousands).
    out.sort_unstable_by_key(|l| (l.doc, l.range.start, l.range.end));
    let mut docs: Vec<DocId> = out.iter().map(|l| l.doc).collect();
    docs.dedup();
    docs.sort_by(|a, b| workspace.document(*a).path.cmp(&workspace.document(*b).path));
    let rank: rustc_hash::FxHashMap<DocId, usize> = docs.iter().enumerate().map(|(i, doc)| (*doc, i)).collect();
    out.sort_by_key(|l| (rank[&l.doc], l.range.start, l.range.end));
    out
}

/// The occurrences of the id at the cursor in this document: (range, is a definition).
pub fn highlights(workspace: &Workspace, doc: DocId, offset: usize) -> Vec<(TextRange, bool)> {
    let document = workspace.document(doc);
    let Some(id) = id_at(document, offset) else { return Vec::new() };
    let text = &document.text;
    let parse = &document.parse;
    let mut out: Vec<(TextRange, bool)> = parse
        .references
        .iter()
        .filter(|r| r.namespace() == id.namespace && r.name(text) == id.name)
        .map(|r| (r.range, false))
        .collect();
    match id.namespace {
        Namespace::Claim => out.extend(
            parse
                .claims
                .iter()
                .filter_map(|c| c.id())
                .filter(|r| r.without_sigil().of(text) == id.name)
                .map(|r| (r, true)),
        ),
        ns => out.extend(
            parse.definitions.iter().filter(|d| d.namespace == ns && d.name(text) == id.name).map(|d| (d.id, true)),
        ),
    }
    out.sort();
    out
}

/// Why a rename cannot happen, said so the analyst knows what to do.
pub type RenameError = String;

/// The id under the cursor, without its sigil: what a rename replaces.
pub fn prepare_rename(workspace: &Workspace, doc: DocId, offset: usize) -> Result<TextRange, RenameError> {
    match id_at(workspace.document(doc), offset) {
        Some(id) => match in_bibliography(workspace, &id) {
            Some(refusal) => Err(refusal),
            None => Ok(id.range.without_sigil()),
        },
        None => Err("nothing to rename here: put the cursor on an @actor, ^source or #claim id".into()),
    }
}

/// Why a source from a bibliography file is not renamed here: its key is
/// the reference manager's, which would write the old one back on the next
/// export.
fn in_bibliography(workspace: &Workspace, id: &IdAt) -> Option<RenameError> {
    let site = workspace
        .definitions(id.namespace, &id.name)
        .into_iter()
        .find(|site| matches!(site.defined, crate::workspace::Defined::Block(def) if def.is_entry()))?;
    let path = site.document.path.strip_prefix(&workspace.root).unwrap_or(&site.document.path);
    Some(format!(
        "`^{}` is defined in the bibliography {}: Dossier does not rename bibliography entries; change the citation key in your reference manager (Zotero, Better BibTeX), export again, then replace `^{}` in the notes",
        id.name,
        path.display(),
        id.name
    ))
}

/// The edits renaming the id at the cursor everywhere: per document, the id
/// ranges (without sigils) to replace with the new name.
pub fn rename(
    workspace: &Workspace,
    doc: DocId,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(DocId, Vec<TextRange>)>, RenameError> {
    let Some(id) = id_at(workspace.document(doc), offset) else {
        return Err("nothing to rename here: put the cursor on an @actor, ^source or #claim id".into());
    };
    if let Some(refusal) = in_bibliography(workspace, &id) {
        return Err(refusal);
    }
    let sigil = id.namespace.sigil();
    let new_name = new_name.strip_prefix(sigil).unwrap_or(new_name);
    if !is_valid_id(new_name) {
        return Err(format!(
            "`{new_name}` is not a valid id: start with a letter, then letters, digits and single `-`, `_` or `.`"
        ));
    }
    if new_name == id.name {
        return Ok(Vec::new());
    }
    if workspace.is_defined(id.namespace, new_name) {
        return Err(format!("`{sigil}{new_name}` already exists: choose another name, or merge the two by hand"));
    }
    let mut edits: Vec<(DocId, Vec<TextRange>)> = Vec::new();
    // The occurrences come document by document.
    for location in all_occurrences(workspace, id.namespace, &id.name, true) {
        let range = location.range.without_sigil();
        match edits.last_mut().filter(|(d, _)| *d == location.doc) {
            Some((_, ranges)) => ranges.push(range),
            None => edits.push((location.doc, vec![range])),
        }
    }
    Ok(edits)
}
