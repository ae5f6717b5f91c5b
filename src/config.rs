//! `dossier.toml`: which files belong to the workspace and how loud each rule is.

use std::collections::HashMap;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::bibliography::Format;
use crate::rule::{Rule, Severity};
use crate::text::TextRange;

pub const CONFIG_FILE: &str = "dossier.toml";
const DEFAULT_INCLUDE: &str = "**/*.md";

/// A rule's level as the config sets it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    Off,
    On(Severity),
}

#[derive(Clone, Debug)]
pub struct Config {
    include: GlobSet,
    exclude: GlobSet,
    rules: HashMap<Rule, Level>,
    bibliographies: Vec<BibliographyEntry>,
}

/// A file named in `[sources] bibliography`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BibliographyEntry {
    /// As written: relative to the workspace root (or absolute).
    pub path: String,
    pub format: Format,
    /// The string in `dossier.toml`, quotes included: where a missing file
    /// is reported.
    pub at: TextRange,
}

/// What is wrong with a config file, and where (the offending key, or where
/// TOML's syntax breaks).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfigError {
    pub range: TextRange,
    pub message: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: glob_set(&[DEFAULT_INCLUDE]).expect("the default glob is valid"),
            exclude: GlobSet::empty(),
            rules: HashMap::new(),
            bibliographies: Vec::new(),
        }
    }
}

fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    // `*` stays inside one folder, as in .gitignore; `**` crosses folders.
    GlobBuilder::new(pattern).literal_separator(true).build()
}

fn glob_set(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        builder.add(glob(pattern)?);
    }
    builder.build()
}

