//! Reparsing after an edit: only the paragraph the edit touched, when that
//! gives exactly what parsing the whole text would.
//!
//! A keystroke in a 200 KB note otherwise parses 200 KB. The markup cannot
//! run past a blank line (claims and definition blocks end there), but
//! Markdown can: a fenced code block or an HTML block spans blank lines, a
//! list item's indented paragraphs belong to it, and a link reference
//! definition anywhere changes what `[text]` means everywhere. So the short
//! way is taken only where none of that can be at play:
//!
//! - the edited stretch, widened to whole lines up to the nearest blank lines
//!   (the *region*), holds no blank line itself, and each of its lines starts
//!   with a character that only ever starts a paragraph line (a letter, a
//!   non-ASCII character, or one of `@ ^ { ( [ " '`): so it is one plain
//!   paragraph at the top level, which parses the same alone as in place;
//! - the old text's region (same start, same text after it) was one plain
//!   paragraph too, between the same blank lines, and not inside a Markdown
//!   block (code, HTML, front matter), which a blank line does not end;
//! - neither text has a `]:` anywhere (no link reference definitions);
//! - no item of the old parse straddles the region's ends.
//!
//! Otherwise the caller parses the whole text. Everything before the region
//! is kept, everything after it shifted, the region's items put in between.

use std::ops::Range;

use super::{Claim, Definition, Heading, Parse, Reference, SyntaxError, markdown, scanner};
use crate::text::TextRange;

/// The parse of `new_text`, from that of `old_text`, when the edit between
/// them allows it (see the module's doc); and its prose ranges when those
/// of the old text are given (a check without hints has none to give).
pub fn reparse(
    old_text: &str,
    old_parse: &Parse,
    old_prose: Option<&[TextRange]>,
    new_text: &str,
) -> Option<(Parse, Option<Vec<TextRange>>)> {
    reparse_region(old_text, old_parse, old_prose, new_text).map(|(parse, prose, _)| (parse, prose))
}

/// The paragraphs [`reparse_region`] parsed again: `start..old_end` of the
/// old text became `start..new_end` of the new one; every item of the parse
/// before `start` is the old one, every item after it the old one shifted.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Region {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
    /// Where the region's own references, claims and definitions are in
    /// the new parse's lists.
    pub references: Range<usize>,
    pub claims: Range<usize>,
    pub definitions: Range<usize>,
}

/// As [`reparse`], with the region parsed again.
pub fn reparse_region(
    old_text: &str,
    old_parse: &Parse,
    old_prose: Option<&[TextRange]>,
    new_text: &str,
) -> Option<(Parse, Option<Vec<TextRange>>, Region)> {
    let (old, new) = (old_text.as_bytes(), new_text.as_bytes());
    // The edit: what lies between the common prefix and the common suffix.
    let prefix = common_prefix(old, new);
    let room = old.len().min(new.len()) - prefix;
    let suffix = common_suffix(&old[prefix..], &new[prefix..]).min(room);
    let (edit_start, new_edit_end) = (prefix, new.len() - suffix);

    let start = region_start(new, edit_start);
    // The region goes on from the line of the last byte the edit wrote (or
    // of the deletion point) to the next blank line; it must hold the whole
    // edit, which an edit writing a blank line of its own defeats.
    let new_end = region_end(new, new_edit_end.saturating_sub(1).max(edit_start));
    let delta = new.len() as i64 - old.len() as i64;
    let old_end = new_end as i64 - delta;
    if new_end < new_edit_end || old_end < start as i64 {
        return None;
    }
    let old_end = old_end as usize;
    // The text after the region is the same in both, but in the old one it
    // must also follow a blank line: the region replaces whole paragraphs,
    // and what follows in the same paragraph (a code span running on, say)
    // depends on it. The old region too must be a plain paragraph: one that
    // opened a list, for one, made the indented lines after it part of it.
    if !ends_at_blank_line(old, old_end)
        || !is_plain_paragraph(&old[start..old_end])
        || !is_plain_paragraph(&new[start..new_end])
        || memchr::memmem::find(old, b"]:").is_some()
        || memchr::memmem::find(new, b"]:").is_some()
        || old_parse.blocks.iter().any(|b| (b.start as usize) < old_end && start < b.end as usize)
    {
        return None;
    }

    let region_text = &new_text[start..new_end];
    let (region, region_prose) = scanner::scan(region_text, markdown::layout(region_text, true), old_prose.is_some());
    if !region.blocks.is_empty() || !region.headings.is_empty() {
        return None;
    }
    let splice = Splice { start, old_end, delta };
    let (parse, [references, claims, definitions]) = splice.parse(old_parse, region)?;
    let prose = old_prose.map(|old| splice.prose(old, &region_prose));
    Some((parse, prose, Region { start, old_end, new_end, references, claims, definitions }))
}

