//! One note as HTML: its Markdown rendered (pulldown-cmark's events, with
//! every piece of text escaped and raw HTML shown as text), its claims
//! marked by kind and sourcing state with their cards, its mentions as
//! links to the actors' and sources' cards, its definition blocks as cards,
//! and its findings.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::card;
use super::html::{escape, escaped, is_web_url, page_end, page_start};
use super::site::Site;
use crate::analysis::forecast::standing;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Claim, Namespace, Role, is_valid_id};
use crate::text::{Encoding, LineIndex, TextRange};
use crate::workspace::Document;

/// What a note page is made of.
pub struct NotePage<'a> {
    pub site: &'a Site<'a>,
    pub document: &'a Document,
    /// The note's path as the user would type it.
    pub display: &'a str,
    /// Its claims' records are `site.export.claims[first_claim..]`, one per
    /// claim of the parse, in the same order.
    pub first_claim: usize,
    pub diagnostics: &'a [Diagnostic],
}

/// The whole page.
pub fn render(page: &NotePage) -> String {
    let text = page.document.text.as_str();
    let mut out = String::with_capacity(text.len() * 3 + 4096);
    page_start(&mut out, page.display, "../");
    out.push_str("<article class=\"note\">\n<p class=\"path\">");
    escape(&mut out, page.display);
    out.push_str("</p>\n");
    let findings = claim_findings(&page.document.parse.claims, page.diagnostics);
    let mut renderer = Renderer::new(page, &findings, out);
    renderer.body();
    let mut out = renderer.out;
    out.push_str("</article>\n");
    findings_section(&mut out, page);
    page_end(&mut out);
    out
}

/// For each claim, the diagnostics inside it (indices into `diagnostics`).
fn claim_findings(claims: &[Claim], diagnostics: &[Diagnostic]) -> Vec<Vec<usize>> {
    let mut found = vec![Vec::new(); claims.len()];
    for (i, d) in diagnostics.iter().enumerate() {
        if let Some(c) = claim_holding(claims, d.range) {
            found[c].push(i);
        }
    }
    found
}

/// The claim whose range holds `range`, if any (claims are sorted and apart).
fn claim_holding(claims: &[Claim], range: TextRange) -> Option<usize> {
    let after = claims.partition_point(|c| c.range.start <= range.start);
    let c = after.checked_sub(1)?;
    (claims[c].range.end >= range.end).then_some(c)
}

/// A claim boundary the renderer passes: its `{`, where its metadata starts
/// (its last `|`, or its `}`), and just past its `}`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Point {
    Open,
    Meta,
    Close,
}

/// An element the renderer has open.
enum Open {
    /// An HTML element: how to close it and how to open it again.
    Tag { close: &'static str, reopen: String },
    /// A claim's `<mark>` (or a continuation of it).
    Claim,
}

struct Renderer<'a> {
    page: &'a NotePage<'a>,
    text: &'a str,
    claims: &'a [Claim],
    findings: &'a [Vec<usize>],
    out: String,
    stack: Vec<Open>,
    /// Whether a claim's mark is on the stack (at most one is): kept so
    /// that text in deep nesting does not search the stack.
    mark_open: bool,
    /// The next claim boundary: claim `next`, at `point`.
    next: usize,
    point: Point,
    /// The claim between its `{` and its `}`, and whether its metadata
    /// (hidden: the card shows it) has started.
    active: Option<usize>,
    in_meta: bool,
    /// Short actor mentions (`@id`) in prose and claim text, in text order.
    mentions: Vec<TextRange>,
    mention: usize,
    /// Inside a paragraph made of definition blocks (rendered as cards),
    /// or an HTML block that is only a comment: left out up to this end.
    skipping: Option<TagEnd>,
}

