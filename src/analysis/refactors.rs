//! The refactors of SPEC §6 on a selection: "Mark as claim", "Tag as
//! `@id`" and "Define `@slug` and tag". They apply only to a selection
//! inside one paragraph of prose or claim text: never in code, comments,
//! front matter, metadata, definition blocks, or across a blank line. The
//! words tagged are plain words or the words of a link form (which is then
//! tagged again, keeping its words).

use super::action::{Action, ActionKind, ActionOptions, FileEdit, Replacement};
use super::diagnostics::RuleContext;
use super::fixes::define;
use crate::syntax::{Namespace, Role, is_valid_id};
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

pub(super) fn refactors(
    workspace: &Workspace,
    context: &RuleContext,
    doc: DocId,
    selection: TextRange,
    options: ActionOptions,
) -> Vec<Action> {
    let document = workspace.document(doc);
    let text = &document.text;
    if selection.is_empty()
        || selection.end as usize > text.len()
        || !text.is_char_boundary(selection.start as usize)
        || !text.is_char_boundary(selection.end as usize)
    {
        return Vec::new();
    }
    let words = selection.of(text);
    if crosses_blank_line(words) {
        return Vec::new();
    }
    let tokens = tokens_around(document, selection);
    let mut out = Vec::new();
    if covered(document, selection, &tokens) && !touches_claim(document, selection) && !has_brace(words) {
        let replacements = vec![
            Replacement { range: TextRange::empty(selection.start as usize), text: "{".into() },
            Replacement { range: TextRange::empty(selection.end as usize), text: " | }".into() },
        ];
        out.push(refactor("Mark as claim".into(), vec![FileEdit::Edit { doc, replacements }]));
    }
    // Tagging needs plain words (no markup inside, no line break), or the
    // words of a link form, whose target is then replaced.
    let link = link_with_words(document, selection);
    let plain = tokens.is_empty() && covered(document, selection, &[]);
    if (plain || link.is_some()) && is_plain_words(words) {
        let target = Target { replace: link.map_or(selection, |(whole, _)| whole), current: link.map(|(_, id)| id) };
        out.extend(tag(workspace, context, doc, target, words, options));
    }
    out
}

/// What a tagging replaces: the selected words, or the whole link form
/// whose words they are (with the id it tags now).
struct Target<'t> {
    replace: TextRange,
    current: Option<&'t str>,
}

/// The actor link form whose words are exactly the selection: its whole
/// range, `[` to `)`, and the id it tags.
fn link_with_words(document: &Document, selection: TextRange) -> Option<(TextRange, &str)> {
    let refs = &document.parse.references;
    // A link's token comes after its words.
    let at = refs.partition_point(|r| r.range.start < selection.end);
    let r = refs.get(at)?;
    match r.role() {
        Role::Link { text } if text == selection && r.namespace() == Namespace::Actor => {
            Some((TextRange::new(text.start as usize - 1, r.range.end as usize + 1), r.name(&document.text)))
        }
        _ => None,
    }
}

fn refactor(title: String, edits: Vec<FileEdit>) -> Action {
    Action { title, kind: ActionKind::RefactorRewrite, fix: None, fixes: None, edits }
}

/// "Tag as `@id`" for each actor whose display name or an alias the words
/// are; when none, "Define `@slug` and tag" (or "Tag as" the slug, when it
/// is an actor's id). A link form is not tagged again as what it tags.
fn tag(
    workspace: &Workspace,
    context: &RuleContext,
    doc: DocId,
    target: Target<'_>,
    words: &str,
    options: ActionOptions,
) -> Vec<Action> {
    let link = |id: &str| vec![Replacement { range: target.replace, text: format!("[{words}](@{id})") }];
    let mut ids: Vec<String> = context.actor_names(workspace).actors_named(words).map(String::from).collect();
    if ids.is_empty() {
        let slug = slug(words);
        if !is_valid_id(&slug) {
            return Vec::new();
        }
        if !workspace.is_defined(Namespace::Actor, &slug) {
            let Some((definition, _)) = define(workspace, Namespace::Actor, &slug, words, options) else {
                return Vec::new();
            };
            let edits = vec![FileEdit::Edit { doc, replacements: link(&slug) }, definition];
            return vec![refactor(format!("Define `@{slug}` and tag"), edits)];
        }
        ids.push(slug);
    }
    ids.into_iter()
        .filter(|id| target.current != Some(id.as_str()))
        .map(|id| refactor(format!("Tag as `@{id}`"), vec![FileEdit::Edit { doc, replacements: link(&id) }]))
        .collect()
}

