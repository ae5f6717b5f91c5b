//! Identifiers: `[A-Za-z][A-Za-z0-9]*([-_.][A-Za-z0-9]+)*`.

/// The end of the longest identifier starting at `start`, if one starts there.
/// A separator is only taken when an alphanumeric follows it, so `@china.`
/// ends before the dot and `^un.org-2014` is one key.
pub fn id_end(bytes: &[u8], start: usize) -> Option<usize> {
    if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut i = start + 1;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'-' | b'_' | b'.') if bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) => i += 1,
            _ => return Some(i),
        }
    }
}

/// Whether the whole string is one identifier.
pub fn is_valid_id(s: &str) -> bool {
    id_end(s.as_bytes(), 0) == Some(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_stop_before_a_trailing_separator() {
        let end = |s: &'static str| id_end(s.as_bytes(), 0).map(|e| &s[..e]);
        assert_eq!(end("putin's"), Some("putin"));
        assert_eq!(end("china."), Some("china"));
        assert_eq!(end("reuters-2014-05-21"), Some("reuters-2014-05-21"));
        assert_eq!(end("un.org-2014)"), Some("un.org-2014"));
        assert_eq!(end("a--b"), Some("a"));
        assert_eq!(end("1abc"), None);
        assert_eq!(end("-abc"), None);
        assert!(is_valid_id("x_1.y-z"));
        assert!(!is_valid_id("x_"));
        assert!(!is_valid_id(""));
    }
}