/// Bytes compared a block at a time (a `memcmp` each) before one by one:
/// a keystroke in a 200 KB note, or `--fix` over 10,000 notes, compares
/// whole texts.
const BLOCK: usize = 64;

/// How many bytes `a` and `b` share from their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= n && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..n].iter().zip(&b[at..n]).take_while(|(x, y)| x == y).count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let mut end = n;
    while end >= BLOCK && a[end - BLOCK..end] == b[end - BLOCK..end] {
        end -= BLOCK;
    }
    n - end + a[..end].iter().rev().zip(b[..end].iter().rev()).take_while(|(x, y)| x == y).count()
}

/// The start of the line holding `at`, then back over the non-blank lines
/// before it: just after a blank line, or 0.
fn region_start(text: &[u8], at: usize) -> usize {
    let mut line = line_start(text, at);
    while line > 0 {
        // Back over the previous line's terminator (`\n`, `\r\n` or `\r`).
        let mut end = line - 1;
        if text[end] == b'\n' && end > 0 && text[end - 1] == b'\r' {
            end -= 1;
        }
        let previous = line_start(text, end);
        if is_blank(line_of(text, previous)) {
            break;
        }
        line = previous;
    }
    line
}

/// The end of the non-blank lines from the line holding `at` on: the start
/// of the next blank line (or the end of the text).
fn region_end(text: &[u8], at: usize) -> usize {
    let mut line = line_start(text, at);
    while line < text.len() && !is_blank(line_of(text, line)) {
        line = next_line(text, line);
    }
    line.min(text.len())
}

/// Where the line holding `at` starts; a line ends at `\n`, `\r\n` or a lone `\r`.
fn line_start(text: &[u8], at: usize) -> usize {
    let before = &text[..at.min(text.len())];
    memchr::memrchr2(b'\n', b'\r', before).map_or(0, |p| p + 1)
}

/// The line starting at `line`, without its terminator.
fn line_of(text: &[u8], line: usize) -> &[u8] {
    let rest = &text[line..];
    &rest[..memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len())]
}

/// The start of the line after the one starting at `line`.
fn next_line(text: &[u8], line: usize) -> usize {
    let end = line + line_of(text, line).len();
    match text.get(end) {
        Some(b'\r') if text.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => end + 1,
        None => end,
    }
}

/// Whether `at` is the end of the text, or the start of a blank line.
fn ends_at_blank_line(text: &[u8], at: usize) -> bool {
    let line_start = match at.checked_sub(1).map(|before| text[before]) {
        None | Some(b'\n') => true,
        Some(b'\r') => text.get(at) != Some(&b'\n'),
        Some(_) => false,
    };
    at == text.len() || (line_start && is_blank(line_of(text, at)))
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t'))
}

/// Whether every line of `region` is a non-blank line that can only go on
/// or start a plain paragraph.
fn is_plain_paragraph(region: &[u8]) -> bool {
    let mut line = 0;
    while line < region.len() {
        let content = line_of(region, line);
        let starts_paragraph = content.first().is_some_and(|&b| {
            b.is_ascii_alphabetic() || b >= 0x80 || matches!(b, b'@' | b'^' | b'{' | b'(' | b'[' | b'"' | b'\'')
        });
        if !starts_paragraph {
            return false;
        }
        line = next_line(region, line);
    }
    true
}

/// Where the region sits: `start..old_end` in the old text, `start..old_end
/// + delta` in the new one.
struct Splice {
    start: usize,
    old_end: usize,
    delta: i64,
}

impl Splice {
    fn at(&self, offset: u32) -> u32 {
        (offset as i64 + self.delta) as u32
    }

