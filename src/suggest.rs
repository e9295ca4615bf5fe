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
/// to missing ones would otherwise cost 400 million comparisons.
pub struct NearestInLength<'a> {
    /// Candidates of at most [`Self::LONGEST`] characters, with their
    /// lengths in characters, shortest first.
    by_length: Vec<(usize, &'a str)>,
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
        let mut by_length: Vec<(usize, &str)> = candidates
            .into_iter()
            .map(|candidate| (candidate.chars().count(), candidate))
            .filter(|&(length, _)| length <= Self::LONGEST)
            .collect();
        by_length.sort_unstable();
        by_length.dedup();
        NearestInLength {
            by_length,
            #[cfg(test)]
            compared: 0,
        }
    }

    /// Up to `count` candidates closest to `input` by edit distance, with
    /// their distances, closest first, among the [`Self::MOST_COMPARED`]
    /// nearest to it in length.
    pub fn closest(&mut self, input: &str, count: usize) -> Vec<(usize, &'a str)> {
        let length = input.chars().count();
        if length > Self::LONGEST {
            return Vec::new();
        }
        // Among candidates of its length, start beside where the input
        // would sort: a typo often keeps the start of the word.
        let mut below = self
            .by_length
            .partition_point(|&(l, candidate)| (l, candidate) < (length, input));
        let mut above = below;
        let mut found = Vec::new();
        while found.len() < Self::MOST_COMPARED {
            let shorter = below.checked_sub(1).map(|at| self.by_length[at]);
            let longer = self.by_length.get(above).copied();
            let (_, candidate) = match (shorter, longer) {
                (Some(s), Some(l)) if length - s.0 <= l.0 - length => {
                    below -= 1;
                    s
                }
                (_, Some(l)) => {
                    above += 1;
                    l
                }
                (Some(s), None) => {
                    below -= 1;
                    s
                }
                (None, None) => break,
            };
            found.push((edit_distance(input, candidate), candidate));
        }
        #[cfg(test)]
        {
            self.compared += found.len();
        }
        found.sort_unstable();
        found.truncate(count);
        found
    }
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
