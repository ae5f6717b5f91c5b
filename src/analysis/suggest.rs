//! "Did you mean": the defined id closest to an unknown one.

/// Above this many ids a namespace is not scanned whole for every unknown id
/// (100,000 claim ids would make each suggestion cost milliseconds); only
/// ids one edit away are looked up, which catches the common typo.
const SCAN_LIMIT: usize = 5_000;

/// The defined id nearest to `unknown`, if one is near, among the `count`
/// ids of its namespace: `names` lists them, `is_defined` tells one.
pub fn suggestion<'a>(
    unknown: &str,
    count: usize,
    names: impl Iterator<Item = &'a str>,
    is_defined: impl Fn(&str) -> bool,
) -> Option<String> {
    if count <= SCAN_LIMIT {
        return closest(unknown, names).map(str::to_string);
    }
    let mut best: Option<String> = None;
    one_edit_away(unknown, |candidate| {
        if best.as_deref().is_none_or(|b| candidate < b) && is_defined(candidate) {
            best = Some(candidate.to_string());
        }
    });
    best
}

/// Visits every string one deletion, substitution, insertion or
/// transposition away, over the characters an id can hold, built in one
/// buffer (an unknown claim id has over a thousand of them).
fn one_edit_away(s: &str, mut visit: impl FnMut(&str)) {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";
    let b = s.as_bytes();
    let mut buffer = Vec::with_capacity(b.len() + 1);
    let mut try_parts = |parts: [&[u8]; 3]| {
        buffer.clear();
        parts.iter().for_each(|part| buffer.extend_from_slice(part));
        if let Ok(candidate) = std::str::from_utf8(&buffer) {
            visit(candidate);
        }
    };
    for i in 0..=b.len() {
        for c in ALPHABET.chunks(1) {
            try_parts([&b[..i], c, &b[i..]]);
            if i < b.len() && b[i] != c[0] {
                try_parts([&b[..i], c, &b[i + 1..]]);
            }
        }
        if i < b.len() {
            try_parts([&b[..i], &b[i + 1..], &[]]);
        }
        if i + 1 < b.len() && b[i] != b[i + 1] {
            try_parts([&b[..i], &[b[i + 1], b[i]], &b[i + 2..]]);
        }
    }
}

/// The closest candidate within a small edit distance (about one edit per
/// three characters), ties broken alphabetically so answers are stable.
pub fn closest<'a>(unknown: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.len() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut row = Vec::new();
    for candidate in candidates {
        let bound = best.map_or(limit, |(d, _)| d);
        if candidate.len().abs_diff(unknown.len()) > bound {
            continue;
        }
        let Some(distance) = bounded_distance(unknown.as_bytes(), candidate.as_bytes(), bound, &mut row) else {
            continue;
        };
        if distance > 0 && best.is_none_or(|(d, name)| (distance, candidate) < (d, name)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance over bytes (ids are ASCII), or `None` as soon as it
/// must exceed `bound`: most candidates are rejected after a few bytes, which
/// keeps a workspace with 100,000 claim ids fast.
fn bounded_distance(a: &[u8], b: &[u8], bound: usize, row: &mut Vec<usize>) -> Option<usize> {
    // A shared prefix or suffix leaves the distance unchanged, and ids often
    // share one (`actor-17` / `actor-5123`): only the middles are compared.
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[..a.len() - suffix], &b[..b.len() - suffix]);
    row.clear();
    row.extend(0..=b.len());
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut row_min = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
            row_min = row_min.min(row[j + 1]);
        }
        if row_min > bound {
            return None;
        }
    }
    let distance = row[b.len()];
    (distance <= bound).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::{SCAN_LIMIT, bounded_distance, closest, one_edit_away, suggestion};

    #[test]
    fn suggests_only_near_ids() {
        let names = ["putin", "china", "russia", "xi-jinping"];
        assert_eq!(closest("puttin", names.iter().copied()), Some("putin"));
        assert_eq!(closest("rusia", names.iter().copied()), Some("russia"));
        assert_eq!(closest("xi-jinpin", names.iter().copied()), Some("xi-jinping"));
        assert_eq!(closest("obama", names.iter().copied()), None);
        assert_eq!(closest("x", names.iter().copied()), None);
    }

    #[test]
    fn above_the_scan_limit_only_ids_one_edit_away_are_looked_up() {
        let ids: std::collections::BTreeSet<String> = (0..SCAN_LIMIT + 1).map(|i| format!("id-{i}")).collect();
        let is_defined = |c: &str| ids.contains(c);
        // The list of ids is not read at all: a scan would panic here.
        let unread = || std::iter::from_fn(|| -> Option<&str> { panic!("the ids were scanned") });
        // `id-12` (a deletion) and `id-120` (a substitution) are both one
        // edit away: the first in alphabetical order wins.
        assert_eq!(suggestion("id-12x", ids.len(), unread(), is_defined).as_deref(), Some("id-12"));
        assert_eq!(suggestion("di-7", ids.len(), unread(), is_defined).as_deref(), Some("id-7"));
        assert_eq!(suggestion("zz-1", ids.len(), unread(), is_defined), None);
        // At the limit, the list is scanned (and may find ids further away).
        let few = ["putin", "xi-jinping"];
        assert_eq!(suggestion("puttin", SCAN_LIMIT, few.into_iter(), |_| false).as_deref(), Some("putin"));
    }

    #[test]
    fn bounded_distance_is_levenshtein_within_the_bound() {
        let mut row = Vec::new();
        assert_eq!(bounded_distance(b"kitten", b"sitting", 3, &mut row), Some(3));
        assert_eq!(bounded_distance(b"kitten", b"sitting", 2, &mut row), None);
        assert_eq!(bounded_distance(b"", b"ab", 2, &mut row), Some(2));
        assert_eq!(bounded_distance(b"same", b"same", 0, &mut row), Some(0));
    }

    #[test]
    fn one_edit_away_covers_every_kind_of_typo() {
        let mut variants = Vec::new();
        one_edit_away("putin", |v| variants.push(v.to_string()));
        for typo in ["putn", "puttin", "pjtin", "uptin", "putin-"] {
            assert!(variants.contains(&typo.to_string()), "{typo}");
        }
        assert!(!variants.contains(&"putin".to_string()));
    }
}
