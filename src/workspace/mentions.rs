//! The reverse index's entry for one id: which documents mention it, how
//! many times, and in how many claims — or, for a workspace that only runs
//! the rules, just how many documents mention it.

use super::DocId;

/// How much of the reverse index (who mentions each id) a workspace keeps.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Usage {
    /// Which documents mention each id, how often and in how many claims:
    /// what references, rename and hover cards read. The language server's.
    #[default]
    Full,
    /// Only whether each actor and source is mentioned, which is all the
    /// rules read (`unused-definition`; claims are exempt from it).
    /// `dossier check` keeps this: the per-document lists were a tenth of
    /// its memory and half of its indexing time.
    Presence,
    /// Nothing of who mentions what: only the definitions. `dossier
    /// export` keeps this, as it prints what the notes say and never
    /// whether an id is used.
    Definitions,
}

/// How many documents mention an id ([`Usage::Presence`]).
#[derive(Clone, Copy, Debug)]
pub struct Presence {
    docs: u32,
    /// The document counted last, with [`UNCOUNTED`] set once it has been
    /// taken off again: one pass over a document's references counts each
    /// id once, without first collecting the document's distinct ids.
    last: u32,
}

const UNCOUNTED: u32 = 1 << 31;

impl Presence {
    pub fn first(doc: DocId) -> Presence {
        Presence { docs: 1, last: doc.0 }
    }

    /// Counts `doc`, unless the pass over it already did.
    pub fn count(&mut self, doc: DocId) {
        if self.last != doc.0 {
            self.docs += 1;
            self.last = doc.0;
        }
    }

    /// Takes `doc` off, unless the pass taking it out already did; how many
    /// documents still mention the id. Every document counted here is
    /// taken off before its slot counts again.
    pub fn uncount(&mut self, doc: DocId) -> u32 {
        let mark = doc.0 | UNCOUNTED;
        if self.last != mark {
            self.docs -= 1;
            self.last = mark;
        }
        self.docs
    }
}

/// What one document says about one id.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Tally {
    pub mentions: u32,
    /// Distinct claims of the document that involve the id (for a source:
    /// that cite it), which hover cards and code lens count. For a claim id,
    /// which only `supports:` and `contradicts:` name and which nothing
    /// counts claims of, how many of the mentions are `contradicts:`: the
    /// code lens's two counts, without a walk over the mentions.
    pub claims: u32,
}

/// The documents mentioning one id, sorted by document: a flat vector
/// (12 bytes a document) rather than a map, since most ids are mentioned by a
/// handful of documents and even the main actors' thousands are found by a
/// binary search; a workspace loads in document order, which only appends.
#[derive(Clone, Debug, Default)]
pub struct Mentions(Vec<(DocId, Tally)>);

impl Mentions {
    pub fn one(doc: DocId, count: Tally) -> Mentions {
        Mentions(vec![(doc, count)])
    }

    /// Records what `doc` says about the id (replacing what it said before).
    pub fn set(&mut self, doc: DocId, count: Tally) {
        if self.0.last().is_none_or(|&(last, _)| last < doc) {
            self.0.push((doc, count));
            return;
        }
        match self.0.binary_search_by_key(&doc, |&(d, _)| d) {
            Ok(at) => self.0[at].1 = count,
            Err(at) => self.0.insert(at, (doc, count)),
        }
    }

    pub fn remove(&mut self, doc: DocId) {
        if let Ok(at) = self.0.binary_search_by_key(&doc, |&(d, _)| d) {
            self.0.remove(at);
        }
    }

    /// Gives back the growth slack (a bulk load grows each list by pushes).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn docs(&self) -> impl Iterator<Item = DocId> + '_ {
        self.0.iter().map(|&(d, _)| d)
    }

    /// Whether some document has a claim involving the id (for a source:
    /// citing it).
    pub fn any_claim(&self) -> bool {
        self.0.iter().any(|(_, t)| t.claims > 0)
    }

    /// The sums over every document.
    pub fn total(&self) -> Tally {
        self.0.iter().fold(Tally::default(), |sum, (_, t)| Tally {
            mentions: sum.mentions.saturating_add(t.mentions),
            claims: sum.claims.saturating_add(t.claims),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_documents_sorted_and_counts_whatever_the_order_of_updates() {
        let tally = |mentions, claims| Tally { mentions, claims };
        let mut m = Mentions::one(DocId(20), tally(2, 1));
        // Out of order, with a replacement: as the server updates documents.
        for i in (0..40).rev().chain(10..15) {
            m.set(DocId(i), tally(1, i % 2));
        }
        m.set(DocId(20), tally(5, 3));
        assert!(m.docs().is_sorted());
        assert_eq!(m.docs().count(), 40);
        assert_eq!(m.total(), tally(5 + 39, 3 + 20));
        for i in 0..40 {
            m.remove(DocId(i));
        }
        assert!(m.is_empty());
    }

    #[test]
    fn presence_counts_each_document_once_per_pass() {
        let (a, b) = (DocId(3), DocId(7));
        // `a` mentions the id twice, `b` once.
        let mut p = Presence::first(a);
        p.count(a);
        p.count(b);
        assert_eq!(p.docs, 2);
        // `a` is replaced: taken off (twice seen, once counted), then counted again.
        assert_eq!(p.uncount(a), 1);
        assert_eq!(p.uncount(a), 1);
        p.count(a);
        p.count(a);
        assert_eq!(p.docs, 2);
        assert_eq!(p.uncount(b), 1);
        assert_eq!(p.uncount(a), 0);
    }
}
