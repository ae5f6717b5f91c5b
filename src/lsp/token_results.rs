//! The semantic tokens last sent for each document, under a result id, so
//! that `semanticTokens/full/delta` can answer with the edit from them to
//! the current tokens rather than all of them again; and that edit: the
//! tokens before and after it are the longest common prefix and suffix
//! (as rust-analyzer does). Positions are relative in the protocol's
//! encoding, so an edit that moves the text below it changes one token,
//! the first after it.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use tower_lsp::lsp_types::{
    SemanticToken, SemanticTokens, SemanticTokensDelta, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensRangeResult, SemanticTokensResult, Url,
};

use crate::analysis::KeptTokens;

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
    results: Vec<Kept>,
}

/// What was sent for a document: under which result id, in the protocol's
/// form, and as the core computed it (for the next tokens to reuse).
#[derive(Clone)]
pub struct Kept {
    uri: Url,
    result_id: String,
    pub data: Arc<Vec<SemanticToken>>,
    pub core: Arc<KeptTokens>,
}

impl TokenResults {
    /// Keeps `tokens` (and `core`, what they were converted from) as the
    /// result sent for `uri`; its new result id.
    pub fn keep(&self, uri: &Url, tokens: Arc<Vec<SemanticToken>>, core: Arc<KeptTokens>) -> String {
        let mut inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        inner.next_id += 1;
        let id = inner.next_id.to_string();
        inner.results.retain(|k| k.uri != *uri);
        if inner.results.len() >= KEPT {
            inner.results.remove(0);
        }
        inner.results.push(Kept { uri: uri.clone(), result_id: id.clone(), data: tokens, core });
        id
    }

    /// The tokens sent for `uri` under `result_id`, if they are still kept.
    pub fn previous(&self, uri: &Url, result_id: &str) -> Option<Arc<Vec<SemanticToken>>> {
        let inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        inner.results.iter().find(|k| k.uri == *uri && k.result_id == result_id).map(|k| k.data.clone())
    }

    /// The last tokens sent for `uri`, whatever their result id.
    pub fn latest(&self, uri: &Url) -> Option<Kept> {
        let inner = self.0.lock().unwrap_or_else(|p| p.into_inner());
        inner.results.iter().find(|k| k.uri == *uri).cloned()
    }

    /// Forgets what was sent for `uri` (closed).
    pub fn forget(&self, uri: &Url) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).results.retain(|k| k.uri != *uri);
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

/// The answer to a semantic tokens request, in the protocol's relative
/// form. The frame of a direct answer is written from it by [`Self::write_json`]:
/// serde's call per integer, and the growing buffer it wrote into, were
/// about a third of a `full` request on a 200 KB note (bench/README.md).
pub enum TokensAnswer {
    /// All the tokens, under the id they are kept by (none for a range).
    Tokens { result_id: Option<String>, data: Arc<Vec<SemanticToken>> },
    /// The one edit from the tokens sent before to `data` (none when equal):
    /// where it starts, how many tokens it removes, which of `data` it puts there.
    Delta { result_id: String, data: Arc<Vec<SemanticToken>>, edit: Option<(usize, usize, Range<usize>)> },
}

impl TokensAnswer {
    /// The answer to `full/delta`: the edit from `old` to `new`, or all of
    /// `new` when the old tokens are not known.
    pub fn delta(result_id: String, old: Option<&[SemanticToken]>, new: Arc<Vec<SemanticToken>>) -> TokensAnswer {
        match old {
            Some(old) => TokensAnswer::Delta { result_id, edit: token_edit(old, &new), data: new },
            None => TokensAnswer::Tokens { result_id: Some(result_id), data: new },
        }
    }

    fn into_tokens(self) -> SemanticTokens {
        match self {
            TokensAnswer::Tokens { result_id, data } => {
                SemanticTokens { result_id, data: Arc::try_unwrap(data).unwrap_or_else(|shared| (*shared).clone()) }
            }
            TokensAnswer::Delta { result_id, data, .. } => {
                SemanticTokens { result_id: Some(result_id), data: data.to_vec() }
            }
        }
    }

