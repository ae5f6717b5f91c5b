//! Semantic tokens (SPEC §7): what each piece of markup in a note is, as
//! byte ranges with a kind and modifiers, read from the parse the workspace
//! holds (nothing is parsed again) and from the workspace for what depends
//! on other notes (an id defined or not, a source's grade).

use rustc_hash::FxHashMap;

use super::diagnostics::{RuleContext, claim_is_unsourced, marks_unsourced_claims, source_grade};
use crate::syntax::{Claim, Definition, Namespace, Reference, Role};
use crate::text::TextRange;
use crate::workspace::{Document, Workspace};

/// What a token is. The order is the legend's (SPEC §7): the server sends
/// a kind as its index here.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenKind {
    /// `@id` mentioned or defined.
    Actor,
    /// `^key` mentioned, cited or defined.
    Source,
    /// `#id` defined in a claim's metadata or named by `supports:`/`contradicts:`.
    ClaimId,
    /// A claim's `{`, its splitting `|` and its `}`.
    Claim,
    /// A metadata token's key with its colon: `conf:`, `by:`.
    MetadataKey,
    /// A metadata token's value: `high` of `conf:high`.
    MetadataValue,
    /// A citation's locator with its parentheses: `(p. 3)`.
    Locator,
    /// A definition field's key with its colon: `reliability:`.
    FieldKey,
}

impl TokenKind {
    pub const ALL: [TokenKind; 8] = [
        TokenKind::Actor,
        TokenKind::Source,
        TokenKind::ClaimId,
        TokenKind::Claim,
        TokenKind::MetadataKey,
        TokenKind::MetadataValue,
        TokenKind::Locator,
        TokenKind::FieldKey,
    ];
}

/// What is said of a token, as bits in the legend's order (SPEC §7).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Modifiers(pub u8);

impl Modifiers {
    pub const NONE: Modifiers = Modifiers(0);
    /// The id's definition.
    pub const DECLARATION: Modifiers = Modifiers(1 << 0);
    /// An id that nothing in the workspace defines.
    pub const UNKNOWN: Modifiers = Modifiers(1 << 1);
    /// A claim's delimiters, when the claim has `unsourced-claim`.
    pub const UNSOURCED: Modifiers = Modifiers(1 << 2);
    /// A citation (in metadata) of a source graded weak.
    pub const WEAK: Modifiers = Modifiers(1 << 3);
    /// Every modifier, in the legend's order.
    pub const ALL: [Modifiers; 4] = [Modifiers::DECLARATION, Modifiers::UNKNOWN, Modifiers::UNSOURCED, Modifiers::WEAK];

    pub fn contains(self, other: Modifiers) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Modifiers {
    type Output = Modifiers;
    fn bitor(self, other: Modifiers) -> Modifiers {
        Modifiers(self.0 | other.0)
    }
}

/// One semantic token: never empty, never across a line break.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenKind,
    pub modifiers: Modifiers,
}

/// What the tokens of one note ask of the workspace: in the rules' context
/// when there is one (a probe per id), else in the workspace's tables, once
/// per id (a note mentions the same few actors and sources again and again).
/// A per-request table in front of the context does not pay: the 200 KB
/// note of the benchmark names 1,500 actors and sources in 3,600 mentions
/// and citations.
struct Lookups<'w> {
    workspace: &'w Workspace,
    context: Option<&'w RuleContext>,
    defined: FxHashMap<(Namespace, &'w str), bool>,
    weak: FxHashMap<&'w str, bool>,
}

/// What a lookup says of a reference's id.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Found {
    Unknown,
    Defined,
    /// A source graded weak (asked only of citations).
    Weak,
}

