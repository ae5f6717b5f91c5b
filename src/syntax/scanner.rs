//! The markup scanner: walks the prose that the Markdown layer left visible
//! and finds mentions, claims and definition blocks.

use std::cell::Cell;

use super::markdown::{Layout, LinkForm, Mask};
use super::{
    Claim, Namespace, Parse, Reference, Role, SyntaxError, SyntaxErrorKind, definition, ident::id_end, metadata,
};
use crate::text::TextRange;

/// What a stretch of text may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Ordinary Markdown: claims, mentions, definition blocks.
    Prose,
    /// The text part of a claim: mentions only.
    ClaimText(u32),
    /// A definition's description line: mentions only, and not prose for
    /// `untagged-mention`.
    Description,
}

pub(super) struct Scanner<'t> {
    pub(super) text: &'t str,
    pub(super) bytes: &'t [u8],
    masks: Vec<Mask>,
    links: Vec<LinkForm>,
    pub(super) parse: Parse,
    /// Collected only when asked for (see [`super::prose`]).
    prose: Option<Vec<TextRange>>,
    /// Answers of the forward searches that a run of openers would repeat
    /// (`{{{{…`, `{a {a {a…` on one line): each answer holds for every later
    /// start up to where it was found, so the scan stays linear.
    memo: Memo,
}

/// See [`Scanner::memo`]. Every entry is `(searched from, answer)`, and
/// holds for any start from `searched from` up to the answer.
struct Memo {
    /// The next line break (or the text's end).
    line_end: Cell<(usize, usize)>,
    /// Per closer of a templating block (`}}`, `%}`, `}`): where it next
    /// occurs before `line_end` (`usize::MAX` for nowhere).
    closer: [Cell<(usize, usize)>; 3],
    /// A claim opened at `.0` found no `}` before `.1`: nor does any opened
    /// between them, since its search runs the same way from there on.
    unclosed: Cell<(usize, usize)>,
}

impl Memo {
    fn new() -> Memo {
        // `searched from` past every start: nothing is known yet.
        let none = || Cell::new((usize::MAX, 0));
        Memo { line_end: none(), closer: [none(), none(), none()], unclosed: none() }
    }
}

/// Scans a document; with `want_prose`, also returns its prose ranges.
pub fn scan(text: &str, layout: Layout, want_prose: bool) -> (Parse, Vec<TextRange>) {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        masks: layout.masks,
        links: layout.links,
        parse: Parse { headings: layout.headings, blocks: layout.blocks, ..Parse::default() },
        prose: want_prose.then(Vec::new),
        memo: Memo::new(),
    };
    scanner.scan_span(0, text.len(), Mode::Prose);
    let mut parse = scanner.parse;
    // Documents live as long as the workspace: give back the growth slack.
    parse.references.shrink_to_fit();
    parse.claims.shrink_to_fit();
    parse.definitions.shrink_to_fit();
    parse.errors.shrink_to_fit();
    let mut prose = scanner.prose.unwrap_or_default();
    prose.shrink_to_fit();
    (parse, prose)
}

/// Where a claim ends, found before its content is scanned (the last `|`
/// cannot be known earlier).
struct ClaimBounds {
    close: usize,
    last_pipe: Option<usize>,
    nested: Vec<usize>,
}

impl<'t> Scanner<'t> {
    /// The first mask that ends after `at`.
    fn mask_index(&self, at: usize) -> usize {
        self.masks.partition_point(|m| m.range.end as usize <= at)
    }

    fn link_index(&self, at: usize) -> usize {
        self.links.partition_point(|l| l.range.end as usize <= at)
    }

    fn is_line_start(&self, i: usize) -> bool {
        i == 0 || self.bytes[i - 1] == b'\n' || (self.bytes[i - 1] == b'\r' && self.bytes.get(i) != Some(&b'\n'))
    }

