//! The rules of §2: every diagnostic of one document, in core terms.

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::names::ActorNames;
use super::suggest;
use crate::diagnostic::{Diagnostic, Related, Rule, Severity};
use crate::syntax::vocab::Admiralty;
use crate::syntax::{Claim, ClaimKind, Confidence, Namespace, Role, SyntaxErrorKind};
use crate::text::TextRange;
use crate::workspace::{DocId, Document, Problem, Workspace};

/// What the rules read from the definitions of the whole workspace, built
/// once: the server keeps it across keystrokes until an actor or source
/// definition changes.
pub struct RuleContext {
    /// Built on first use: only `untagged-mention` reads it, which a check
    /// without hints never computes.
    actor_names: std::sync::OnceLock<ActorNames>,
    /// Each source's grade, from its first definition; its keys are the
    /// defined sources.
    source_grades: FxHashMap<Box<str>, Option<(Box<str>, Admiralty)>>,
    /// The defined actors. With the sources above, what the hundreds of
    /// thousands of mentions are looked up in: the workspace's table reads
    /// each candidate's name from its defining note, three pointers away,
    /// and that was most of the rules' time.
    actors: FxHashSet<Box<str>>,
}

impl RuleContext {
    pub fn new(workspace: &Workspace) -> RuleContext {
        let source_grades = workspace
            .defined_names(Namespace::Source)
            .map(|key| (key.into(), source_grade(workspace, key).map(|(grade, admiralty)| (grade.into(), admiralty))))
            .collect();
        let actors = workspace.defined_names(Namespace::Actor).map(Box::from).collect();
        RuleContext { actor_names: std::sync::OnceLock::new(), source_grades, actors }
    }

    /// Every defined actor's names, built on first use.
    pub(super) fn actor_names(&self, workspace: &Workspace) -> &ActorNames {
        self.actor_names.get_or_init(|| ActorNames::new(workspace))
    }

    /// A cited source's grade: `None` when it is undefined, `Some(None)`
    /// when its (first) definition has no valid `reliability`.
    pub fn grade(&self, key: &str) -> Option<Option<Admiralty>> {
        self.source_grades.get(key).map(|grade| grade.as_ref().map(|(_, admiralty)| *admiralty))
    }

    /// Whether an id is defined: an actor or a source from the sets above,
    /// a claim id (which changes with every claim typed, where these are
    /// rebuilt) from the workspace.
    pub(super) fn is_defined(&self, workspace: &Workspace, namespace: Namespace, name: &str) -> bool {
        match namespace {
            Namespace::Actor => self.actors.contains(name),
            Namespace::Source => self.source_grades.contains_key(name),
            Namespace::Claim => workspace.is_defined(namespace, name),
        }
    }

    /// The defined id nearest to an unknown one, from the same places.
    pub(super) fn suggestion(&self, workspace: &Workspace, namespace: Namespace, unknown: &str) -> Option<String> {
        match namespace {
            Namespace::Actor => {
                let names = self.actors.iter().map(|name| &**name);
                suggest::suggestion(unknown, self.actors.len(), names, |c| self.actors.contains(c))
            }
            Namespace::Source => {
                let names = self.source_grades.keys().map(|name| &**name);
                suggest::suggestion(unknown, self.source_grades.len(), names, |c| self.source_grades.contains_key(c))
            }
            Namespace::Claim => {
                let (count, names) = (workspace.defined_count(namespace), workspace.defined_names(namespace));
                suggest::suggestion(unknown, count, names, |c| workspace.is_defined(namespace, c))
            }
        }
    }
}

/// Checks documents of one workspace; shared by every thread.
pub struct Checker<'w> {
    workspace: &'w Workspace,
    context: &'w RuleContext,
    /// Diagnostics below this severity are not computed.
    pub min_severity: Severity,
    /// The ids defined more than once, gathered once per pass: most ids are
    /// not, and for them `duplicate-definition` then needs no lookup.
    duplicated: FxHashSet<(Namespace, &'w str)>,
}