impl<'w> Lookups<'w> {
    /// The id of a reference; `citation` asks about its grade as well (one
    /// probe of the context for both).
    fn find(&mut self, namespace: Namespace, name: &'w str, citation: bool) -> Found {
        let workspace = self.workspace;
        match self.context {
            Some(context) if namespace == Namespace::Source => match context.grade(name) {
                None => Found::Unknown,
                Some(grade) if citation && grade.is_some_and(|a| a.is_weak()) => Found::Weak,
                Some(_) => Found::Defined,
            },
            Some(context) if namespace == Namespace::Actor => {
                if context.is_defined(workspace, namespace, name) {
                    Found::Defined
                } else {
                    Found::Unknown
                }
            }
            _ => {
                if !*self.defined.entry((namespace, name)).or_insert_with(|| workspace.is_defined(namespace, name)) {
                    Found::Unknown
                } else if citation
                    && *self
                        .weak
                        .entry(name)
                        .or_insert_with(|| source_grade(workspace, name).is_some_and(|(_, a)| a.is_weak()))
                {
                    Found::Weak
                } else {
                    Found::Defined
                }
            }
        }
    }
}

/// The tokens of `document` in text order, only those meeting `within`
/// when given (a `range` request): what lies outside costs no lookup.
/// `context`, the rules' context of the same workspace if at hand, makes
/// the lookups of actors and sources cheaper; the tokens are the same.
pub fn semantic_tokens<'w>(
    workspace: &'w Workspace,
    context: Option<&'w RuleContext>,
    document: &'w Document,
    within: Option<TextRange>,
) -> Vec<Token> {
    let parse = &document.parse;
    let items = Items { references: &parse.references, claims: &parse.claims, definitions: &parse.definitions };
    tokens_of(workspace, context, document, items, within)
}

/// Some of a note's parse: the items whose tokens are wanted.
struct Items<'d> {
    references: &'d [Reference],
    claims: &'d [Claim],
    definitions: &'d [Definition],
}

