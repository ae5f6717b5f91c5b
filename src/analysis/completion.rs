//! Completion: ids after `@`, `^` and `#`, values after `kind:`, `conf:` and
//! `est:`, and token names in a claim's metadata.

use super::hover;
use crate::syntax::Namespace;
use crate::syntax::vocab::{Admiralty, ClaimKind, Confidence, Estimate, Outcome};
use crate::text::TextRange;
use crate::workspace::{Defined, Document, Workspace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Actor,
    Source,
    Claim,
    Value,
    Keyword,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: String,
    pub documentation: Option<String>,
    /// What the item replaces (the part of the word already typed) and with what.
    pub replace: TextRange,
    pub insert: String,
}

fn is_id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// Whether `offset` sits in a claim's metadata: after a `|` of a `{` that is
/// still open on this paragraph (the claim may not be closed yet while typing).
fn in_metadata(text: &str, offset: usize) -> bool {
    let before = &text[..offset];
    let paragraph = before.rfind("\n\n").map_or(0, |p| p + 2);
    let Some(open) = before[paragraph..].rfind('{').map(|p| paragraph + p) else { return false };
    let inside = &before[open..];
    inside.contains('|') && !inside.contains('}')
}

pub fn complete(workspace: &Workspace, document: &Document, offset: usize) -> Vec<Completion> {
    let text = &document.text;
    if offset > text.len() || !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut start = offset;
    while start > 0 && is_id_byte(bytes[start - 1]) {
        start -= 1;
    }
    let typed = TextRange::new(start, offset);
    let before = &text[..start];
    match before.as_bytes().last() {
        Some(b'@') => return ids(workspace, Namespace::Actor, typed),
        Some(b'^') => return ids(workspace, Namespace::Source, typed),
        Some(b'#') if before.ends_with(":#") || in_metadata(text, start) => {
            return ids(workspace, Namespace::Claim, typed);
        }
        Some(b':') => {
            // The word before the `:`: trailing ASCII letters only, so the
            // cut never lands inside a multi-byte character before them.
            let head = &before[..before.len() - 1];
            let key = &head[head.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len()..];
            let values: Vec<(&str, &str)> = match key {
                "kind" => ClaimKind::ALL.iter().map(|v| (v.as_str(), v.meaning())).collect(),
                "conf" => Confidence::ALL.iter().map(|v| (v.as_str(), v.meaning())).collect(),
                "est" => Estimate::ALL.iter().map(|v| (v.as_str(), v.meaning())).collect(),
                "outcome" => Outcome::ALL.iter().map(|v| (v.as_str(), v.meaning())).collect(),
                _ => Vec::new(),
            };
            return values
                .into_iter()
                .map(|(value, meaning)| Completion {
                    label: value.to_string(),
                    kind: CompletionKind::Value,
                    detail: meaning.to_string(),
                    documentation: None,
                    replace: typed,
                    insert: value.to_string(),
                })
                .collect();
        }
        _ => {}
    }
    let at_word_start = before.as_bytes().last().is_none_or(|b| b.is_ascii_whitespace() || *b == b'|');
    if at_word_start && in_metadata(text, start) {
        return [
            ("kind:", "the claim's kind: fact, assessment, quote or forecast"),
            ("conf:", "analytic confidence: low, moderate or high"),
            ("est:", "estimative probability (ICD 203)"),
            ("by:@", "who says or holds it"),
            ("supports:#", "this claim supports another"),
            ("contradicts:#", "this claim contradicts another"),
            ("due:", "a forecast's resolution date: YYYY, YYYY-MM or YYYY-MM-DD"),
            ("outcome:", "how a forecast resolved: true or false"),
        ]
        .into_iter()
        .map(|(token, meaning)| Completion {
            label: token.to_string(),
            kind: CompletionKind::Keyword,
            detail: meaning.to_string(),
            documentation: None,
            replace: typed,
            insert: token.to_string(),
        })
        .collect();
    }
    Vec::new()
}

fn ids(workspace: &Workspace, namespace: Namespace, typed: TextRange) -> Vec<Completion> {
    let mut names: Vec<&str> = workspace.defined_names(namespace).collect();
    names.sort_unstable();
    names
        .into_iter()
        .filter_map(|name| {
            let site = workspace.definitions(namespace, name).into_iter().next()?;
            let text = &site.document.text;
            let (kind, detail, documentation) = match (namespace, site.defined) {
                (Namespace::Actor, Defined::Block(def)) => {
                    let kind = def.field(text, "kind").unwrap_or("actor");
                    (
                        CompletionKind::Actor,
                        format!("{} — {kind}", def.title.of(text)),
                        Some(hover::actor_card(workspace, name)),
                    )
                }
                (Namespace::Source, Defined::Block(def)) => {
                    let mut detail = vec![def.title_text(text).to_string()];
                    detail.extend(def.field(text, "date").map(str::to_string));
                    detail.extend(def.field(text, "reliability").and_then(Admiralty::parse).map(|a| a.spelled_out()));
                    (CompletionKind::Source, detail.join(" · "), Some(hover::source_card(workspace, name)))
                }
                (_, Defined::Claim(claim)) => {
                    let words: Vec<&str> = claim.text().of(text).split_whitespace().collect();
                    let mut summary = words.join(" ");
                    if summary.chars().count() > 60 {
                        summary = summary.chars().take(59).collect::<String>() + "…";
                    }
                    (CompletionKind::Claim, format!("{}: {summary}", claim.kind().as_str()), None)
                }
                _ => return None,
            };
            Some(Completion {
                label: name.to_string(),
                kind,
                detail,
                documentation,
                replace: typed,
                insert: name.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn items(text: &str) -> Vec<String> {
        let document = Document::new(PathBuf::from("/n.md"), text.to_string());
        let workspace = Workspace::new(PathBuf::from("/"), Default::default());
        complete(&workspace, &document, text.len()).into_iter().map(|c| c.label).collect()
    }

    /// Fuzz finding (parse target): a `:` typed right after a multi-byte
    /// character made the key's start fall inside that character and panic.
    #[test]
    fn a_colon_after_non_ascii_text_does_not_panic() {
        for text in ["中:", "{x | Кремль:", "’kind:", "😀conf:"] {
            let _ = items(text);
        }
        assert_eq!(items("{x | 中kind:"), ["fact", "assessment", "quote", "forecast"]);
    }
}
