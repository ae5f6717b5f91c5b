//! A tolerant BibTeX/BibLaTeX reader: `@type{key, field = value, …}` (or
//! with parentheses), `@string` abbreviations (defined before use, with
//! the months predefined), `#` concatenation, `@comment` and `@preamble`
//! skipped, `crossref` resolved within the file. It keeps the byte range of
//! every key and value; an error is reported where it is found, and reading
//! goes on at the next line that starts with `@`, so the other entries
//! still count. Each byte is looked at a bounded number of times.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::{Entry, Read, Value, grade_line, latex};
use crate::text::TextRange;

/// A field as written: its name (lower case), its value's LaTeX with the
/// abbreviations expanded, where it is written, and where its text is when
/// it is one literal (what a `note` is searched in for a grade line).
#[derive(Clone, Debug)]
struct Field<'t> {
    name: Cow<'t, str>,
    /// Borrowed from the file when the value is one literal, as most are.
    latex: Cow<'t, str>,
    at: TextRange,
    literal: Option<TextRange>,
}

struct RawEntry<'t> {
    kind: String,
    key: TextRange,
    range: TextRange,
    fields: Vec<Field<'t>>,
}

type Failure = (TextRange, String);

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    strings: FxHashMap<String, String>,
    entries: Vec<RawEntry<'t>>,
    errors: Vec<Failure>,
    /// The names of the current entry's fields, to keep the first of each.
    seen: rustc_hash::FxHashSet<Cow<'t, str>>,
    /// How many more bytes abbreviations may expand to: `@string`s that
    /// double each other would otherwise grow exponentially.
    budget: usize,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub(super) fn read(text: &str) -> Read {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        strings: FxHashMap::default(),
        entries: Vec::new(),
        errors: Vec::new(),
        seen: Default::default(),
        budget: 4 * text.len() + (1 << 16),
    };
    reader.run();
    let Reader { entries, errors, .. } = reader;
    let parents: Vec<Option<String>> = entries
        .iter()
        .map(|e| e.fields.iter().find(|f| f.name == "crossref").map(|f| latex::to_text(&f.latex).trim().to_lowercase()))
        .collect();
    let mut read: Vec<Entry> = entries.into_iter().map(|e| entry(text, e)).collect();
    resolve_crossrefs(text, &mut read, &parents);
    (read, errors)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Bytes a type, field or abbreviation name is made of.
fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':' | b'.' | b'+' | b'/' | b'\'')
}

/// Bytes that end a citation key.
fn ends_key(b: u8) -> bool {
    is_space(b) || matches!(b, b',' | b'{' | b'}' | b'(' | b')' | b'=' | b'"' | b'#' | b'%')
}

impl<'t> Reader<'t> {
    fn run(&mut self) {
        while let Some(found) = memchr::memchr2(b'@', b'%', &self.bytes[self.at..]) {
            let at = self.at + found;
            if self.bytes[at] == b'%' {
                // A comment line outside entries (as biber reads them).
                self.at = memchr::memchr(b'\n', &self.bytes[at..]).map_or(self.bytes.len(), |n| at + n + 1);
                continue;
            }
            self.at = at + 1;
            if let Err((range, message)) = self.item(at) {
                self.errors.push((range, message));
                self.at = self.resync(range.start.max(at as u32 + 1) as usize);
            }
        }
    }