    fn shift(&self, range: TextRange) -> TextRange {
        TextRange { start: self.at(range.start), end: self.at(range.end) }
    }

    fn placed(&self, range: TextRange) -> TextRange {
        let by = self.start as u32;
        TextRange { start: range.start + by, end: range.end + by }
    }

    /// The items of `old` before the region and after it, or `None` when
    /// one straddles either end.
    fn split<'p, T>(&self, old: &'p [T], range: impl Fn(&T) -> TextRange) -> Option<(&'p [T], &'p [T])> {
        let before = old.partition_point(|item| (range(item).start as usize) < self.start);
        let after = old.partition_point(|item| (range(item).start as usize) < self.old_end);
        let (head, tail) = (&old[..before], &old[after..]);
        let clean = head.last().is_none_or(|item| range(item).end as usize <= self.start)
            && old[before..after].iter().all(|item| range(item).end as usize <= self.old_end);
        clean.then_some((head, tail))
    }

    /// The new parse, and where the region's references, claims and
    /// definitions are in it.
    fn parse(&self, old: &Parse, region: Parse) -> Option<(Parse, [Range<usize>; 3])> {
        let (refs_head, refs_tail) = self.split(&old.references, |r| r.range)?;
        let (claims_head, claims_tail) = self.split(&old.claims, |c| c.range)?;
        let (defs_head, defs_tail) = self.split(&old.definitions, |d| d.range)?;
        let (headings_head, headings_tail) = self.split(&old.headings, |h| h.range)?;
        if !old.errors.is_sorted_by_key(|e| e.range.start) {
            return None;
        }
        let (errors_head, errors_tail) = self.split(&old.errors, |e| e.range)?;
        let (blocks_head, blocks_tail) = self.split(&old.blocks, |b| *b)?;
        // Items after the region point at claims and references by index.
        let claims_before = claims_head.len() as u32;
        let claim_shift =
            claims_before as i64 + region.claims.len() as i64 - (old.claims.len() - claims_tail.len()) as i64;
        let refs_before = refs_head.len() as u32;
        let ref_shift =
            refs_before as i64 + region.references.len() as i64 - (old.references.len() - refs_tail.len()) as i64;
        let renumber = |index: u32, by: i64| (index as i64 + by) as u32;

        let mut references = Vec::with_capacity(refs_head.len() + region.references.len() + refs_tail.len());
        references.extend_from_slice(refs_head);
        references.extend(region.references.iter().map(|r| {
            Reference::new(
                r.namespace(),
                self.placed(r.range),
                self.role_placed(r),
                r.claim().map(|c| c + claims_before),
            )
        }));
        references.extend(refs_tail.iter().map(|r| {
            Reference::new(
                r.namespace(),
                self.shift(r.range),
                self.role_shifted(r),
                r.claim().map(|c| renumber(c, claim_shift)),
            )
        }));

        let mut claims = Vec::with_capacity(claims_head.len() + region.claims.len() + claims_tail.len());
        claims.extend_from_slice(claims_head);
        let place = |r: TextRange| self.placed(r);
        claims.extend(region.claims.iter().map(|c| {
            let refs = c.refs.start + refs_before..c.refs.end + refs_before;
            Claim::relocated(c, &place, refs)
        }));
        let shift = |r: TextRange| self.shift(r);
        claims.extend(claims_tail.iter().map(|c| {
            let refs = renumber(c.refs.start, ref_shift)..renumber(c.refs.end, ref_shift);
            Claim::relocated(c, &shift, refs)
        }));

        let definitions = joined(defs_head, &region.definitions, defs_tail, self);
        let headings = joined(headings_head, &region.headings, headings_tail, self);
        let errors = joined(errors_head, &region.errors, errors_tail, self);
        let blocks = joined(blocks_head, &region.blocks, blocks_tail, self);
        let placed = [
            refs_head.len()..refs_head.len() + region.references.len(),
            claims_head.len()..claims_head.len() + region.claims.len(),
            defs_head.len()..defs_head.len() + region.definitions.len(),
        ];
        Some((Parse { references, claims, definitions, headings, errors, blocks }, placed))
    }

    fn role_placed(&self, r: &Reference) -> super::Role {
        map_role(r.role(), |range| self.placed(range))
    }

    fn role_shifted(&self, r: &Reference) -> super::Role {
        map_role(r.role(), |range| self.shift(range))
    }

    /// The prose ranges: the old ones cut at the region's ends, the region's
    /// own in between, and joined again where they meet (the whole parse
    /// never ends a prose range where the next one starts).
    fn prose(&self, old: &[TextRange], region: &[TextRange]) -> Vec<TextRange> {
        let (start, old_end) = (self.start as u32, self.old_end as u32);
        let mut out: Vec<TextRange> = Vec::with_capacity(old.len() + region.len());
        let mut push = |range: TextRange| {
            if range.start >= range.end {
                return;
            }
            match out.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => out.push(range),
            }
        };
        for &r in old.iter().take_while(|r| r.start < start) {
            push(TextRange { start: r.start, end: r.end.min(start) });
        }
        for &r in region {
            push(self.placed(r));
        }
        for &r in old.iter().filter(|r| r.end > old_end) {
            push(self.shift(TextRange { start: r.start.max(old_end), end: r.end }));
        }
        out
    }
}