/// The tokens of `items` of `document`, as [`semantic_tokens`].
fn tokens_of<'w>(
    workspace: &'w Workspace,
    context: Option<&'w RuleContext>,
    document: &'w Document,
    parse: Items<'w>,
    within: Option<TextRange>,
) -> Vec<Token> {
    let text = document.text.as_str();
    let meets = |range: TextRange| within.is_none_or(|w| range.start < w.end && w.start < range.end);
    let mut lookups = Lookups { workspace, context, defined: FxHashMap::default(), weak: FxHashMap::default() };
    // Room for all of a note's tokens, unless a few of them are asked for
    // (a paragraph, a screen): room for all was then an allocation the
    // size of the whole note's tokens for each request.
    let room = |all: usize| if within.is_some() { 0 } else { all };
    let mut out = Tokens { text, within, tokens: Vec::with_capacity(room(parse.references.len() * 2)) };
    // Claims and definitions go to runs of their own (see the merge below).
    let mut claims = Tokens { text, within, tokens: Vec::with_capacity(room(parse.claims.len() * 4)) };
    let mut definitions = Tokens { text, within, tokens: Vec::new() };
    let marks_unsourced = marks_unsourced_claims(workspace);

    for r in parse.references {
        let role = r.role();
        // The key of `by:@id`, `supports:#id`, `contradicts:#id`.
        let key = match role {
            Role::Speaker => "by:".len(),
            Role::Supports => "supports:".len(),
            Role::Contradicts => "contradicts:".len(),
            _ => 0,
        };
        let start = r.range.start as usize - key;
        let end = match role {
            Role::Citation { locator: Some(locator) } => locator.end as usize + 1,
            _ => r.range.end as usize,
        };
        if !meets(TextRange::new(start, end)) {
            continue;
        }
        if key > 0 {
            out.push(TextRange::new(start, r.range.start as usize), TokenKind::MetadataKey, Modifiers::NONE);
        }
        let name = r.name(text);
        let modifiers = match lookups.find(r.namespace(), name, matches!(role, Role::Citation { .. })) {
            Found::Unknown => Modifiers::UNKNOWN,
            Found::Defined => Modifiers::NONE,
            Found::Weak => Modifiers::WEAK,
        };
        out.push(r.range, kind_of(r.namespace()), modifiers);
        if let Role::Citation { locator: Some(locator) } = role {
            let parenthesised = TextRange::new(locator.start as usize - 1, locator.end as usize + 1);
            out.push(parenthesised, TokenKind::Locator, Modifiers::NONE);
        }
    }

    for claim in parse.claims.iter().filter(|c| meets(c.range)) {
        let unsourced = marks_unsourced && claim_is_unsourced(document, claim);
        let delimiter = if unsourced { Modifiers::UNSOURCED } else { Modifiers::NONE };
        let first = claims.tokens.len();
        let one = |at: usize| TextRange::new(at, at + 1);
        claims.push(one(claim.range.start as usize), TokenKind::Claim, delimiter);
        if let Some(metadata) = claim.metadata() {
            claims.push(one(metadata.start as usize - 1), TokenKind::Claim, delimiter);
        }
        claims.push(one(claim.range.end as usize - 1), TokenKind::Claim, delimiter);
        if let Some(id) = claim.id() {
            claims.push(id, TokenKind::ClaimId, Modifiers::DECLARATION);
        }
        let valued = [
            claim.kind_token().map(|v| (v.range, "kind".len())),
            claim.confidence().map(|v| (v.range, "conf".len())),
            claim.estimate().map(|v| (v.range, "est".len())),
            claim.due().map(|v| (v.range, "due".len())),
            claim.outcome().map(|v| (v.range, "outcome".len())),
        ];
        for (range, key) in valued.into_iter().flatten() {
            let colon = range.start as usize + key + 1;
            claims.push(TextRange::new(range.start as usize, colon), TokenKind::MetadataKey, Modifiers::NONE);
            claims.push(TextRange::new(colon, range.end as usize), TokenKind::MetadataValue, Modifiers::NONE);
        }
        // A claim's metadata tokens come in any order in its text.
        claims.tokens[first..].sort_unstable_by_key(|t| t.range.start);
    }

    for def in parse.definitions.iter().filter(|d| meets(d.range)) {
        definitions.push(def.id, kind_of(def.namespace), Modifiers::DECLARATION);
        for field in &def.fields {
            definitions.push(
                TextRange::new(field.key.start as usize, field.key.end as usize + 1),
                TokenKind::FieldKey,
                Modifiers::NONE,
            );
        }
    }

    // Three runs, each in text order: merging them costs one pass where a
    // sort of the lot was a tenth of the request. Should a run ever come out
    // of order (a claim inside a definition's field?), the sort still
    // decides: tokens never overlap, so their starts order them.
    let blocks = merge(&claims.tokens, &definitions.tokens);
    let mut tokens = merge(&out.tokens, &blocks);
    if !tokens.is_sorted_by_key(|t| t.range.start) {
        tokens.sort_unstable_by_key(|t| t.range.start);
    }
    tokens
}

/// The tokens of one version of a note and what they were computed
/// against, kept so that those of the next version can be had from them
/// (see [`semantic_tokens_reusing`]).
#[derive(Debug)]
pub struct KeptTokens {
    /// The version of the note ([`Document::serial`]).
    pub serial: u64,
    /// What the workspace told of other notes then ([`super::Host::facts`]).
    pub facts: u64,
    /// All of the note's tokens, in text order.
    pub tokens: Vec<Token>,
}

/// How tokens were had from kept ones: the first `head` are the kept
/// ones, the next `region` were computed, and the rest are the kept ones
/// from `old_tail` on, moved by the edit.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Reused {
    pub head: usize,
    pub region: usize,
    pub old_tail: usize,
}

