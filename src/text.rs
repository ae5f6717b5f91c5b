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
    /// For a text that is not all ASCII, what precedes every `STRIDE`-th
    /// byte: a column is then counted over at most `STRIDE` bytes, however
    /// long its line (a megabyte on one line, a finding every few bytes).
    /// Empty for ASCII, where columns are byte differences.
    checkpoints: Vec<Counts>,
}

/// How far apart [`LineIndex::checkpoints`] are: 8 bytes of index per 4 KiB.
const STRIDE: usize = 4096;

/// Characters and UTF-16 code units in a stretch of UTF-8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    chars: u32,
    utf16: u32,
}

impl Counts {
    /// Counted on bytes, not decoded characters: every byte that is not a
    /// continuation byte starts a character, and those of four bytes take
    /// two UTF-16 units. So a stretch may start or end inside a character:
    /// the character counts where its first byte is.
    fn of(bytes: &[u8]) -> Counts {
        let (mut chars, mut astral) = (0u32, 0u32);
        for &b in bytes {
            chars += u32::from((b as i8) >= -0x40);
            astral += u32::from(b >= 0xF0);
        }
        Counts { chars, utf16: chars + astral }
    }

    fn units(self, encoding: Encoding) -> u32 {
        match encoding {
            Encoding::Utf8 => unreachable!("UTF-8 columns are byte differences"),
            Encoding::Utf16 => self.utf16,
            Encoding::Utf32 => self.chars,
        }
    }
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
        let checkpoints = if text.is_ascii() {
            Vec::new()
        } else {
            let mut total = Counts::default();
            let mut checkpoints = Vec::with_capacity(bytes.len() / STRIDE + 1);
            checkpoints.push(total);
            for chunk in bytes.chunks_exact(STRIDE) {
                let counts = Counts::of(chunk);
                total = Counts { chars: total.chars + counts.chars, utf16: total.utf16 + counts.utf16 };
                checkpoints.push(total);
            }
            checkpoints
        };
        LineIndex { line_starts, len: bytes.len() as u32, checkpoints }
    }

    /// What precedes byte `offset` of the text, counted from the nearest
    /// checkpoint before it.
    fn counts_before(&self, bytes: &[u8], offset: usize) -> Counts {
        let k = offset / STRIDE;
        let base = self.checkpoints[k];
        let rest = Counts::of(&bytes[k * STRIDE..offset]);
        Counts { chars: base.chars + rest.chars, utf16: base.utf16 + rest.utf16 }
    }

    /// The column of `offset` on the line starting at `start`, counted in
    /// units of a non-UTF-8 encoding, over at most about `2 * STRIDE` bytes.
    fn units_between(&self, bytes: &[u8], start: usize, offset: usize, encoding: Encoding) -> u32 {
        if self.checkpoints.is_empty() {
            (offset - start) as u32
        } else if offset - start <= STRIDE {
            Counts::of(&bytes[start..offset]).units(encoding)
        } else {
            self.counts_before(bytes, offset).units(encoding) - self.counts_before(bytes, start).units(encoding)
        }
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
            _ => self.units_between(text.as_bytes(), start, offset, encoding),
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
        let (start, end) = (range.start as usize, range.end as usize);
        if encoding == Encoding::Utf8 || self.checkpoints.is_empty() {
            // A column is a byte count (or, in ASCII, a character count).
            let mut at = (start + pos.col as usize).min(end);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return Some(at);
        }
        // Start from the last checkpoint of the line at or before the
        // column, if any: at most `STRIDE` bytes are walked.
        let bytes = text.as_bytes();
        let line_units = |at: usize| self.counts_before(bytes, at).units(encoding);
        let target = line_units(start).saturating_add(pos.col);
        let (first, last) = (start.div_ceil(STRIDE), end / STRIDE);
        let mut from = (start, 0);
        if first <= last {
            let within = &self.checkpoints[first..=last];
            let k = within.partition_point(|c| c.units(encoding) <= target);
            if k > 0 {
                let at = (first + k - 1) * STRIDE;
                from = (at, within[k - 1].units(encoding) - line_units(start));
                // A checkpoint inside a character counted it already.
                while !text.is_char_boundary(from.0) {
                    from.0 += 1;
                }
            }
        }
        Some(from.0 + byte_len_of_columns([&text[from.0..end]], pos.col - from.1, encoding))
    }
}

