//! The rule table: every rule's id, default severity and documentation (a
//! one-line summary, an explanation and two examples, one that fires and a
//! near miss). The configuration names rules by these ids, the rules fill
//! diagnostics with them, and `dossier rules` prints this table, so there is
//! no second list to drift from it.

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident {
        summary: $summary:literal,
        explain: $explain:literal,
        fires: $fires:literal,
        passes: $passes:literal,
        runnable: $runnable:literal $(,)?
    })*) => {
        /// Every rule, with its id (a diagnostic's `code`) and default severity.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
        pub enum Rule { $($variant,)* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            pub fn from_id(id: &str) -> Option<Rule> {
                match id { $($id => Some(Rule::$variant),)* _ => None }
            }

            /// What it finds, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// What it finds in full, and how to fix it.
            pub fn explanation(self) -> &'static str {
                match self { $(Rule::$variant => $explain,)* }
            }

            /// An example on which it fires. When `examples_runnable`, a
            /// workspace as `example_files` reads it; otherwise a description.
            pub fn example_fires(self) -> &'static str {
                match self { $(Rule::$variant => $fires,)* }
            }

            /// A near miss: an example on which it does not fire.
            pub fn example_passes(self) -> &'static str {
                match self { $(Rule::$variant => $passes,)* }
            }

            /// Whether both examples are workspaces that `dossier check`
            /// can be run on (not so for a bad config, bad bytes, or a file
            /// that cannot be read, which text cannot hold).
            pub fn examples_runnable(self) -> bool {
                match self { $(Rule::$variant => $runnable,)* }
            }

            /// Whether its findings are about markup that does nothing,
            /// which editors show faded rather than underlined.
            pub fn marks_unneeded(self) -> bool {
                matches!(self, Rule::UnusedDefinition)
            }
        }
    };
}

/// The files every runnable example is checked beside, unless the example
/// gives a file of the same path.
pub const EXAMPLE_DEFINITIONS: &[(&str, &str)] = &[
    ("actors.md", "@putin: Vladimir Putin\n  kind: person\n  aliases: Putin\n"),
    ("sources.md", "^reuters: China, Russia sign gas deal\n  reliability: B2\n"),
];

/// The workspace a runnable example stands for: `EXAMPLE_DEFINITIONS`, then
/// the example's files. An example is the text of `note.md`, or several
/// files, each after a `//- path` line.
pub fn example_files(example: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> =
        EXAMPLE_DEFINITIONS.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect();
    let mut own: Vec<(String, String)> = Vec::new();
    for line in example.split_inclusive('\n') {
        match line.strip_prefix("//- ") {
            Some(path) => own.push((path.trim().to_string(), String::new())),
            None => match own.last_mut() {
                Some((_, text)) => text.push_str(line),
                None => own.push(("note.md".to_string(), line.to_string())),
            },
        }
    }
    for (path, text) in own {
        match files.iter_mut().find(|(p, _)| *p == path) {
            Some(file) => file.1 = text,
            None => files.push((path, text)),
        }
    }
    files
}

