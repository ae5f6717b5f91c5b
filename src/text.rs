//! Byte ranges and the one place that turns byte offsets into line/column
//! positions and back, in any of the three encodings a client may speak.
//!
//! Everything inside Dossier is a byte offset into a document's UTF-8 text.
//! Lines end at LF, CR or CRLF, exactly as LSP defines them.

use std::fmt;

/// A half-open byte range `start..end` into one document's text.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start: start as u32, end: end as u32 }
    }

    pub fn empty(at: usize) -> Self {
        TextRange::new(at, at)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Containment for a cursor: the end is included, so a cursor just past a
    /// token (`@putin|`) still counts as on it, as editors expect.
    pub fn contains_inclusive(self, offset: usize) -> bool {
        self.start as usize <= offset && offset <= self.end as usize
    }

    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn of(self, text: &str) -> &str {
        &text[self.as_range()]
    }

    /// The same range without its first byte: an id without its sigil.
    pub fn without_sigil(self) -> TextRange {
        TextRange { start: (self.start + 1).min(self.end), end: self.end }
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// How a column counts: UTF-8 bytes, UTF-16 code units or Unicode scalar values.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    fn width(self, c: char) -> u32 {
        match self {
            Encoding::Utf8 => c.len_utf8() as u32,
            Encoding::Utf16 => c.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// A zero-based line and a column counted in some [`Encoding`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Where each line of a text starts. Built once per document version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the first character of every line; `line_starts[0] == 0`.
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 40 + 1);
        line_starts.push(0);
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
            line_starts.push(next as u32);
            i = next;
        }
        // Kept as long as the document: give back the guessed slack.
        line_starts.shrink_to_fit();
        LineIndex { line_starts, len: bytes.len() as u32 }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of a line without its terminator.
    pub fn line_range(&self, text: &str, line: usize) -> TextRange {
        let start = self.line_starts[line] as usize;
        let mut end = self.line_starts.get(line + 1).map_or(self.len as usize, |&s| s as usize);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        TextRange::new(start, end)
    }

    /// The zero-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&(offset as u32)) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset → line/column. An offset inside a character or past the
    /// end is moved back to the nearest character boundary.
    pub fn line_col(&self, text: &str, offset: usize, encoding: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let col = match encoding {
            Encoding::Utf8 => (offset - start) as u32,
            _ => text[start..offset].chars().map(|c| encoding.width(c)).sum(),
        };
        LineCol { line: line as u32, col }
    }

    /// Line/column → byte offset. A column past the end of its line is
    /// clamped to the line's end, and one inside a character (half a UTF-16
    /// surrogate pair, the middle of a UTF-8 sequence) to that character's
    /// start. A line past the last one is `None`.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: Encoding) -> Option<usize> {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return None;
        }
        let range = self.line_range(text, line);
        let line_text = range.of(text);
        let mut col = 0u32;
        for (i, c) in line_text.char_indices() {
            let w = encoding.width(c);
            if col + w > pos.col {
                return Some(range.start as usize + i);
            }
            col += w;
        }
        Some(range.end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_lf_cr_and_crlf() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        assert_eq!(index.line_range(text, 1).of(text), "b");
        assert_eq!(index.line_range(text, 2).of(text), "c");
        assert_eq!(index.line_range(text, 3).of(text), "d");
        assert_eq!(index.line_col(text, 7, Encoding::Utf8), LineCol { line: 3, col: 0 });
    }

    #[test]
    fn columns_in_every_encoding() {
        // ’ is 3 bytes / 1 unit, 😀 is 4 bytes / 2 UTF-16 units, Кр 2 bytes each.
        let text = "x\n’😀Кр @putin";
        let index = LineIndex::new(text);
        let at = text.find('@').unwrap();
        assert_eq!(index.line_col(text, at, Encoding::Utf8), LineCol { line: 1, col: 12 });
        assert_eq!(index.line_col(text, at, Encoding::Utf16), LineCol { line: 1, col: 6 });
        assert_eq!(index.line_col(text, at, Encoding::Utf32), LineCol { line: 1, col: 5 });
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let pos = index.line_col(text, at, enc);
            assert_eq!(index.offset(text, pos, enc), Some(at));
        }
    }

    #[test]
    fn offsets_clamp_past_line_end_and_inside_characters() {
        let text = "a😀\nb";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 99 }, Encoding::Utf16), Some(5));
        // col 2 is the middle of the surrogate pair: clamp to the emoji's start.
        assert_eq!(index.offset(text, LineCol { line: 0, col: 2 }, Encoding::Utf16), Some(1));
        assert_eq!(index.offset(text, LineCol { line: 2, col: 0 }, Encoding::Utf16), None);
        assert_eq!(index.line_col(text, 3, Encoding::Utf16), LineCol { line: 0, col: 1 });
    }
}
