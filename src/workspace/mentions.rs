//! The reverse index's entry for one id: which documents mention it, and
//! how many times.

use rustc_hash::FxHashMap;

use super::DocId;

/// Most ids are mentioned by a handful of documents, a few (the main actors)
/// by thousands: a short vector for the first, a map past that, so that
/// replacing one document costs the same either way.
#[derive(Clone, Debug)]
pub enum Mentions {
    Few(Vec<(DocId, u32)>),
    Many(FxHashMap<DocId, u32>),
}

const FEW: usize = 16;

impl Mentions {
    pub fn one(doc: DocId, count: u32) -> Mentions {
        Mentions::Few(vec![(doc, count)])
    }

    /// Records that `doc` mentions the id `count` times (replacing what it said before).
    pub fn set(&mut self, doc: DocId, count: u32) {
        match self {
            Mentions::Few(docs) => match docs.iter().position(|(d, _)| *d == doc) {
                Some(at) => docs[at].1 = count,
                None if docs.len() < FEW => docs.push((doc, count)),
                None => {
                    let mut map: FxHashMap<DocId, u32> = docs.drain(..).collect();
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

    pub fn total(&self) -> usize {
        match self {
            Mentions::Few(docs) => docs.iter().map(|(_, n)| *n as usize).sum(),
            Mentions::Many(map) => map.values().map(|&n| n as usize).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_from_a_vector_into_a_map_and_keeps_counts() {
        let mut m = Mentions::one(DocId(0), 2);
        for i in 1..40 {
            m.set(DocId(i), 1);
        }
        assert!(matches!(m, Mentions::Many(_)));
        m.set(DocId(0), 5);
        assert_eq!(m.total(), 5 + 39);
        for i in 0..40 {
            m.remove(DocId(i));
        }
        assert!(m.is_empty());
    }
}
