//! The outline of a document (headings holding the claims and definitions
//! under them) and the workspace-wide symbol search.

use crate::syntax::Namespace;
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Heading,
    Actor,
    Source,
    Claim,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole item (a heading's section runs to the next heading of its level or above).
    pub range: TextRange,
    /// What to highlight: the heading line, the id.
    pub selection: TextRange,
    pub children: Vec<Symbol>,
}

fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    if joined.chars().count() > 50 { joined.chars().take(49).collect::<String>() + "…" } else { joined }
}

/// Headings nested by level, each holding the claims and definitions of its section.
pub fn document_symbols(document: &Document) -> Vec<Symbol> {
    let text = &document.text;
    let parse = &document.parse;
    let mut items: Vec<Symbol> = Vec::new();
    for def in &parse.definitions {
        items.push(Symbol {
            name: def.id.of(text).to_string(),
            detail: Some(def.title_text(text).to_string()),
            kind: if def.namespace == Namespace::Actor { SymbolKind::Actor } else { SymbolKind::Source },
            range: def.range,
            selection: def.id,
            children: Vec::new(),
        });
    }
    for claim in &parse.claims {
        let (name, detail) = match claim.id() {
            Some(id) => (id.of(text).to_string(), Some(short(claim.text().of(text)))),
            None => (short(claim.text().of(text)), None),
        };
        items.push(Symbol {
            name: if name.is_empty() { "{…}".into() } else { name },
            detail,
            kind: SymbolKind::Claim,
            range: claim.range,
            selection: claim.id().unwrap_or(claim.range),
            children: Vec::new(),
        });
    }
    items.sort_by_key(|s| s.range.start);

    // Sections: each heading runs to the next heading at its level or above.
    let headings = &parse.headings;
    let mut sections: Vec<(u8, Symbol)> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end =
                headings[i + 1..].iter().find(|n| n.level <= h.level).map_or(text.len(), |n| n.range.start as usize);
            let symbol = Symbol {
                name: if h.title.is_empty() { "(untitled)".into() } else { h.title.clone() },
                detail: None,
                kind: SymbolKind::Heading,
                range: TextRange::new(h.range.start as usize, end),
                // The heading line, without its line break.
                selection: TextRange::new(
                    h.range.start as usize,
                    h.range.start as usize + h.range.of(text).trim_end_matches(['\n', '\r']).len(),
                ),
                children: Vec::new(),
            };
            (h.level, symbol)
        })
        .collect();

    // Place every item in the innermost section holding it, then nest the
    // sections themselves, innermost first.
    let mut top = Vec::new();
    for item in items {
        match sections.iter_mut().rev().find(|(_, s)| s.range.contains_range(item.range)) {
            Some((_, section)) => section.children.push(item),
            None => top.push(item),
        }
    }
    while let Some((_, section)) = sections.pop() {
        match sections.iter_mut().rev().find(|(_, s)| s.range.contains_range(section.range)) {
            Some((_, parent)) => parent.children.insert(0, section),
            None => top.push(section),
        }
    }
    top.sort_by_key(|s| s.range.start);
    for section in &mut top {
        sort_children(section);
    }
    top
}

fn sort_children(symbol: &mut Symbol) {
    symbol.children.sort_by_key(|s| s.range.start);
    symbol.children.iter_mut().for_each(sort_children);
}

/// One hit of a workspace symbol search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceSymbol {
    pub name: String,
    pub kind: SymbolKind,
    pub doc: DocId,
    pub range: TextRange,
    pub container: Option<String>,
}

/// Fuzzy score: every query character appears in order (case-insensitive);
/// contiguous runs and an early start score higher. `None` when it does not match.
fn fuzzy_score(query: &str, candidate: &str) -> Option<i64> {
    let candidate: Vec<char> = candidate.chars().flat_map(char::to_lowercase).collect();
    let mut score = 0i64;
    let mut at = 0usize;
    let mut previous: Option<usize> = None;
    for q in query.chars().flat_map(char::to_lowercase) {
        let found = candidate[at..].iter().position(|&c| c == q)? + at;
        score += if previous == Some(found.wrapping_sub(1)) { 5 } else { 1 };
        if previous.is_none() {
            score -= found as i64;
        }
        previous = Some(found);
        at = found + 1;
    }
    Some(score)
}

/// Actors, sources and claim ids matching `query`, best first.
pub fn workspace_symbols(workspace: &Workspace, query: &str) -> Vec<WorkspaceSymbol> {
    let mut hits = Vec::new();
    for namespace in Namespace::ALL {
        for name in workspace.defined_names(namespace) {
            let Some(score) = fuzzy_score(query, name) else { continue };
            for site in workspace.definitions(namespace, name) {
                let container = match site.defined {
                    crate::workspace::Defined::Block(def) => Some(def.title_text(&site.document.text).to_string()),
                    crate::workspace::Defined::Claim(_) => None,
                };
                let kind = match namespace {
                    Namespace::Actor => SymbolKind::Actor,
                    Namespace::Source => SymbolKind::Source,
                    Namespace::Claim => SymbolKind::Claim,
                };
                let symbol = WorkspaceSymbol {
                    name: format!("{}{name}", namespace.sigil()),
                    kind,
                    doc: site.doc,
                    range: site.defined.id_range(),
                    container,
                };
                hits.push((score, symbol));
            }
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    hits.into_iter().map(|(_, s)| s).take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::fuzzy_score;

    #[test]
    fn fuzzy_matches_in_order_and_prefers_runs() {
        assert!(fuzzy_score("ptn", "putin").is_some());
        assert!(fuzzy_score("tp", "putin").is_none());
        assert!(fuzzy_score("put", "putin") > fuzzy_score("pin", "putin"));
        assert!(fuzzy_score("", "anything").is_some());
    }
}
