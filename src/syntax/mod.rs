//! Text → syntax model. `parse` never fails: it returns every item it could
//! recognise and the syntax errors, all with byte ranges into the text.

mod definition;
mod ident;
mod incremental;
mod markdown;
mod metadata;
mod scanner;
pub mod vocab;

pub use ident::{id_end, is_valid_id};
pub use incremental::{Region, reparse, reparse_region};
pub use vocab::{ClaimKind, Confidence, Date, Estimate, Outcome};

use crate::text::TextRange;

/// The three workspace-wide namespaces.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Namespace {
    Actor,
    Source,
    Claim,
}

impl Namespace {
    pub const ALL: [Namespace; 3] = [Namespace::Actor, Namespace::Source, Namespace::Claim];

    pub fn sigil(self) -> char {
        match self {
            Namespace::Actor => '@',
            Namespace::Source => '^',
            Namespace::Claim => '#',
        }
    }

    pub fn from_sigil(c: u8) -> Option<Namespace> {
        match c {
            b'@' => Some(Namespace::Actor),
            b'^' => Some(Namespace::Source),
            b'#' => Some(Namespace::Claim),
            _ => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Namespace::Actor => "actor",
            Namespace::Source => "source",
            Namespace::Claim => "claim",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a reference is written, which decides what it means for the rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    /// `@putin` in prose, claim text or a definition's description.
    Mention,
    /// `[Vladimir Putin](@putin)` or `[Reuters](^key)`; `text` is inside the brackets.
    Link { text: TextRange },
    /// `@putin` among a claim's metadata: an actor involved.
    Involved,
    /// `by:@putin`: the speaker or author of a claim.
    Speaker,
    /// `^key` or `^key(p. 3)` in a claim's metadata; `locator` is inside the parentheses.
    Citation { locator: Option<TextRange> },
    /// `supports:#id`.
    Supports,
    /// `contradicts:#id`.
    Contradicts,
}

/// A place where an id is used (not where it is defined).
///
/// Packed into 16 bytes: a workspace holds hundreds of thousands of them.
/// What a role carries beyond its kind (a link's text, a citation's
/// locator) sits next to the token, so one offset is enough to give it back;
/// the claim index, role kind and namespace share one word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Reference {
    /// The token with its sigil: `@putin`, `^key` (without locator), `#id`.
    pub range: TextRange,
    /// A link's text start; a citation's locator end (when it has one).
    extra: u32,
    /// Bits 0–26: the index into [`Parse::claims`] of the claim holding
    /// this reference, or [`NO_CLAIM`]; bits 27–29: the [`RoleKind`];
    /// bits 30–31: the [`Namespace`].
    packed: u32,
}

const CLAIM_BITS: u32 = 27;
/// Outside any claim. A note would need 134 million claims (and some
/// gigabytes) before one of its claims got this index: the references of
/// such claims count as outside any.
const NO_CLAIM: u32 = (1 << CLAIM_BITS) - 1;
const _: () = assert!(std::mem::size_of::<Reference>() == 16);

/// [`Role`] without what it carries.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RoleKind {
    Mention,
    Link,
    Involved,
    Speaker,
    Citation,
    LocatedCitation,
    Supports,
    Contradicts,
}

impl RoleKind {
    const ALL: [RoleKind; 8] = [
        RoleKind::Mention,
        RoleKind::Link,
        RoleKind::Involved,
        RoleKind::Speaker,
        RoleKind::Citation,
        RoleKind::LocatedCitation,
        RoleKind::Supports,
        RoleKind::Contradicts,
    ];
}

impl Reference {
    /// `role`'s ranges must be where the markup puts them: a link's text
    /// ends at `](` before the token, a locator starts at `(` right after it.
    pub fn new(namespace: Namespace, range: TextRange, role: Role, claim: Option<u32>) -> Reference {
        let (kind, extra) = match role {
            Role::Mention => (RoleKind::Mention, 0),
            Role::Link { text } => {
                debug_assert_eq!(text.end + 2, range.start, "a link's text ends at `](`");
                (RoleKind::Link, text.start)
            }
            Role::Involved => (RoleKind::Involved, 0),
            Role::Speaker => (RoleKind::Speaker, 0),
            Role::Citation { locator: None } => (RoleKind::Citation, 0),
            Role::Citation { locator: Some(locator) } => {
                debug_assert_eq!(locator.start, range.end + 1, "a locator starts after `(`");
                (RoleKind::LocatedCitation, locator.end)
            }
            Role::Supports => (RoleKind::Supports, 0),
            Role::Contradicts => (RoleKind::Contradicts, 0),
        };
        let claim = claim.map_or(NO_CLAIM, |c| c.min(NO_CLAIM));
        let packed = claim | (kind as u32) << CLAIM_BITS | (namespace.index() as u32) << (CLAIM_BITS + 3);
        Reference { range, extra, packed }
    }

