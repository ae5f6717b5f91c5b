//! What the client sends, in core terms: the position encoding it offers,
//! positions and ranges as byte offsets, incremental edits applied to a
//! rope, URIs as paths, file events, the id a code lens is about. Columns
//! are counted by `text`'s one walker.

use std::path::PathBuf;

use ropey::Rope;
use tower_lsp::lsp_types::{CodeLens, FileChangeType, Position, PositionEncodingKind, Range, Url};

use super::to_lsp::LensData;
use crate::analysis::FileEvent;
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