/// Every document's diagnostics at `min_severity` or above, sorted by
/// position, documents in id order. Rules below it are not even run (the
/// CLI without `--hints` skips the hint rules' work).
pub fn check_workspace(workspace: &Workspace, min_severity: Severity) -> Vec<(DocId, Vec<Diagnostic>)> {
    let context = RuleContext::new(workspace);
    let mut checker = Checker::new(workspace, &context);
    checker.min_severity = min_severity;
    let ids: Vec<DocId> = workspace.documents().map(|(id, _)| id).collect();
    ids.into_par_iter().map(|id| (id, checker.check(id))).collect()
}

/// Collects diagnostics, dropping rules the config turns off or that fall
/// below the minimum severity.
struct Sink<'c> {
    config: &'c crate::config::Config,
    min_severity: Severity,
    out: Vec<Diagnostic>,
    /// Only findings touching this range are wanted (see [`Checker::check_within`]).
    within: Option<TextRange>,
}

impl Sink<'_> {
    /// Whether a finding at `range` is wanted: the rules skip the work for
    /// one that is not.
    fn touches(&self, range: TextRange) -> bool {
        touching(self.within, range)
    }

    /// The severity a rule reports at here, or `None` when it is not reported.
    fn severity(&self, rule: Rule) -> Option<Severity> {
        self.config.severity(rule).filter(|&s| s >= self.min_severity)
    }

    fn push(&mut self, rule: Rule, range: TextRange, message: String) {
        self.push_related(rule, range, message, Vec::new());
    }

    fn push_related(&mut self, rule: Rule, range: TextRange, message: String, related: Vec<Related>) {
        if let Some(severity) = self.severity(rule).filter(|_| self.touches(range)) {
            self.out.push(Diagnostic { rule, severity, range, message, related });
        }
    }
}