/// A text's line index with the encoding its columns are counted in:
/// every conversion between byte offsets and line/column positions for a
/// client goes through one, so none can forget the encoding.
#[derive(Clone, Copy)]
pub struct Positions<'a> {
    text: &'a str,
    index: &'a LineIndex,
    encoding: Encoding,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> Positions<'a> {
        Positions { text, index, encoding }
    }

    /// See [`LineIndex::line_col`].
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.index.line_col(self.text, offset, self.encoding)
    }

    /// See [`LineIndex::offset`].
    pub fn offset(&self, position: LineCol) -> Option<usize> {
        self.index.offset(self.text, position, self.encoding)
    }

    /// Both ends of a range. An id token (ASCII, on one line) ends as many
    /// units after its start in every encoding: no second count.
    pub fn range(&self, range: TextRange) -> (LineCol, LineCol) {
        let start = self.line_col(range.start as usize);
        let short_ascii = self
            .text
            .get(range.as_range())
            .is_some_and(|s| s.len() <= 64 && s.bytes().all(|b| b.is_ascii() && b != b'\n' && b != b'\r'));
        let end = if short_ascii {
            LineCol { line: start.line, col: start.col + range.len() as u32 }
        } else {
            self.line_col(range.end as usize)
        };
        (start, end)
    }
}

impl<'a> Positions<'a> {
    /// How many columns `range` (on one line) is wide.
    pub fn width(&self, range: TextRange) -> u32 {
        let bytes = &self.text.as_bytes()[range.as_range()];
        match self.encoding {
            Encoding::Utf8 => bytes.len() as u32,
            encoding => Counts::of(bytes).units(encoding),
        }
    }

    /// A converter for offsets given in increasing order (a document's
    /// semantic tokens): each is counted on from the one before when both
    /// are on one line, so a hundred thousand tokens on one long line cost
    /// that line's length once, not a count from a checkpoint each.
    pub fn walk(&self) -> Walk<'a> {
        let line_end = self.index.line_starts.get(1).map_or(usize::MAX, |&s| s as usize);
        Walk { positions: *self, last: 0, at: LineCol { line: 0, col: 0 }, line_end }
    }
}

/// See [`Positions::walk`].
pub struct Walk<'a> {
    positions: Positions<'a>,
    /// The offset converted last, its position, and where its line ends
    /// (the next line's start).
    last: usize,
    at: LineCol,
    line_end: usize,
}

/// How many lines [`Walk::line_col`] steps over before it searches: the
/// tokens of a note are a line or two apart, where a search costs a dozen
/// probes of a large index.
const WALK_STEPS: usize = 4;

impl Walk<'_> {
    /// The position of `offset`, a character boundary at or after the one
    /// converted before (else it is converted from scratch).
    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let p = &self.positions;
        let starts = &p.index.line_starts;
        if offset >= self.last && offset < self.line_end {
            self.at.col += p.width(TextRange::new(self.last, offset));
        } else {
            let mut line = self.at.line as usize;
            let mut steps = 0;
            if offset >= self.last {
                // A later line: its start is the last one at or before `offset`.
                while steps < WALK_STEPS && line + 1 < starts.len() && starts[line + 1] as usize <= offset {
                    line += 1;
                    steps += 1;
                }
            }
            let found = steps > 0 && starts.get(line + 1).is_none_or(|&next| next as usize > offset);
            self.at = if found {
                let start = starts[line] as usize;
                let col = match p.encoding {
                    Encoding::Utf8 => (offset - start) as u32,
                    encoding => p.index.units_between(p.text.as_bytes(), start, offset, encoding),
                };
                LineCol { line: line as u32, col }
            } else {
                p.line_col(offset)
            };
            let next = self.at.line as usize + 1;
            self.line_end = if next < p.index.line_count() { starts[next] as usize } else { usize::MAX };
        }
        self.last = offset;
        self.at
    }
}

/// How many bytes of a line's content (given in pieces, as a rope holds
/// it) the first `col` columns cover: a column past the end stops at the
/// end, one inside a character at that character's start. The one column
/// walker for text that is not in a [`LineIndex`].
pub fn byte_len_of_columns<'a>(pieces: impl IntoIterator<Item = &'a str>, col: u32, encoding: Encoding) -> usize {
    let mut units = 0u32;
    let mut bytes = 0usize;
    for piece in pieces {
        for c in piece.chars() {
            let w = encoding.width(c);
            if units + w > col {
                return bytes;
            }
            units += w;
            bytes += c.len_utf8();
        }
    }
    bytes
}