/// All the tokens of `document`, as [`semantic_tokens`] gives them, while
/// the workspace's facts are `facts` ([`super::Host::facts`]); computed for
/// the reparsed paragraphs only when `kept` holds the tokens of the
/// version this one is an edit of and the facts have not changed since.
/// Then every item of the parse outside the paragraphs is the old one,
/// moved, and whatever its tokens read elsewhere (ids defined, grades,
/// the configuration) is as it was; otherwise all are computed.
pub fn semantic_tokens_reusing<'w>(
    workspace: &'w Workspace,
    context: Option<&'w RuleContext>,
    document: &'w Document,
    facts: u64,
    kept: Option<&KeptTokens>,
) -> (KeptTokens, Option<Reused>) {
    let edited = kept.filter(|k| k.facts == facts).and_then(|k| Some((k, document.edited_from(k.serial)?)));
    let Some((kept, region)) = edited else {
        let tokens = semantic_tokens(workspace, context, document, None);
        return (KeptTokens { serial: document.serial(), facts, tokens }, None);
    };
    let old = &kept.tokens;
    // No item straddles the region's ends (`syntax::reparse_region`), nor
    // then does a token: those starting inside it are the region's.
    let head = old.partition_point(|t| (t.range.start as usize) < region.start);
    let old_tail = old.partition_point(|t| (t.range.start as usize) < region.old_end);
    let parse = &document.parse;
    let items = Items {
        references: &parse.references[region.references.clone()],
        claims: &parse.claims[region.claims.clone()],
        definitions: &parse.definitions[region.definitions.clone()],
    };
    let fresh = tokens_of(workspace, context, document, items, Some(TextRange::new(region.start, region.new_end)));
    let by = region.new_end as i64 - region.old_end as i64;
    let moved = |at: u32| (at as i64 + by) as u32;
    let mut tokens = Vec::with_capacity(head + fresh.len() + old.len() - old_tail);
    tokens.extend_from_slice(&old[..head]);
    tokens.extend_from_slice(&fresh);
    tokens.extend(
        old[old_tail..]
            .iter()
            .map(|t| Token { range: TextRange { start: moved(t.range.start), end: moved(t.range.end) }, ..*t }),
    );
    let reused = Reused { head, region: fresh.len(), old_tail };
    (KeptTokens { serial: document.serial(), facts, tokens }, Some(reused))
}

/// Two runs of tokens in text order as one.
fn merge(a: &[Token], b: &[Token]) -> Vec<Token> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].range.start <= b[j].range.start {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

fn kind_of(namespace: Namespace) -> TokenKind {
    match namespace {
        Namespace::Actor => TokenKind::Actor,
        Namespace::Source => TokenKind::Source,
        Namespace::Claim => TokenKind::ClaimId,
    }
}

/// Tokens being collected: each split at line breaks, and kept only where
/// it meets the requested range.
struct Tokens<'t> {
    text: &'t str,
    within: Option<TextRange>,
    tokens: Vec<Token>,
}

impl Tokens<'_> {
    fn push(&mut self, range: TextRange, kind: TokenKind, modifiers: Modifiers) {
        let bytes = self.text.as_bytes();
        let mut start = range.start as usize;
        let end = range.end as usize;
        let meets = |piece: TextRange| self.within.is_none_or(|w| piece.start < w.end && w.start < piece.end);
        // Most tokens are a few bytes (an id, a delimiter, a key): a plain
        // look at them costs less than setting up a search.
        if end - start <= 32 && !bytes[start..end].iter().any(|&b| matches!(b, b'\n' | b'\r')) {
            if start < end && meets(range) {
                self.tokens.push(Token { range, kind, modifiers });
            }
            return;
        }
        // Only a locator can hold a line break; one pass over its bytes.
        while start < end {
            let stop = memchr::memchr2(b'\n', b'\r', &bytes[start..end]).map_or(end, |at| start + at);
            let piece = TextRange::new(start, stop);
            if !piece.is_empty() && meets(piece) {
                self.tokens.push(Token { range: piece, kind, modifiers });
            }
            start = stop;
            while start < end && matches!(bytes[start], b'\n' | b'\r') {
                start += 1;
            }
        }
    }
}
