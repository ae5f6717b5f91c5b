//! The semantic tokens last sent for each document, under a result id, so
//! that `semanticTokens/full/delta` can answer with the edit from them to
//! the current tokens rather than all of them again; and that edit: the
//! tokens before and after it are the longest common prefix and suffix
//! (as rust-analyzer does). Positions are relative in the protocol's
//! encoding, so an edit that moves the text below it changes one token,
//! the first after it.

use std::sync::{Arc, Mutex};

use tower_lsp::lsp_types::{SemanticToken, Url};

/// The results kept: the documents an editor shows at once, and more. The
/// least recently answered goes first; a client asking about a document
/// whose result went gets its whole tokens again.
const KEPT: usize = 32;

#[derive(Default)]
pub struct TokenResults(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    next_id: u64,
    /// Most recently answered last.
    results: Vec<(Url, String, Arc<Vec<SemanticToken>>)>,
}

impl TokenResults {
    /// Keeps `tokens` as the result sent for `uri`; its new result id.
    pub fn keep(&self, uri: &Url, tokens: Arc<Vec<SemanticToken>>) -> String {
        let mut inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        inner.next_id += 1;
        let id = inner.next_id.to_string();
        inner.results.retain(|(u, ..)| u != uri);
        if inner.results.len() >= KEPT {
            inner.results.remove(0);
        }
        inner.results.push((uri.clone(), id.clone(), tokens));
        id
    }

    /// The tokens sent for `uri` under `result_id`, if they are still kept.
    pub fn previous(&self, uri: &Url, result_id: &str) -> Option<Arc<Vec<SemanticToken>>> {
        let inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        inner.results.iter().find(|(u, id, _)| u == uri && id == result_id).map(|(.., tokens)| tokens.clone())
    }

    /// Forgets what was sent for `uri` (closed).
    pub fn forget(&self, uri: &Url) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).results.retain(|(u, ..)| u != uri);
    }
}

/// The one edit turning `old` into `new`, in tokens: where it starts, how
/// many it removes, and the range of `new` it puts there; `None` when
/// nothing changed.
pub fn token_edit<T: PartialEq>(old: &[T], new: &[T]) -> Option<(usize, usize, std::ops::Range<usize>)> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest.iter().rev().zip(new_rest.iter().rev()).take_while(|(a, b)| a == b).count();
    let (removed, inserted) = (old_rest.len() - suffix, new_rest.len() - suffix);
    (removed > 0 || inserted > 0).then_some((prefix, removed, prefix..prefix + inserted))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `old` with the edit applied.
    fn applied(old: &[u8], new: &[u8]) -> Vec<u8> {
        let mut out = old.to_vec();
        if let Some((start, removed, inserted)) = token_edit(old, new) {
            out.splice(start..start + removed, new[inserted].iter().copied());
        }
        out
    }

    #[test]
    fn the_edit_spans_only_what_differs_and_applies_to_the_new_tokens() {
        assert_eq!(token_edit(b"abcdef", b"abXYef"), Some((2, 2, 2..4)));
        assert_eq!(token_edit(b"abcdef", b"abcdef"), None);
        assert_eq!(token_edit(b"abcdef", b"abef"), Some((2, 2, 2..2)));
        assert_eq!(token_edit(b"abef", b"abcdef"), Some((2, 0, 2..4)));
        // A repeated run: prefix and suffix never overlap.
        assert_eq!(token_edit(b"aaaa", b"aaaaaa"), Some((4, 0, 4..6)));
        assert_eq!(token_edit(b"aaaaaa", b"aa"), Some((2, 4, 2..2)));
        for (old, new) in [(&b""[..], &b"xyz"[..]), (b"xyz", b""), (b"abcabc", b"cba"), (b"aab", b"abb")] {
            assert_eq!(applied(old, new), new, "{old:?} → {new:?}");
        }
    }

    #[test]
    fn results_are_kept_per_document_and_the_oldest_go_first() {
        let results = TokenResults::default();
        let uri = |k: usize| Url::parse(&format!("file:///n{k}.md")).unwrap();
        let tokens = Arc::new(vec![SemanticToken::default()]);
        let first = results.keep(&uri(0), tokens.clone());
        let second = results.keep(&uri(0), tokens.clone());
        assert_ne!(first, second);
        assert!(results.previous(&uri(0), &first).is_none(), "replaced");
        assert!(results.previous(&uri(0), &second).is_some());
        assert!(results.previous(&uri(1), &second).is_none(), "another document");
        let ids: Vec<String> = (1..=KEPT).map(|k| results.keep(&uri(k), tokens.clone())).collect();
        assert!(results.previous(&uri(0), &second).is_none(), "the least recent went");
        assert!(results.previous(&uri(KEPT), &ids[KEPT - 1]).is_some());
        results.forget(&uri(KEPT));
        assert!(results.previous(&uri(KEPT), &ids[KEPT - 1]).is_none());
    }
}