impl<'w> Checker<'w> {
    pub fn new(workspace: &'w Workspace, context: &'w RuleContext) -> Checker<'w> {
        let duplicated =
            Namespace::ALL.iter().flat_map(|&ns| workspace.duplicated_names(ns).map(move |name| (ns, name))).collect();
        Checker { workspace, context, min_severity: Severity::Hint, duplicated }
    }

    pub fn check(&self, doc: DocId) -> Vec<Diagnostic> {
        self.check_in(doc, None)
    }

    /// The findings of `doc` whose range touches `range` (ends included),
    /// doing only the work they need: code actions at a cursor ask this of
    /// a note of any size on every move.
    pub fn check_within(&self, doc: DocId, range: TextRange) -> Vec<Diagnostic> {
        self.check_in(doc, Some(range))
    }

    fn check_in(&self, doc: DocId, within: Option<TextRange>) -> Vec<Diagnostic> {
        let document = self.workspace.document(doc);
        let mut sink =
            Sink { config: &self.workspace.config, min_severity: self.min_severity, out: Vec::new(), within };
        match &document.problem {
            // A bibliography that cannot be read is one error on it.
            Some(Problem::InvalidUtf8 { at }) if document.bibliography.is_some() => {
                let len = document.text[*at..].chars().next().map_or(0, char::len_utf8);
                sink.push(
                    Rule::InvalidBibliography,
                    TextRange::new(*at, at + len),
                    "bibliography file is not valid UTF-8 (the first bad byte is here): export it again as UTF-8"
                        .into(),
                );
            }
            Some(Problem::Unreadable(why)) if document.bibliography.is_some() => {
                sink.push(Rule::InvalidBibliography, TextRange::empty(0), format!("this bibliography {why}"));
            }
            Some(Problem::InvalidUtf8 { at }) => {
                let len = document.text[*at..].chars().next().map_or(0, char::len_utf8);
                sink.push(
                    Rule::InvalidUtf8,
                    TextRange::new(*at, at + len),
                    "file is not valid UTF-8 (the first bad byte is here): save it as UTF-8; it is skipped until then"
                        .into(),
                );
            }
            Some(Problem::Unreadable(why)) => {
                sink.push(Rule::UnreadableFile, TextRange::empty(0), format!("this path {why}"));
            }
            None => {
                self.syntax_errors(document, &mut sink);
                self.unknown_references(document, &mut sink);
                self.definitions(doc, document, &mut sink);
                let within = sink.within;
                for claim in document.parse.claims.iter().filter(|c| touching(within, c.range)) {
                    self.claim(document, claim, &mut sink);
                }
                self.untagged(document, &mut sink);
            }
        }
        let mut out = sink.out;
        out.sort_by_key(|a| (a.range.start, a.range.end, a.rule));
        out
    }

    fn syntax_errors(&self, document: &Document, sink: &mut Sink<'_>) {
        let within = sink.within;
        for error in document.parse.errors.iter().filter(|e| touching(within, e.range)) {
            sink.push(syntax_rule(error.kind), error.range, error.message.clone());
        }
    }

    fn unknown_references(&self, document: &Document, sink: &mut Sink<'_>) {
        let text = &document.text;
        let within = sink.within;
        for reference in document.parse.references.iter().filter(|r| touching(within, r.range)) {
            let name = reference.name(text);
            let namespace = reference.namespace();
            if self.context.is_defined(self.workspace, namespace, name) {
                continue;
            }
            let (rule, how) = match namespace {
                Namespace::Actor => {
                    (Rule::UnknownActor, format!("define it with a line `@{name}: Name` (e.g. in actors.md)"))
                }
                Namespace::Source => {
                    (Rule::UnknownSource, format!("define it with a line `^{name}: Title` (e.g. in sources.md)"))
                }
                Namespace::Claim => (Rule::UnknownClaim, format!("give a claim the id with `#{name}` in its metadata")),
            };
            let sigil = namespace.sigil();
            let message = match self.context.suggestion(self.workspace, namespace, name) {
                Some(near) => format!(
                    "unknown {} `{sigil}{name}`: did you mean `{sigil}{near}`? Otherwise {how}",
                    namespace.noun()
                ),
                None => format!("unknown {} `{sigil}{name}`: {how}", namespace.noun()),
            };
            sink.push(rule, reference.range, message);
        }
    }

    /// `duplicate-definition` and `unused-definition` for what this document defines.
    fn definitions(&self, doc: DocId, document: &Document, sink: &mut Sink<'_>) {
        let text = &document.text;
        // Each with its name's range, and whether it is a bibliography's
        // entry (never `unused-definition`: a bibliography holds more than
        // one workspace cites).
        let defined =
            document.parse.definitions.iter().map(|d| (d.namespace, d.id, d.name_range(), d.is_entry())).chain(
                document
                    .parse
                    .claims
                    .iter()
                    .filter_map(|c| Some((Namespace::Claim, c.id()?, c.id()?.without_sigil(), false))),
            );
        for (namespace, id, name, is_entry) in defined {
            let name = name.of(text);
            let sigil = namespace.sigil();
            // Most ids are defined once; only a duplicate needs the sorted list.
            let sites = if self.duplicated.contains(&(namespace, name)) {
                self.workspace.definitions(namespace, name)
            } else {
                Vec::new()
            };
            if let Some(first) = sites.first().filter(|first| !(first.doc == doc && first.defined.id_range() == id)) {
                let where_ =
                    first.document.path.file_name().map_or_else(String::new, |f| f.to_string_lossy().into_owned());
                let line = first.document.line_index().line_of(first.defined.id_range().start as usize) + 1;
                sink.push_related(
                    Rule::DuplicateDefinition,
                    id,
                    format!(
                        "{} `{sigil}{name}` is already defined ({where_}:{line}): rename or remove this definition",
                        namespace.noun(),
                    ),
                    vec![Related {
                        doc: first.doc,
                        range: first.defined.id_range(),
                        message: "first defined here".into(),
                    }],
                );
            }
            if namespace == Namespace::Source {
                self.ungraded(document, id, name, sink);
            }
            if namespace != Namespace::Claim && !is_entry && !self.workspace.is_referenced(namespace, name) {
                sink.push(
                    Rule::UnusedDefinition,
                    id,
                    format!(
                        "{} `{sigil}{name}` is never mentioned: mention it in a note, or remove the definition",
                        namespace.noun(),
                    ),
                );
            }
        }
    }

    fn claim(&self, document: &Document, claim: &Claim, sink: &mut Sink<'_>) {
        let citations = citations(document, claim);
        let kind = claim.kind();
        let how_to_add = |token: &str| match claim.metadata() {
            Some(_) => format!("add `{token}` to its metadata"),
            None => format!("add `| {token}` before its closing brace"),
        };
        if is_unsourced(kind, citations.len()) {
            sink.push(
                Rule::UnsourcedClaim,
                claim.range,
                format!("{} cites no source: {}", describe(kind), how_to_add("^source-key")),
            );
        }
        match kind {
            ClaimKind::Quote if claim.speaker().is_none() => {
                sink.push(
                    Rule::MissingSpeaker,
                    claim.range,
                    format!("quote names no speaker: {}", how_to_add("by:@actor")),
                );
            }
            ClaimKind::Assessment if claim.confidence().is_none() => {
                sink.push(
                    Rule::MissingConfidence,
                    claim.range,
                    format!("assessment states no confidence: {} (or moderate, high)", how_to_add("conf:low")),
                );
            }
            ClaimKind::Forecast if claim.estimate().is_none() => {
                sink.push(
                    Rule::MissingEstimate,
                    claim.range,
                    format!("forecast states no probability: {} (or another ICD 203 term)", how_to_add("est:likely")),
                );
            }
            ClaimKind::Fact if !citations.is_empty() => {
                if let Some(grades) = self.weak_grades(&citations) {
                    sink.push(Rule::WeakSourcing, claim.range,
                        format!("every source of this fact is graded weak ({grades}): corroborate it with a more reliable source"));
                }
            }
            _ => {}
        }
        if claim.confidence().is_some_and(|c| c.value == Confidence::High) {
            self.thin(claim, &citations, sink);
        }
        if kind == ClaimKind::Forecast {
            self.overdue(claim, sink);
        }
    }

    /// `ungraded-source` on the definition `id` of the source `key`.
    fn ungraded(&self, document: &Document, id: TextRange, key: &str, sink: &mut Sink<'_>) {
        if sink.severity(Rule::UngradedSource).is_none() {
            return;
        }
        let Some(def) = document.parse.definitions.iter().find(|d| d.id == id) else { return };
        if def.field(&document.text, "reliability").is_none() && self.workspace.is_cited(key) {
            let how = match def.is_entry() {
                true => {
                    "add `reliability: B2` (its Admiralty code) as a line of the entry's note (Zotero's Extra field)"
                }
                false => "add a line `  reliability: B2` (its Admiralty code)",
            };
            sink.push(Rule::UngradedSource, id, format!("source `^{key}` is cited but not graded: {how}"));
        }
    }

    /// `thin-sourcing` of a `conf:high` claim citing `citations`.
    fn thin(&self, claim: &Claim, citations: &[&str], sink: &mut Sink<'_>) {
        if sink.severity(Rule::ThinSourcing).is_none() {
            return;
        }
        let mut distinct: smallvec::SmallVec<[&str; 4]> = citations.into();
        distinct.sort_unstable();
        distinct.dedup();
        let weak: Vec<String> = distinct
            .iter()
            .filter_map(|&key| match self.context.source_grades.get(key) {
                Some(Some((grade, admiralty))) if admiralty.is_weak() => Some(format!("^{key} {grade}")),
                _ => None,
            })
            .collect();
        let why = match (distinct.as_slice(), weak.is_empty()) {
            (_, false) => format!("it cites a weakly graded source ({})", weak.join(", ")),
            ([], _) => "it cites no source".to_string(),
            ([one], _) => format!("it rests on one source (^{one})"),
            _ => return,
        };
        sink.push(
            Rule::ThinSourcing,
            claim.range,
            format!("high confidence, but {why}: cite two independent, reliable sources, or lower the confidence"),
        );
    }

    /// `overdue-forecast`: due before today and not resolved.
    fn overdue(&self, claim: &Claim, sink: &mut Sink<'_>) {
        let Some(due) = claim.due() else { return };
        if claim.outcome().is_none() && due.value.is_before(self.workspace.today) {
            sink.push(
                Rule::OverdueForecast,
                claim.range,
                format!("forecast was due {} and is not resolved: add `outcome:true` or `outcome:false`", due.value),
            );
        }
    }

    /// "^a E3, ^b C5" when every cited source is defined with a weak grade.
    fn weak_grades(&self, citations: &[&str]) -> Option<String> {
        let mut grades = Vec::new();
        for &key in citations {
            let (grade, admiralty) = self.context.source_grades.get(key)?.as_ref()?;
            if !admiralty.is_weak() {
                return None;
            }
            grades.push(format!("^{key} {grade}"));
        }
        grades.dedup();
        Some(grades.join(", "))
    }

    fn untagged(&self, document: &Document, sink: &mut Sink<'_>) {
        if sink.severity(Rule::UntaggedMention).is_none() {
            return;
        }
        let actor_names = self.context.actor_names(self.workspace);
        let prose = document.prose();
        // Names do not cross prose ranges: those touching the range are enough.
        let prose = match sink.within {
            Some(w) => {
                let first = prose.partition_point(|r| r.end < w.start);
                let last = prose.partition_point(|r| r.start <= w.end);
                &prose[first..last.max(first)]
            }
            None => prose,
        };
        for found in actor_names.find(&document.text, prose) {
            sink.push(
                Rule::UntaggedMention,
                found.range,
                format!(
                    "`{}` names the actor `@{}`: tag it as `[{}](@{})`",
                    found.name, found.actor, found.name, found.actor
                ),
            );
        }
    }
}

