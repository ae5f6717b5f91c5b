//! A claim's metadata: the tokens after its last `|`.

use super::vocab::{ClaimKind, Confidence, Date, Estimate, Outcome};
use super::{ABSENT, Claim, Keyed, Namespace, Parse, Reference, Role, SyntaxError, SyntaxErrorKind, ident::id_end};
use crate::text::TextRange;

const EXPECTED: &str = "expected `^source`, `#id`, `@actor`, `kind:`, `conf:`, `est:`, `by:@actor`, `supports:#id`, `contradicts:#id`, `due:` or `outcome:`";

/// Parses the metadata tokens in `range` of `text` into `claim`, adding
/// their references and errors to `out`.
pub(super) fn parse(text: &str, out: &mut Parse, range: TextRange, claim_index: u32, claim: &mut Claim) {
    let first_error = out.errors.len();
    let bytes = text.as_bytes();
    let end = range.end as usize;
    let mut i = range.start as usize;
    loop {
        while i < end && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= end {
            break;
        }
        let start = i;
        let token_end = token_end(bytes, start, end);
        let token = TextRange::new(start, token_end);
        if let Err(message) = token_meaning(text, out, token, claim_index, claim) {
            out.errors.push(SyntaxError { kind: SyntaxErrorKind::InvalidMetadata, range: token, message });
        }
        i = token_end;
    }
    forecast_only(out, first_error, claim);
}

/// `due:` and `outcome:` belong to forecasts: on any other kind (which a
/// `kind:` token after them may set, so this waits for the whole metadata)
/// they are dropped and reported, among this claim's errors in text order.
fn forecast_only(out: &mut Parse, first_error: usize, claim: &mut Claim) {
    if claim.kind == ClaimKind::Forecast {
        return;
    }
    let kind = match claim.kind {
        ClaimKind::Assessment => "an assessment",
        ClaimKind::Quote => "a quote",
        _ => "a fact",
    };
    let mut misplaced = Vec::new();
    if let Some(due) = claim.due() {
        misplaced.push((due.range, "due"));
        claim.due_at = ABSENT;
    }
    if let Some(outcome) = claim.outcome() {
        misplaced.push((outcome.range, "outcome"));
        claim.outcome_at = ABSENT;
    }
    if misplaced.is_empty() {
        return;
    }
    for (range, key) in misplaced {
        out.errors.push(SyntaxError {
            kind: SyntaxErrorKind::InvalidMetadata,
            range,
            message: format!(
                "`{key}:` applies to forecasts only, and this claim is {kind}: add `kind:forecast`, or remove it"
            ),
        });
    }
    out.errors[first_error..].sort_by_key(|e| e.range.start);
}

/// Tokens end at white space, except inside a citation's `(locator)`.
fn token_end(bytes: &[u8], start: usize, end: usize) -> usize {
    let next_space = |from: usize| (from..end).find(|&k| bytes[k].is_ascii_whitespace()).unwrap_or(end);
    if bytes[start] == b'^'
        && let Some(id_end) = id_end(bytes, start + 1)
        && id_end < end
        && bytes[id_end] == b'('
    {
        return match (id_end..end).find(|&k| bytes[k] == b')') {
            Some(close) => next_space(close + 1),
            None => end,
        };
    }
    next_space(start)
}

