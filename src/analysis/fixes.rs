//! The quick fixes of SPEC §6, one per row of its table, beside the rules
//! whose findings they fix (`diagnostics.rs`): each finds the finding's
//! place in the parse again and proposes plain edits. A fix that cannot
//! apply is not offered.

use std::cell::{OnceCell, RefCell};
use std::path::Path;

use super::action::{Action, ActionKind, ActionOptions, FileEdit, Fix, Replacement};
use super::diagnostics::RuleContext;
use crate::diagnostic::{Diagnostic, Rule};
use crate::syntax::vocab::{Admiralty, is_valid_date};
use crate::syntax::{Claim, ClaimKind, Confidence, Estimate, Namespace, Role};
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Workspace};

/// The most sources an `unsourced-claim` fix offers.
const MAX_SOURCES: usize = 5;
/// The longest misspelt value compared with the allowed ones (in
/// characters): the longest allowed is 16, and a distance of 2 at most.
const MAX_VALUE_CHARS: usize = 18;

/// Computes the fixes of the findings of one document. What several
/// findings would each compute again (the note's untagged names, where a
/// definition goes, what a claim's metadata holds) is computed once, so
/// fixing every finding of a note costs no more than a pass per finding
/// bounded by the finding's own claim or value.
pub(super) struct Fixer<'w> {
    workspace: &'w Workspace,
    context: &'w RuleContext,
    doc: DocId,
    options: ActionOptions,
    /// Every untagged name of the note: (range, actor).
    untagged: OnceCell<Vec<(TextRange, &'w str)>>,
    /// The actors whose "Tag every" was already offered.
    tagged_every: RefCell<Vec<String>>,
    /// Per namespace (actors, sources): where a definition goes.
    targets: [OnceCell<Option<(FileEdit, String)>>; 2],
    /// The claim (by its start) whose valid `key:` tokens were last read, and those keys.
    given: RefCell<Option<(u32, Vec<&'static str>)>>,
    /// The paragraph last looked at for `unsourced-claim`, and the sources
    /// its claims cite: the same for each of its unsourced claims, which
    /// cite none.
    paragraph: RefCell<Option<(TextRange, Vec<&'w str>)>>,
}

impl<'w> Fixer<'w> {
    pub fn new(workspace: &'w Workspace, context: &'w RuleContext, doc: DocId, options: ActionOptions) -> Fixer<'w> {
        Fixer {
            workspace,
            context,
            doc,
            options,
            untagged: OnceCell::new(),
            tagged_every: RefCell::new(Vec::new()),
            targets: [OnceCell::new(), OnceCell::new()],
            given: RefCell::new(None),
            paragraph: RefCell::new(None),
        }
    }

    /// Every action fixing `d`, a finding of this document.
    pub fn fixes(&self, d: &Diagnostic) -> Vec<Action> {
        let document = self.workspace.document(self.doc);
        match d.rule {
            Rule::InvalidMetadata => self.value_spelling(document, d).into_iter().collect(),
            Rule::InvalidField => self.field_value(document, d).into_iter().collect(),
            Rule::UnknownActor | Rule::UnknownSource | Rule::UnknownClaim => self.unknown(document, d),
            Rule::UntaggedMention => self.untagged(document, d),
            Rule::MissingSpeaker => self.speaker(document, d),
            Rule::MissingConfidence => self.add_each(document, d, Fix::AddConfidence, || {
                Confidence::ALL.iter().map(|c| (format!("conf:{}", c.as_str()), String::new())).collect()
            }),
            Rule::MissingEstimate => self.add_each(document, d, Fix::AddEstimate, || {
                Estimate::ALL
                    .iter()
                    .map(|e| (format!("est:{}", e.as_str()), format!(" ({})", probability(*e))))
                    .collect()
            }),
            Rule::UnsourcedClaim => self.sources(document, d),
            Rule::UnclosedClaim => self.close(document, d).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The keys among `kind:`, `conf:`, `est:`, `outcome:` that a claim's
    /// metadata gives a valid value, read once per claim.
    fn given_keys(&self, document: &Document, claim: &Claim) -> Vec<&'static str> {
        if let Some((start, keys)) = &*self.given.borrow()
            && *start == claim.range.start
        {
            return keys.clone();
        }
        let mut keys = Vec::new();
        for token in claim.metadata().map_or("", |m| m.of(&document.text)).split_ascii_whitespace() {
            let valid = match token.split_once(':') {
                Some(("kind", v)) => ClaimKind::parse(v).map(|_| "kind"),
                Some(("conf", v)) => Confidence::parse(v).map(|_| "conf"),
                Some(("est", v)) => Estimate::parse(v).map(|_| "est"),
                Some(("outcome", "true" | "false")) => Some("outcome"),
                _ => None,
            };
            if let Some(key) = valid.filter(|k| !keys.contains(k)) {
                keys.push(key);
            }
        }
        *self.given.borrow_mut() = Some((claim.range.start, keys.clone()));
        keys
    }

    fn action(&self, d: &Diagnostic, fix: Fix, title: String, edits: Vec<FileEdit>) -> Action {
        Action { title, kind: ActionKind::QuickFix, fix: Some(fix), fixes: Some(d.clone()), edits }
    }

    /// One replacement in this document.
    fn here(&self, range: TextRange, text: String) -> Vec<FileEdit> {
        vec![FileEdit::Edit { doc: self.doc, replacements: vec![Replacement { range, text }] }]
    }

    /// `invalid-metadata`: `conf:hgh` → `conf:high` when exactly one
    /// allowed value is within edit distance 2.
    fn value_spelling(&self, document: &Document, d: &Diagnostic) -> Option<Action> {
        let token = d.range.of(&document.text);
        let (key, value) = token.split_once(':')?;
        let allowed: Vec<&str> = match key {
            "kind" => ClaimKind::ALL.iter().map(|k| k.as_str()).collect(),
            "conf" => Confidence::ALL.iter().map(|c| c.as_str()).collect(),
            "est" => Estimate::ALL.iter().map(|e| e.as_str()).collect(),
            "outcome" => vec!["true", "false"],
            _ => return None,
        };
        if allowed.contains(&value) || value.chars().count() > MAX_VALUE_CHARS {
            return None;
        }
        // A claim that already has the key: the corrected token would be
        // one given twice, an error of its own.
        let claims = &document.parse.claims;
        let claim = claims.get(claims.partition_point(|c| c.range.end <= d.range.start))?;
        if self.given_keys(document, claim).contains(&key) {
            return None;
        }
        let mut near = allowed.into_iter().filter(|a| levenshtein(value, a) <= 2);
        let (Some(only), None) = (near.next(), near.next()) else { return None };
        let start = d.range.start as usize + key.len() + 1;
        let title = format!("Change `{token}` to `{key}:{only}`");
        Some(self.action(
            d,
            Fix::ValueSpelling,
            title,
            self.here(TextRange::new(start, d.range.end as usize), only.into()),
        ))
    }

    /// `invalid-field`: a grade in lower case, a date without its zeros.
    fn field_value(&self, document: &Document, d: &Diagnostic) -> Option<Action> {
        let text = &document.text;
        let defs = &document.parse.definitions;
        let def = defs[..defs.partition_point(|def| def.range.start <= d.range.start)].last()?;
        // Fields are in text order.
        let field = def.fields.get(def.fields.partition_point(|f| f.value.start < d.range.start))?;
        if field.value != d.range {
            return None;
        }
        let value = field.value.of(text);
        let fixed = match (def.namespace, field.key.of(text)) {
            (Namespace::Source, "reliability") => {
                let upper = value.to_ascii_uppercase();
                (upper != value && Admiralty::parse(&upper).is_some()).then_some(upper)
            }
            (Namespace::Source, "date") => padded_date(value),
            _ => None,
        }?;
        let title = format!("Write `{value}` as `{fixed}`");
        Some(self.action(d, Fix::FieldValue, title, self.here(d.range, fixed)))
    }

    /// `unknown-*`: the suggested id, and "Define" for actors and sources.
    fn unknown(&self, document: &Document, d: &Diagnostic) -> Vec<Action> {
        let text = &document.text;
        // References are in text order.
        let refs = &document.parse.references;
        let at = refs.partition_point(|r| r.range.start < d.range.start);
        let Some(reference) =
            refs[at..].iter().take_while(|r| r.range.start == d.range.start).find(|r| r.range == d.range)
        else {
            return Vec::new();
        };
        let (namespace, name) = (reference.namespace(), reference.name(text));
        let sigil = namespace.sigil();
        let mut out = Vec::new();
        if let Some(near) = self.context.suggestion(self.workspace, namespace, name) {
            let title = format!("Change `{sigil}{name}` to `{sigil}{near}`");
            out.push(self.action(d, Fix::IdSuggestion, title, self.here(d.range.without_sigil(), near)));
        }
        if let Some((edit, file)) = self.define(namespace, name, name) {
            let title = format!("Define `{sigil}{name}` in {file}");
            out.push(self.action(d, Fix::Define, title, vec![edit]));
        }
        out
    }

    /// [`define`], the target found once per request.
    fn define(&self, namespace: Namespace, id: &str, title: &str) -> Option<(FileEdit, String)> {
        let slot = match namespace {
            Namespace::Actor => &self.targets[0],
            Namespace::Source => &self.targets[1],
            Namespace::Claim => return None,
        };
        let (target, file) = slot.get_or_init(|| define(self.workspace, namespace, "", "", self.options)).clone()?;
        let line = format!("{}{id}: {title}", namespace.sigil());
        let edit = match target {
            FileEdit::Edit { doc, .. } => {
                FileEdit::Edit { doc, replacements: vec![append_block(&self.workspace.document(doc).text, &line)] }
            }
            FileEdit::Create { path, .. } => FileEdit::Create { path, text: format!("{line}\n") },
        };
        Some((edit, file))
    }

    /// `untagged-mention`: this name as a link form, and every untagged
    /// name of the same actor in the note (offered once per actor).
    fn untagged(&self, document: &Document, d: &Diagnostic) -> Vec<Action> {
        let text = &document.text;
        let names = self.context.actor_names(self.workspace);
        let name = d.range.of(text);
        let Some(actor) = names.actor_of(name) else { return Vec::new() };
        let link = |name: &str| format!("[{name}](@{actor})");
        let one =
            self.action(d, Fix::TagName, format!("Tag `{name}` as `{}`", link(name)), self.here(d.range, link(name)));
        if self.tagged_every.borrow().iter().any(|a| a == actor) {
            return vec![one];
        }
        self.tagged_every.borrow_mut().push(actor.to_string());
        let all = self.untagged.get_or_init(|| {
            names.find(text, document.prose()).into_iter().map(|found| (found.range, found.actor)).collect()
        });
        let every: Vec<Replacement> = all
            .iter()
            .filter(|(_, a)| *a == actor)
            .map(|(range, _)| Replacement { range: *range, text: link(range.of(text)) })
            .collect();
        let every = self.action(
            d,
            Fix::TagEvery,
            format!("Tag every untagged `@{actor}` in this note"),
            vec![FileEdit::Edit { doc: self.doc, replacements: every }],
        );
        vec![one, every]
    }

    /// `missing-speaker`: `by:@id` for each actor the claim's text mentions.
    fn speaker(&self, document: &Document, d: &Diagnostic) -> Vec<Action> {
        let text = &document.text;
        let Some(claim) = claim_at(document, d.range) else { return Vec::new() };
        let within = claim.text();
        let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
        let mut names: Vec<&str> = Vec::new();
        for r in refs {
            let spoken = matches!(r.role(), Role::Mention | Role::Link { .. });
            if r.namespace() == Namespace::Actor && spoken && within.contains_range(r.range) {
                let name = r.name(text);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
            .into_iter()
            .map(|name| {
                let token = format!("by:@{name}");
                let edit = self.here_add(document, claim, &token);
                self.action(d, Fix::AddSpeaker, format!("Add `{token}` (the speaker)"), edit)
            })
            .collect()
    }

    /// One action per token that `tokens` gives for the claim: (token,
    /// what the title adds after it).
    fn add_each(
        &self,
        document: &Document,
        d: &Diagnostic,
        fix: Fix,
        tokens: impl Fn() -> Vec<(String, String)>,
    ) -> Vec<Action> {
        let Some(claim) = claim_at(document, d.range) else { return Vec::new() };
        tokens()
            .into_iter()
            .map(|(token, note)| {
                let edit = self.here_add(document, claim, &token);
                self.action(d, fix, format!("Add `{token}`{note}"), edit)
            })
            .collect()
    }

    /// `unsourced-claim`: the sources other claims of the paragraph cite
    /// (the claim itself cites none).
    fn sources(&self, document: &'w Document, d: &Diagnostic) -> Vec<Action> {
        let Some(claim) = claim_at(document, d.range) else { return Vec::new() };
        let cached = self.paragraph.borrow().as_ref().filter(|(p, _)| p.contains_range(claim.range)).cloned();
        let keys = match cached {
            Some((_, keys)) => keys,
            None => {
                let paragraph = paragraph_around(&document.text, claim.range);
                let keys = cited_in(document, paragraph);
                *self.paragraph.borrow_mut() = Some((paragraph, keys.clone()));
                keys
            }
        };
        keys.into_iter()
            .map(|key| {
                let token = format!("^{key}");
                let edit = self.here_add(document, claim, &token);
                self.action(d, Fix::AddSource, format!("Cite `{token}`"), edit)
            })
            .collect()
    }

    /// `unclosed-claim`: `}` at the end of the claim's last line.
    fn close(&self, document: &Document, d: &Diagnostic) -> Option<Action> {
        let text = &document.text;
        let at = last_line_end(document, d.range.start as usize)?;
        // A `}` after a backslash would be a literal brace.
        let brace = if text[..at].ends_with('\\') { " }" } else { "}" };
        let title = "Close the claim with `}` at the end of its last line".to_string();
        Some(self.action(d, Fix::CloseClaim, title, self.here(TextRange::empty(at), brace.into())))
    }

    fn here_add(&self, document: &Document, claim: &Claim, token: &str) -> Vec<FileEdit> {
        vec![FileEdit::Edit { doc: self.doc, replacements: vec![add_token(&document.text, claim, token)] }]
    }
}

/// The first [`MAX_SOURCES`] distinct sources the claims of `paragraph`
/// cite in their metadata, in text order.
fn cited_in(document: &Document, paragraph: TextRange) -> Vec<&str> {
    let text = &document.text;
    let claims = &document.parse.claims;
    let first = claims.partition_point(|c| c.range.end <= paragraph.start);
    let mut keys: Vec<&str> = Vec::new();
    for claim in claims[first..].iter().take_while(|c| c.range.start < paragraph.end) {
        for r in &document.parse.references[claim.refs.start as usize..claim.refs.end as usize] {
            if matches!(r.role(), Role::Citation { .. }) && !keys.contains(&r.name(text)) {
                keys.push(r.name(text));
                if keys.len() == MAX_SOURCES {
                    return keys;
                }
            }
        }
    }
    keys
}

/// The claim whose range is exactly `range` (claims are sorted and do not nest).
fn claim_at(document: &Document, range: TextRange) -> Option<&Claim> {
    let claims = &document.parse.claims;
    let at = claims.partition_point(|c| c.range.start < range.start);
    claims.get(at).filter(|c| c.range == range)
}

/// Adds a metadata token to a claim: ` | token` before the `}` of a claim
/// without `|`, else after its last metadata token (or its `|`) with one space.
pub(super) fn add_token(text: &str, claim: &Claim, token: &str) -> Replacement {
    match claim.metadata() {
        None => Replacement { range: TextRange::empty(claim.range.end as usize - 1), text: format!(" | {token}") },
        Some(meta) => {
            let raw = meta.of(text);
            let kept = raw.trim_end_matches(|c: char| c.is_ascii_whitespace());
            let at = if kept.trim_start_matches(|c: char| c.is_ascii_whitespace()).is_empty() {
                meta.start as usize
            } else {
                meta.start as usize + kept.len()
            };
            Replacement { range: TextRange::empty(at), text: format!(" {token}") }
        }
    }
}

/// The probability range of an estimate, as its meaning gives it: "55–80%".
fn probability(estimate: Estimate) -> &'static str {
    let meaning = estimate.meaning();
    match (meaning.find('('), meaning.rfind(')')) {
        (Some(open), Some(close)) if open < close => &meaning[open + 1..close],
        _ => meaning,
    }
}

/// Levenshtein distance in characters (a transposition counts 2).
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// `2014-5-1` → `2014-05-01`, `2014-5` → `2014-05`: when a month or day
/// has one digit and the zero-padded date is real.
fn padded_date(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || parts[0].len() != 4 || !parts.iter().all(|p| digits(p)) {
        return None;
    }
    let rest = &parts[1..];
    if rest.iter().any(|p| p.len() > 2) || !rest.iter().any(|p| p.len() == 1) {
        return None;
    }
    let padded = std::iter::once(parts[0].to_string())
        .chain(rest.iter().map(|p| format!("{p:0>2}")))
        .collect::<Vec<_>>()
        .join("-");
    is_valid_date(&padded).then_some(padded)
}

/// Whether `line` holds only spaces and tabs.
fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| matches!(b, b' ' | b'\t'))
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |p| p + 1)
}