/// The words lower-cased, ASCII letters and digits kept, every run of
/// anything else one `-`, without a leading or trailing `-`.
pub fn slug(words: &str) -> String {
    let mut out = String::new();
    for c in words.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether the text holds a blank line: a line break, nothing but spaces
/// and tabs, another line break.
fn crosses_blank_line(words: &str) -> bool {
    let mut breaks = words.match_indices(['\n', '\r']).peekable();
    while let Some((at, brk)) = breaks.next() {
        let mut after = at + brk.len();
        if brk == "\r" && words[after..].starts_with('\n') {
            breaks.next();
            after += 1;
        }
        let rest = &words[after..];
        let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        if rest[blank..].starts_with(['\n', '\r']) {
            return true;
        }
    }
    false
}

/// The mentions (short and link forms) that overlap the selection, each
/// as the whole token or link.
fn tokens_around(document: &Document, selection: TextRange) -> Vec<TextRange> {
    let refs = &document.parse.references;
    // References are in text order; a link's text comes before its token.
    let first = refs.partition_point(|r| r.range.end < selection.start);
    refs[first..]
        .iter()
        .filter_map(|r| match r.role() {
            Role::Mention => Some(r.range),
            Role::Link { text } => Some(TextRange::new(text.start as usize - 1, r.range.end as usize + 1)),
            _ => None,
        })
        .take_while(|t| t.start < selection.end)
        .filter(|t| t.start < selection.end && selection.start < t.end)
        .collect()
}

/// Whether every byte of the selection is prose or claim text (the
/// ranges `Document::prose` gives) or inside one of `tokens`, and no token
/// is cut by the selection's ends.
fn covered(document: &Document, selection: TextRange, tokens: &[TextRange]) -> bool {
    if tokens.iter().any(|t| t.start < selection.start || selection.end < t.end) {
        return false;
    }
    let prose = document.prose();
    let first = prose.partition_point(|r| r.end <= selection.start);
    let mut pieces: Vec<TextRange> =
        prose[first..].iter().take_while(|r| r.start < selection.end).copied().chain(tokens.iter().copied()).collect();
    pieces.sort_by_key(|r| r.start);
    let mut at = selection.start;
    for piece in pieces {
        if piece.start > at {
            return false;
        }
        at = at.max(piece.end);
        if at >= selection.end {
            return true;
        }
    }
    false
}

/// Whether a claim overlaps or meets the selection.
fn touches_claim(document: &Document, selection: TextRange) -> bool {
    let claims = &document.parse.claims;
    let at = claims.partition_point(|c| c.range.end < selection.start);
    claims.get(at).is_some_and(|c| c.range.start <= selection.end)
}

/// An unescaped `{` or `}`: a claim around the selection would end there.
fn has_brace(words: &str) -> bool {
    let bytes = words.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' | b'}' => return true,
            _ => i += 1,
        }
    }
    false
}

/// Words a link form can hold as they are: one line, no brackets, braces,
/// backslashes or backticks, not blank.
fn is_plain_words(words: &str) -> bool {
    !words.trim().is_empty() && !words.contains(['\n', '\r', '[', ']', '{', '}', '\\', '`'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_ascii_letters_and_digits() {
        assert_eq!(slug("Xi Jinping"), "xi-jinping");
        assert_eq!(slug("  Sergey  Lavrov’s "), "sergey-lavrov-s");
        assert_eq!(slug("Кремль"), "");
        assert_eq!(slug("U.S. State Dept."), "u-s-state-dept");
        assert_eq!(slug("—Gazprom—"), "gazprom");
    }

    #[test]
    fn blank_lines_are_found_with_any_line_break() {
        assert!(crosses_blank_line("a\n\nb"));
        assert!(crosses_blank_line("a\n \t\nb"));
        assert!(crosses_blank_line("a\r\n\r\nb"));
        assert!(crosses_blank_line("a\r\rb"));
        assert!(!crosses_blank_line("a\nb\r\nc"));
        assert!(!crosses_blank_line("a\n"));
    }
}