impl Config {
    /// Reads a config file. Of several errors, the one that comes first in
    /// the file is answered (a map's keys come sorted, not in file order, and
    /// a syntax error late in the file does not hide a bad key above it).
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let (table, syntax_errors) = DeTable::parse_recoverable(text);
        let mut errors: Vec<ConfigError> = syntax_errors
            .into_iter()
            .map(|e| ConfigError {
                range: e.span().map_or(TextRange::empty(0), |s| TextRange::new(s.start, s.end)),
                message: format!("invalid TOML: {}", e.message().trim()),
            })
            .collect();
        let mut config = Config::default();
        for (key, value) in table.get_ref() {
            let read = match key.get_ref().as_ref() {
                "files" => table_of(key, value, "files").map(|t| config.read_files(t, &mut errors)),
                "rules" => table_of(key, value, "rules").map(|t| config.read_rules(t, &mut errors)),
                "sources" => table_of(key, value, "sources").map(|t| config.read_sources(t, &mut errors)),
                other => Err(error(
                    key,
                    format!("unknown section `{}`: expected `[files]`, `[rules]` or `[sources]`", shown(other)),
                )),
            };
            if let Err(e) = read {
                errors.push(e);
            }
        }
        match errors.into_iter().min_by_key(|e| (e.range.start, e.range.end)) {
            Some(first) => Err(first),
            None => Ok(config),
        }
    }

    /// Reads `[files]`, adding one error per bad key to `errors`.
    fn read_files(&mut self, table: &DeTable<'_>, errors: &mut Vec<ConfigError>) {
        for (key, value) in table {
            if let Err(e) = self.read_globs(key, value) {
                errors.push(e);
            }
        }
    }

    fn read_globs(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<(), ConfigError> {
        let name = key.get_ref().as_ref();
        let set = match name {
            "include" => &mut self.include,
            "exclude" => &mut self.exclude,
            other => {
                return Err(error(
                    key,
                    format!("unknown key `files.{}`: expected `include` or `exclude`", shown(other)),
                ));
            }
        };
        let DeValue::Array(items) = value.get_ref() else {
            return Err(error(value, format!("`files.{name}` must be a list of globs, e.g. [\"**/*.md\"]")));
        };
        let mut builder = GlobSetBuilder::new();
        for item in items.iter() {
            let DeValue::String(pattern) = item.get_ref() else {
                return Err(error(item, format!("`files.{name}` must hold strings (globs)")));
            };
            let glob = glob(pattern).map_err(|e| error(item, format!("invalid glob in `files.{name}`: {e}")))?;
            builder.add(glob);
        }
        *set = builder.build().map_err(|e| error(value, format!("invalid globs in `files.{name}`: {e}")))?;
        Ok(())
    }

    /// Reads `[rules]`, adding one error per bad key to `errors`.
    fn read_rules(&mut self, table: &DeTable<'_>, errors: &mut Vec<ConfigError>) {
        for (key, value) in table {
            let id = key.get_ref().as_ref();
            let Some(rule) = Rule::from_id(id) else {
                errors.push(error(key, format!("unknown rule `{}` in `[rules]`", shown(id))));
                continue;
            };
            let level = match value.get_ref() {
                DeValue::String(s) => match s.as_ref() {
                    "error" => Some(Level::On(Severity::Error)),
                    "warning" => Some(Level::On(Severity::Warning)),
                    "info" => Some(Level::On(Severity::Info)),
                    "hint" => Some(Level::On(Severity::Hint)),
                    "off" => Some(Level::Off),
                    _ => None,
                },
                _ => None,
            };
            match level {
                Some(level) => {
                    self.rules.insert(rule, level);
                }
                None => errors.push(error(
                    value,
                    format!("`rules.{id}` must be \"error\", \"warning\", \"info\", \"hint\" or \"off\""),
                )),
            }
        }
    }

    /// Reads `[sources]`, adding one error per bad key to `errors`.
    fn read_sources(&mut self, table: &DeTable<'_>, errors: &mut Vec<ConfigError>) {
        for (key, value) in table {
            if let Err(e) = self.read_bibliographies(key, value) {
                errors.push(e);
            }
        }
    }

    fn read_bibliographies(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<(), ConfigError> {
        let name = key.get_ref().as_ref();
        if name != "bibliography" {
            return Err(error(key, format!("unknown key `sources.{}`: expected `bibliography`", shown(name))));
        }
        let DeValue::Array(items) = value.get_ref() else {
            return Err(error(
                value,
                "`sources.bibliography` must be a list of files, e.g. [\"refs.bib\", \"zotero.json\"]".into(),
            ));
        };
        for item in items.iter() {
            let DeValue::String(path) = item.get_ref() else {
                return Err(error(item, "`sources.bibliography` must hold strings (file paths)".into()));
            };
            let Some(format) = Format::of(path) else {
                return Err(error(
                    item,
                    format!(
                        "`{}` in `sources.bibliography`: Dossier reads BibTeX/BibLaTeX files ending in `.bib` and CSL-JSON files ending in `.json`",
                        shown(path)
                    ),
                ));
            };
            let span = item.span();
            let at = TextRange::new(span.start, span.end);
            self.bibliographies.push(BibliographyEntry { path: path.to_string(), format, at });
        }
        Ok(())
    }

    /// The bibliography files `[sources]` names, in the order written.
    pub fn bibliographies(&self) -> &[BibliographyEntry] {
        &self.bibliographies
    }

    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.rules.get(&rule) {
            Some(Level::Off) => None,
            Some(Level::On(severity)) => Some(*severity),
            None => Some(rule.default_severity()),
        }
    }

    /// Whether a file, given by its path relative to the workspace root
    /// (with `/` separators), belongs to the workspace.
    pub fn includes(&self, relative: &str) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }
}

/// A name from the file, as a message quotes it: control characters escaped
/// (a quoted key may hold a line break or a terminal escape) and cut after
/// 60 characters (a garbage file may hold a key of megabytes).
fn shown(name: &str) -> String {
    let mut out: String = name
        .chars()
        .take(60)
        .map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() })
        .collect();
    if name.chars().nth(60).is_some() {
        out.push('…');
    }
    out
}

fn error<T>(at: &Spanned<T>, message: String) -> ConfigError {
    let span = at.span();
    ConfigError { range: TextRange::new(span.start, span.end), message }
}

