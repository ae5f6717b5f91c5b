//! CSL-JSON (an array of items, as Zotero and Better BibTeX export it),
//! read with serde. serde_json keeps no positions, but a borrowed
//! [`RawValue`] is a slice of the input itself: its address, less the
//! text's, is its byte offset. So the array is read element by element as
//! raw slices (each element's place is known, and those before a syntax
//! error are kept), then each item is read from its slice, its `id` and
//! checked values again as raw slices. Each byte is read twice at most.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{Entry, Read, Value, grade_line};
use crate::text::TextRange;

/// Collects the array's elements into `out` as they come: on a syntax
/// error, those read before it stay there.
struct Elements<'o, 'de>(&'o mut Vec<&'de RawValue>);

impl<'de> DeserializeSeed<'de> for Elements<'_, 'de> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of CSL items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(element) = seq.next_element::<&'de RawValue>()? {
            self.0.push(element);
        }
        Ok(())
    }
}

/// The item's members this reads, each as written.
#[derive(Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    id: Option<&'a RawValue>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    title: Option<&'a RawValue>,
    #[serde(borrow)]
    issued: Option<&'a RawValue>,
    #[serde(rename = "URL", borrow)]
    url: Option<&'a RawValue>,
    #[serde(rename = "container-title", borrow)]
    container_title: Option<&'a RawValue>,
    #[serde(borrow)]
    publisher: Option<&'a RawValue>,
    #[serde(borrow)]
    note: Option<&'a RawValue>,
    #[serde(borrow)]
    reliability: Option<&'a RawValue>,
    author: Option<Vec<Name>>,
}

#[derive(Deserialize)]
struct Name {
    family: Option<String>,
    given: Option<String>,
    literal: Option<String>,
}

#[derive(Deserialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: Option<Vec<Vec<DatePart>>>,
    raw: Option<String>,
    literal: Option<String>,
}

/// CSL allows `2014` and `"2014"` alike in date parts.
#[derive(Deserialize)]
#[serde(untagged)]
enum DatePart {
    Number(i64),
    Text(String),
}

impl DatePart {
    fn number(&self) -> Option<i64> {
        match self {
            DatePart::Number(n) => Some(*n),
            DatePart::Text(t) => t.trim().parse().ok(),
        }
    }
}

