//! The Markdown layer: asks a CommonMark parser where the text is code, an
//! HTML comment, a link destination or front matter (the markup does not
//! count there), where the link-form mentions are, and where the headings are.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{Heading, Namespace, ident::is_valid_id};
use crate::text::TextRange;

/// A stretch of text where the markup is not recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mask {
    pub range: TextRange,
    /// A block (code block, HTML block, front matter) also ends any open claim.
    pub block: bool,
}

/// `[words](@id)` or `[words](^key)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkForm {
    /// The whole link, `[` to `)`.
    pub range: TextRange,
    /// Inside the brackets.
    pub text: TextRange,
    /// `@id` / `^key` inside the parentheses.
    pub target: TextRange,
    pub namespace: Namespace,
}

#[derive(Debug, Default)]
pub struct Layout {
    /// Sorted by start, not overlapping.
    pub masks: Vec<Mask>,
    /// Sorted by start.
    pub links: Vec<LinkForm>,
    pub headings: Vec<Heading>,
    /// Code blocks, HTML blocks and the front matter, sorted: the blocks a
    /// blank line does not end.
    pub blocks: Vec<TextRange>,
}

/// Where Markdown makes `text` code, HTML or a link; with its headings
/// when `outline` asks for them.
pub fn layout(text: &str, outline: bool) -> Layout {
    let mut layout = Layout::default();
    let body_start = front_matter_end(text).unwrap_or(0);
    if body_start > 0 {
        layout.masks.push(Mask { range: TextRange::new(0, body_start), block: true });
        layout.blocks.push(TextRange::new(0, body_start));
    }
    let body = &text[body_start..];
    let at = |r: std::ops::Range<usize>| TextRange::new(body_start + r.start, body_start + r.end);

    // Open links and images, innermost last: the link and the end of the
    // last event inside it so far (`None` for a Dossier link form).
    let mut open_links: Vec<Option<(TextRange, usize)>> = Vec::new();
    let mut heading: Option<(u8, TextRange, String)> = None;

    let body = &*lone_cr_as_lf(body);
    for (event, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        let range = at(range);
        let closes_link = matches!(event, Event::End(TagEnd::Link | TagEnd::Image));
        if let (false, Some(Some((_, inner_end)))) = (closes_link, open_links.last_mut()) {
            *inner_end = (*inner_end).max(range.end as usize);
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                layout.masks.push(Mask { range, block: true });
                layout.blocks.push(range);
            }
            Event::Start(Tag::HtmlBlock) => {
                push_comments(text, range, &mut layout.masks);
                layout.blocks.push(range);
            }
            Event::Code(code) => {
                layout.masks.push(Mask { range, block: false });
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&code);
                }
            }
            Event::InlineHtml(html) if html.starts_with("<!--") => layout.masks.push(Mask { range, block: false }),
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                match link_form(text, range, link_type, &dest_url, &title) {
                    Some(link) => {
                        layout.links.push(link);
                        open_links.push(None);
                    }
                    None if matches!(link_type, LinkType::Autolink | LinkType::Email) => {
                        layout.masks.push(Mask { range, block: false });
                        open_links.push(None);
                    }
                    None => open_links.push(Some((range, range.start as usize + 1))),
                }
            }
            Event::Start(Tag::Image { .. }) => open_links.push(Some((range, range.start as usize + 2))),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                // An ordinary link's destination (`](url)`) is not prose.
                if let Some(Some((link, inner_end))) = open_links.pop()
                    && inner_end < link.end as usize
                {
                    layout.masks.push(Mask { range: TextRange::new(inner_end, link.end as usize), block: false });
                }
                if let Some(Some((_, inner_end))) = open_links.last_mut() {
                    *inner_end = (*inner_end).max(range.end as usize);
                }
            }
            Event::Start(Tag::Heading { level, .. }) if outline => heading = Some((level as u8, range, String::new())),
            Event::Text(t) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, range, title)) = heading.take() {
                    layout.headings.push(Heading { level, range, title: title.trim().to_string() });
                }
            }
            _ => {}
        }
    }
    layout.masks.sort_by_key(|m| m.range.start);
    merge_overlaps(&mut layout.masks);
    layout
}

/// The end of the YAML front matter (after its closing line), if the text has one.
/// `text` with each lone `\r` (one not followed by `\n`) made a `\n`:
/// pulldown-cmark does not end a line there, as CommonMark and LSP do, so
/// after a lone-CR fence everything was code. Same length, same offsets.
fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return text.into();
    }
    let lf: Vec<u8> = (0..bytes.len()).map(|i| if lone(i) { b'\n' } else { bytes[i] }).collect();
    String::from_utf8(lf).expect("one ASCII byte for another").into()
}

fn front_matter_end(text: &str) -> Option<usize> {
    let mut lines = line_spans(text);
    let (first, _) = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    lines.find(|(line, _)| matches!(line.trim_end(), "---" | "...")).map(|(_, end)| end)
}

/// Lines with the offset just past their terminator.
fn line_spans(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= text.len() {
            return None;
        }
        let rest = &text[start..];
        let (len, term) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (i, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        let line = &rest[..len];
        start += len + term;
        Some((line, start))
    })
}

/// `<!-- … -->` spans inside an HTML block (an unterminated one runs to the block's end).
fn push_comments(text: &str, block: TextRange, masks: &mut Vec<Mask>) {
    let html = block.of(text);
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let open = from + open;
        let close = html[open + 4..].find("-->").map_or(html.len(), |c| open + 4 + c + 3);
        let start = block.start as usize;
        masks.push(Mask { range: TextRange::new(start + open, start + close), block: true });
        from = close;
    }
}

fn link_form(text: &str, range: TextRange, link_type: LinkType, dest: &str, title: &str) -> Option<LinkForm> {
    if link_type != LinkType::Inline || !title.is_empty() {
        return None;
    }
    let namespace = match dest.as_bytes().first()? {
        b'@' => Namespace::Actor,
        b'^' => Namespace::Source,
        _ => return None,
    };
    if !is_valid_id(&dest[1..]) {
        return None;
    }
    // The destination must be written exactly `](@id)` at the link's end.
    let end = range.end as usize;
    let target_start = end.checked_sub(1 + dest.len())?;
    let raw = text.get(target_start.checked_sub(2)?..end)?;
    if !raw.starts_with("](") || !raw.ends_with(')') || &raw[2..raw.len() - 1] != dest {
        return None;
    }
    Some(LinkForm {
        range,
        text: TextRange::new(range.start as usize + 1, target_start - 2),
        target: TextRange::new(target_start, end - 1),
        namespace,
    })
}

fn merge_overlaps(masks: &mut Vec<Mask>) {
    let mut merged: Vec<Mask> = Vec::with_capacity(masks.len());
    for mask in masks.drain(..) {
        match merged.last_mut() {
            Some(last) if mask.range.start < last.range.end => {
                last.range.end = last.range.end.max(mask.range.end);
                last.block |= mask.block;
            }
            _ => merged.push(mask),
        }
    }
    *masks = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_with_lone_cr_line_breaks_closes() {
        let text = "```\r@x\r```\r@y\r\n";
        let masks: Vec<(u32, u32)> = layout(text, true).masks.iter().map(|m| (m.range.start, m.range.end)).collect();
        let fence_end = text.find("\r@y").unwrap() as u32;
        assert_eq!(masks.len(), 1, "{masks:?}");
        assert!(masks[0].0 == 0 && masks[0].1 <= fence_end + 1, "{masks:?}");
    }
}
