//! "Did you mean …?" suggestions for misspelt keys and refs.

/// The candidate closest to `input` by edit distance, if it is close enough
/// to be a plausible typo (a third of the input's length, rounded up).
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = typo_limit(input);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// The most edits a typo of `input` is taken to have: a third of its
/// length, rounded up.
pub fn typo_limit(input: &str) -> usize {
    input.chars().count().div_ceil(3).max(1)
}

/// Candidates sorted by length, so that an input is compared only with the
/// few nearest to it in length: a page of 40,000 headings and 10,000 links
/// to missing ones would otherwise cost 400 million comparisons. Among
/// those of one length, half the candidates compared sort beside the
/// input, half beside it read backwards: a typo at the start (`stpe-12`)
/// sorts far from what was meant (`step-12`), but not read backwards.
pub struct NearestInLength<'a> {
    /// Candidates of at most [`Self::LONGEST`] characters, with their
    /// lengths in characters, shortest first, then in order.
    forwards: Vec<(usize, std::borrow::Cow<'a, str>, &'a str)>,
    /// The same, ordered by their characters backwards (the key).
    backwards: Vec<(usize, std::borrow::Cow<'a, str>, &'a str)>,
    /// Candidates compared, for the tests that bound the work.
    #[cfg(test)]
    pub compared: usize,
}

impl<'a> NearestInLength<'a> {
    /// Inputs and candidates longer than this are not compared: each
    /// comparison costs the product of the two lengths.
    pub const LONGEST: usize = 80;
    /// How many candidates an input is compared with, at most.
    pub const MOST_COMPARED: usize = 16;

    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let mut forwards: Vec<(usize, std::borrow::Cow<str>, &str)> = candidates
            .into_iter()
            .map(|candidate| (candidate.chars().count(), candidate.into(), candidate))
            .filter(|&(length, _, _)| length <= Self::LONGEST)
            .collect();
        forwards.sort_unstable();
        forwards.dedup();
        let mut backwards: Vec<_> = forwards
            .iter()
            .map(|&(length, _, candidate)| (length, candidate.chars().rev().collect(), candidate))
            .collect();
        backwards.sort_unstable();
        NearestInLength {
            forwards,
            backwards,
            #[cfg(test)]
            compared: 0,
        }
    }

    /// Up to `count` candidates closest to `input` by edit distance, with
    /// their distances, closest first, among the [`Self::MOST_COMPARED`]
    /// nearest to it in length and order (forwards and backwards).
    pub fn closest(&mut self, input: &str, count: usize) -> Vec<(usize, &'a str)> {
        let length = input.chars().count();
        if length > Self::LONGEST {
            return Vec::new();
        }
        let half = Self::MOST_COMPARED / 2;
        let mut nearest = beside(&self.forwards, length, input, half);
        let backwards: String = input.chars().rev().collect();
        for candidate in beside(&self.backwards, length, &backwards, Self::MOST_COMPARED) {
            if nearest.len() == Self::MOST_COMPARED {
                break;
            }
            if !nearest.contains(&candidate) {
                nearest.push(candidate);
            }
        }
        let mut found: Vec<(usize, &str)> = nearest
            .into_iter()
            .map(|candidate| (edit_distance(input, candidate), candidate))
            .collect();
        #[cfg(test)]
        {
            self.compared += found.len();
        }
        found.sort_unstable();
        found.truncate(count);
        found
    }
}

/// Up to `count` candidates of `sorted` nearest to `key` (of `length`
/// characters): of its length first, starting where it would sort.
fn beside<'a>(
    sorted: &[(usize, std::borrow::Cow<'a, str>, &'a str)],
    length: usize,
    key: &str,
    count: usize,
) -> Vec<&'a str> {
    let mut below = sorted.partition_point(|(l, k, _)| (*l, k.as_ref()) < (length, key));
    let mut above = below;
    let mut nearest = Vec::with_capacity(count);
    // Equally near on both sides: one from each in turn.
    let mut below_first = true;
    while nearest.len() < count {
        let shorter = below.checked_sub(1).map(|at| &sorted[at]);
        let longer = sorted.get(above);
        let (_, _, candidate) = match (shorter, longer) {
            (Some(s), Some(l))
                if length - s.0 < l.0 - length || (length - s.0 == l.0 - length && below_first) =>
            {
                below_first = false;
                below -= 1;
                s
            }
            (_, Some(l)) => {
                below_first = true;
                above += 1;
                l
            }
            (Some(s), None) => {
                below -= 1;
                s
            }
            (None, None) => break,
        };
        nearest.push(*candidate);
    }
    nearest
}

/// Like [`did_you_mean`] for paths such as refs: the allowed distance comes
/// from the last segment, so sharing a folder is not enough to be "close".
pub fn did_you_mean_path<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = typo_limit(input.rsplit('/').next().unwrap_or(input));
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("titel", "title"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn suggests_only_close_candidates() {
        let keys = ["title", "summary", "tags"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("tag", keys), Some("tags"));
        assert_eq!(did_you_mean("colour", keys), None);
    }

    #[test]
    fn nearest_in_length_finds_what_did_you_mean_finds_among_few_candidates() {
        let keys = ["title", "summary", "tags", "tag", "titles"];
        for input in ["titel", "tag", "colour", "sumary", ""] {
            let mut nearest = NearestInLength::new(keys);
            let closest = nearest.closest(input, 1);
            let suggested = closest
                .first()
                .filter(|&&(distance, _)| distance <= typo_limit(input))
                .map(|&(_, candidate)| candidate);
            assert_eq!(suggested, did_you_mean(input, keys), "{input}");
        }
    }

    #[test]
    fn nearest_in_length_compares_a_bounded_number_of_candidates() {
        let ids: Vec<String> = (0..40_000).map(|n| format!("step-{n}")).collect();
        let mut nearest = NearestInLength::new(ids.iter().map(String::as_str));
        for n in 0..1000 {
            let closest = nearest.closest(&format!("stpe-{n}"), 3);
            assert_eq!(closest.len(), 3);
        }
        assert_eq!(nearest.compared, 1000 * NearestInLength::MOST_COMPARED);
        // A typo at the start is found by the id read backwards.
        assert_eq!(nearest.closest("stpe-12", 1), [(2, "step-12")]);
        assert!(nearest.closest(&"x".repeat(81), 3).is_empty());
    }

    #[test]
    fn path_suggestions_need_a_close_file_name() {
        let refs = ["exercises/x", "exercises/three-tries"];
        assert_eq!(did_you_mean_path("exercises/nope", refs), None);
        assert_eq!(
            did_you_mean_path("exercises/thre-tries", refs),
            Some("exercises/three-tries")
        );
    }
}
