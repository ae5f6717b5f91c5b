//! Actor names and aliases written untagged in prose (`untagged-mention`).

use aho_corasick::{AhoCorasick, MatchKind};

use crate::syntax::Namespace;
use crate::text::TextRange;
use crate::workspace::Workspace;

/// Prose (in bytes) from which a note's search is split across two cores.
const PARALLEL_PROSE: usize = 64 * 1024;

/// Every defined actor's display name and aliases, searchable at once.
pub struct ActorNames {
    matcher: Option<AhoCorasick>,
    /// Per pattern: (the name, the actor id it names).
    names: Vec<(String, String)>,
    /// Every (name, actor) pair, sorted, the names two actors share kept
    /// for each: what "Tag as" offers.
    every: Vec<(String, String)>,
}

/// An actor's name found untagged.
pub struct UntaggedName<'a> {
    pub range: TextRange,
    pub name: &'a str,
    pub actor: &'a str,
}

impl ActorNames {
    pub fn new(workspace: &Workspace) -> ActorNames {
        let mut names: Vec<(String, String)> = Vec::new();
        for actor in workspace.defined_names(Namespace::Actor) {
            // The first definition names the actor; duplicates are errors of their own.
            let Some(site) = workspace.definitions(Namespace::Actor, actor).into_iter().next() else {
                continue;
            };
            let crate::workspace::Defined::Block(def) = site.defined else {
                continue;
            };
            let text = &site.document.text;
            let title = def.title.of(text);
            let aliases = def.field(text, "aliases").unwrap_or("");
            for name in std::iter::once(title).chain(aliases.split(',')).map(str::trim) {
                if !name.is_empty() {
                    names.push((name.to_string(), actor.to_string()));
                }
            }
        }
        // Stable: the same name for two actors goes to the first by id.
        names.sort();
        names.dedup();
        let every = names.clone();
        names.dedup_by(|a, b| a.0 == b.0);
        let matcher = (!names.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                // A DFA: a few MB for hundreds of actors' names, and the
                // search of every keystroke's note about a third faster.
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(names.iter().map(|(n, _)| n))
                .expect("plain string patterns always build")
        });
        ActorNames { matcher, names, every }
    }

    /// Every actor a name or alias names, by id.
    pub fn actors_named(&self, name: &str) -> impl Iterator<Item = &str> {
        let start = self.every.partition_point(|(n, _)| n.as_str() < name);
        self.every[start..].iter().take_while(move |(n, _)| n == name).map(|(_, actor)| actor.as_str())
    }

    /// The actor a name or alias names (the first by id when two share it).
    pub fn actor_of(&self, name: &str) -> Option<&str> {
        let at = self.names.binary_search_by(|(n, _)| n.as_str().cmp(name)).ok()?;
        Some(&self.names[at].1)
    }

    /// Whole-word, case-sensitive occurrences in `ranges` of `text`; where
    /// names overlap, the leftmost, then longest, wins.
    pub fn find<'a>(&'a self, text: &str, ranges: &[TextRange]) -> Vec<UntaggedName<'a>> {
        if self.matcher.is_none() {
            return Vec::new();
        }
        // A big note (the one being typed in, often) is searched on every
        // core; the ranges are independent and come back in order.
        let prose: usize = ranges.iter().map(|r| r.len()).sum();
        if prose >= PARALLEL_PROSE {
            let half = ranges.len().div_ceil(2);
            let (first, second) =
                rayon::join(|| self.find_in(text, &ranges[..half]), || self.find_in(text, &ranges[half..]));
            let mut found = first;
            found.extend(second);
            return found;
        }
        self.find_in(text, ranges)
    }

    fn find_in<'a>(&'a self, text: &str, ranges: &[TextRange]) -> Vec<UntaggedName<'a>> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for &range in ranges {
            let hay = range.of(text);
            let mut hits: Vec<(usize, usize, usize)> = matcher
                .find_overlapping_iter(hay)
                .filter(|m| is_word_boundary(hay, m.start()) && is_word_boundary(hay, m.end()))
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            let mut covered = 0;
            for (start, end, pattern) in hits {
                if start < covered {
                    continue;
                }
                covered = end;
                let (name, actor) = &self.names[pattern];
                let at = range.start as usize;
                found.push(UntaggedName { range: TextRange::new(at + start, at + end), name, actor });
            }
        }
        found
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `at` is not inside a word: the characters on both sides are not both word characters.
fn is_word_boundary(hay: &str, at: usize) -> bool {
    let before = hay[..at].chars().next_back().is_some_and(is_word_char);
    let after = hay[at..].chars().next().is_some_and(is_word_char);
    // The match itself starts or ends with a word character at `at`; a
    // boundary needs the outside neighbour to be a non-word character.
    !(before && after)
}
