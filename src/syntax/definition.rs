//! Definition blocks: `@id: Name` / `^key: Title` at column 0, then indented
//! `field: value` lines and free description lines.

use super::vocab::{ActorKind, Admiralty, is_valid_date, is_valid_url};
use super::{Definition, Field, Namespace, SyntaxError, SyntaxErrorKind, ident::id_end};
use crate::text::TextRange;

/// If a definition header starts at `at` (a line start): its namespace and
/// the end of its id.
pub fn header_at(bytes: &[u8], at: usize) -> Option<(Namespace, usize)> {
    let namespace = match bytes.get(at)? {
        b'@' => Namespace::Actor,
        b'^' => Namespace::Source,
        _ => return None,
    };
    let end = id_end(bytes, at + 1)?;
    if bytes.get(end) != Some(&b':') {
        return None;
    }
    match bytes.get(end + 1) {
        None | Some(b' ' | b'\t' | b'\n' | b'\r') => Some((namespace, end)),
        _ => None,
    }
}

/// The end of the line starting at `at` (before its terminator) and the start of the next.
fn line_at(bytes: &[u8], at: usize) -> (usize, usize) {
    match bytes[at..].iter().position(|&b| b == b'\n' || b == b'\r') {
        None => (bytes.len(), bytes.len()),
        Some(p) => {
            let end = at + p;
            let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') { end + 2 } else { end + 1 };
            (end, next)
        }
    }
}

fn trimmed(text: &str, start: usize, end: usize) -> TextRange {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead == slice.len() { TextRange::empty(end) } else { TextRange::new(start + lead, end - trail) }
}

/// `key:` at the start of an indented line's content: a lowercase word, a
/// colon, then white space or the end of the line. Anything else is description.
fn field_key(bytes: &[u8], start: usize, end: usize) -> Option<usize> {
    if !bytes.get(start).is_some_and(u8::is_ascii_lowercase) {
        return None;
    }
    let mut i = start + 1;
    while i < end && matches!(bytes[i], b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-') {
        i += 1;
    }
    (i < end && bytes[i] == b':' && (i + 1 == end || matches!(bytes[i + 1], b' ' | b'\t'))).then_some(i)
}

/// Parses the block whose header is at `at`. Returns the definition, the end
/// of its last line, and the `invalid-field` errors.
pub fn parse(text: &str, at: usize) -> (Definition, usize, Vec<SyntaxError>) {
    let bytes = text.as_bytes();
    let (namespace, id_end) = header_at(bytes, at).expect("caller checked the header");
    let (header_end, mut next) = line_at(bytes, at);
    let mut def = Definition {
        namespace,
        id: TextRange::new(at, id_end),
        title: trimmed(text, id_end + 1, header_end),
        range: TextRange::new(at, header_end),
        fields: Vec::new(),
        description: Vec::new(),
        entry: None,
    };
    while next < bytes.len() && matches!(bytes[next], b' ' | b'\t') {
        let indent_ok = bytes[next] == b'\t' || bytes.get(next + 1) == Some(&b' ');
        let (end, after) = line_at(bytes, next);
        let content = trimmed(text, next, end);
        if !indent_ok || content.is_empty() {
            break;
        }
        match field_key(bytes, content.start as usize, content.end as usize) {
            Some(colon) => def.fields.push(Field {
                key: TextRange::new(content.start as usize, colon),
                value: trimmed(text, colon + 1, content.end as usize),
            }),
            None => def.description.push(content),
        }
        def.range.end = end as u32;
        next = after;
    }
    let errors = check_fields(text, &def);
    let end = def.range.end as usize;
    (def, end, errors)
}

/// The checked fields of §1.5; any other field is kept as it is.
fn check_fields(text: &str, def: &Definition) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for field in &def.fields {
        let key = field.key.of(text);
        let value = field.value.of(text);
        let checked = match (def.namespace, key) {
            (Namespace::Actor, "kind") => Some(check_actor_kind(value)),
            (Namespace::Actor, "aliases") => Some(check_aliases(value)),
            (Namespace::Source, "date") => Some(check(is_valid_date(value), || {
                format!("`{value}` is not a real date: write YYYY, YYYY-MM or YYYY-MM-DD")
            })),
            (Namespace::Source, "reliability") => Some(check(Admiralty::parse(value).is_some(), || {
                format!(
                    "`{value}` is not an Admiralty grade: write a letter A–F, optionally followed by a digit 1–6 (e.g. `B2`)"
                )
            })),
            (Namespace::Source, "url") => Some(check(is_valid_url(value), || {
                format!("`{value}` is not an absolute URL: write it in full, starting with `https://` or `http://`")
            })),
            _ => None,
        };
        let Some(result) = checked else { continue };
        let message = if seen.contains(&key) {
            Err(format!("`{key}` is given twice in this definition: keep one"))
        } else {
            result
        };
        seen.push(key);
        if let Err(message) = message {
            errors.push(SyntaxError { kind: SyntaxErrorKind::InvalidField, range: field.value, message });
        }
    }
    errors
}

fn check(ok: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(message()) }
}

fn check_actor_kind(value: &str) -> Result<(), String> {
    check(ActorKind::parse(value).is_some(), || format!("unknown actor kind `{value}`: use {}", ActorKind::choices()))
}

fn check_aliases(value: &str) -> Result<(), String> {
    for alias in value.split(',').map(str::trim) {
        if alias.is_empty() {
            return Err("empty alias: separate plain names with single commas".into());
        }
        if alias.contains(['@', '^', '{', '}']) {
            return Err(format!("alias `{alias}` holds markup: aliases are plain names, as the text writes them"));
        }
    }
    Ok(())
}