impl<'a> Renderer<'a> {
    fn new(page: &'a NotePage<'a>, findings: &'a [Vec<usize>], out: String) -> Self {
        let document = page.document;
        let mut mentions: Vec<TextRange> = document
            .parse
            .references
            .iter()
            .filter(|r| r.namespace() == Namespace::Actor && r.role() == Role::Mention)
            .map(|r| r.range)
            .collect();
        mentions.sort_by_key(|r| r.start);
        Renderer {
            page,
            text: &document.text,
            claims: &document.parse.claims,
            findings,
            out,
            stack: Vec::new(),
            mark_open: false,
            next: 0,
            point: Point::Open,
            active: None,
            in_meta: false,
            mentions,
            mention: 0,
            skipping: None,
        }
    }

    fn body(&mut self) {
        let text = self.text;
        let start = front_matter_end(&self.page.document.parse, text);
        if start > 0 {
            self.out.push_str("<pre class=\"front-matter\">");
            escape(&mut self.out, text[..start].trim_end());
            self.out.push_str("</pre>\n");
        }
        let body = lone_cr_as_lf(&text[start..]);
        for (event, range) in Parser::new_ext(&body, Options::empty()).into_offset_iter() {
            let range = TextRange::new(start + range.start, start + range.end);
            self.event(event, range);
        }
        // Whatever is still open (a claim cut by the end of the text).
        self.advance(u32::MAX, true);
        while let Some(open) = self.stack.pop() {
            self.out.push_str(match open {
                Open::Tag { close, .. } => close,
                Open::Claim => "</mark>",
            });
        }
    }

