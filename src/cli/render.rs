//! The four output formats of `dossier check`. Rendering only: which
//! diagnostics exist and where is decided by the core.

use std::collections::HashMap;
use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer};
use serde::Serialize;

use crate::diagnostic::{Rule, Severity};
use crate::text::{LineIndex, TextRange};

/// One finding, positioned for people: 1-based lines, columns in characters.
pub struct Record {
    pub path: String,
    pub start: (usize, usize),
    /// Just past the last character.
    pub end: (usize, usize),
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    /// Other places that matter, already formatted.
    pub notes: Vec<String>,
    /// The source lines, for the human format only.
    pub snippet: Option<Snippet>,
    /// `text_hash` of the finding's text, for the gitlab format only (0 otherwise).
    pub text_hash: u64,
}

/// The lines a diagnostic covers and its span within them.
pub struct Snippet {
    source: String,
    first_line: usize,
    span: std::ops::Range<usize>,
}

/// Around a finding, how much of a long line the human format shows (in
/// bytes, each side), and how much of a long finding: as rustc and ruff do,
/// a window, so that a megabyte line with a finding every few bytes prints
/// in time proportional to the findings, not to their number times the line.
const CONTEXT: usize = 60;
const LONGEST_SPAN: usize = 240;

impl Snippet {
    pub fn of(text: &str, index: &LineIndex, range: TextRange) -> Snippet {
        let (start, end) = (range.start as usize, range.end as usize);
        let first = index.line_of(start);
        let line_start = index.line_range(text, first).start as usize;
        let line_end = index.line_range(text, index.line_of(end)).end as usize;
        let from = floor_char(text, start.saturating_sub(CONTEXT).max(line_start));
        let mut to = ceil_char(text, (end.min(start + LONGEST_SPAN) + CONTEXT).min(line_end.max(start)));
        if to < line_end && text.as_bytes()[to - 1] == b'\r' {
            to -= 1; // never half a CRLF
        }
        let (before, after) = (if from > line_start { "…" } else { "" }, if to < line_end { "…" } else { "" });
        let span_start = before.len() + start - from;
        let span_end = before.len() + end.min(to).max(start) - from;
        Snippet {
            source: format!("{before}{}{after}", &text[from..to]),
            first_line: first + 1,
            span: span_start..span_end,
        }
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP,
    }
}

/// `path:line:col: severity[rule]: message`, the source with a caret
/// underline, and a summary line.
pub fn human(out: &mut impl Write, records: &[Record], files: usize) -> io::Result<()> {
    let renderer = Renderer::plain();
    for record in records {
        let (line, col) = record.start;
        writeln!(
            out,
            "{}:{line}:{col}: {}[{}]: {}",
            record.path,
            record.severity.as_str(),
            record.rule.id(),
            record.message
        )?;
        if let Some(snippet) = &record.snippet {
            let report = [Group::with_level(level(record.severity)).element(
                annotate_snippets::Snippet::source(snippet.source.as_str())
                    .line_start(snippet.first_line)
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(snippet.span.clone())),
            )];
            writeln!(out, "{}", renderer.render(&report))?;
        }
        for note in &record.notes {
            writeln!(out, "  = note: {note}")?;
        }
        writeln!(out)?;
    }
    let count = |severity| records.iter().filter(|r| r.severity == severity).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut summary =
        format!("{}, {}", plural(count(Severity::Error), "error"), plural(count(Severity::Warning), "warning"));
    for (severity, word) in [(Severity::Info, "info"), (Severity::Hint, "hint")] {
        let n = count(severity);
        if n > 0 {
            summary.push_str(&format!(", {}", plural(n, word)));
        }
    }
    writeln!(out, "{summary} in {}", plural(files, "file"))
}

#[derive(Serialize)]
struct JsonRecord<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: &'static str,
    rule: &'static str,
    message: &'a str,
}

/// One JSON array of findings.
pub fn json(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    let rows: Vec<JsonRecord<'_>> = records
        .iter()
        .map(|r| JsonRecord {
            path: &r.path,
            line: r.start.0,
            column: r.start.1,
            end_line: r.end.0,
            end_column: r.end.1,
            severity: r.severity.as_str(),
            rule: r.rule.id(),
            message: &r.message,
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows)?;
    writeln!(out)
}

/// GitHub Actions workflow commands, which annotate the pull request.
pub fn github(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    for r in records {
        let command = match r.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&r.path),
            r.start.0,
            r.start.1,
            r.end.0,
            r.end.1,
            escape_property(r.rule.id()),
            escape_data(&r.message)
        )?;
    }
    Ok(())
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// FNV-1a, 64 bits (<http://www.isthe.com/chongo/tech/comp/fnv/>): a
/// published algorithm with fixed constants, so fingerprints stay the same
/// across runs, machines and Rust versions (unlike `std`'s hashers).
#[derive(Clone, Copy)]
struct Fnv1a64(u64);

impl Fnv1a64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Fnv1a64 {
        Fnv1a64(Self::OFFSET_BASIS)
    }

    fn byte(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(Self::PRIME);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }

    /// A length, then the bytes: no two sequences of fields hash the same input.
    fn field(&mut self, bytes: &[u8]) {
        self.bytes(&(bytes.len() as u64).to_le_bytes());
        self.bytes(bytes);
    }
}

/// The FNV-1a 64 hash of a finding's text, with every CR that ends a line
/// left out: a note saved with CRLF line endings keeps its fingerprints.
pub fn text_hash(text: &[u8]) -> u64 {
    let mut hash = Fnv1a64::new();
    for (i, &b) in text.iter().enumerate() {
        if b == b'\r' && text.get(i + 1) == Some(&b'\n') {
            continue;
        }
        hash.byte(b);
    }
    hash.0
}

/// A GitLab fingerprint: FNV-1a 64 over the path, the rule id, the text's
/// hash and the rank among identical findings (same path, rule and text)
/// in the file, as 16 lowercase hex digits. The line is not in it.
fn fingerprint(record: &Record, rank: u64) -> String {
    let mut hash = Fnv1a64::new();
    hash.field(record.path.as_bytes());
    hash.field(record.rule.id().as_bytes());
    hash.bytes(&record.text_hash.to_le_bytes());
    hash.bytes(&rank.to_le_bytes());
    format!("{:016x}", hash.0)
}

#[derive(Serialize)]
struct GitlabIssue<'a> {
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation<'a>,
}

#[derive(Serialize)]
struct GitlabLocation<'a> {
    path: &'a str,
    lines: GitlabLines,
}

#[derive(Serialize)]
struct GitlabLines {
    begin: usize,
}

/// A GitLab Code Quality report: one JSON array of issues. `records` are
/// in report order (by path, then position), which ranks identical findings.
pub fn gitlab(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    let mut seen: HashMap<(&str, &'static str, u64), u64> = HashMap::new();
    let issues: Vec<GitlabIssue<'_>> = records
        .iter()
        .map(|r| {
            let count = seen.entry((r.path.as_str(), r.rule.id(), r.text_hash)).or_insert(0);
            let rank = *count;
            *count += 1;
            GitlabIssue {
                description: &r.message,
                check_name: r.rule.id(),
                fingerprint: fingerprint(r, rank),
                severity: match r.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info | Severity::Hint => "info",
                },
                location: GitlabLocation { path: &r.path, lines: GitlabLines { begin: r.start.0 } },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
