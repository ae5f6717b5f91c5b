//! "Did you mean": the defined id closest to an unknown one.

/// The closest candidate within a small edit distance (about one edit per
/// three characters), ties broken alphabetically so answers are stable.
pub fn closest<'a>(unknown: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (unknown.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.len().abs_diff(unknown.len()) > limit {
            continue;
        }
        let distance = strsim::levenshtein(unknown, candidate);
        if distance > limit || distance == 0 {
            continue;
        }
        if best.is_none_or(|(d, name)| (distance, candidate) < (d, name)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_near_ids() {
        let names = ["putin", "china", "russia", "xi-jinping"];
        assert_eq!(closest("puttin", names.iter().copied()), Some("putin"));
        assert_eq!(closest("rusia", names.iter().copied()), Some("russia"));
        assert_eq!(closest("xi-jinpin", names.iter().copied()), Some("xi-jinping"));
        assert_eq!(closest("obama", names.iter().copied()), None);
        assert_eq!(closest("x", names.iter().copied()), None);
    }
}
