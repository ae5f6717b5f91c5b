//! The one place where LSP positions meet Dossier's byte offsets: ranges out,
//! positions in, and incremental edits applied to ropes, all in the position
//! encoding negotiated at `initialize`.

use ropey::Rope;
use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

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

pub fn encoding_kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

pub fn position(document: &Document, offset: usize, encoding: Encoding) -> Position {
    let lc = document.line_index().line_col(&document.text, offset, encoding);
    Position { line: lc.line, character: lc.col }
}

pub fn range(document: &Document, range: TextRange, encoding: Encoding) -> Range {
    let start = position(document, range.start as usize, encoding);
    // An id token (ASCII, one line) ends as many units after its start in
    // every encoding: no second walk from the line's start.
    let short_ascii = document
        .text
        .get(range.start as usize..range.end as usize)
        .is_some_and(|s| s.len() <= 64 && s.bytes().all(|b| b.is_ascii() && b != b'\n' && b != b'\r'));
    let end = if short_ascii {
        Position { line: start.line, character: start.character + range.len() as u32 }
    } else {
        position(document, range.end as usize, encoding)
    };
    Range { start, end }
}

/// A position in a document as a byte offset; a column past its line's end
/// is clamped, a line past the end is `None`.
pub fn offset(document: &Document, position: Position, encoding: Encoding) -> Option<usize> {
    let lc = LineCol { line: position.line, col: position.character };
    document.line_index().offset(&document.text, lc, encoding)
}

/// A position in a rope as a char index, with the same clamping rules.
fn rope_char(rope: &Rope, position: Position, encoding: Encoding) -> Option<usize> {
    let line_index = position.line as usize;
    if line_index >= rope.len_lines() {
        // One past the last line is where an edit appending at the very end points.
        return (line_index == rope.len_lines() && position.character == 0).then(|| rope.len_chars());
    }
    let line = rope.line(line_index);
    // The line's content, without its terminator.
    let mut content = line.len_bytes();
    while content > 0 && matches!(line.byte(content - 1), b'\n' | b'\r') {
        content -= 1;
    }
    let bytes = text::byte_len_of_columns(line.byte_slice(..content).chunks(), position.character, encoding);
    Some(rope.byte_to_char(rope.line_to_byte(line_index) + bytes))
}

/// Applies one incremental change; `false` when its range is outside the text.
pub fn apply_change(rope: &mut Rope, range: Range, new_text: &str, encoding: Encoding) -> bool {
    let (Some(start), Some(end)) = (rope_char(rope, range.start, encoding), rope_char(rope, range.end, encoding))
    else {
        return false;
    };
    let (start, end) = if start <= end { (start, end) } else { (end, start) };
    rope.remove(start..end);
    rope.insert(start, new_text);
    true
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