/// The end of the line holding `at` (before its line break).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find(['\n', '\r']).map_or(text.len(), |p| at + p)
}

/// Where the line after the one ending at `end` starts, if there is one.
fn next_line(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    match bytes.get(end)? {
        b'\r' if bytes.get(end + 1) == Some(&b'\n') => Some(end + 2),
        _ => Some(end + 1),
    }
}

/// The paragraph holding `range`: its lines and those around it up to a
/// blank line (or the text's ends). The walk is bounded by the paragraph.
pub(super) fn paragraph_around(text: &str, range: TextRange) -> TextRange {
    let mut start = line_start(text, range.start as usize);
    while start > 0 {
        let previous = line_start(text, start - 1 - usize::from(text[..start].ends_with("\r\n")));
        let line = &text[previous..line_end(text, previous)];
        if is_blank(line) {
            break;
        }
        start = previous;
    }
    let mut end = line_end(text, range.end as usize);
    while let Some(next) = next_line(text, end) {
        let next_end = line_end(text, next);
        if is_blank(&text[next..next_end]) {
            break;
        }
        end = next_end;
    }
    TextRange::new(start, end)
}

/// The end of the last line an unclosed claim opened at `open` runs on:
/// its search for a `}` stops at a blank line, a definition header, a
/// block (code, HTML, front matter) or the end of the text.
fn last_line_end(document: &Document, open: usize) -> Option<usize> {
    let text = &document.text;
    let parse = &document.parse;
    let mut end = line_end(text, open);
    while let Some(next) = next_line(text, end) {
        let next_end = line_end(text, next);
        // Both lists are sorted: a look-up per line, not a walk.
        let block = parse.blocks.partition_point(|b| (b.end as usize) <= next);
        let starts_block = parse.blocks.get(block).is_some_and(|b| (b.start as usize) < next_end.max(next + 1));
        let definition = parse.definitions.partition_point(|d| (d.range.start as usize) < next);
        let starts_definition = parse.definitions.get(definition).is_some_and(|d| d.range.start as usize == next);
        if next >= text.len() || is_blank(&text[next..next_end]) || starts_block || starts_definition {
            break;
        }
        end = next_end;
    }
    (end > open).then_some(end)
}

