//! Helpers for the unit tests.

/// `count` texts, each of fewer than `most` pieces drawn from `pieces` by a
/// xorshift generator started at `seed`: random enough to reach the odd
/// corners of a byte loop, and the same texts on every run.
pub fn random_texts<'a>(
    pieces: &'a [&'a str],
    count: usize,
    most: usize,
    seed: u64,
) -> impl Iterator<Item = String> + 'a {
    let mut state = seed;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    (0..count).map(move |_| {
        let length = next(most);
        (0..length).map(|_| pieces[next(pieces.len())]).collect()
    })
}
