//! What the client sends, in core terms: the position encoding it offers,
//! positions and ranges as byte offsets, incremental edits applied to a
//! rope, URIs as paths, file events, the id a code lens is about. Columns
//! are counted by `text`'s one walker.

use std::path::PathBuf;

use ropey::Rope;
use tower_lsp::lsp_types::{
    ClientCapabilities, CodeActionKind, CodeLens, Diagnostic, FileChangeType, NumberOrString, Position,
    PositionEncodingKind, Range, ResourceOperationKind, Url,
};

use super::to_lsp::{FixAllData, LensData};
use crate::analysis::{ActionOptions, FileEvent, Wanted};
use crate::diagnostic::Rule;
use crate::syntax::Namespace;
use crate::text::{self, Encoding, LineCol, TextRange};
use crate::workspace::Document;

/// UTF-8 when the client offers it (no conversion at all), else UTF-16, the
/// protocol's default.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

/// A position in a document as a byte offset; a column past its line's end
/// is clamped, a line past the end is `None`.
pub fn offset(document: &Document, position: Position, encoding: Encoding) -> Option<usize> {
    document.positions(encoding).offset(LineCol { line: position.line, col: position.character })
}

/// A range in a document as byte offsets, its ends ordered; `None` when
/// a line is past the end.
pub fn range(document: &Document, range: Range, encoding: Encoding) -> Option<TextRange> {
    let start = offset(document, range.start, encoding)?;
    let end = offset(document, range.end, encoding)?;
    Some(TextRange::new(start.min(end), start.max(end)))
}

/// The findings a client says are at a code action's place, by rule and
/// range (those of other tools, or outside the text, are left out).
pub fn reported(document: &Document, diagnostics: &[Diagnostic], encoding: Encoding) -> Vec<(Rule, TextRange)> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let Some(NumberOrString::String(code)) = &d.code else { return None };
            Some((Rule::from_id(code)?, range(document, d.range, encoding)?))
        })
        .collect()
}

/// What a code action request asks for (`context.only`): the quick fixes,
/// the refactors, and whether the fix-all action (`fix_all_kind`). A kind
/// asked for covers the kinds under it (`source` covers
/// `source.fixAll.dossier`); without `only`, everything.
pub fn wanted_actions(only: Option<&[CodeActionKind]>, fix_all_kind: &str) -> (Wanted, bool) {
    let Some(only) = only else { return (Wanted::ALL, true) };
    let covers = |kind: &str| {
        only.iter().any(|asked| {
            let asked = asked.as_str();
            kind == asked || kind.strip_prefix(asked).is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let wanted = Wanted {
        quick_fixes: covers(CodeActionKind::QUICKFIX.as_str()),
        refactors: covers(CodeActionKind::REFACTOR_REWRITE.as_str()),
    };
    (wanted, covers(fix_all_kind))
}

/// What the client can do with a `WorkspaceEdit`: versioned document
/// edits (`documentChanges`), and creating files as well.
pub fn edit_support(capabilities: &ClientCapabilities) -> (bool, ActionOptions) {
    let edit = capabilities.workspace.as_ref().and_then(|w| w.workspace_edit.as_ref());
    let versioned = edit.and_then(|e| e.document_changes).unwrap_or(false);
    let create = edit
        .and_then(|e| e.resource_operations.as_ref())
        .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create));
    (versioned, ActionOptions { create_files: versioned && create })
}

/// Whether the client resolves a code action's edit later
/// (`codeAction/resolve`), keeping the `data` it was sent with: then a
/// costly edit can wait until the analyst picks its action.
pub fn resolves_action_edits(capabilities: &ClientCapabilities) -> bool {
    let action = capabilities.text_document.as_ref().and_then(|t| t.code_action.as_ref());
    action.is_some_and(|a| {
        a.data_support == Some(true)
            && a.resolve_support.as_ref().is_some_and(|r| r.properties.iter().any(|p| p == "edit"))
    })
}

/// The note whose fix-all action is to be resolved, from the `data` the
/// server gave it; `None` for an action the server did not make.
pub fn fix_all_subject(action: &tower_lsp::lsp_types::CodeAction) -> Option<Url> {
    let data = action.data.as_ref()?;
    serde_json::from_value::<FixAllData>(data.clone()).ok().map(|d| d.fix_all)
}

pub fn path(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok()
}

pub fn file_event(kind: FileChangeType) -> FileEvent {
    match kind {
        FileChangeType::CREATED => FileEvent::Created,
        FileChangeType::DELETED => FileEvent::Deleted,
        _ => FileEvent::Changed,
    }
}

/// Applies one incremental change; `false` when its range is outside the text.
pub fn apply_change(rope: &mut Rope, range: Range, new_text: &str, encoding: Encoding) -> bool {
    let at = |p: Position| LineCol { line: p.line, col: p.character };
    text::apply_edit(rope, at(range.start), at(range.end), new_text, encoding)
}

/// A range the client shows (a visible range) as bytes: an end past the
/// last line is the end of the text; a start past it leaves nothing.
pub fn shown_range(document: &Document, range: Range, encoding: Encoding) -> Option<TextRange> {
    let start = offset(document, range.start, encoding)?;
    let end = offset(document, range.end, encoding).unwrap_or(document.text.len());
    Some(TextRange::new(start, end.max(start)))
}

/// The id a code lens of ours is about, from the data it was sent with:
/// the document, the namespace and the name.
pub fn lens_subject(lens: &CodeLens) -> Option<(Url, Namespace, String)> {
    let data: LensData = serde_json::from_value(lens.data.clone()?).ok()?;
    let namespace = Namespace::from_sigil(*data.id.as_bytes().first()?)?;
    Some((data.uri, namespace, data.id[1..].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn edits_after_non_ascii_text_land_on_the_right_character() {
        let start = "’ — Кремль 中俄 😀 @putin\nnext";
        for (encoding, col) in [(Encoding::Utf16, 17), (Encoding::Utf8, 33)] {
            let mut rope = Rope::from_str(start);
            assert!(apply_change(&mut rope, Range { start: pos(0, col), end: pos(0, col + 1) }, "^", encoding));
            assert_eq!(rope.to_string(), "’ — Кремль 中俄 😀 ^putin\nnext", "{encoding:?}");
        }
    }

    #[test]
    fn columns_past_the_line_end_clamp_and_lines_past_the_end_fail() {
        let mut rope = Rope::from_str("ab\r\ncd");
        assert!(apply_change(&mut rope, Range { start: pos(0, 99), end: pos(0, 99) }, "!", Encoding::Utf16));
        assert_eq!(rope.to_string(), "ab!\r\ncd");
        assert!(!apply_change(&mut rope, Range { start: pos(5, 0), end: pos(5, 0) }, "x", Encoding::Utf16));
        assert!(apply_change(&mut rope, Range { start: pos(1, 2), end: pos(1, 2) }, "\n", Encoding::Utf16));
        assert!(apply_change(&mut rope, Range { start: pos(2, 0), end: pos(2, 0) }, "end", Encoding::Utf16));
        assert_eq!(rope.to_string(), "ab!\r\ncd\nend");
    }
}
