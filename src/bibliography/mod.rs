//! Bibliography files (SPEC §9.1): BibTeX/BibLaTeX and CSL-JSON text →
//! source definitions with byte ranges into the file, and the errors found.
//! Pure and never failing, like `syntax` is for notes: a broken entry is an
//! error at its place and the others still count. Each entry becomes a
//! [`Definition`] of the source namespace whose `id` is the citation key's
//! exact range and whose values, read and resolved, sit in its `entry`.

mod bibtex;
mod csl;
pub mod latex;

use std::sync::Arc;

use crate::syntax::vocab::{Admiralty, is_valid_date, is_valid_url};
use crate::syntax::{Definition, EntryFields, Namespace, Parse, SyntaxError, SyntaxErrorKind, is_valid_id};
use crate::text::TextRange;

/// How a bibliography file is written, told by its extension.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum Format {
    /// `.bib`: BibTeX or BibLaTeX.
    Bibtex,
    /// `.json`: CSL-JSON, as Zotero and Better BibTeX export it.
    CslJson,
}

impl Format {
    /// The format a file name's extension stands for (case-insensitive).
    pub fn of(name: &str) -> Option<Format> {
        let (_, extension) = name.rsplit_once('.')?;
        if extension.eq_ignore_ascii_case("bib") {
            Some(Format::Bibtex)
        } else if extension.eq_ignore_ascii_case("json") {
            Some(Format::CslJson)
        } else {
            None
        }
    }
}

/// A value as read: its text as shown, and where it is written in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Value {
    /// Shared: a `crossref` child holds its parent's values, not copies.
    text: Arc<str>,
    /// The whole value as written (`{…}`, `"…"`, or a concatenation).
    at: TextRange,
    /// Inherited from a `crossref` parent: checked there, not again here.
    inherited: bool,
}

impl Value {
    fn new(text: String, at: TextRange) -> Value {
        Value { text: text.into(), at, inherited: false }
    }
}

/// One entry as a reader found it, before it is checked.
#[derive(Clone, Debug, Default)]
struct Entry {
    /// `article`, `book`, CSL's `article-newspaper`…
    kind: String,
    key: TextRange,
    /// The whole entry: `@type{…}` or the CSL-JSON object.
    range: TextRange,
    title: Option<Value>,
    date: Option<Value>,
    url: Option<Value>,
    publisher: Option<Value>,
    reliability: Option<Value>,
    author: Option<Arc<str>>,
}

/// What a reader gives back: the entries, and errors as (place, message).
type Read = (Vec<Entry>, Vec<(TextRange, String)>);

/// Reads a bibliography file's text. Never fails, never panics.
pub fn parse(text: &str, format: Format) -> Parse {
    let (entries, errors) = match format {
        Format::Bibtex => bibtex::read(text),
        Format::CslJson => csl::read(text),
    };
    let errors = errors
        .into_iter()
        .map(|(range, message)| SyntaxError { kind: SyntaxErrorKind::InvalidBibliography, range, message })
        .collect();
    let mut parse = Parse { errors, ..Parse::default() };
    for entry in entries {
        if let Some(def) = definition(text, entry, &mut parse.errors) {
            parse.definitions.push(def);
        }
    }
    parse.errors.sort_by_key(|e| (e.range.start, e.range.end));
    parse
}

fn invalid_field(errors: &mut Vec<SyntaxError>, range: TextRange, message: String) {
    errors.push(SyntaxError { kind: SyntaxErrorKind::InvalidField, range, message });
}

/// The entry as a source definition, its values checked as a `^key:`
/// block's fields are (§1.5); `None`, with an `invalid-field` on the key,
/// when the key cannot be cited as `^key`.
fn definition(text: &str, entry: Entry, errors: &mut Vec<SyntaxError>) -> Option<Definition> {
    let key = entry.key.of(text);
    if !is_valid_id(key) {
        invalid_field(
            errors,
            entry.key,
            format!(
                "citation key `{key}` cannot be cited as `^key`: a key starts with a letter, then letters, digits and single `-`, `_` or `.` (change it in your reference manager)"
            ),
        );
        return None;
    }
    fn own(value: &Option<Value>) -> Option<&Value> {
        value.as_ref().filter(|v| !v.inherited)
    }
    if let Some(date) = own(&entry.date).filter(|d| !is_valid_date(&d.text)) {
        invalid_field(
            errors,
            date.at,
            format!("`{}` is not a date Dossier reads: write YYYY, YYYY-MM or YYYY-MM-DD, a real date", date.text),
        );
    }
    if let Some(url) = own(&entry.url).filter(|u| !is_valid_url(&u.text)) {
        invalid_field(
            errors,
            url.at,
            format!("`{}` is not an absolute URL: write it in full, starting with `https://` or `http://`", url.text),
        );
    }
    if let Some(grade) = own(&entry.reliability).filter(|g| Admiralty::parse(&g.text).is_none()) {
        invalid_field(
            errors,
            grade.at,
            format!(
                "`{}` is not an Admiralty grade: write a letter A–F, optionally followed by a digit 1–6 (e.g. `B2`)",
                grade.text
            ),
        );
    }
    let mut fields: Vec<(&'static str, Arc<str>)> = Vec::new();
    let named =
        [("publisher", entry.publisher), ("date", entry.date), ("url", entry.url), ("reliability", entry.reliability)];
    for (name, value) in named {
        if let Some(value) = value.filter(|v| !v.text.is_empty()) {
            fields.push((name, value.text));
        }
    }
    if let Some(author) = entry.author.filter(|a| !a.is_empty()) {
        fields.push(("author", author));
    }
    if !entry.kind.is_empty() {
        fields.push(("type", entry.kind.into()));
    }
    let (title, title_at) = match entry.title {
        Some(title) if !title.text.is_empty() => (title.text.to_string(), title.at),
        _ => (key.to_string(), entry.key),
    };
    Some(Definition {
        namespace: Namespace::Source,
        id: entry.key,
        title: title_at,
        range: entry.range,
        fields: Vec::new(),
        description: Vec::new(),
        entry: Some(Box::new(EntryFields { title, fields })),
    })
}

/// The grade on a line `reliability: B2` among `lines` (each with its
/// offset in the file), as Zotero's Extra field or a BibTeX `note` holds it.
fn grade_line<'t>(lines: impl Iterator<Item = (usize, &'t str)>) -> Option<Value> {
    for (offset, line) in lines {
        let lead = line.len() - line.trim_start().len();
        let Some(rest) = line[lead..].strip_prefix("reliability:") else { continue };
        let value = rest.trim();
        if value.is_empty() {
            continue;
        }
        let start = offset + lead + "reliability:".len() + (rest.len() - rest.trim_start().len());
        return Some(Value::new(value.to_string(), TextRange::new(start, start + value.len())));
    }
    None
}

#[cfg(test)]
mod tests;