    fn event(&mut self, event: Event, range: TextRange) {
        if let Some(until) = self.skipping {
            if matches!(&event, Event::End(end) if *end == until) {
                self.skipping = None;
                self.skip_claims(range.end);
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => {
                self.advance(range.end, false);
                self.end(tag);
            }
            Event::Text(t) => {
                if self.text.get(range.start as usize..range.end as usize) == Some(&*t) {
                    self.text_run(range);
                } else {
                    // An escape or an entity: its own text, whole.
                    self.atomic(range, &escaped(&t));
                }
            }
            Event::Code(code) => self.atomic(range, &format!("<code>{}</code>", escaped(&code))),
            // Comments stay out of the report, as in any rendered Markdown.
            Event::InlineHtml(html) if html.starts_with("<!--") => {}
            Event::InlineHtml(html) | Event::Html(html) => {
                self.atomic(range, &format!("<span class=\"raw-html\">{}</span>", escaped(&html)))
            }
            Event::SoftBreak => self.atomic(range, "\n"),
            Event::HardBreak => self.atomic(range, "<br>\n"),
            Event::Rule => self.out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => self.atomic(range, if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(name) | Event::InlineMath(name) | Event::DisplayMath(name) => {
                self.atomic(range, &escaped(&name))
            }
        }
    }

    fn start(&mut self, tag: Tag, range: TextRange) {
        self.advance(range.start, false);
        let (open, close): (String, &'static str) = match tag {
            Tag::Paragraph => {
                if let Some(cards) = self.definition_cards(range) {
                    self.out.push_str(&cards);
                    self.skipping = Some(TagEnd::Paragraph);
                    return;
                }
                ("<p>".into(), "</p>\n")
            }
            Tag::Heading { level, .. } => {
                let (open, close) = match level as usize {
                    1 => ("<h1>", "</h1>\n"),
                    2 => ("<h2>", "</h2>\n"),
                    3 => ("<h3>", "</h3>\n"),
                    4 => ("<h4>", "</h4>\n"),
                    5 => ("<h5>", "</h5>\n"),
                    _ => ("<h6>", "</h6>\n"),
                };
                (open.into(), close)
            }
            Tag::BlockQuote(_) => ("<blockquote>\n".into(), "</blockquote>\n"),
            Tag::CodeBlock(_) => ("<pre><code>".into(), "</code></pre>\n"),
            Tag::HtmlBlock => {
                let source = range.of(self.text).trim();
                // Comments stay out of the report, as in any rendered Markdown.
                if source.starts_with("<!--") && source.ends_with("-->") {
                    self.skipping = Some(TagEnd::HtmlBlock);
                    return;
                }
                ("<pre class=\"raw-html\">".into(), "</pre>\n")
            }
            Tag::List(Some(1)) => ("<ol>\n".into(), "</ol>\n"),
            Tag::List(Some(n)) => (format!("<ol start=\"{n}\">\n"), "</ol>\n"),
            Tag::List(None) => ("<ul>\n".into(), "</ul>\n"),
            Tag::Item => ("<li>".into(), "</li>\n"),
            Tag::Emphasis => self.inline("<em>", "</em>"),
            Tag::Strong => self.inline("<strong>", "</strong>"),
            Tag::Strikethrough => self.inline("<del>", "</del>"),
            Tag::Link { dest_url, .. } => {
                let open = self.link_open(&dest_url);
                self.inline(&open, "</a>")
            }
            // Nothing is loaded: an image is its description.
            Tag::Image { .. } => self.inline("<span class=\"image\">[image: ", "]</span>"),
            _ => ("<div>".into(), "</div>\n"),
        };
        self.out.push_str(&open);
        self.stack.push(Open::Tag { close, reopen: open });
    }

    /// An inline element: inside the claim whose text it is in.
    fn inline(&mut self, open: &str, close: &'static str) -> (String, &'static str) {
        self.ensure_claim_open();
        (open.to_string(), close)
    }

    /// A link form's or a web link's opening tag; other destinations (a
    /// relative file, `javascript:`) are not links here.
    fn link_open(&self, dest: &str) -> String {
        let site = self.page.site;
        let internal = dest.chars().next().filter(|c| matches!(c, '@' | '^')).filter(|_| is_valid_id(&dest[1..]));
        match internal {
            Some(sigil) => {
                let class = if sigil == '@' { "actor" } else { "source" };
                let known = if site.is_defined(sigil, &dest[1..]) { "" } else { " unknown" };
                format!("<a class=\"{class}{known}\" href=\"{}\">", site.entity_href("../", sigil, &dest[1..]))
            }
            None if is_web_url(dest) => {
                format!("<a class=\"web\" href=\"{}\" rel=\"noopener noreferrer\">", escaped(dest))
            }
            None => "<a>".into(),
        }
    }

    fn end(&mut self, _tag: TagEnd) {
        // Close up to the innermost element; a claim cut on the way is
        // opened again at its next text.
        while let Some(open) = self.stack.pop() {
            match open {
                Open::Claim => {
                    self.out.push_str("</mark>");
                    self.mark_open = false;
                }
                Open::Tag { close, .. } => {
                    self.out.push_str(close);
                    break;
                }
            }
        }
    }

    /// Where the next claim boundary is (its metadata starts where the
    /// claim's words end).
    fn point_offset(&self) -> Option<u32> {
        let claim = self.claims.get(self.next)?;
        Some(match self.point {
            Point::Open => claim.range.start,
            // Blanks before the `|` are not highlighted.
            Point::Meta => {
                let words = claim.text();
                words.start + words.of(self.text).trim_end().len() as u32
            }
            Point::Close => claim.range.end,
        })
    }

    /// Passes the claim boundaries up to `offset`; a claim opens only where
    /// its text is written (`open`), not at a tag before it.
    fn advance(&mut self, offset: u32, open: bool) {
        while let Some(at) = self.point_offset() {
            if at > offset || (self.point == Point::Open && !open) {
                break;
            }
            match self.point {
                Point::Open => {
                    self.active = Some(self.next);
                    self.in_meta = false;
                    self.open_claim(true);
                    self.point = Point::Meta;
                }
                Point::Meta => {
                    self.in_meta = true;
                    self.point = Point::Close;
                }
                Point::Close => {
                    self.close_claim();
                    self.active = None;
                    self.in_meta = false;
                    self.next += 1;
                    self.point = Point::Open;
                }
            }
        }
    }

    /// Claims inside a stretch rendered otherwise (definition cards) are
    /// passed without a mark.
    fn skip_claims(&mut self, offset: u32) {
        while self.claims.get(self.next).is_some_and(|c| c.range.end <= offset) {
            self.next += 1;
            self.point = Point::Open;
            self.active = None;
            self.in_meta = false;
        }
    }

    /// A claim's mark: the first one focusable, with its card; a
    /// continuation (after an element boundary cut it) only coloured.
    fn open_claim(&mut self, first: bool) {
        let Some(i) = self.active else { return };
        let site = self.page.site;
        let index = self.page.first_claim + i;
        let Some(record) = site.export.claims.get(index) else { return };
        let diagnostics = self.page.diagnostics;
        let exact: Vec<&Diagnostic> =
            self.findings[i].iter().map(|&d| &diagnostics[d]).filter(|d| d.range == self.claims[i].range).collect();
        let mut classes = format!("claim kind-{} src-{}", record.kind.as_str(), card::sourcing(record));
        for d in &exact {
            classes.push_str(" f-");
            classes.push_str(d.rule.id());
        }
        if let Some(worst) = exact.iter().map(|d| d.severity).max() {
            classes.push_str(" sev-");
            classes.push_str(worst.as_str());
        }
        self.mark_open = true;
        if !first {
            self.out.push_str(&format!("<mark class=\"{classes} cont\">"));
            self.stack.push(Open::Claim);
            return;
        }
        let anchor = site.claim_anchor(index);
        self.out.push_str(&format!(
            "<mark class=\"{classes}\" id=\"{anchor}\" tabindex=\"0\" aria-describedby=\"card-{anchor}\">"
        ));
        let inside: Vec<&Diagnostic> = self.findings[i].iter().map(|&d| &diagnostics[d]).collect();
        let forecast = standing(&self.claims[i], site.workspace.today);
        card::claim_card(&mut self.out, site, index, &format!("card-{anchor}"), &inside, forecast);
        self.stack.push(Open::Claim);
    }

    fn close_claim(&mut self) {
        if !self.mark_open {
            return;
        }
        self.mark_open = false;
        let Some(at) = self.stack.iter().rposition(|o| matches!(o, Open::Claim)) else { return };
        let above: Vec<Open> = self.stack.drain(at + 1..).collect();
        for open in above.iter().rev() {
            if let Open::Tag { close, .. } = open {
                self.out.push_str(close);
            }
        }
        self.stack.pop();
        self.out.push_str("</mark>");
        for open in above {
            if let Open::Tag { reopen, .. } = &open {
                self.out.push_str(reopen);
            }
            self.stack.push(open);
        }
    }

    /// Before text of an open claim: its mark, if an element boundary closed it.
    fn ensure_claim_open(&mut self) {
        if self.active.is_some() && !self.in_meta && !self.mark_open {
            self.open_claim(false);
        }
    }

    /// Not shown: a claim's `{`, and its metadata from the last `|` to `}`.
    fn hidden(&self, offset: u32) -> bool {
        self.active.is_some_and(|i| self.in_meta || self.claims[i].range.start == offset)
    }

    /// Text that is the note's own text at `range`: cut at the claim
    /// boundaries and the mentions inside it.
    fn text_run(&mut self, range: TextRange) {
        let mut at = range.start;
        while at < range.end {
            self.advance(at, true);
            if self.hidden(at) {
                let brace = self.active.is_some_and(|i| self.claims[i].range.start == at);
                at = if brace { at + 1 } else { self.point_offset().map_or(range.end, |p| p.clamp(at + 1, range.end)) };
                continue;
            }
            while self.mentions.get(self.mention).is_some_and(|m| m.start < at) {
                self.mention += 1;
            }
            if let Some(m) = self.mentions.get(self.mention).copied().filter(|m| m.start == at && m.end <= range.end) {
                self.mention += 1;
                self.ensure_claim_open();
                self.mention_link(m);
                at = m.end;
                continue;
            }
            let mut stop = range.end;
            if let Some(p) = self.point_offset().filter(|&p| p > at) {
                stop = stop.min(p);
            }
            if let Some(m) = self.mentions.get(self.mention).filter(|m| m.start > at) {
                stop = stop.min(m.start);
            }
            self.ensure_claim_open();
            escape(&mut self.out, &self.text[at as usize..stop as usize]);
            at = stop;
        }
        self.advance(range.end, false);
    }

    /// `@id` as a link to the actor's card, showing its display name.
    fn mention_link(&mut self, mention: TextRange) {
        let site = self.page.site;
        let id = mention.without_sigil().of(self.text);
        let known = if site.is_defined('@', id) { "" } else { " unknown" };
        self.out.push_str(&format!("<a class=\"actor{known}\" href=\"{}\">", site.entity_href("../", '@', id)));
        escape(&mut self.out, &site.actor_name(id));
        self.out.push_str("</a>");
    }

    /// Something written whole (already HTML), unless it is hidden metadata.
    fn atomic(&mut self, range: TextRange, html: &str) {
        self.advance(range.start, true);
        if self.hidden(range.start) {
            return;
        }
        self.ensure_claim_open();
        self.out.push_str(html);
    }

    /// When the paragraph at `range` is nothing but definition blocks, their
    /// cards.
    fn definition_cards(&self, range: TextRange) -> Option<String> {
        let defs = &self.page.document.parse.definitions;
        let first = defs.partition_point(|d| d.range.start < range.start);
        let mut at = range.start as usize;
        let mut covering = Vec::new();
        for def in &defs[first..] {
            if def.range.start >= range.end {
                break;
            }
            if !self.text[at..def.range.start as usize].trim().is_empty() {
                return None;
            }
            covering.push(def);
            at = def.range.end as usize;
        }
        if covering.is_empty() || !self.text[at.min(range.end as usize)..range.end as usize].trim().is_empty() {
            return None;
        }
        let mut out = String::new();
        for def in covering {
            card::definition_card(&mut out, self.page.site, self.page.document, def, "../", "", false);
        }
        Some(out)
    }
}

/// The end of the note's front matter (a block at offset 0 that starts
/// with `---`), or 0.
fn front_matter_end(parse: &crate::syntax::Parse, text: &str) -> usize {
    match parse.blocks.first() {
        Some(block) if block.start == 0 && text.starts_with("---") => block.end as usize,
        _ => 0,
    }
}

/// As the parser reads it: a lone `\r` ends a line (same length, same offsets).
fn lone_cr_as_lf(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return text.into();
    }
    let bytes = text.as_bytes();
    let lf: Vec<u8> = (0..bytes.len())
        .map(|i| if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') { b'\n' } else { bytes[i] })
        .collect();
    String::from_utf8(lf).map_or_else(|_| text.into(), Into::into)
}

/// The note's findings, in text order, each linked to its claim.
fn findings_section(out: &mut String, page: &NotePage) {
    if page.diagnostics.is_empty() {
        return;
    }
    let document = page.document;
    let lines = LineIndex::new(&document.text);
    let mut sorted: Vec<&Diagnostic> = page.diagnostics.iter().collect();
    sorted.sort_by_key(|d| (d.range.start, d.range.end, d.rule));
    out.push_str(&format!(
        "<section class=\"findings\" aria-labelledby=\"findings\">\n<h2 id=\"findings\">Findings ({})</h2>\n<ul>\n",
        sorted.len()
    ));
    for d in sorted {
        let lc = lines.line_col(&document.text, d.range.start as usize, Encoding::Utf32);
        let place = format!("{}:{}", lc.line + 1, lc.col + 1);
        out.push_str(&format!("<li class=\"finding sev-{}\"><span class=\"where\">", d.severity.as_str()));
        match claim_holding(&document.parse.claims, d.range) {
            Some(c) => {
                let anchor = page.site.claim_anchor(page.first_claim + c);
                out.push_str(&format!("<a href=\"#{anchor}\">{place}</a>"));
            }
            None => out.push_str(&place),
        }
        out.push_str(&format!(
            "</span> <span class=\"severity\">{}</span> <code>{}</code> ",
            d.severity.as_str(),
            d.rule.id()
        ));
        escape(out, &d.message);
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}