fn table_of<'a, 'i>(
    key: &Spanned<std::borrow::Cow<'i, str>>,
    value: &'a Spanned<DeValue<'i>>,
    name: &str,
) -> Result<&'a DeTable<'i>, ConfigError> {
    match value.get_ref() {
        DeValue::Table(table) => Ok(table),
        _ => Err(error(key, format!("`{name}` must be a table: write `[{name}]`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (String, String) {
        let e = Config::parse(text).unwrap_err();
        (e.range.of(text).to_string(), e.message)
    }

    #[test]
    fn rules_and_files_are_read() {
        let config = Config::parse("[files]\ninclude = [\"notes/**/*.md\"]\nexclude = [\"notes/drafts/**\"]\n[rules]\nunsourced-claim = \"error\"\nuntagged-mention = \"off\"\n").unwrap();
        assert_eq!(config.severity(Rule::UnsourcedClaim), Some(Severity::Error));
        assert_eq!(config.severity(Rule::UntaggedMention), None);
        assert_eq!(config.severity(Rule::UnknownActor), Some(Severity::Error));
        assert!(config.includes("notes/a/b.md"));
        assert!(!config.includes("notes/drafts/b.md"));
        assert!(!config.includes("other/b.md"));
    }

    #[test]
    fn bibliographies_are_read_with_their_format_and_place() {
        let text = "[sources]\nbibliography = [\"refs.bib\", \"zotero/Library.JSON\"]\n";
        let config = Config::parse(text).unwrap();
        let read: Vec<(&str, Format, &str)> =
            config.bibliographies().iter().map(|b| (b.path.as_str(), b.format, b.at.of(text))).collect();
        assert_eq!(
            read,
            [
                ("refs.bib", Format::Bibtex, "\"refs.bib\""),
                ("zotero/Library.JSON", Format::CslJson, "\"zotero/Library.JSON\"")
            ]
        );
        assert_eq!(
            err("[sources]\nbibliography = [\"refs.ris\"]\n"),
            (
                "\"refs.ris\"".into(),
                "`refs.ris` in `sources.bibliography`: Dossier reads BibTeX/BibLaTeX files ending in `.bib` and CSL-JSON files ending in `.json`".into()
            )
        );
        assert_eq!(err("[sources]\nbibliography = \"refs.bib\"\n").0, "\"refs.bib\"");
        assert_eq!(err("[sources]\nbibliography = [1]\n").0, "1");
        assert_eq!(err("[sources]\nbib = []\n").0, "bib");
        assert_eq!(err("sources = 1\n").0, "sources");
    }

    #[test]
    fn defaults_include_every_markdown_file() {
        let config = Config::default();
        assert!(config.includes("a.md"));
        assert!(config.includes("x/y/a.md"));
        assert!(!config.includes("a.txt"));
    }

    #[test]
    fn of_several_errors_the_first_in_the_file_is_answered() {
        // Keys come sorted (`missing-speaker` before `unsourced-claim`), not
        // in file order; the answer is still the first in the file.
        let text = "[rules]\nunsourced-claim = \"loud\"\nmissing-speaker = \"nope\"\n";
        assert_eq!(err(text).0, "\"loud\"");
        // Sections too: `[rules]` above `[files]`.
        assert_eq!(err("[rules]\nbogus = \"x\"\n[files]\nbad = 1\n").0, "bogus");
        assert_eq!(err("[zzz]\n[files]\nbad = 1\n").0, "zzz");
        // A syntax error below a bad key does not hide it; one above wins.
        assert_eq!(
            err("[files]\nexclud = []\n[rules\n"),
            ("exclud".into(), "unknown key `files.exclud`: expected `include` or `exclude`".into())
        );
        let (_, message) = err("[rules\n[files]\nexclud = []\n");
        assert!(message.starts_with("invalid TOML"), "{message}");
        // Within one key, the first bad item of a list.
        assert_eq!(err("[files]\ninclude = [\"ok/**\", 1, \"a/[\"]\n").0, "1");
    }

    #[test]
    fn errors_point_at_the_offending_key_or_value() {
        assert_eq!(
            err("[rules]\nunsourced = \"error\"\n"),
            ("unsourced".into(), "unknown rule `unsourced` in `[rules]`".into())
        );
        assert_eq!(err("[rules]\nunsourced-claim = \"loud\"\n").0, "\"loud\"");
        assert_eq!(err("[files]\ninclud = []\n").0, "includ");
        assert_eq!(err("[file]\n").0, "file");
        assert_eq!(err("[files]\ninclude = \"*.md\"\n").0, "\"*.md\"");
        assert_eq!(err("[files]\nexclude = [\"a/[\"]\n").0, "\"a/[\"");
        let (_, message) = err("[rules\n");
        assert!(message.starts_with("invalid TOML"), "{message}");
        // A quoted key shows escaped and cut short.
        let long = format!("[rules]\n\"a\\nb\\u001b{}\" = \"off\"\n", "x".repeat(100));
        assert_eq!(err(&long).1, format!("unknown rule `a\\nb\\u{{1b}}{}…` in `[rules]`", "x".repeat(56)));
    }
}
