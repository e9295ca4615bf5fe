//! "Did you mean …?" suggestions for misspelt keys and refs.

/// The candidate closest to `input` by edit distance, if it is close enough
/// to be a plausible typo (a third of the input's length, rounded up).
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = input.chars().count().div_ceil(3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(input, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Like [`did_you_mean`] for paths such as refs: the allowed distance comes
/// from the last segment, so sharing a folder is not enough to be "close".
pub fn did_you_mean_path<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let stem = input.rsplit('/').next().unwrap_or(input);
    let limit = stem.chars().count().div_ceil(3).max(1);
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
    fn path_suggestions_need_a_close_file_name() {
        let refs = ["exercises/x", "exercises/three-tries"];
        assert_eq!(did_you_mean_path("exercises/nope", refs), None);
        assert_eq!(
            did_you_mean_path("exercises/thre-tries", refs),
            Some("exercises/three-tries")
        );
    }
}
