//! The reverse index's entry for one id: which documents mention it, how
//! many times, and in how many claims.

use rustc_hash::FxHashMap;

use super::DocId;

/// What one document says about one id.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Tally {
    pub mentions: u32,
    /// Distinct claims of the document that involve the id (for a source:
    /// that cite it), which hover cards count.
    pub claims: u32,
}

/// Most ids are mentioned by a handful of documents, a few (the main actors)
/// by thousands: a short vector for the first, a map past that, so that
/// replacing one document costs the same either way.
#[derive(Clone, Debug)]
pub enum Mentions {
    Few(Vec<(DocId, Tally)>),
    Many(FxHashMap<DocId, Tally>),
}

const FEW: usize = 16;

impl Mentions {
    pub fn one(doc: DocId, count: Tally) -> Mentions {
        Mentions::Few(vec![(doc, count)])
    }

    /// Records what `doc` says about the id (replacing what it said before).
    pub fn set(&mut self, doc: DocId, count: Tally) {
        match self {
            Mentions::Few(docs) => match docs.iter().position(|(d, _)| *d == doc) {
                Some(at) => docs[at].1 = count,
                None if docs.len() < FEW => docs.push((doc, count)),
                None => {
                    let mut map: FxHashMap<DocId, Tally> = docs.drain(..).collect();
                    map.insert(doc, count);
                    *self = Mentions::Many(map);
                }
            },
            Mentions::Many(map) => {
                map.insert(doc, count);
            }
        }
    }

    pub fn remove(&mut self, doc: DocId) {
        match self {
            Mentions::Few(docs) => docs.retain(|(d, _)| *d != doc),
            Mentions::Many(map) => {
                map.remove(&doc);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Mentions::Few(docs) => docs.is_empty(),
            Mentions::Many(map) => map.is_empty(),
        }
    }

    pub fn docs(&self) -> Box<dyn Iterator<Item = DocId> + '_> {
        match self {
            Mentions::Few(docs) => Box::new(docs.iter().map(|(d, _)| *d)),
            Mentions::Many(map) => Box::new(map.keys().copied()),
        }
    }

    /// The sums over every document.
    pub fn total(&self) -> Tally {
        let add = |sum: Tally, t: &Tally| Tally {
            mentions: sum.mentions.saturating_add(t.mentions),
            claims: sum.claims.saturating_add(t.claims),
        };
        match self {
            Mentions::Few(docs) => docs.iter().map(|(_, t)| t).fold(Tally::default(), add),
            Mentions::Many(map) => map.values().fold(Tally::default(), add),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_from_a_vector_into_a_map_and_keeps_counts() {
        let tally = |mentions, claims| Tally { mentions, claims };
        let mut m = Mentions::one(DocId(0), tally(2, 1));
        for i in 1..40 {
            m.set(DocId(i), tally(1, i % 2));
        }
        assert!(matches!(m, Mentions::Many(_)));
        m.set(DocId(0), tally(5, 3));
        assert_eq!(m.total(), tally(5 + 39, 3 + 20));
        for i in 0..40 {
            m.remove(DocId(i));
        }
        assert!(m.is_empty());
    }
}