    /// The next `@` that opens its line (after spaces), from `from` on.
    fn resync(&self, from: usize) -> usize {
        let mut i = from;
        while let Some(found) = memchr::memchr(b'@', &self.bytes[i..]) {
            let at = i + found;
            let line_start = self.bytes[..at].iter().rposition(|&b| b == b'\n' || !matches!(b, b' ' | b'\t'));
            if line_start.is_none_or(|p| self.bytes[p] == b'\n') {
                return at;
            }
            i = at + 1;
        }
        self.bytes.len()
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.at).is_some_and(|&b| is_space(b)) {
            self.at += 1;
        }
    }

    fn name(&mut self) -> TextRange {
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|&b| is_name(b)) {
            self.at += 1;
        }
        TextRange::new(start, self.at)
    }

    /// The character at the reading position, as a range (empty at the end).
    fn here(&self) -> TextRange {
        let len = self.text[self.at..].chars().next().map_or(0, char::len_utf8);
        TextRange::new(self.at, self.at + len)
    }

    fn shown_here(&self) -> String {
        match self.text[self.at..].chars().next() {
            None => "the end of the file".into(),
            Some(c) if c.is_whitespace() => "a space".into(),
            Some(c) => format!("`{c}`"),
        }
    }

    /// One `@…` item whose `@` is at `at`.
    fn item(&mut self, at: usize) -> Result<(), Failure> {
        self.skip_spaces();
        let kind = self.name();
        if kind.is_empty() {
            return Err((
                TextRange::new(at, at + 1),
                "`@` must be followed by an entry type, as in `@article{key, …}`".into(),
            ));
        }
        let kind_name = kind.of(self.text).to_ascii_lowercase();
        self.skip_spaces();
        let open = self.at;
        let close = match self.bytes.get(open) {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ if kind_name == "comment" => return Ok(()),
            _ => {
                return Err((
                    self.here(),
                    format!("expected `{{` after `@{}`, found {}", kind.of(self.text), self.shown_here()),
                ));
            }
        };
        self.at += 1;
        match kind_name.as_str() {
            "comment" | "preamble" => self.skip_group(open, close),
            "string" => self.string(open, close),
            _ => self.entry(at, kind_name, open, close),
        }
    }

    /// Skips to the delimiter closing the one at `open`, braces balanced.
    fn skip_group(&mut self, open: usize, close: u8) -> Result<(), Failure> {
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b if b == close && depth == 0 => return Ok(()),
                _ => {}
            }
        }
        Err((TextRange::new(open, open + 1), "this `{` is never closed".into()))
    }

    fn string(&mut self, open: usize, close: u8) -> Result<(), Failure> {
        loop {
            self.skip_spaces();
            match self.bytes.get(self.at) {
                Some(&b) if b == close => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b',') => self.at += 1,
                None => return Err((TextRange::new(open, open + 1), "this `@string` is never closed: add `}`".into())),
                _ => {
                    let (name, value) = self.field(close)?;
                    let name = name.of(self.text).to_ascii_lowercase();
                    self.strings.insert(name, value.latex.into_owned());
                }
            }
        }
    }

    fn entry(&mut self, at: usize, kind: String, open: usize, close: u8) -> Result<(), Failure> {
        self.skip_spaces();
        let start = self.at;
        while self.bytes.get(self.at).is_some_and(|&b| !ends_key(b)) {
            self.at += 1;
        }
        let key = TextRange::new(start, self.at);
        if key.is_empty() {
            return Err((
                self.here(),
                format!("expected a citation key after `{}`, found {}", close_of(close), self.shown_here()),
            ));
        }
        self.entries.push(RawEntry { kind, key, range: TextRange::new(at, self.at), fields: Vec::new() });
        self.seen.clear();
        self.skip_spaces();
        match self.bytes.get(self.at) {
            Some(&b) if b == close => {
                self.at += 1;
                self.close_entry();
                return Ok(());
            }
            Some(b',') => self.at += 1,
            _ => {
                return Err((
                    self.here(),
                    format!("expected `,` after the citation key `{}`, found {}", key.of(self.text), self.shown_here()),
                ));
            }
        }
        loop {
            self.skip_spaces();
            match self.bytes.get(self.at) {
                Some(&b) if b == close => {
                    self.at += 1;
                    self.close_entry();
                    return Ok(());
                }
                Some(b',') => self.at += 1,
                Some(b'@') if self.resync(self.at) == self.at => {
                    return Err((
                        TextRange::new(open, open + 1),
                        format!("entry `{}` is not closed before the next entry starts: add `}}`", key.of(self.text)),
                    ));
                }
                None => {
                    return Err((
                        TextRange::new(open, open + 1),
                        format!("entry `{}` is never closed: add `}}` at its end", key.of(self.text)),
                    ));
                }
                _ => {
                    let (name, value) = self.field(close)?;
                    let name = lowercase(name.of(self.text));
                    let last = self.entries.last_mut().expect("pushed above");
                    last.range.end = self.at as u32;
                    // A repeated field: the first one counts, as in BibTeX.
                    if self.seen.insert(name.clone()) {
                        last.fields.push(Field { name, ..value });
                    }
                    self.skip_spaces();
                    match self.bytes.get(self.at) {
                        Some(&b) if b == close || b == b',' => {}
                        // Checked at the top of the loop: not closed before the next entry.
                        Some(b'@') if self.resync(self.at) == self.at => {}
                        None => {}
                        _ => {
                            return Err((
                                self.here(),
                                format!(
                                    "expected `,` or `{}` after a field's value, found {}",
                                    close as char,
                                    self.shown_here()
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    fn close_entry(&mut self) {
        if let Some(last) = self.entries.last_mut() {
            last.range.end = self.at as u32;
        }
    }

    /// `name = value # value …`; returns the name's range and the value.
    fn field(&mut self, close: u8) -> Result<(TextRange, Field<'t>), Failure> {
        let name = self.name();
        if name.is_empty() {
            return Err((
                self.here(),
                format!("expected a field name or `{}`, found {}", close as char, self.shown_here()),
            ));
        }
        self.skip_spaces();
        if self.bytes.get(self.at) != Some(&b'=') {
            return Err((
                self.here(),
                format!("expected `=` after the field name `{}`, found {}", name.of(self.text), self.shown_here()),
            ));
        }
        self.at += 1;
        self.skip_spaces();
        let start = self.at;
        let mut latex: Cow<'t, str> = Cow::Borrowed("");
        let text = self.text;
        let append = |latex: &mut Cow<'t, str>, piece: &'t str| {
            if latex.is_empty() {
                *latex = Cow::Borrowed(piece);
            } else {
                latex.to_mut().push_str(piece);
            }
        };
        let mut parts = 0;
        let mut literal;
        loop {
            let part_start = self.at;
            match self.bytes.get(self.at) {
                Some(b'{') => {
                    let inner = self.delimited(b'}')?;
                    append(&mut latex, inner.of(text));
                    literal = Some(inner);
                }
                Some(b'"') => {
                    let inner = self.delimited(b'"')?;
                    append(&mut latex, inner.of(text));
                    literal = Some(inner);
                }
                Some(b) if b.is_ascii_digit() => {
                    while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
                        self.at += 1;
                    }
                    append(&mut latex, &text[part_start..self.at]);
                    literal = Some(TextRange::new(part_start, self.at));
                }
                Some(&b) if is_name(b) => {
                    let abbreviation = self.name();
                    let id = abbreviation.of(self.text).to_ascii_lowercase();
                    match self.strings.get(&id) {
                        Some(value) if value.len() > self.budget => self.errors.push((
                            abbreviation,
                            format!(
                                "abbreviation `{}` expands too far (abbreviations built from each other grow without bound): write the value out",
                                abbreviation.of(self.text)
                            ),
                        )),
                        Some(value) => {
                            self.budget -= value.len();
                            latex.to_mut().push_str(value);
                        }
                        None => match MONTHS.iter().find(|m| m[..3].eq_ignore_ascii_case(&id) && id.len() == 3) {
                            Some(month) => append(&mut latex, month),
                            None => self.errors.push((
                                abbreviation,
                                format!(
                                    "unknown abbreviation `{}`: define it earlier with `@string{{{} = {{…}}}}`, or put the value in braces",
                                    abbreviation.of(self.text),
                                    abbreviation.of(self.text)
                                ),
                            )),
                        },
                    }
                    literal = None;
                }
                _ => {
                    return Err((
                        self.here(),
                        format!(
                            "expected a value (`{{…}}`, `\"…\"`, a number or an @string name), found {}",
                            self.shown_here()
                        ),
                    ));
                }
            }
            parts += 1;
            let end = self.at;
            self.skip_spaces();
            if self.bytes.get(self.at) == Some(&b'#') {
                self.at += 1;
                self.skip_spaces();
                continue;
            }
            let at = TextRange::new(start, end);
            let literal = if parts == 1 { literal } else { None };
            let field = Field { name: Cow::Borrowed(""), latex, at, literal };
            return Ok((name, field));
        }
    }

    /// A `{…}` (braces balanced) or `"…"` value at the reading position;
    /// returns its inside. A line opening a new entry inside it means the
    /// value was never closed.
    fn delimited(&mut self, close: u8) -> Result<TextRange, Failure> {
        let open = self.at;
        self.at += 1;
        let mut depth = 0usize;
        while let Some(&b) = self.bytes.get(self.at) {
            match b {
                b'{' => depth += 1,
                b'}' if depth == 0 && close == b'}' => {
                    self.at += 1;
                    return Ok(TextRange::new(open + 1, self.at - 1));
                }
                b'}' if depth == 0 => {
                    return Err((TextRange::new(self.at, self.at + 1), "unbalanced `}` inside a quoted value".into()));
                }
                b'}' => depth -= 1,
                b'"' if depth == 0 && close == b'"' => {
                    self.at += 1;
                    return Ok(TextRange::new(open + 1, self.at - 1));
                }
                b'\\' => self.at += 1,
                b'\n' if self.opens_entry(self.at + 1) => break,
                _ => {}
            }
            self.at += 1;
        }
        let what = if close == b'}' { "`{`" } else { "`\"`" };
        Err((
            TextRange::new(open, open + 1),
            format!("this {what} is never closed: the value runs into the next entry or the end of the file"),
        ))
    }

    /// Whether the line starting at `at` opens an entry: `@type{` or `@type(`.
    fn opens_entry(&self, mut at: usize) -> bool {
        while self.bytes.get(at).is_some_and(|&b| b == b' ' || b == b'\t') {
            at += 1;
        }
        if self.bytes.get(at) != Some(&b'@') {
            return false;
        }
        at += 1;
        let start = at;
        while self.bytes.get(at).is_some_and(u8::is_ascii_alphabetic) {
            at += 1;
        }
        at > start && matches!(self.bytes.get(at), Some(b'{' | b'('))
    }
}

fn close_of(close: u8) -> &'static str {
    if close == b'}' { "{" } else { "(" }
}

/// Each entry with a `crossref` to an entry of this file takes the values
/// it lacks (publisher, date, URL, grade, author; not the title) from the
/// parent's own, as BibTeX does, one level. The values are shared, not
/// copied: a thousand children of one parent cost a thousand pointers. A
/// parent that is not in this file is not looked for elsewhere.
fn resolve_crossrefs(text: &str, entries: &mut [Entry], parents: &[Option<String>]) {
    // Keys compared without case, as BibTeX does for crossref.
    let mut index: FxHashMap<String, usize> = FxHashMap::default();
    for (i, e) in entries.iter().enumerate() {
        index.entry(e.key.of(text).to_lowercase()).or_insert(i);
    }
    for (i, parent) in parents.iter().enumerate() {
        let Some(&p) = parent.as_ref().and_then(|key| index.get(key)) else { continue };
        if p == i {
            continue;
        }
        let own =
            |value: &Option<Value>| value.clone().filter(|v| !v.inherited).map(|v| Value { inherited: true, ..v });
        let parent = &entries[p];
        let taken = (own(&parent.date), own(&parent.url), own(&parent.publisher), own(&parent.reliability));
        let author = parent.author.clone();
        let child = &mut entries[i];
        child.date = child.date.take().or(taken.0);
        child.url = child.url.take().or(taken.1);
        child.publisher = child.publisher.take().or(taken.2);
        child.reliability = child.reliability.take().or(taken.3);
        child.author = child.author.take().or(author);
    }
}

/// A field name in lower case, borrowed when it is already.
fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

fn entry(text: &str, raw: RawEntry) -> Entry {
    let get = |name: &str| raw.fields.iter().find(|f| f.name == name);
    let shown = |f: &Field| Value::new(latex::to_text(&f.latex), f.at);
    let date = match get("date") {
        Some(date) => Some(shown(date)),
        None => get("year").map(|year| {
            let mut date = latex::to_text(&year.latex);
            if let Some(month) = get("month").and_then(|m| month_number(&latex::to_text(&m.latex))) {
                date = format!("{date}-{month:02}");
            }
            Value::new(date, year.at)
        }),
    };
    let publisher = ["publisher", "journal", "journaltitle", "organization"].iter().find_map(|n| get(n)).map(shown);
    let url = get("url").map(|u| Value::new(latex::verbatim(&u.latex), u.at));
    let reliability = get("reliability").map(shown).or_else(|| {
        ["note", "annote", "annotation"].iter().filter_map(|n| get(n)).find_map(|note| {
            let literal = note.literal?;
            let mut offset = literal.start as usize;
            let lines = literal.of(text).split('\n').map(|line| {
                let at = offset;
                offset += line.len() + 1;
                (at, line.trim_end_matches('\r'))
            });
            grade_line(lines)
        })
    });
    Entry {
        kind: raw.kind,
        key: raw.key,
        range: raw.range,
        title: get("title").map(shown),
        date,
        url,
        publisher,
        reliability,
        author: get("author").map(|a| latex::to_text(&a.latex).replace(" and ", "; ").into()),
    }
}

/// `6`, `06`, `June`, `jun` → 6.
fn month_number(month: &str) -> Option<u32> {
    let month = month.trim();
    if let Ok(n) = month.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = month.to_lowercase();
    MONTHS.iter().position(|m| lower.len() >= 3 && m.to_lowercase().starts_with(&lower)).map(|i| i as u32 + 1)
}
