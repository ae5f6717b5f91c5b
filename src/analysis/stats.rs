//! The analyst's picture in numbers (`dossier stats`): per note and in
//! total, how the claims are sourced, which forecasts came due, and how
//! well calibrated each author is (the Brier score). Plain counts; the CLI
//! (and later the HTML report) formats them.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::diagnostics::RuleContext;
use super::forecast::{Standing, standing};
use crate::syntax::{ClaimKind, Namespace, Outcome, Role};
use crate::workspace::{DocId, Document, Workspace};

/// Squared errors of resolved forecasts with an estimate, summed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Brier {
    pub sum: f64,
    /// How many forecasts the score rests on.
    pub forecasts: u32,
}

impl Brier {
    /// The mean squared error (0 is perfect, 0.25 always saying 50%), or
    /// `None` when no forecast was scored.
    pub fn score(self) -> Option<f64> {
        (self.forecasts > 0).then(|| self.sum / f64::from(self.forecasts))
    }

    pub fn add(&mut self, other: Brier) {
        self.sum += other.sum;
        self.forecasts += other.forecasts;
    }
}

/// The counts of one note, or of several added up.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    /// Claims by kind, in [`ClaimKind::ALL`] order.
    pub claims: [u32; 4],
    /// Facts and quotes, and how many of them cite a source.
    pub facts_and_quotes: u32,
    pub sourced: u32,
    /// Citations in metadata by the grade letter of their source, `A`–`F`,
    /// then those of sources without a grade (or not defined).
    pub citations: [u32; 7],
    /// Facts whose sources are all graded weak (as `weak-sourcing`).
    pub weak_sourced: u32,
    pub assessments_without_confidence: u32,
    pub forecasts_without_estimate: u32,
    /// Forecasts with a `due:` date; with an `outcome:`; past due without one.
    pub forecasts_due: u32,
    pub forecasts_resolved: u32,
    pub forecasts_overdue: u32,
    /// The resolved forecasts with an `est:`.
    pub brier: Brier,
}

impl Counts {
    pub fn total_claims(&self) -> u32 {
        self.claims.iter().sum()
    }

    /// How many claims are of `kind`.
    pub fn of_kind(&self, kind: ClaimKind) -> u32 {
        self.claims[kind_index(kind)]
    }

    /// The share of facts and quotes that cite a source, when there are any.
    pub fn sourced_share(&self) -> Option<f64> {
        (self.facts_and_quotes > 0).then(|| f64::from(self.sourced) / f64::from(self.facts_and_quotes))
    }

    /// Adds another note's (or workspace's) counts.
    pub fn add(&mut self, other: &Counts) {
        let sum = |a: &mut [u32], b: &[u32]| a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        sum(&mut self.claims, &other.claims);
        sum(&mut self.citations, &other.citations);
        self.facts_and_quotes += other.facts_and_quotes;
        self.sourced += other.sourced;
        self.weak_sourced += other.weak_sourced;
        self.assessments_without_confidence += other.assessments_without_confidence;
        self.forecasts_without_estimate += other.forecasts_without_estimate;
        self.forecasts_due += other.forecasts_due;
        self.forecasts_resolved += other.forecasts_resolved;
        self.forecasts_overdue += other.forecasts_overdue;
        self.brier.add(other.brier);
    }
}

/// The grade letters of [`Counts::citations`], then "ungraded".
pub const GRADE_COLUMNS: [&str; 7] = ["A", "B", "C", "D", "E", "F", "ungraded"];

fn kind_index(kind: ClaimKind) -> usize {
    ClaimKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// One author's Brier score: `author` is the id of `by:@id` (`None` for
/// forecasts that name no author), `name` its display name when defined.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthorScore {
    pub author: Option<String>,
    pub name: Option<String>,
    pub brier: Brier,
}

/// The whole picture: each note's counts (in path order), their sum, and
/// the Brier score per author over the same notes (by author id, the
/// unattributed last).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub notes: Vec<(DocId, Counts)>,
    pub total: Counts,
    pub by_author: Vec<AuthorScore>,
}