/// Where a new definition of `namespace` goes, as an edit adding `@id:
/// title` (or `^id: title`), with the file's path relative to the root for
/// a title: appended to the note holding most definitions of that kind (a
/// tie goes to `actors.md` / `sources.md` when it is among the tied notes,
/// else to the first by path), else to `actors.md` / `sources.md` at the
/// workspace root, created when missing (and `options` allow it).
pub(super) fn define(
    workspace: &Workspace,
    namespace: Namespace,
    id: &str,
    title: &str,
    options: ActionOptions,
) -> Option<(FileEdit, String)> {
    let conventional = match namespace {
        Namespace::Actor => "actors.md",
        Namespace::Source => "sources.md",
        Namespace::Claim => return None,
    };
    let line = format!("{}{id}: {title}", namespace.sigil());
    let mut best: Option<(usize, bool, &Path, DocId)> = None;
    // A bibliography's entries are sources too, but a `^key: title` line
    // would break the file: only notes take a new block.
    for (doc, document) in workspace.documents().filter(|(_, d)| d.bibliography.is_none()) {
        let count = document.parse.definitions.iter().filter(|d| d.namespace == namespace).count();
        if count == 0 {
            continue;
        }
        let named = document.path.file_name().is_some_and(|n| n == conventional);
        let better = match best {
            None => true,
            Some((c, n, p, _)) => (count, named, std::cmp::Reverse(&*document.path)) > (c, n, std::cmp::Reverse(p)),
        };
        if better {
            best = Some((count, named, &document.path, doc));
        }
    }
    let root_file = workspace.root.join(conventional);
    let target = best.map(|(.., doc)| doc).or_else(|| workspace.doc_id(&root_file));
    let relative = |path: &Path| path.strip_prefix(&workspace.root).unwrap_or(path).display().to_string();
    match target {
        Some(doc) => {
            let document = workspace.document(doc);
            let edit = append_block(&document.text, &line);
            Some((FileEdit::Edit { doc, replacements: vec![edit] }, relative(&document.path)))
        }
        None if options.create_files => {
            let file = relative(&root_file);
            Some((FileEdit::Create { path: root_file, text: format!("{line}\n") }, file))
        }
        None => None,
    }
}