    pub fn namespace(self) -> Namespace {
        Namespace::ALL[(self.packed >> (CLAIM_BITS + 3)) as usize]
    }

    fn kind(self) -> RoleKind {
        RoleKind::ALL[(self.packed >> CLAIM_BITS & 0b111) as usize]
    }

    pub fn role(self) -> Role {
        match self.kind() {
            RoleKind::Mention => Role::Mention,
            RoleKind::Link => Role::Link { text: TextRange { start: self.extra, end: self.range.start - 2 } },
            RoleKind::Involved => Role::Involved,
            RoleKind::Speaker => Role::Speaker,
            RoleKind::Citation => Role::Citation { locator: None },
            RoleKind::LocatedCitation => {
                Role::Citation { locator: Some(TextRange { start: self.range.end + 1, end: self.extra }) }
            }
            RoleKind::Supports => Role::Supports,
            RoleKind::Contradicts => Role::Contradicts,
        }
    }

    /// Index into [`Parse::claims`] of the claim holding this reference.
    pub fn claim(self) -> Option<u32> {
        let claim = self.packed & NO_CLAIM;
        (claim != NO_CLAIM).then_some(claim)
    }

    pub fn name(self, text: &str) -> &str {
        self.range.without_sigil().of(text)
    }
}

/// A metadata value token with what it says.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Valued<T> {
    pub value: T,
    /// The whole token: `conf:high`.
    pub range: TextRange,
}

/// `{claim text | metadata}`.
///
/// Kept compact (there is one per claim of the workspace): what follows from
/// other fields is computed, not stored — the text and metadata ranges from
/// the last `|`, a value token's end from its key and spelling — and what
/// may be missing is marked [`ABSENT`] rather than wrapped in an `Option`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Claim {
    /// From `{` to `}` inclusive.
    pub range: TextRange,
    /// The last `|`, or [`ABSENT`].
    pipe: u32,
    /// The `#id` token defining this claim's id; see [`Claim::id`].
    id: TextRange,
    /// The `@id` of `by:@id`; see [`Claim::speaker`].
    speaker: TextRange,
    /// Where the `kind:`, `conf:` and `est:` tokens start, or [`ABSENT`];
    /// what they say is beside them.
    kind_at: u32,
    confidence_at: u32,
    estimate_at: u32,
    kind: ClaimKind,
    confidence: Confidence,
    estimate: Estimate,
    /// Where the `due:` and `outcome:` tokens start, or [`ABSENT`]; kept
    /// only on a forecast (elsewhere they are `invalid-metadata`).
    due_at: u32,
    outcome_at: u32,
    due: Date,
    outcome: Outcome,
    /// The references inside this claim: `Parse::references[refs]`.
    pub refs: std::ops::Range<u32>,
}

/// No offset: a text is at most `u32::MAX` bytes long, so nothing starts here.
const ABSENT: u32 = u32::MAX;
const NO_RANGE: TextRange = TextRange { start: ABSENT, end: ABSENT };
const _: () = assert!(std::mem::size_of::<Claim>() == 64);

fn given(range: TextRange) -> Option<TextRange> {
    (range.start != ABSENT).then_some(range)
}

/// The vocabularies written as `key:value` tokens in a claim's metadata.
trait Keyed: Copy {
    const KEY: &'static str;
    fn spelling(self) -> &'static str;
}