fn token_meaning(
    text: &str,
    out: &mut Parse,
    token: TextRange,
    claim_index: u32,
    claim: &mut Claim,
) -> Result<(), String> {
    let bytes = text.as_bytes();
    let raw = token.of(text);
    let start = token.start as usize;
    let reference = |out: &mut Parse, namespace, range: TextRange, role| {
        out.references.push(Reference::new(namespace, range, role, Some(claim_index)));
    };
    // `^key`, `^key(locator)`, `#id`, `@actor`: a sigil and an id filling the token.
    if let Some(namespace) = Namespace::from_sigil(bytes[start]) {
        let id = id_end(bytes, start + 1).filter(|&e| e > start + 1);
        let Some(id_end) = id else {
            return Err(format!(
                "`{raw}` is not a valid {} id: ids start with a letter, then letters, digits and single `-`, `_` or `.`",
                namespace.noun()
            ));
        };
        let id_range = TextRange::new(start, id_end);
        let rest = &text[id_end..token.end as usize];
        return match namespace {
            Namespace::Source if rest.is_empty() => {
                reference(out, namespace, id_range, Role::Citation { locator: None });
                Ok(())
            }
            Namespace::Source
                if rest.len() >= 2
                    && rest.starts_with('(')
                    && rest.ends_with(')')
                    && !rest[1..rest.len() - 1].contains(')') =>
            {
                let locator = TextRange::new(id_end + 1, token.end as usize - 1);
                reference(out, namespace, id_range, Role::Citation { locator: Some(locator) });
                Ok(())
            }
            Namespace::Source if rest.starts_with('(') && !rest.contains(')') => {
                Err(format!("the locator of `{}` is not closed: end it with `)`", id_range.of(text)))
            }
            Namespace::Actor if rest.is_empty() => {
                reference(out, namespace, id_range, Role::Involved);
                Ok(())
            }
            Namespace::Claim if rest.is_empty() => match claim.id() {
                None => {
                    claim.id = id_range;
                    Ok(())
                }
                Some(first) => Err(format!("this claim already has the id `{}`: a claim has one id", first.of(text))),
            },
            _ => {
                Err(format!("unexpected `{rest}` after `{}`: separate metadata tokens with spaces", id_range.of(text)))
            }
        };
    }
    let Some((key, value)) = raw.split_once(':') else {
        return Err(format!("unknown metadata `{raw}`: {EXPECTED}"));
    };
    let value_start = start + key.len() + 1;
    let value_range = TextRange::new(value_start, token.end as usize);
    let twice = |key: &str| format!("`{key}:` is given twice in this claim: keep one");
    match key {
        "kind" => set_once((&mut claim.kind_at, &mut claim.kind), token, key, ClaimKind::parse(value), || {
            format!("unknown kind `{value}`: use {}", ClaimKind::choices())
        }),
        "conf" => {
            set_once((&mut claim.confidence_at, &mut claim.confidence), token, key, Confidence::parse(value), || {
                format!("unknown confidence `{value}`: use {}", Confidence::choices())
            })
        }
        "est" => set_once((&mut claim.estimate_at, &mut claim.estimate), token, key, Estimate::parse(value), || {
            format!("unknown estimate `{value}`: use {}", Estimate::choices())
        }),
        "outcome" => set_once((&mut claim.outcome_at, &mut claim.outcome), token, key, Outcome::parse(value), || {
            format!("unknown outcome `{value}`: use {}", Outcome::choices())
        }),
        "due" => {
            if claim.due_at != ABSENT {
                return Err(twice(key));
            }
            let date = Date::parse(value).ok_or_else(|| {
                format!("`{value}` is not a real date: write the due date as YYYY, YYYY-MM or YYYY-MM-DD")
            })?;
            (claim.due_at, claim.due) = (token.start, date);
            Ok(())
        }
        "by" | "supports" | "contradicts" => {
            let (namespace, role) = match key {
                "by" => (Namespace::Actor, Role::Speaker),
                "supports" => (Namespace::Claim, Role::Supports),
                _ => (Namespace::Claim, Role::Contradicts),
            };
            let sigil = namespace.sigil();
            let valid = value.starts_with(sigil) && id_end(bytes, value_start + 1) == Some(token.end as usize);
            if !valid {
                return Err(format!(
                    "`{key}:` takes {} id: write `{key}:{sigil}id`",
                    if namespace == Namespace::Actor { "an actor" } else { "a claim" }
                ));
            }
            if role == Role::Speaker {
                if claim.speaker().is_some() {
                    return Err(twice(key));
                }
                claim.speaker = value_range;
            }
            reference(out, namespace, value_range, role);
            Ok(())
        }
        _ => Err(format!("unknown metadata `{raw}`: {EXPECTED}")),
    }
}

fn set_once<T: Keyed>(
    (at, slot): (&mut u32, &mut T),
    token: TextRange,
    key: &str,
    value: Option<T>,
    unknown: impl FnOnce() -> String,
) -> Result<(), String> {
    if *at != ABSENT {
        return Err(format!("`{key}:` is given twice in this claim: keep one"));
    }
    let value = value.ok_or_else(unknown)?;
    debug_assert_eq!(token.len(), T::KEY.len() + 1 + value.spelling().len());
    (*at, *slot) = (token.start, value);
    Ok(())
}