rules! {
    UnclosedClaim = "unclosed-claim", Error {
        summary: "a `{` with no `}` before the paragraph ends",
        explain: "A `{` opens a claim that no `}` closes before a blank line, the end of the file, a code block, an HTML comment block or a definition header. Reported on the `{`.\nFix: add `}` before the paragraph ends, or write `\\{` for a literal brace.",
        fires: "{@putin signed | ^reuters\n\nnext paragraph\n",
        passes: "{@putin signed\nthe deal | ^reuters}\n",
        runnable: true,
    }
    NestedClaim = "nested-claim", Error {
        summary: "a `{` inside a claim",
        explain: "A `{` inside a claim, reported on the inner `{`. The claim still ends at the first `}`.\nFix: close the claim first, or write `\\{`.",
        fires: "{@putin {said} | ^reuters}\n",
        passes: "{@putin \\{said\\} {{ x }} | ^reuters}\n",
        runnable: true,
    }
    InvalidMetadata = "invalid-metadata", Error {
        summary: "a bad token after a claim's `|`",
        explain: "An unknown token, an unknown `kind:`/`conf:`/`est:` value, a malformed id or `by:`/`supports:`/`contradicts:` value, an unclosed locator, or a once-only token given twice.\nFix: the message lists the accepted tokens or values.",
        fires: "{@putin | ^reuters conf:sure kind:fact kind:fact}\n",
        passes: "{@putin | ^reuters(p. 3, para 2) kind:fact}\n",
        runnable: true,
    }
    InvalidField = "invalid-field", Error {
        summary: "a bad value of a checked field in a definition",
        explain: "A checked field of a definition (`kind`, `aliases`, `date`, `reliability`, `url`) with a bad value, or given twice in one block (on the second one). Reported on the value.\nFix: write the value in the form the message names (e.g. `B2`, `YYYY-MM-DD`, `https://…`).",
        fires: "^s: Title\n  date: 2014-02-30\n  reliability: B7\n  url: reuters.com\n",
        passes: "^s: Title\n  date: 2016-02-29\n  reliability: F6\n  url: https://reuters.com/x\n  publisher: whatever — Кремль\n",
        runnable: true,
    }
    UnknownActor = "unknown-actor", Error {
        summary: "`@ID` that nothing defines",
        explain: "`@ID`, in any form (short, link, metadata, `by:`), with no definition in the workspace. The message suggests the closest defined id.\nFix: fix the typo, or define `@ID: Name` (e.g. in actors.md).",
        fires: "@puttin met [Xi](@xi) {@putin | ^reuters by:@obama}\n",
        passes: "mail putin@kremlin.ru or \\@putin, and `@code` {@putin | ^reuters}\n",
        runnable: true,
    }
    UnknownSource = "unknown-source", Error {
        summary: "`^KEY` that nothing defines",
        explain: "`^KEY` (cited in metadata, or a link form in prose) with no definition in the workspace.\nFix: fix the typo, or define `^KEY: Title` (e.g. in sources.md).",
        fires: "{@putin | ^reuter(p. 3)} and [R](^tass)\n",
        passes: "{@putin | ^reuters(p. 3)} and [Reuters](^reuters)\n",
        runnable: true,
    }
    UnknownClaim = "unknown-claim", Error {
        summary: "`supports:#ID` / `contradicts:#ID` naming no claim",
        explain: "`supports:#ID` or `contradicts:#ID` naming no claim in the workspace.\nFix: fix the typo, or give a claim the id with `#ID`.",
        fires: "{a | ^reuters #a supports:#b contradicts:#a}\n",
        passes: "//- a.md\n{a | ^reuters #a supports:#b contradicts:#a}\n//- b.md\n{b | ^reuters #b}\n",
        runnable: true,
    }
    DuplicateDefinition = "duplicate-definition", Error {
        summary: "an id defined twice",
        explain: "An actor, source or claim id defined twice. Reported on every definition after the first (ordered by path, then position), with a note pointing at the first. One name in the three namespaces does not clash.\nFix: rename or remove this definition.",
        fires: "//- a.md\n@x: X\n^s: S\n{c | ^s #c @x}\n//- b.md\n@x: X again\n\n{c | ^s #c}\n",
        passes: "@x: X\n^x: X\n\n{c | ^x #x @x}\n",
        runnable: true,
    }
    UnsourcedClaim = "unsourced-claim", Warning {
        summary: "a fact or quote that cites no source",
        explain: "A `fact` (the default kind) or a `quote` that cites no source in its metadata. Assessments and forecasts need no source; a link form in the claim text is a reference, not a citation.\nFix: add `^source-key` to the metadata (or `| ^source-key` if it has none).",
        fires: "{@putin signed}\n{said | kind:quote by:@putin}\n{x | kind:fact conf:high}\n",
        passes: "{a | kind:assessment conf:low}\n{f | kind:forecast est:likely}\n{[Reuters](^reuters) says | ^reuters}\n",
        runnable: true,
    }
    MissingSpeaker = "missing-speaker", Warning {
        summary: "a quote without `by:`",
        explain: "A `quote` without `by:`.\nFix: add `by:@actor`.",
        fires: "{q | kind:quote ^reuters}\n",
        passes: "{q | kind:quote ^reuters by:@putin}\n",
        runnable: true,
    }
    MissingConfidence = "missing-confidence", Warning {
        summary: "an assessment without `conf:`",
        explain: "An `assessment` without `conf:`.\nFix: add `conf:low`, `moderate` or `high`.",
        fires: "{a | kind:assessment}\n",
        passes: "{a | kind:assessment conf:moderate}\n",
        runnable: true,
    }
    MissingEstimate = "missing-estimate", Warning {
        summary: "a forecast without `est:`",
        explain: "A `forecast` without `est:` (`conf:` does not count).\nFix: add `est:likely` or another ICD 203 term.",
        fires: "{f | kind:forecast conf:high}\n",
        passes: "{f | kind:forecast est:even-chance}\n",
        runnable: true,
    }
    WeakSourcing = "weak-sourcing", Info {
        summary: "a fact whose sources are all graded weak",
        explain: "A `fact` whose cited sources all carry a `reliability` grade, every one of them weak (`E`, `F`, or credibility `5`/`6`). One good source, or one with no grade, is enough to keep it quiet.\nFix: corroborate it with a more reliable source.",
        fires: "^rumour: R\n  reliability: E3\n^blog: B\n  reliability: C5\n\n{a | ^rumour ^blog}\n",
        passes: "^rumour: R\n  reliability: E3\n^wire: W\n  reliability: B2\n^ungraded: U\n\n{a | ^rumour ^wire}\n{b | ^rumour ^ungraded}\n{c | ^rumour kind:assessment conf:low}\n",
        runnable: true,
    }
    UntaggedMention = "untagged-mention", Hint {
        summary: "an actor's name written untagged",
        explain: "An actor's display name or alias written untagged in prose or claim text: a whole word, case-sensitive, the longest name winning where names overlap. Not in definition blocks, metadata, the words of a link form, code, comments or front matter.\nFix: tag it: `[Putin](@putin)`.",
        fires: "Vladimir Putin met Putin’s aides. {Putin said | ^reuters by:@putin}\n",
        passes: "[Vladimir Putin](@putin), `Putin`, Putinism, putin, <!-- Putin --> {x | ^reuters}\n",
        runnable: true,
    }
    UnusedDefinition = "unused-definition", Hint {
        summary: "an actor or source nothing mentions",
        explain: "An actor or source that nothing in the workspace mentions or cites; claims are exempt. A mention in another definition's description line counts as a use.\nFix: mention it in a note, or remove the definition.",
        fires: "//- actors.md\n@putin: Putin\n//- sources.md\n^s: S\n",
        passes: "//- actors.md\n@putin: Putin\n  Cites [the record](^s).\n@x: X\n  See @putin.\n//- sources.md\n^s: S\n//- note.md\nAbout @x.\n",
        runnable: true,
    }
    InvalidConfig = "invalid-config", Error {
        summary: "a bad `dossier.toml` (language server only)",
        explain: "A bad `dossier.toml`: an unknown key, a bad value or a TOML syntax error. The language server reports it on that file, on the offending key, and applies the defaults until it is fixed; `dossier check` exits with status 2 instead.\nFix: the message names the key and the problem.",
        fires: "//- dossier.toml\n[rules]\nunsourced-claim = \"loud\"\n",
        passes: "//- dossier.toml\n[rules]\nunsourced-claim = \"error\"\n",
        runnable: false,
    }
    InvalidUtf8 = "invalid-utf8", Error {
        summary: "a note that is not UTF-8",
        explain: "A note that is not valid UTF-8, reported at the first bad byte; the file is otherwise skipped. Valid non-ASCII text is fine.\nFix: save it as UTF-8.",
        fires: "a note.md saved as Latin-1, holding the bytes `caf\\xE9`",
        passes: "a note.md saved as UTF-8: ’ — Кремль 中俄 😀 café",
        runnable: false,
    }
    UnreadableFile = "unreadable-file", Error {
        summary: "a path that looks like a note but cannot be read",
        explain: "A path that looks like a note but cannot be read as one: a dangling symbolic link, a symbolic-link loop, a directory whose name matches the `include` globs (the notes inside it are still checked), a FIFO or other special file, a file over 4 GiB, or a file or folder that cannot be opened. A note deleted while the check runs is left out silently.\nFix: fix or remove it, or list it in `.gitignore`.",
        fires: "a dangling symbolic link: `ln -s missing.md note.md`",
        passes: "a symbolic link to a note that exists: `ln -s a.md note.md`",
        runnable: false,
    }
    InvalidBibliography = "invalid-bibliography", Error {
        summary: "a bibliography file that cannot be read or parsed, or is missing",
        explain: "A bibliography file named in `[sources] bibliography` of `dossier.toml` that cannot be read or parsed: reported where the error is in that file (an unclosed brace, a missing comma, an unknown `@string` abbreviation, invalid JSON). Its other entries still count, and an entry with an error still defines its key. A listed file that does not exist is reported on its entry in `dossier.toml`.\nFix: correct the file (or export it again from Zotero), or correct the path in `dossier.toml`.",
        fires: "//- dossier.toml\n[sources]\nbibliography = [\"refs.bib\"]\n//- refs.bib\n@article{tass-2014,\n  title {Gas deal signed},\n}\n//- note.md\n{Signed | ^tass-2014}\n",
        passes: "//- dossier.toml\n[sources]\nbibliography = [\"refs.bib\"]\n//- refs.bib\n@article{tass-2014,\n  title = {Gas deal signed},\n  note = {reliability: B2},\n}\n//- note.md\n{Signed | ^tass-2014}\n",
        runnable: true,
    }
    UngradedSource = "ungraded-source", Hint {
        summary: "a cited source whose definition has no `reliability` grade",
        explain: "A source that some claim cites in its metadata, but whose definition has no `reliability` field, so nobody can tell how much the claims resting on it are worth. Reported on the definition's id. A source only named in prose (a link form) is not cited.\nFix: grade it with the Admiralty code, e.g. `reliability: B2`.",
        fires: "//- sources.md\n^reuters: China, Russia sign gas deal\n  publisher: Reuters\n//- note.md\n{@putin signed | ^reuters}\n",
        passes: "//- sources.md\n^reuters: China, Russia sign gas deal\n  reliability: B2\n^tass: TASS report\n//- note.md\n{@putin signed | ^reuters}, as [TASS](^tass) said\n",
        runnable: true,
    }
    ThinSourcing = "thin-sourcing", Info {
        summary: "a `conf:high` claim on fewer than two sources, or on a weak one",
        explain: "A claim stated with `conf:high` that cites fewer than two distinct sources, or cites one graded weak (`E`, `F`, or credibility `5`/`6`, as in `weak-sourcing`). High confidence asks for corroboration by good sources. Reported on the whole claim.\nFix: cite a second, independent and reliable source, or lower the confidence.",
        fires: "^rumour: R\n  reliability: E3\n^tass: TASS\n  reliability: B2\n\n{@putin signed | ^reuters conf:high}\n{@putin met | ^reuters ^rumour conf:high}\n",
        passes: "^tass: TASS\n  reliability: B2\n\n{@putin signed | ^reuters ^tass(p. 2) conf:high}\n{@putin signed | ^reuters conf:moderate}\n",
        runnable: true,
    }
    OverdueForecast = "overdue-forecast", Info {
        summary: "a forecast past its `due:` date with no `outcome:`",
        explain: "A `forecast` whose `due:` date has passed (the whole date is before today: `due:2015` from 2016-01-01 on) and that has no `outcome:`. Today is the local date, or `DOSSIER_TODAY` (`YYYY-MM-DD`) when set. Reported on the whole claim.\nFix: record how it resolved with `outcome:true` or `outcome:false`, or move the due date.",
        fires: "{@putin visits again | kind:forecast est:likely due:2015-06}\n",
        passes: "{@putin visits again | kind:forecast est:likely due:2015-06 outcome:true}\n{@putin retires | kind:forecast est:unlikely due:9999}\n",
        runnable: true,
    }
}