    pub fn into_full(self) -> SemanticTokensResult {
        SemanticTokensResult::Tokens(self.into_tokens())
    }

    pub fn into_range(self) -> SemanticTokensRangeResult {
        SemanticTokensRangeResult::Tokens(self.into_tokens())
    }

    pub fn into_delta(self) -> SemanticTokensFullDeltaResult {
        let TokensAnswer::Delta { result_id, data, edit } = self else {
            return SemanticTokensFullDeltaResult::Tokens(self.into_tokens());
        };
        // The protocol counts edits in integers, five to a token.
        let edits = edit
            .map(|(start, removed, inserted)| SemanticTokensEdit {
                start: 5 * start as u32,
                delete_count: 5 * removed as u32,
                data: Some(data[inserted].to_vec()),
            })
            .into_iter()
            .collect();
        SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta { result_id: Some(result_id), edits })
    }

    /// About how many bytes [`Self::write_json`] writes, a little more
    /// than most notes need: a token takes some 18 (a 200 KB note's tokens).
    pub fn json_len_hint(&self) -> usize {
        let tokens = match self {
            TokensAnswer::Tokens { data, .. } => data.len(),
            TokensAnswer::Delta { edit, .. } => edit.as_ref().map_or(0, |(_, _, inserted)| inserted.len()),
        };
        64 + tokens * 20
    }

    /// The answer as JSON, byte for byte what serde writes for the
    /// lsp-types answer it stands for (the tests hold them equal).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            TokensAnswer::Tokens { result_id, data } => {
                out.push(b'{');
                if let Some(id) = result_id {
                    write_result_id(out, id);
                    out.push(b',');
                }
                out.extend_from_slice(b"\"data\":");
                write_tokens(out, data);
                out.push(b'}');
            }
            TokensAnswer::Delta { result_id, data, edit } => {
                out.push(b'{');
                write_result_id(out, result_id);
                out.extend_from_slice(b",\"edits\":[");
                if let Some((start, removed, inserted)) = edit {
                    out.extend_from_slice(b"{\"start\":");
                    write_u32(out, 5 * *start as u32);
                    out.extend_from_slice(b",\"deleteCount\":");
                    write_u32(out, 5 * *removed as u32);
                    out.extend_from_slice(b",\"data\":");
                    write_tokens(out, &data[inserted.clone()]);
                    out.push(b'}');
                }
                out.extend_from_slice(b"]}");
            }
        }
    }
}

/// `"resultId":"…"`; the ids are numbers this server makes, nothing to escape.
fn write_result_id(out: &mut Vec<u8>, id: &str) {
    debug_assert!(id.bytes().all(|b| b.is_ascii_digit()));
    out.extend_from_slice(b"\"resultId\":\"");
    out.extend_from_slice(id.as_bytes());
    out.push(b'"');
}

/// The tokens as the protocol's flat array, five integers to a token.
fn write_tokens(out: &mut Vec<u8>, tokens: &[SemanticToken]) {
    out.push(b'[');
    for (k, t) in tokens.iter().enumerate() {
        // A token's text (five integers of at most ten digits, and their
        // commas) is put together here and copied once.
        let mut text = [0u8; 55];
        let mut len = 0;
        let values = [t.delta_line, t.delta_start, t.length, t.token_type, t.token_modifiers_bitset];
        for (i, value) in values.into_iter().enumerate() {
            if k > 0 || i > 0 {
                text[len] = b',';
                len += 1;
            }
            len += put_u32(&mut text[len..], value);
        }
        out.extend_from_slice(&text[..len]);
    }
    out.push(b']');
}

fn write_u32(out: &mut Vec<u8>, n: u32) {
    let mut text = [0u8; 10];
    let len = put_u32(&mut text, n);
    out.extend_from_slice(&text[..len]);
}