    fn scan_span(&mut self, start: usize, end: usize, mode: Mode) {
        let claim = match mode {
            Mode::ClaimText(index) => Some(index),
            _ => None,
        };
        let records_prose = mode != Mode::Description;
        let mut prose_start = start;
        let flush = |prose: &mut Option<Vec<TextRange>>, upto: usize, resume: usize, prose_start: &mut usize| {
            if let Some(prose) = prose.as_mut().filter(|_| records_prose && upto > *prose_start) {
                prose.push(TextRange::new(*prose_start, upto));
            }
            *prose_start = resume;
        };

        let mut mask_at = self.mask_index(start);
        let mut link_at = self.link_index(start);
        let mut i = start;
        // Where this span's own scanning last (re)started: its start, or the
        // end of a definition block, whose description lines were scanned apart.
        let mut resumed = start;
        // The next `^` at a line start at or after `i` (Prose only), found
        // lazily: with `@`, the only bytes a definition header starts with.
        let mut next_caret: Option<usize> = None;
        while i < end {
            while mask_at < self.masks.len() && self.masks[mask_at].range.end as usize <= i {
                mask_at += 1;
            }
            while link_at < self.links.len() && self.links[link_at].range.end as usize <= i {
                link_at += 1;
            }
            if let Some(mask) = self.masks.get(mask_at).filter(|m| m.range.start as usize <= i) {
                let mask_end = mask.range.end as usize;
                flush(&mut self.prose, i, mask_end, &mut prose_start);
                i = mask_end;
                continue;
            }
            if let Some(&link) = self.links.get(link_at).filter(|l| l.range.start as usize <= i) {
                // Where the `[` was scanned records the link: one opened in a
                // description line that runs on past the line (or the block)
                // is only skipped where the scan resumes inside it.
                if link.range.start as usize >= resumed {
                    let role = Role::Link { text: link.text };
                    self.parse.references.push(Reference::new(link.namespace, link.target, role, claim));
                }
                flush(&mut self.prose, i, link.range.end as usize, &mut prose_start);
                i = link.range.end as usize;
                continue;
            }

            // Plain text runs up to the next stop byte, mask or link.
            let limit = end
                .min(self.masks.get(mask_at).map_or(usize::MAX, |m| m.range.start as usize))
                .min(self.links.get(link_at).map_or(usize::MAX, |l| l.range.start as usize));
            i = match mode {
                Mode::Prose => {
                    // A definition starts a line with `@` or `^`: the scan
                    // stops at every `@` anyway, and at a `^` only where it
                    // starts a line, so the text is not walked line by line.
                    let caret = match next_caret {
                        Some(at) if at >= i => at,
                        _ => self.line_start_caret(i, end),
                    };
                    next_caret = Some(caret);
                    let upto = limit.min(caret);
                    memchr::memchr3(b'@', b'{', b'\\', &self.bytes[i..upto]).map_or(upto, |p| i + p)
                }
                _ => memchr::memchr2(b'@', b'\\', &self.bytes[i..limit]).map_or(limit, |p| i + p),
            };
            if i >= limit {
                continue;
            }
            if mode == Mode::Prose
                && self.is_line_start(i)
                && let Some(block_end) = self.definition_block(i)
            {
                flush(&mut self.prose, i, block_end, &mut prose_start);
                i = block_end;
                resumed = block_end;
                continue;
            }
            match self.bytes[i] {
                b'\\' => i += self.escape_len(i),
                b'@' => match self.short_mention(i) {
                    Some(id_end) => {
                        let range = TextRange::new(i, id_end);
                        self.parse.references.push(Reference::new(Namespace::Actor, range, Role::Mention, claim));
                        flush(&mut self.prose, i, id_end, &mut prose_start);
                        i = id_end;
                    }
                    None => i += 1,
                },
                b'{' => {
                    if let Some(skip_to) = self.templating_end(i) {
                        i = skip_to;
                    } else {
                        match self.claim_bounds(i) {
                            Some(bounds) => {
                                flush(&mut self.prose, i, bounds.close + 1, &mut prose_start);
                                let close = bounds.close;
                                self.claim(i, bounds);
                                i = close + 1;
                            }
                            None => {
                                self.error(SyntaxErrorKind::UnclosedClaim, TextRange::new(i, i + 1),
                                    "claim is never closed: add `}` before the paragraph ends, or write `\\{` for a literal brace".into());
                                i += 1;
                            }
                        }
                    }
                }
                _ => i += 1, // a `^` starting a line but no definition
            }
        }
        flush(&mut self.prose, end, end, &mut prose_start);
    }