impl Keyed for ClaimKind {
    const KEY: &'static str = "kind";
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

impl Keyed for Confidence {
    const KEY: &'static str = "conf";
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

impl Keyed for Estimate {
    const KEY: &'static str = "est";
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

impl Keyed for Outcome {
    const KEY: &'static str = "outcome";
    fn spelling(self) -> &'static str {
        self.as_str()
    }
}

/// The token `key:value` starting at `start` (unless [`ABSENT`]): it is
/// exactly that long.
fn valued<T: Keyed>(start: u32, value: T) -> Option<Valued<T>> {
    (start != ABSENT).then(|| {
        let len = T::KEY.len() + 1 + value.spelling().len();
        Valued { value, range: TextRange::new(start as usize, start as usize + len) }
    })
}

impl Claim {
    /// A claim from `{` to `}` inclusive, with its last `|` if it has one;
    /// its metadata is filled in by the parser.
    fn new(range: TextRange, last_pipe: Option<usize>) -> Claim {
        Claim {
            range,
            pipe: last_pipe.map_or(ABSENT, |p| p as u32),
            id: NO_RANGE,
            speaker: NO_RANGE,
            kind_at: ABSENT,
            confidence_at: ABSENT,
            estimate_at: ABSENT,
            kind: ClaimKind::Fact,
            confidence: Confidence::Low,
            estimate: Estimate::AlmostNoChance,
            due_at: ABSENT,
            outcome_at: ABSENT,
            due: Date { year: 0, month: 0, day: 0 },
            outcome: Outcome::False,
            refs: 0..0,
        }
    }

    /// Between `{` and the last `|` (or `}`).
    pub fn text(&self) -> TextRange {
        let end = if self.pipe == ABSENT { self.range.end - 1 } else { self.pipe };
        TextRange::new(self.range.start as usize + 1, end as usize)
    }

    /// Between the last `|` and `}`, when there is a `|`.
    pub fn metadata(&self) -> Option<TextRange> {
        (self.pipe != ABSENT).then(|| TextRange::new(self.pipe as usize + 1, self.range.end as usize - 1))
    }

    /// The `#id` token defining this claim's id, when it has one.
    pub fn id(&self) -> Option<TextRange> {
        given(self.id)
    }

    /// The `@id` of `by:@id`, when given.
    pub fn speaker(&self) -> Option<TextRange> {
        given(self.speaker)
    }

    /// What `kind:` says, or a fact when it is not given.
    pub fn kind(&self) -> ClaimKind {
        self.kind
    }

    /// The `kind:` token, when given.
    pub fn kind_token(&self) -> Option<Valued<ClaimKind>> {
        valued(self.kind_at, self.kind)
    }

    /// The `conf:` token, when given.
    pub fn confidence(&self) -> Option<Valued<Confidence>> {
        valued(self.confidence_at, self.confidence)
    }

    /// The `est:` token, when given.
    pub fn estimate(&self) -> Option<Valued<Estimate>> {
        valued(self.estimate_at, self.estimate)
    }

    /// The `due:` token of a forecast, when given.
    pub fn due(&self) -> Option<Valued<Date>> {
        (self.due_at != ABSENT).then(|| {
            let start = self.due_at as usize;
            Valued { value: self.due, range: TextRange::new(start, start + "due:".len() + self.due.written_len()) }
        })
    }

    /// The `outcome:` token of a forecast, when given.
    pub fn outcome(&self) -> Option<Valued<Outcome>> {
        valued(self.outcome_at, self.outcome)
    }

    pub fn id_name<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.id().map(|r| r.without_sigil().of(text))
    }

    /// The same claim with every offset passed through `f` (which moves
    /// offsets, keeping lengths), holding the references `refs`.
    fn relocated(&self, f: &impl Fn(TextRange) -> TextRange, refs: std::ops::Range<u32>) -> Claim {
        let at = |offset: u32| {
            if offset == ABSENT { ABSENT } else { f(TextRange::new(offset as usize, offset as usize)).start }
        };
        let range = |r: TextRange| if r.start == ABSENT { r } else { f(r) };
        Claim {
            range: f(self.range),
            pipe: at(self.pipe),
            id: range(self.id),
            speaker: range(self.speaker),
            kind_at: at(self.kind_at),
            confidence_at: at(self.confidence_at),
            estimate_at: at(self.estimate_at),
            due_at: at(self.due_at),
            outcome_at: at(self.outcome_at),
            refs,
            ..*self
        }
    }
}

/// `key: value` inside a definition block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Field {
    pub key: TextRange,
    /// The value, trimmed; may be empty.
    pub value: TextRange,
}

