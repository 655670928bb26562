//! Structured mutations of seed inputs, for the stable harness: byte flips,
//! insertions and deletions, lines repeated or dropped, and numbers, dates
//! and words replaced by values chosen to break readers (huge, negative,
//! fractional, out of range, far dates, long strings).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Values that have broken readers before, or would: spliced in place of a token.
const NASTY: &[&str] = &[
    "-1",
    "0",
    "1e308",
    "-1e308",
    "1e-30",
    "0.10000000000000001",
    "4294967356",
    "18446744073709551616",
    "NaN",
    ".inf",
    "9999-12-31",
    "0001-01-01",
    "2018-05",
    "2019-13",
    "2024-02-30",
    "1850-01",
    "2200-12",
    "true",
    "null",
    "~",
    "[]",
    "{}",
    "\"\"",
    "'a'",
    "&a",
    "*a",
    "!!binary",
    "<<",
    "2023-01..2022-12",
    "2023-01..2023-12",
    "99999999999999999999",
    "0.005",
    "100",
    "50",
    "-0",
    "1000000",
    "in_force: false",
    "unknown: true",
];

/// A seeded source of mutations.
pub struct Mutator {
    rng: ChaCha8Rng,
}

impl Mutator {
    /// A mutator from a seed (the same seed gives the same mutations).
    pub fn new(seed: u64) -> Mutator {
        Mutator { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// One to four mutations of `seed`.
    pub fn mutate(&mut self, seed: &[u8]) -> Vec<u8> {
        let mut bytes = seed.to_vec();
        for _ in 0..self.rng.random_range(1..=4) {
            bytes = self.once(bytes);
        }
        bytes
    }

    fn once(&mut self, mut bytes: Vec<u8>) -> Vec<u8> {
        let len = bytes.len();
        match self.rng.random_range(0..8) {
            0 if len > 0 => {
                let i = self.rng.random_range(0..len);
                bytes[i] ^= 1 << self.rng.random_range(0..8);
            }
            1 => {
                let i = self.rng.random_range(0..=len);
                let b: u8 = self.rng.random();
                bytes.insert(i, b);
            }
            2 if len > 0 => {
                let i = self.rng.random_range(0..len);
                let n = self.rng.random_range(1..=len.min(16) - i.min(len.min(16) - 1));
                bytes.drain(i..(i + n).min(len));
            }
            3 => return self.splice_token(bytes),
            4 => return self.splice_token(bytes),
            5 => return self.lines(bytes, true),
            6 => return self.lines(bytes, false),
            _ => {
                let i = self.rng.random_range(0..=len);
                let long = "x".repeat(self.rng.random_range(1..2_000));
                bytes.splice(i..i, long.into_bytes());
            }
        }
        bytes
    }

    /// Replaces a run of digits, letters or date characters with a nasty value.
    fn splice_token(&mut self, mut bytes: Vec<u8>) -> Vec<u8> {
        let tokens: Vec<(usize, usize)> = {
            let mut out = Vec::new();
            let mut start = None;
            for (i, b) in bytes.iter().enumerate() {
                let word = b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
                match (word, start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        out.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                out.push((s, bytes.len()));
            }
            out
        };
        if tokens.is_empty() {
            return bytes;
        }
        let (s, e) = tokens[self.rng.random_range(0..tokens.len())];
        let value = NASTY[self.rng.random_range(0..NASTY.len())];
        bytes.splice(s..e, value.bytes());
        bytes
    }

    /// Repeats or drops a line.
    fn lines(&mut self, bytes: Vec<u8>, repeat: bool) -> Vec<u8> {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut lines: Vec<&str> = text.split('\n').collect();
        if lines.is_empty() {
            return bytes;
        }
        let i = self.rng.random_range(0..lines.len());
        if repeat {
            lines.insert(i, lines[i]);
        } else {
            lines.remove(i);
        }
        lines.join("\n").into_bytes()
    }
}