/// The stats of the notes `in_scope` picks (definitions anywhere in the
/// workspace count), computed on every core; `done` is called once per
/// note (for a progress bar).
pub fn stats(workspace: &Workspace, in_scope: impl Fn(&Document) -> bool + Sync, done: impl Fn() + Sync) -> Stats {
    let context = RuleContext::new(workspace);
    let mut docs: Vec<(DocId, &Document)> =
        workspace.documents().filter(|(_, d)| d.problem.is_none() && in_scope(d)).collect();
    docs.sort_by(|a, b| a.1.path.cmp(&b.1.path));
    let per_note: Vec<(DocId, Counts, ByAuthor<'_>)> = docs
        .par_iter()
        .map(|&(id, document)| {
            let (counts, authors) = note(workspace, &context, document);
            done();
            (id, counts, authors)
        })
        .collect();
    let mut total = Counts::default();
    let mut authors: ByAuthor<'_> = FxHashMap::default();
    let mut notes = Vec::with_capacity(per_note.len());
    for (id, counts, note_authors) in per_note {
        total.add(&counts);
        for (author, brier) in note_authors {
            authors.entry(author).or_default().add(brier);
        }
        notes.push((id, counts));
    }
    let mut by_author: Vec<AuthorScore> = authors
        .into_iter()
        .map(|(author, brier)| AuthorScore {
            name: author.and_then(|a| actor_name(workspace, a)),
            author: author.map(str::to_string),
            brier,
        })
        .collect();
    by_author.sort_by(|a, b| (a.author.is_none(), &a.author).cmp(&(b.author.is_none(), &b.author)));
    Stats { notes, total, by_author }
}

/// An actor's display name, from its first definition.
pub fn actor_name(workspace: &Workspace, id: &str) -> Option<String> {
    actor_title(workspace, id).map(str::to_string)
}

/// [`actor_name`], borrowed from the defining note's text.
pub fn actor_title<'w>(workspace: &'w Workspace, id: &str) -> Option<&'w str> {
    let site = workspace.definitions(Namespace::Actor, id).into_iter().next()?;
    match site.defined {
        crate::workspace::Defined::Block(def) => Some(def.title.of(&site.document.text)),
        crate::workspace::Defined::Claim(_) => None,
    }
}

/// Scored forecasts' errors per author id (`None`: no `by:`).
type ByAuthor<'d> = FxHashMap<Option<&'d str>, Brier>;

/// One note's counts, and its scored forecasts' errors per author.
fn note<'d>(workspace: &Workspace, context: &RuleContext, document: &'d Document) -> (Counts, ByAuthor<'d>) {
    let text = &document.text;
    let mut counts = Counts::default();
    let mut authors: ByAuthor<'d> = FxHashMap::default();
    for claim in &document.parse.claims {
        let kind = claim.kind();
        counts.claims[kind_index(kind)] += 1;
        let refs = &document.parse.references[claim.refs.start as usize..claim.refs.end as usize];
        let mut cited = 0;
        let mut all_weak = true;
        for r in refs.iter().filter(|r| matches!(r.role(), Role::Citation { .. })) {
            cited += 1;
            let grade = context.grade(r.name(text)).flatten();
            all_weak &= grade.is_some_and(|g| g.is_weak());
            let column = grade.map_or(6, |g| usize::from(g.reliability - b'A'));
            counts.citations[column] += 1;
        }
        match kind {
            ClaimKind::Fact | ClaimKind::Quote => {
                counts.facts_and_quotes += 1;
                counts.sourced += u32::from(cited > 0);
                counts.weak_sourced += u32::from(kind == ClaimKind::Fact && cited > 0 && all_weak);
            }
            ClaimKind::Assessment => counts.assessments_without_confidence += u32::from(claim.confidence().is_none()),
            ClaimKind::Forecast => {
                counts.forecasts_without_estimate += u32::from(claim.estimate().is_none());
                counts.forecasts_due += u32::from(claim.due().is_some());
                match standing(claim, workspace.today) {
                    Some(Standing::Resolved(outcome)) => {
                        counts.forecasts_resolved += 1;
                        if let Some(estimate) = claim.estimate() {
                            let happened = if outcome == Outcome::True { 1.0 } else { 0.0 };
                            let error = (estimate.value.probability() - happened).powi(2);
                            let scored = Brier { sum: error, forecasts: 1 };
                            counts.brier.add(scored);
                            let author = claim.speaker().map(|s| s.without_sigil().of(text));
                            authors.entry(author).or_default().add(scored);
                        }
                    }
                    Some(Standing::Overdue(_)) => counts.forecasts_overdue += 1,
                    _ => {}
                }
            }
        }
    }
    (counts, authors)
}