/// Whether `range` touches `within` (ends included), or nothing limits it.
fn touching(within: Option<TextRange>, range: TextRange) -> bool {
    within.is_none_or(|w| range.start <= w.end && w.start <= range.end)
}

/// The rule that reports a syntax error of this kind.
pub(super) fn syntax_rule(kind: SyntaxErrorKind) -> Rule {
    match kind {
        SyntaxErrorKind::UnclosedClaim => Rule::UnclosedClaim,
        SyntaxErrorKind::NestedClaim => Rule::NestedClaim,
        SyntaxErrorKind::InvalidMetadata => Rule::InvalidMetadata,
        SyntaxErrorKind::InvalidField => Rule::InvalidField,
        SyntaxErrorKind::InvalidBibliography => Rule::InvalidBibliography,
    }
}

/// The grade of a source as the rules read it: the `reliability` field of
/// its first definition (by path, then position), when that is an
/// Admiralty grade. Also what inlay hints and the `weak` token modifier show.
pub fn source_grade<'w>(workspace: &'w Workspace, key: &str) -> Option<(&'w str, Admiralty)> {
    let site = workspace.definitions(Namespace::Source, key).into_iter().next()?;
    let crate::workspace::Defined::Block(def) = site.defined else { return None };
    let grade = def.field(&site.document.text, "reliability")?;
    Some((grade, Admiralty::parse(grade)?))
}

