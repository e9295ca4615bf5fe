//! Eight ASCII bytes at a time: tests on the bytes of a `u64` that answer
//! for all eight at once, for the loops that read every byte of every page
//! (search words, word counts). Each answer is the high bit (0x80) of each
//! byte it holds for.

/// Each byte's high bit, and each byte's low bit, of a `u64`.
pub const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
pub const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// How many ASCII letters and digits `bytes` starts with, found eight
/// bytes at a time: most bytes the search words' scan reads, it reads
/// here.
pub fn alnum_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    while let Some(eight) = eight_at(bytes, run) {
        // The first byte is the lowest, so the first byte that is no
        // letter or digit is the lowest bit set.
        let other = !alnum_bytes(eight) & HIGH_BITS;
        if other != 0 {
            return run + other.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + bytes[run..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(bytes.len() - run)
}

/// How many bytes `bytes` starts with that a JSON string holds as they
/// are (no `"`, `\\`, control character, nor `<`, which the search files
/// write as `\u003c`), found eight bytes at a time: a page's text is
/// mostly such runs.
pub fn json_plain_run(bytes: &[u8]) -> usize {
    let mut run = 0;
    while let Some(eight) = eight_at(bytes, run) {
        let ascii = !eight & HIGH_BITS;
        let low = eight & !HIGH_BITS;
        let special = (bytes_between(low, 0, 0x1F)
            | bytes_between(low, b'"', b'"')
            | bytes_between(low, b'\\', b'\\')
            | bytes_between(low, b'<', b'<'))
            & ascii;
        if special != 0 {
            return run + special.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + bytes[run..]
        .iter()
        .position(|&b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<'))
        .unwrap_or(bytes.len() - run)
}

/// The high bit of each byte of `x` that is an ASCII letter or digit.
pub fn alnum_bytes(x: u64) -> u64 {
    let ascii = !x & HIGH_BITS;
    let low = x & !HIGH_BITS;
    // Setting 0x20 maps A-Z onto a-z, and nothing else onto a-z.
    let letter = bytes_between(low | (LOW_BITS * 0x20), b'a', b'z');
    let digit = bytes_between(low, b'0', b'9');
    (letter | digit) & ascii
}

/// The high bit of each byte of `x` (all below 0x80) that lies in
/// `lo..=hi`: adding 0x80 - lo sets it from `lo` up, adding 0x7F - hi from
/// past `hi` up, and neither sum carries into the next byte.
pub fn bytes_between(x: u64, lo: u8, hi: u8) -> u64 {
    let from_lo = x + LOW_BITS * u64::from(0x80 - lo);
    let past_hi = x + LOW_BITS * u64::from(0x7F - hi);
    from_lo & !past_hi & HIGH_BITS
}

/// The high bit of each byte of `x` that is ASCII white space as
/// `char::is_whitespace` has it: tab, line feed, vertical tab, form feed,
/// carriage return and space.
pub fn whitespace_bytes(x: u64) -> u64 {
    let ascii = !x & HIGH_BITS;
    let low = x & !HIGH_BITS;
    (bytes_between(low, 0x09, 0x0D) | bytes_between(low, b' ', b' ')) & ascii
}

/// The eight bytes at `at`, the first one lowest, if there are eight.
pub fn eight_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at + 8)?;
    let mut chunk = [0u8; 8];
    chunk.copy_from_slice(eight);
    Some(u64::from_le_bytes(chunk))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_plain_runs_end_at_the_first_byte_to_escape() {
        let scalar = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|&b| b < 0x20 || matches!(b, b'"' | b'\\' | b'<'))
                .unwrap_or(bytes.len())
        };
        for text in [
            "",
            "plain",
            "twelve bytes and then a quote\"",
            "café – déjà vu, then\na line",
            "0123456789abcdef<",
            "tab\tand \\ back",
            "\u{1f}",
            "no escape at all in these thirty-two",
        ] {
            for start in 0..text.len() {
                let bytes = &text.as_bytes()[start..];
                assert_eq!(
                    json_plain_run(bytes),
                    scalar(bytes),
                    "{text:?} from {start}"
                );
            }
        }
    }

    #[test]
    fn alnum_runs_end_at_the_first_byte_that_is_no_ascii_letter_or_digit() {
        let scalar = |bytes: &[u8]| {
            bytes
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(bytes.len())
        };
        // Every byte value at every place of a run longer than two chunks,
        // after letters and digits of both cases.
        let run = b"aZ09zA9bYmM0q7Qx1Lk8";
        for byte in 0..=255u8 {
            for at in 0..=run.len() {
                let mut bytes = run.to_vec();
                bytes.insert(at, byte);
                for from in 0..bytes.len() {
                    assert_eq!(
                        alnum_run(&bytes[from..]),
                        scalar(&bytes[from..]),
                        "byte {byte:#04x} at {at}, from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn whitespace_bytes_are_the_ascii_white_space_of_char_is_whitespace() {
        for byte in 0..=255u8 {
            let expected = byte.is_ascii() && char::from(byte).is_whitespace();
            for at in 0..8 {
                let mut chunk = [b'x'; 8];
                chunk[at] = byte;
                let found = whitespace_bytes(u64::from_le_bytes(chunk));
                assert_eq!(
                    found,
                    u64::from(expected) << (8 * at + 7),
                    "{byte:#04x} at {at}"
                );
            }
        }
    }
}