    /// The first `^` at a line start in `from..end`, or `end`.
    fn line_start_caret(&self, from: usize, end: usize) -> usize {
        memchr::memchr_iter(b'^', &self.bytes[from..end])
            .map(|p| from + p)
            .find(|&at| self.is_line_start(at))
            .unwrap_or(end)
    }

    /// `\` escapes an ASCII punctuation character (CommonMark), which is then literal.
    fn escape_len(&self, i: usize) -> usize {
        if self.bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) { 2 } else { 1 }
    }

    /// `@id` where `@` does not follow a letter, digit, `_`, `.`, `@` or `\`.
    fn short_mention(&self, at: usize) -> Option<usize> {
        if let Some(prev) = self.text[..at].chars().next_back()
            && (prev.is_alphanumeric() || matches!(prev, '_' | '.' | '@' | '\\'))
        {
            return None;
        }
        id_end(self.bytes, at + 1)
    }

    /// A `{` that opens no claim (`{{ var }}`, `{% tag %}`, `{#anchor}`,
    /// `{.class}`, `{:attr}`, `{}`): where its block ends, so that its
    /// closing braces stay plain text too. Blocks close on their own line;
    /// an unclosed one is just its braces.
    fn templating_end(&self, at: usize) -> Option<usize> {
        let next = *self.bytes.get(at + 1).unwrap_or(&0);
        let after_brace = at > 0 && self.bytes[at - 1] == b'{';
        let (kind, close): (usize, &str) = match next {
            b'{' => (0, "}}"),
            b'%' => (1, "%}"),
            b'#' | b'.' | b':' => (2, "}"),
            b'}' => return Some(at + 2),
            _ if after_brace => return Some(at + 1),
            _ => return None,
        };
        let found = self.next_closer(kind, close, at + 2, self.line_end(at)).map(|p| p + close.len());
        Some(found.unwrap_or(at + 2))
    }

    /// The first line break at or after `from`, or the text's end.
    fn line_end(&self, from: usize) -> usize {
        let (searched, found) = self.memo.line_end.get();
        if searched <= from && from <= found {
            return found;
        }
        let found = memchr::memchr2(b'\n', b'\r', &self.bytes[from..]).map_or(self.bytes.len(), |p| from + p);
        self.memo.line_end.set((from, found));
        found
    }

    /// Where `close` first occurs in `from..line_end`. The memo's answer for
    /// an earlier start holds while it lies ahead: a later line's starts are
    /// all past it. "Nowhere" is remembered as `line_end`, where no closer
    /// can start.
    fn next_closer(&self, kind: usize, close: &str, from: usize, line_end: usize) -> Option<usize> {
        let from = from.min(line_end);
        let (searched, memo) = self.memo.closer[kind].get();
        let found = if searched <= from && from <= memo {
            memo
        } else {
            let found =
                memchr::memmem::find(&self.bytes[from..line_end], close.as_bytes()).map_or(line_end, |p| from + p);
            self.memo.closer[kind].set((from, found));
            found
        };
        (found < line_end).then_some(found)
    }

    /// Finds the `}` closing the claim opened at `open`, or `None` when a
    /// blank line, a block, a definition or the end of the text comes first.
    fn claim_bounds(&self, open: usize) -> Option<ClaimBounds> {
        let (earlier, stop) = self.memo.unclosed.get();
        if earlier < open && open < stop {
            return None;
        }
        self.search_close(open).map_err(|stop| self.memo.unclosed.set((open, stop))).ok()
    }

    /// [`Self::claim_bounds`], or where the search stopped without a `}`.
    fn search_close(&self, open: usize) -> Result<ClaimBounds, usize> {
        let mut mask_at = self.mask_index(open + 1);
        let mut link_at = self.link_index(open + 1);
        let mut last_pipe = None;
        let mut nested = Vec::new();
        let mut j = open + 1;
        loop {
            while mask_at < self.masks.len() && self.masks[mask_at].range.end as usize <= j {
                mask_at += 1;
            }
            while link_at < self.links.len() && self.links[link_at].range.end as usize <= j {
                link_at += 1;
            }
            if let Some(mask) = self.masks.get(mask_at).filter(|m| m.range.start as usize <= j) {
                if mask.block {
                    return Err(j);
                }
                j = mask.range.end as usize;
                continue;
            }
            if let Some(link) = self.links.get(link_at).filter(|l| l.range.start as usize <= j) {
                j = link.range.end as usize;
                continue;
            }
            let limit = self
                .bytes
                .len()
                .min(self.masks.get(mask_at).map_or(usize::MAX, |m| m.range.start as usize))
                .min(self.links.get(link_at).map_or(usize::MAX, |l| l.range.start as usize));
            // The next `{`, `}`, `|`, `\\` or line break, whichever comes first.
            let line_end = self.line_end(j);
            let upto = limit.min(line_end);
            let brace = memchr::memchr3(b'{', b'}', b'|', &self.bytes[j..upto]).map_or(upto, |p| j + p);
            j = memchr::memchr(b'\\', &self.bytes[j..brace]).map_or(brace, |p| j + p);
            if j >= self.bytes.len() {
                return Err(j);
            }
            if j >= limit {
                continue;
            }
            match self.bytes[j] {
                b'\\' => j += self.escape_len(j),
                b'}' => {
                    return Ok(ClaimBounds { close: j, last_pipe, nested });
                }
                b'|' => {
                    last_pipe = Some(j);
                    j += 1;
                }
                b'{' => match self.templating_end(j) {
                    Some(skip_to) => j = skip_to,
                    None => {
                        nested.push(j);
                        j += 1;
                    }
                },
                _ => {
                    // A line break: the claim may go on, unless the next line
                    // is blank or starts a definition.
                    j += if self.bytes[j] == b'\r' && self.bytes.get(j + 1) == Some(&b'\n') { 2 } else { 1 };
                    let line_end = self.line_end(j);
                    let blank = self.bytes[j..line_end].iter().all(|b| matches!(b, b' ' | b'\t'));
                    if blank || definition::header_at(self.bytes, j).is_some() {
                        return Err(j);
                    }
                }
            }
        }
    }

    fn claim(&mut self, open: usize, bounds: ClaimBounds) {
        let index = self.parse.claims.len() as u32;
        let refs_start = self.parse.references.len() as u32;
        let text_end = bounds.last_pipe.unwrap_or(bounds.close);
        for at in bounds.nested {
            self.error(
                SyntaxErrorKind::NestedClaim,
                TextRange::new(at, at + 1),
                "claims do not nest: close this claim first, or write `\\{` for a literal brace".into(),
            );
        }
        self.scan_span(open + 1, text_end, Mode::ClaimText(index));
        let mut claim = Claim::new(TextRange::new(open, bounds.close + 1), bounds.last_pipe);
        if let Some(meta) = claim.metadata() {
            metadata::parse(self.text, &mut self.parse, meta, index, &mut claim);
        }
        claim.refs = refs_start..self.parse.references.len() as u32;
        self.parse.claims.push(claim);
    }

    /// A definition block starting at line start `at`: parses it and scans
    /// its description lines. Returns where the block ends.
    fn definition_block(&mut self, at: usize) -> Option<usize> {
        definition::header_at(self.bytes, at)?;
        let (def, end, errors) = definition::parse(self.text, at);
        self.parse.errors.extend(errors);
        let description = def.description.clone();
        self.parse.definitions.push(def);
        for line in description {
            self.scan_span(line.start as usize, line.end as usize, Mode::Description);
        }
        Some(end)
    }

    pub(super) fn error(&mut self, kind: SyntaxErrorKind, range: TextRange, message: String) {
        self.parse.errors.push(SyntaxError { kind, range, message });
    }
}