/// `unsourced-claim`: a fact or a quote that cites no source.
fn is_unsourced(kind: ClaimKind, citations: usize) -> bool {
    matches!(kind, ClaimKind::Fact | ClaimKind::Quote) && citations == 0
}

/// Whether `unsourced-claim` is on (at any severity): the semantic tokens
/// then mark the delimiters of the claims it finds ([`claim_is_unsourced`]).
pub fn marks_unsourced_claims(workspace: &Workspace) -> bool {
    workspace.config.severity(Rule::UnsourcedClaim).is_some()
}

/// Whether `claim` of `document` is what `unsourced-claim` reports.
pub fn claim_is_unsourced(document: &Document, claim: &Claim) -> bool {
    let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
    is_unsourced(claim.kind(), refs.iter().filter(|r| matches!(r.role(), Role::Citation { .. })).count())
}

/// The keys a claim cites in its metadata, in text order.
fn citations<'d>(document: &'d Document, claim: &Claim) -> smallvec::SmallVec<[&'d str; 4]> {
    let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
    // Claims cite a few sources: no allocation per claim.
    refs.iter().filter(|r| matches!(r.role(), Role::Citation { .. })).map(|r| r.name(&document.text)).collect()
}

fn describe(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::Quote => "quote",
        _ => "claim",
    }
}