/// A position in a rope as a char index, with [`LineIndex::offset`]'s
/// clamping; one past the last line, at column 0, is the end.
fn rope_char(rope: &ropey::Rope, at: LineCol, encoding: Encoding) -> Option<usize> {
    let line_index = at.line as usize;
    if line_index >= rope.len_lines() {
        // Where an edit appending at the very end points.
        return (line_index == rope.len_lines() && at.col == 0).then(|| rope.len_chars());
    }
    let line = rope.line(line_index);
    // The line's content, without its terminator.
    let mut content = line.len_bytes();
    while content > 0 && matches!(line.byte(content - 1), b'\n' | b'\r') {
        content -= 1;
    }
    let bytes = byte_len_of_columns(line.byte_slice(..content).chunks(), at.col, encoding);
    Some(rope.byte_to_char(rope.line_to_byte(line_index) + bytes))
}

/// Replaces `start..end` (in either order) of an editor's text held as a
/// rope; `false`, changing nothing, when either end is past the text.
pub fn apply_edit(rope: &mut ropey::Rope, start: LineCol, end: LineCol, new_text: &str, encoding: Encoding) -> bool {
    let (Some(start), Some(end)) = (rope_char(rope, start, encoding), rope_char(rope, end, encoding)) else {
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

    /// The walk gives what converting each offset alone gives, whatever
    /// the line lengths and the characters between the offsets.
    #[test]
    fn a_walk_over_increasing_offsets_matches_one_by_one_conversion() {
        let text = format!("’ — Кремль 中俄 😀 @a\r\n\n{} end\rlast 😀", "b😀 @c ".repeat(2000));
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).step_by(3).collect();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let positions = Positions::new(&text, &index, encoding);
            let mut walk = positions.walk();
            for &at in &offsets {
                assert_eq!(walk.line_col(at), positions.line_col(at), "{encoding:?} at {at}");
            }
            // Going back starts afresh.
            assert_eq!(walk.line_col(5), positions.line_col(5));
            let token = TextRange::new(text.find("😀").unwrap(), text.find(" @a").unwrap());
            assert_eq!(positions.width(token), [4, 2, 1][encoding as usize]);
        }
    }

    /// Offsets a line or a few apart (stepped over) and many lines apart
    /// (searched), on lines empty, short and long, with `\r\n` and lone
    /// `\r` ends, land where a conversion of each alone does.
    #[test]
    fn a_walk_that_steps_over_lines_or_searches_matches_one_by_one_conversion() {
        let mut text = String::new();
        for k in 0..400 {
            let line = ["", "a", "😀 Кр", "x — y 中俄 @z", "\r"][k % 5].repeat(1 + k % 7);
            text.push_str(&line);
            text.push_str(if k % 3 == 0 { "\r\n" } else { "\n" });
        }
        let index = LineIndex::new(&text);
        let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for gap in [1, 2, 5, 13, 40, 97, 300] {
            for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let positions = Positions::new(&text, &index, encoding);
                let mut walk = positions.walk();
                for &at in boundaries.iter().step_by(gap) {
                    assert_eq!(walk.line_col(at), positions.line_col(at), "{encoding:?} gap {gap} at {at}");
                }
            }
        }
    }

    /// Columns on lines longer than the checkpoint stride, with characters
    /// of every width straddling the checkpoints, agree with a plain walk
    /// from the line's start, both ways.
    #[test]
    fn columns_on_long_lines_match_a_plain_walk() {
        let piece = "a’😀Кр中 — x";
        let text = format!("short ’ line\n{}\r\n{}\nend😀", piece.repeat(900), "b😀".repeat(3000));
        let index = LineIndex::new(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for line in 0..index.line_count() {
                let range = index.line_range(&text, line);
                let mut col = 0u32;
                for (i, c) in range.of(&text).char_indices().chain([(range.len(), ' ')]) {
                    let at = range.start as usize + i;
                    let pos = LineCol { line: line as u32, col };
                    assert_eq!(index.line_col(&text, at, encoding), pos, "{encoding:?} at {at}");
                    assert_eq!(index.offset(&text, pos, encoding), Some(at), "{encoding:?} {pos:?}");
                    if encoding.width(c) > 1 {
                        // Inside the character: its start.
                        let inside = LineCol { line: line as u32, col: col + 1 };
                        assert_eq!(index.offset(&text, inside, encoding), Some(at), "{encoding:?} {inside:?}");
                    }
                    col += encoding.width(c);
                }
                let past = LineCol { line: line as u32, col: col + 5 };
                assert_eq!(index.offset(&text, past, encoding), Some(range.end as usize));
            }
        }
    }
}
