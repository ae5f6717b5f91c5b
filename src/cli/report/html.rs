//! The few ways note text may enter a page: escaped as text, escaped as an
//! attribute value, or as an `http(s)` link. Nothing else writes note text.

use std::fmt::Write;

/// `text` with `&`, `<`, `>`, `"` and `'` written as entities: safe in
/// element content and in a quoted attribute value alike.
pub fn escape(out: &mut String, text: &str) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// [`escape`] into a new string.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape(&mut out, text);
    out
}

/// Whether `url` may become a link: an absolute `http` or `https` URL (the
/// scheme compared without case), nothing that a browser would run or load.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// An outgoing link to `url` (which must pass [`is_web_url`]) around the
/// escaped `label`; it opens without telling the site where it came from.
pub fn web_link(out: &mut String, url: &str, label: &str) {
    out.push_str("<a class=\"web\" href=\"");
    escape(out, url);
    out.push_str("\" rel=\"noopener noreferrer\">");
    escape(out, label);
    out.push_str("</a>");
}

/// A fragment or file name made of our own ids: Dossier ids are letters,
/// digits and `-_.`, which need no escaping in a URL or an attribute; any
/// other character (none should come) is dropped.
pub fn id_part(id: &str) -> String {
    id.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}

/// The head of every page: the stylesheet and the script beside it (`up`
/// leads back to the report's folder), and a content security policy that
/// forbids loading anything from anywhere else.
pub fn page_start(out: &mut String, title: &str, up: &str) {
    out.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'self'; script-src 'self'; img-src 'none'; connect-src 'none'; \
         base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n<title>",
    );
    escape(out, title);
    let _ = write!(
        out,
        " — Dossier report</title>\n<link rel=\"stylesheet\" href=\"{up}style.css\">\n\
         <script src=\"{up}report.js\" defer></script>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to the content</a>\n\
         <header class=\"top\"><nav aria-label=\"Report\"><a href=\"{up}index.html\">Overview</a> \
         <a href=\"{up}actors.html\">Actors</a> <a href=\"{up}sources.html\">Sources</a></nav></header>\n\
         <main id=\"main\">\n"
    );
}

pub fn page_end(out: &mut String) {
    out.push_str("</main>\n<footer class=\"bottom\">Made by <code>dossier report</code>.</footer>\n</body>\n</html>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_character_that_can_end_text_or_an_attribute() {
        assert_eq!(
            escaped(r#"<script>alert("x&y's")</script>"#),
            "&lt;script&gt;alert(&quot;x&amp;y&#39;s&quot;)&lt;/script&gt;"
        );
        assert_eq!(escaped("’ — Кремль 中俄 🛢"), "’ — Кремль 中俄 🛢");
    }

    #[test]
    fn only_absolute_web_urls_become_links() {
        assert!(is_web_url("https://example.org/a?b=c"));
        assert!(is_web_url("HTTP://example.org"));
        for bad in
            ["javascript:alert(1)", "data:text/html,x", "//example.org", "file:///etc/passwd", "https://a b", "ftp://x"]
        {
            assert!(!is_web_url(bad), "{bad}");
        }
        let mut out = String::new();
        web_link(&mut out, "https://e.org/?a=1&b=\"2\"", "<b>");
        assert_eq!(
            out,
            "<a class=\"web\" href=\"https://e.org/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">&lt;b&gt;</a>"
        );
    }
}