/// `n` in decimal at the start of `to`; how many digits. Most of a
/// token's integers are below a hundred: those take no loop.
fn put_u32(to: &mut [u8], n: u32) -> usize {
    if n < 10 {
        to[0] = b'0' + n as u8;
        return 1;
    }
    if n < 100 {
        to[0] = b'0' + (n / 10) as u8;
        to[1] = b'0' + (n % 10) as u8;
        return 2;
    }
    let len = n.ilog10() as usize + 1;
    let mut n = n;
    for digit in to[..len].iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
    len
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

    fn token(values: [u32; 5]) -> SemanticToken {
        let [delta_line, delta_start, length, token_type, token_modifiers_bitset] = values;
        SemanticToken { delta_line, delta_start, length, token_type, token_modifiers_bitset }
    }

    fn written(answer: &TokensAnswer) -> String {
        let mut out = Vec::new();
        answer.write_json(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn answers_are_written_as_serde_writes_their_lsp_types() {
        let data = Arc::new(vec![
            token([0, 0, 1, 0, 0]),
            token([9, 10, 99, 100, 15]),
            token([1000, 12345, 999_999, 7, 8]),
            token([u32::MAX, 4_000_000_000, 1_000_000_000, 3, 1]),
        ]);
        let full = TokensAnswer::Tokens { result_id: Some("42".into()), data: data.clone() };
        assert_eq!(
            written(&full),
            r#"{"resultId":"42","data":[0,0,1,0,0,9,10,99,100,15,1000,12345,999999,7,8,4294967295,4000000000,1000000000,3,1]}"#
        );
        assert_eq!(written(&full), serde_json::to_string(&full.into_full()).unwrap());
        let range = TokensAnswer::Tokens { result_id: None, data: data.clone() };
        assert_eq!(written(&range), serde_json::to_string(&range.into_range()).unwrap());
        let empty = TokensAnswer::Tokens { result_id: Some("1".into()), data: Arc::new(Vec::new()) };
        assert_eq!(written(&empty), r#"{"resultId":"1","data":[]}"#);

        let old = vec![data[0], data[2], data[3]];
        let delta = TokensAnswer::delta("43".into(), Some(&old), data.clone());
        assert_eq!(
            written(&delta),
            r#"{"resultId":"43","edits":[{"start":5,"deleteCount":0,"data":[9,10,99,100,15]}]}"#
        );
        assert_eq!(written(&delta), serde_json::to_string(&delta.into_delta()).unwrap());
        let unchanged = TokensAnswer::delta("44".into(), Some(&data), data.clone());
        assert_eq!(written(&unchanged), r#"{"resultId":"44","edits":[]}"#);
        assert_eq!(written(&unchanged), serde_json::to_string(&unchanged.into_delta()).unwrap());
        let unknown = TokensAnswer::delta("45".into(), None, data.clone());
        assert_eq!(written(&unknown), serde_json::to_string(&unknown.into_delta()).unwrap());
        assert!(
            written(&TokensAnswer::delta("46".into(), None, data)).starts_with(r#"{"resultId":"46","data":[0,0,1"#)
        );
    }

    #[test]
    fn results_are_kept_per_document_and_the_oldest_go_first() {
        let results = TokenResults::default();
        let uri = |k: usize| Url::parse(&format!("file:///n{k}.md")).unwrap();
        let tokens = Arc::new(vec![SemanticToken::default()]);
        let core = Arc::new(KeptTokens { serial: 0, facts: 0, tokens: Vec::new() });
        let first = results.keep(&uri(0), tokens.clone(), core.clone());
        let second = results.keep(&uri(0), tokens.clone(), core.clone());
        assert_ne!(first, second);
        assert!(results.previous(&uri(0), &first).is_none(), "replaced");
        assert!(results.previous(&uri(0), &second).is_some());
        assert!(results.previous(&uri(1), &second).is_none(), "another document");
        let ids: Vec<String> = (1..=KEPT).map(|k| results.keep(&uri(k), tokens.clone(), core.clone())).collect();
        assert!(results.previous(&uri(0), &second).is_none(), "the least recent went");
        assert!(results.previous(&uri(KEPT), &ids[KEPT - 1]).is_some());
        results.forget(&uri(KEPT));
        assert!(results.previous(&uri(KEPT), &ids[KEPT - 1]).is_none());
    }
}