/// An actor (`@id: Name`) or source (`^key: Title`) definition block.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Definition {
    pub namespace: Namespace,
    /// `@putin` / `^key` at the start of the header line.
    pub id: TextRange,
    /// The display name or title, trimmed.
    pub title: TextRange,
    /// The whole block, header to last indented line (without its newline).
    pub range: TextRange,
    pub fields: Vec<Field>,
    /// Free description lines, trimmed.
    pub description: Vec<TextRange>,
    /// Set for an entry of a bibliography file (`crate::bibliography`):
    /// its values as read, since they are not spans of the file (macros
    /// expanded, LaTeX and `{}` protection removed). Its `id` is then the
    /// citation key alone, without a sigil, and `fields` is empty.
    pub entry: Option<Box<EntryFields>>,
}

/// What a bibliography entry says, read and resolved.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct EntryFields {
    pub title: String,
    /// `publisher`, `date`, `url`, `reliability`, then any other shown on
    /// hover (`type`, `author`), each at most once.
    /// Shared with the entries that take them through a `crossref`.
    pub fields: Vec<(&'static str, std::sync::Arc<str>)>,
}

impl Definition {
    /// The id without its sigil.
    pub fn name<'t>(&self, text: &'t str) -> &'t str {
        self.name_range().of(text)
    }

    /// Where the id's name is, without its sigil.
    pub fn name_range(&self) -> TextRange {
        if self.entry.is_some() { self.id } else { self.id.without_sigil() }
    }

    pub fn field<'a>(&'a self, text: &'a str, key: &str) -> Option<&'a str> {
        match &self.entry {
            Some(entry) => entry.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| &**v),
            None => self.fields.iter().find(|f| f.key.of(text) == key).map(|f| f.value.of(text)),
        }
    }

    /// The display name or title, as shown.
    pub fn title_text<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.entry {
            Some(entry) => &entry.title,
            None => self.title.of(text),
        }
    }

    /// Whether this is an entry of a bibliography file.
    pub fn is_entry(&self) -> bool {
        self.entry.is_some()
    }
}

/// A Markdown heading, for the document outline.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Heading {
    pub level: u8,
    pub range: TextRange,
    pub title: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum SyntaxErrorKind {
    UnclosedClaim,
    NestedClaim,
    InvalidMetadata,
    InvalidField,
    /// A bibliography file's syntax, or a file that cannot be read as one.
    InvalidBibliography,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub range: TextRange,
    pub message: String,
}

/// Everything the parser found in one document, in text order per list.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Parse {
    pub references: Vec<Reference>,
    pub claims: Vec<Claim>,
    pub definitions: Vec<Definition>,
    pub headings: Vec<Heading>,
    pub errors: Vec<SyntaxError>,
    /// Code blocks, HTML blocks and the front matter: what an edit elsewhere
    /// must know to reparse only its own paragraph ([`reparse`]).
    pub blocks: Vec<TextRange>,
}

/// What a parse works out beyond what the rules read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Keep {
    /// The prose ranges ([`prose`]), in the same pass. The language server
    /// wants them at once, since it always shows hints; a check only with
    /// `--hints`, and anyone else can ask later.
    pub prose: bool,
    /// The headings, for the document outline: only the language server
    /// shows them (at 10,000 notes they were 3 MB of a check's memory).
    pub outline: bool,
}

impl Keep {
    /// The language server's: everything, up front.
    pub const EVERYTHING: Keep = Keep { prose: true, outline: true };
    /// A document on its own: the outline, and the prose when asked.
    pub const OUTLINE: Keep = Keep { prose: false, outline: true };
}

/// Parses one document. Never fails, never panics on any input.
pub fn parse(text: &str) -> Parse {
    parse_keeping(text, Keep::OUTLINE).0
}

/// [`parse`], with as much beyond the rules' needs as `keep` says, and the
/// prose ranges (empty unless `keep.prose`).
pub fn parse_keeping(text: &str, keep: Keep) -> (Parse, Vec<TextRange>) {
    scanner::scan(text, markdown::layout(text, keep.outline), keep.prose)
}

/// Plain prose and claim text with every token, code span, metadata and
/// definition block cut out: where an actor's name written untagged counts
/// as `untagged-mention`. Computed on demand (a second scan) rather than
/// kept for every document, since only that one rule needs it.
pub fn prose(text: &str) -> Vec<TextRange> {
    scanner::scan(text, markdown::layout(text, false), true).1
}

/// [`parse`] and [`prose`] in one pass, for callers that need both.
pub fn parse_with_prose(text: &str) -> (Parse, Vec<TextRange>) {
    parse_keeping(text, Keep::EVERYTHING)
}

#[cfg(test)]
mod tests;
