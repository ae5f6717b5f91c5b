//! Document links and folding ranges (SPEC §7): a source's `url:` to open,
//! and the blocks and claims an editor may fold.

use crate::syntax::Namespace;
use crate::syntax::vocab::is_valid_url;
use crate::text::TextRange;
use crate::workspace::Document;

/// A link: the `url:` value's range, and the URL it opens.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: String,
}

/// Each source block's `url:` value, when it is a valid one: the first
/// `url:` of the block (a second is `invalid-field`), an absolute http(s) URL.
pub fn document_links(document: &Document) -> Vec<DocumentLink> {
    let text = document.text.as_str();
    document
        .parse
        .definitions
        .iter()
        .filter(|d| d.namespace == Namespace::Source)
        .filter_map(|d| d.fields.iter().find(|f| f.key.of(text) == "url"))
        .filter(|f| is_valid_url(f.value.of(text)))
        .map(|f| DocumentLink { range: f.value, target: f.value.of(text).to_string() })
        .collect()
}

/// What may be folded, in text order: every definition block that has more
/// than its header line (header to last line), and every claim that spans
/// lines (`{` to `}`). Headings are left to the editor.
pub fn folding_ranges(document: &Document) -> Vec<TextRange> {
    let text = document.text.as_str();
    let spans_lines = |r: &TextRange| memchr::memchr2(b'\n', b'\r', r.of(text).as_bytes()).is_some();
    let parse = &document.parse;
    let mut out: Vec<TextRange> = parse.definitions.iter().map(|d| d.range).filter(spans_lines).collect();
    out.extend(parse.claims.iter().map(|c| c.range).filter(spans_lines));
    out.sort_by_key(|r| r.start);
    out
}