pub(super) fn read(text: &str) -> Read {
    let mut errors = Vec::new();
    let mut elements: Vec<&RawValue> = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let whole = Elements(&mut elements).deserialize(&mut deserializer).and_then(|()| deserializer.end());
    if let Err(e) = whole {
        let message = match e.classify() {
            serde_json::error::Category::Eof => {
                "the file ends inside the JSON: the array or an item is not closed".into()
            }
            _ if e.to_string().contains("an array of CSL items") => {
                "a CSL-JSON file is an array of items: `[{\"id\": \"key\", …}, …]`".to_string()
            }
            _ => format!("invalid JSON: {}", without_position(&e)),
        };
        errors.push((place(text, 0, &e), message));
    }
    let mut entries = Vec::with_capacity(elements.len());
    for element in elements {
        let start = offset(text, element.get());
        let range = TextRange::new(start, start + element.get().len());
        let item: Item = match serde_json::from_str(element.get()) {
            Ok(item) => item,
            Err(e) => {
                if element.get().starts_with('{') {
                    let message = format!("this item cannot be read: {}", without_position(&e));
                    errors.push((place(element.get(), start, &e), message));
                } else {
                    let message = "expected an item: an object with an `id`, as `{\"id\": \"key\", …}`";
                    let first = element.get().chars().next().map_or(0, char::len_utf8);
                    errors.push((TextRange::new(start, start + first), message.into()));
                }
                continue;
            }
        };
        let Some(id) = item.id else {
            errors.push((TextRange::new(start, start + 1), "this item has no `id`: it cannot be cited".into()));
            continue;
        };
        let id_start = offset(text, id.get());
        // The id's text without its quotes; a number stays as written.
        let key = match id.get().strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            Some(inner) => TextRange::new(id_start + 1, id_start + 1 + inner.len()),
            None => TextRange::new(id_start, id_start + id.get().len()),
        };
        let string = |raw: Option<&RawValue>| -> Option<Value> {
            let raw = raw?;
            let at = offset(text, raw.get());
            let at = TextRange::new(at, at + raw.get().len());
            match serde_json::from_str::<String>(raw.get()) {
                Ok(s) => Some(Value::new(s.trim().to_string(), at)),
                Err(_) => Some(Value::new(raw.get().to_string(), at)),
            }
        };
        let issued = item.issued.map(|raw| {
            let at = offset(text, raw.get());
            Value::new(csl_date(raw.get()), TextRange::new(at, at + raw.get().len()))
        });
        let reliability = string(item.reliability).or_else(|| {
            let note = item.note?;
            let inner = note.get().strip_prefix('"')?.strip_suffix('"')?;
            let mut at = offset(text, note.get()) + 1;
            // Lines of a JSON string are separated by the escape `\n`.
            let lines = inner.split("\\n").map(|line| {
                let here = at;
                at += line.len() + 2;
                (here, line)
            });
            grade_line(lines)
        });
        entries.push(Entry {
            kind: item.kind.unwrap_or_default(),
            key,
            range,
            title: string(item.title),
            date: issued,
            url: string(item.url),
            publisher: string(item.container_title).or_else(|| string(item.publisher)),
            reliability,
            author: item.author.map(|names| {
                names
                    .iter()
                    .map(|n| match (&n.literal, &n.family, &n.given) {
                        (Some(literal), ..) => literal.clone(),
                        (None, Some(family), Some(given)) => format!("{family}, {given}"),
                        (None, family, given) => family.clone().or_else(|| given.clone()).unwrap_or_default(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into()
            }),
        });
    }
    (entries, errors)
}

/// `issued` as `YYYY`, `YYYY-MM` or `YYYY-MM-DD` when it says so, else as written.
fn csl_date(raw: &str) -> String {
    let Ok(date) = serde_json::from_str::<CslDate>(raw) else { return raw.to_string() };
    if let Some(first) = date.date_parts.as_ref().and_then(|parts| parts.first()) {
        let numbers: Vec<Option<i64>> = first.iter().map(DatePart::number).collect();
        return match numbers[..] {
            [Some(y)] => format!("{y:04}"),
            [Some(y), Some(m)] => format!("{y:04}-{m:02}"),
            [Some(y), Some(m), Some(d), ..] => format!("{y:04}-{m:02}-{d:02}"),
            _ => raw.to_string(),
        };
    }
    date.raw.or(date.literal).unwrap_or_else(|| raw.to_string())
}

/// Where `slice` (a part of `text`) starts in it.
fn offset(text: &str, slice: &str) -> usize {
    // A borrowed `RawValue` points into the text it was read from.
    (slice.as_ptr() as usize).saturating_sub(text.as_ptr() as usize).min(text.len())
}

/// serde_json's message without its " at line L column C".
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_string(),
        None => message,
    }
}

/// The character an error's line and column point at, in a `slice` that
/// starts at `base` in the file.
fn place(slice: &str, base: usize, e: &serde_json::Error) -> TextRange {
    let line_start: usize =
        if e.line() <= 1 { 0 } else { slice.match_indices('\n').nth(e.line() - 2).map_or(slice.len(), |(i, _)| i + 1) };
    // serde_json counts the column in bytes, and points just past the
    // offending byte (0 when the line break itself was it).
    let mut at = (line_start + e.column().saturating_sub(1)).min(slice.len());
    while !slice.is_char_boundary(at) {
        at -= 1;
    }
    let len = slice[at..].chars().next().map_or(0, char::len_utf8);
    TextRange::new(base + at, base + at + len)
}