/// Appends a definition's header line to `text`: after a blank line
/// (unless the text already ends with one, or is empty), then a line break,
/// in the text's own line-break style.
fn append_block(text: &str, line: &str) -> Replacement {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let ends_with_break = text.ends_with(['\n', '\r']);
    let before = text.strip_suffix("\r\n").or_else(|| text.strip_suffix(['\n', '\r'])).unwrap_or(text);
    let lead = if text.is_empty() || (ends_with_break && (before.is_empty() || before.ends_with(['\n', '\r']))) {
        String::new()
    } else if ends_with_break {
        newline.to_string()
    } else {
        newline.repeat(2)
    };
    Replacement { range: TextRange::empty(text.len()), text: format!("{lead}{line}{newline}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_transposition_as_two() {
        assert_eq!(levenshtein("hgih", "high"), 2);
        assert_eq!(levenshtein("hgh", "high"), 1);
        assert_eq!(levenshtein("", "low"), 3);
        assert_eq!(levenshtein("hïgh", "high"), 1, "characters, not bytes");
    }

    #[test]
    fn dates_are_padded_only_into_real_dates() {
        assert_eq!(padded_date("2014-5-1").as_deref(), Some("2014-05-01"));
        assert_eq!(padded_date("2014-5").as_deref(), Some("2014-05"));
        assert_eq!(padded_date("2014-05-1").as_deref(), Some("2014-05-01"));
        for no in ["2014-05-01", "2014-2-30", "14-5-1", "2014-123-1", "2014", "2014-5-1-1", "2014-x-1", "2014--1"] {
            assert_eq!(padded_date(no), None, "{no}");
        }
    }

    #[test]
    fn a_block_is_appended_after_one_blank_line() {
        let appended = |text: &str| {
            let r = append_block(text, "@x: x");
            format!("{text}{}", r.text)
        };
        assert_eq!(appended(""), "@x: x\n");
        assert_eq!(appended("@a: A\n"), "@a: A\n\n@x: x\n");
        assert_eq!(appended("@a: A"), "@a: A\n\n@x: x\n");
        assert_eq!(appended("@a: A\n\n"), "@a: A\n\n@x: x\n");
        assert_eq!(appended("@a: A\r\n"), "@a: A\r\n\r\n@x: x\r\n");
    }

    #[test]
    fn paragraphs_end_at_blank_lines() {
        let text = "one\n\ntwo\nthree {x}\nfour\n \nfive";
        let at = text.find("{x}").unwrap();
        let p = paragraph_around(text, TextRange::new(at, at + 3));
        assert_eq!(p.of(text), "two\nthree {x}\nfour");
        let crlf = "a\r\n\r\nb {x}\r\nc\r\n\r\nd";
        let at = crlf.find("{x}").unwrap();
        assert_eq!(paragraph_around(crlf, TextRange::new(at, at + 3)).of(crlf), "b {x}\r\nc");
    }
}
