//! `dossier check --format sarif`: a SARIF 2.1.0 log (one run) for code
//! scanning (GitHub's among them). The rule metadata comes from the rule
//! table, the results from the same records the other formats print.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use super::render::Record;
use crate::diagnostic::{Rule, Severity};

/// Where the tool lives, from `repository` in Cargo.toml.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// Each rule's `helpUri` is this followed by the rule id: the rule's section
/// of docs/rules.md on the default branch, whose anchor is the id.
pub const RULES_DOC: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md#");

/// The base the relative `uri`s are resolved against: the folder
/// `dossier check` ran in. `%SRCROOT%` is the name CodeQL gives the root of
/// the checkout, which is where CI runs it.
pub const URI_BASE_ID: &str = "%SRCROOT%";

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// The CLI's columns count Unicode characters (code points).
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    short_description: Text<&'static str>,
    full_description: Text<&'static str>,
    help: Text<&'static str>,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<S> {
    text: S,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text<&'a str>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// SARIF's three levels: info and hints are both `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn descriptor(rule: Rule) -> Descriptor {
    Descriptor {
        id: rule.id(),
        short_description: Text { text: rule.summary() },
        full_description: Text { text: rule.explanation() },
        help: Text { text: rule.explanation() },
        help_uri: format!("{RULES_DOC}{}", rule.id()),
        default_configuration: Configuration { level: level(rule.default_severity()) },
    }
}

/// A path as printed (relative, `/`-separated) turned into a relative URI
/// reference: every byte but the unreserved characters and `/` is
/// percent-encoded, so spaces, `%`, `#`, `?`, a `:` in the first segment and
/// non-ASCII names all survive.
pub fn relative_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(byte as char);
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

/// The SARIF log of `records`, which are in report order.
pub fn sarif(out: &mut impl Write, records: &[Record]) -> io::Result<()> {
    // Records come grouped by path: each note's URI is encoded once.
    let mut uris: Vec<String> = Vec::new();
    let mut uri_of = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if i == 0 || records[i - 1].path != r.path {
            uris.push(relative_uri(&r.path));
        }
        uri_of.push(uris.len() - 1);
    }
    let results = records
        .iter()
        .zip(uri_of)
        .map(|(r, uri)| SarifResult {
            rule_id: r.rule.id(),
            rule_index: Rule::ALL.iter().position(|&rule| rule == r.rule).unwrap_or_default(),
            level: level(r.severity),
            message: Text { text: &r.message },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: &uris[uri], uri_base_id: URI_BASE_ID },
                    region: Region {
                        start_line: r.start.0,
                        start_column: r.start.1,
                        end_line: r.end.0,
                        end_column: r.end.1,
                    },
                },
            }],
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "dossier",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: Rule::ALL.iter().map(|&rule| descriptor(rule)).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        assert_eq!(relative_uri("notes/a.md"), "notes/a.md");
        assert_eq!(relative_uri("../up/a b.md"), "../up/a%20b.md");
        assert_eq!(
            relative_uri("Кремль/中俄 🛢.md"),
            "%D0%9A%D1%80%D0%B5%D0%BC%D0%BB%D1%8C/%E4%B8%AD%E4%BF%84%20%F0%9F%9B%A2.md"
        );
        assert_eq!(relative_uri("c:d/50%#1?.md"), "c%3Ad/50%25%231%3F.md");
    }
}