fn map_role(role: super::Role, f: impl Fn(TextRange) -> TextRange) -> super::Role {
    use super::Role;
    match role {
        Role::Link { text } => Role::Link { text: f(text) },
        Role::Citation { locator } => Role::Citation { locator: locator.map(f) },
        other => other,
    }
}

/// An item of a parse that can be moved to other offsets as a whole.
trait Relocate {
    fn relocated(&self, f: &dyn Fn(TextRange) -> TextRange) -> Self;
}

impl Relocate for TextRange {
    fn relocated(&self, f: &dyn Fn(TextRange) -> TextRange) -> Self {
        f(*self)
    }
}

impl Relocate for Heading {
    fn relocated(&self, f: &dyn Fn(TextRange) -> TextRange) -> Self {
        Heading { range: f(self.range), ..self.clone() }
    }
}

impl Relocate for SyntaxError {
    fn relocated(&self, f: &dyn Fn(TextRange) -> TextRange) -> Self {
        SyntaxError { range: f(self.range), ..self.clone() }
    }
}

impl Relocate for Definition {
    fn relocated(&self, f: &dyn Fn(TextRange) -> TextRange) -> Self {
        Definition {
            namespace: self.namespace,
            id: f(self.id),
            title: f(self.title),
            range: f(self.range),
            fields: self.fields.iter().map(|field| super::Field { key: f(field.key), value: f(field.value) }).collect(),
            description: self.description.iter().map(|&r| f(r)).collect(),
            entry: self.entry.clone(),
        }
    }
}

/// `head`, then `region`'s items put in place, then `tail`'s shifted.
fn joined<T: Clone + Relocate>(head: &[T], region: &[T], tail: &[T], splice: &Splice) -> Vec<T> {
    let mut out = Vec::with_capacity(head.len() + region.len() + tail.len());
    out.extend_from_slice(head);
    out.extend(region.iter().map(|item| item.relocated(&|r| splice.placed(r))));
    out.extend(tail.iter().map(|item| item.relocated(&|r| splice.shift(r))));
    out
}

#[cfg(test)]
mod tests {
    use super::{BLOCK, common_prefix, common_suffix};

    #[test]
    fn shared_ends_are_counted_exactly_across_blocks() {
        let naive_prefix = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let naive_suffix = |a: &[u8], b: &[u8]| a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
        let base: Vec<u8> = (0..3 * BLOCK + 7).map(|i| b'a' + (i % 23) as u8).collect();
        for len in [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK, base.len()] {
            let a = &base[..len];
            for at in 0..=len {
                // One byte changed, inserted or removed at `at`.
                let mut changed = a.to_vec();
                if at < len {
                    changed[at] = b'#';
                }
                let mut inserted = a.to_vec();
                inserted.insert(at, b'#');
                let mut removed = a.to_vec();
                if at < len {
                    removed.remove(at);
                }
                for b in [&changed, &inserted, &removed, &a.to_vec()] {
                    assert_eq!(common_prefix(a, b), naive_prefix(a, b), "{len} {at}");
                    assert_eq!(common_suffix(a, b), naive_suffix(a, b), "{len} {at}");
                }
            }
        }
    }
}
