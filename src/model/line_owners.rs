//! The same log lines read from two places counted once: a case folder grows with a second
//! bundle of the same device a day later (its log holds the first day's lines again), a rotated
//! copy that overlaps the live log, or lines pasted into a case note. An attempt of a log whose
//! lines (their times and texts, hosts included) are exactly those of an attempt read elsewhere
//! is a copy, and only the first read counts. An excerpt (a note, a mail) may quote an attempt
//! in part: an attempt of an excerpt whose every line was read elsewhere in a fuller attempt is
//! a quote of it, and only the fuller one counts. A log's attempt is never given up for a fuller
//! one elsewhere: a crafted file that adds a line to a device's real attempt cannot make that
//! attempt vanish in favour of its own.
//!
//! Reading hands on, per input, the keyed hashes of the lines of its timed attempts
//! ([`LineKeys`], a bounded number per run: `IngestContext::line_budget`); after the run's first
//! pass [`LineOwners::of`] gives each line read at two places its owner: the input whose attempt
//! holding it has the most lines, the first in the run's order among equals.
//! The inputs with an attempt owned entirely elsewhere are read again, and that time such
//! attempts are left out ([`LineOwners::owner_of_copy`]).

use std::collections::HashMap;

/// The hashes of the lines of one input's timed attempts, in the order read, with where each
/// attempt ends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineKeys {
    pub path: String,
    /// An excerpt, whose attempts may quote others in part.
    pub quotes: bool,
    pub keys: Vec<u64>,
    /// The end (exclusive, in `keys`) of each attempt.
    pub ends: Vec<u32>,
}

impl LineKeys {
    /// Most line hashes a run records (32 MB, and 64 MB while [`LineOwners::of`] sorts them);
    /// the attempts after them are counted as read, never left out.
    pub const RUN_BUDGET: u64 = 4 << 20;

    /// Record one attempt's line hashes.
    pub fn push(&mut self, keys: &[u64]) {
        self.keys.extend_from_slice(keys);
        self.ends.push(self.keys.len() as u32);
    }

    fn attempts(&self) -> impl Iterator<Item = &[u64]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(s, &e)| &self.keys[s as usize..e as usize])
    }
}

/// Who owns each line of a run that was read at two places or more: the input (by its place in
/// the run's order) whose attempt holding the line is the fullest. A line read at one place
/// only is its reader's own and is not kept.
#[derive(Debug, Default)]
pub struct LineOwners {
    /// The lines read at several places: (line hash, `u32::MAX` less the lines of the attempt
    /// holding it, input, attempt in the input), for every attempt holding it, sorted (a line's
    /// fullest holder first, then the first read).
    shared: Vec<(u64, u32, u32, u32)>,
    /// Input path → its place in the run's order.
    place: HashMap<String, u32>,
    paths: Vec<String>,
    /// By place: whether the input is an excerpt.
    quotes: Vec<bool>,
}

impl LineOwners {
    /// The owners of the lines of `inputs`, given in the run's order (first pass over every
    /// input); `None` when no attempt is a copy of another input's, nothing to read again.
    /// Sorted rather than hashed: 16 bytes a line for the time of the call, and what is kept is
    /// only the lines shared by two inputs or more.
    pub fn of(inputs: &[LineKeys]) -> Option<LineOwners> {
        if inputs.len() < 2 {
            return None;
        }
        let mut all: Vec<(u64, u32, u32, u32)> = Vec::with_capacity(inputs.iter().map(|i| i.keys.len()).sum());
        for (n, input) in inputs.iter().enumerate() {
            for (i, attempt) in input.attempts().enumerate() {
                let fuller_first = u32::MAX - attempt.len() as u32;
                all.extend(attempt.iter().map(|&k| (k, fuller_first, n as u32, i as u32)));
            }
        }
        all.sort_unstable();
        let mut owners = LineOwners::default();
        for group in all.chunk_by(|a, b| a.0 == b.0) {
            if group.iter().any(|g| g.2 != group[0].2) {
                owners.shared.extend_from_slice(group);
            }
        }
        drop(all);
        for (n, input) in inputs.iter().enumerate() {
            owners.place.insert(input.path.clone(), n as u32);
            owners.paths.push(input.path.clone());
            owners.quotes.push(input.quotes);
        }
        let any_copy = inputs.iter().any(|i| i.attempts().any(|a| owners.owner_of_copy(&i.path, a).is_some()));
        any_copy.then_some(owners)
    }

    /// The input whose reading counts an attempt of `path` made of lines `keys` instead, when it
    /// is a copy: none of its lines is owned by `path`, and for a log, all are owned by one
    /// attempt of the same lines (an excerpt's may be a part of fuller ones).
    pub fn owner_of_copy(&self, path: &str, keys: &[u64]) -> Option<&str> {
        let me = *self.place.get(path)?;
        let quotes = self.quotes.get(me as usize).copied().unwrap_or(false);
        let same_size = u32::MAX - keys.len() as u32;
        let mut owner: Option<(u32, u32)> = None;
        for &k in keys {
            // A line read at one place only is that place's: this one's.
            let holders = self.holders(k);
            // A quote gives way to the line's fullest holder; a log's attempt only to the first
            // read attempt of exactly its lines (all its lines in one attempt of its size).
            let (_, _, input, attempt) =
                if quotes { *holders.first()? } else { *holders.iter().find(|h| h.1 == same_size)? };
            if input == me || (!quotes && owner.is_some_and(|o| o != (input, attempt))) {
                return None;
            }
            owner.get_or_insert((input, attempt));
        }
        owner.and_then(|(input, _)| self.paths.get(input as usize)).map(String::as_str)
    }

    /// Every attempt holding the line `k`, fullest first, then in the order read; none for a line
    /// read at one place only.
    fn holders(&self, k: u64) -> &[(u64, u32, u32, u32)] {
        let start = self.shared.partition_point(|s| s.0 < k);
        let len = self.shared[start..].partition_point(|s| s.0 == k);
        &self.shared[start..start + len]
    }

    /// The inputs that hold a copy, of those given to [`LineOwners::of`].
    pub fn holders_of_copies<'a>(&self, inputs: &'a [LineKeys]) -> Vec<&'a str> {
        let copies = |i: &LineKeys| i.attempts().any(|a| self.owner_of_copy(&i.path, a).is_some());
        inputs.iter().filter(|i| copies(i)).map(|i| i.path.as_str()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, attempts: &[&[u64]]) -> LineKeys {
        let quotes = path.contains("note");
        let mut k = LineKeys { path: path.into(), quotes, ..LineKeys::default() };
        for a in attempts {
            k.push(a);
        }
        k
    }

    #[test]
    fn the_first_of_equal_copies_and_the_fullest_of_overlapping_ones_count() {
        let day1 = input("day1", &[&[1, 2, 3, 4], &[5, 6, 7, 8]]);
        let day2 = input("day2", &[&[1, 2, 3, 4], &[5, 6, 7, 8], &[9, 10, 11, 12]]);
        // A note holding three lines of the second attempt, read before the logs.
        let note = input("a-note", &[&[6, 7, 8]]);
        let all = [note.clone(), day1.clone(), day2.clone()];
        let owners = LineOwners::of(&all).expect("copies");
        assert_eq!(owners.owner_of_copy("a-note", &[6, 7, 8]), Some("day1"));
        assert_eq!(owners.owner_of_copy("day1", &[1, 2, 3, 4]), None);
        assert_eq!(owners.owner_of_copy("day2", &[1, 2, 3, 4]), Some("day1"));
        assert_eq!(owners.owner_of_copy("day2", &[9, 10, 11, 12]), None);
        assert_eq!(owners.holders_of_copies(&all), ["a-note", "day2"]);
        // Inputs that share nothing: nothing to read again.
        assert!(LineOwners::of(&[day1, input("other", &[&[20, 21]])]).is_none());
    }

    #[test]
    fn a_logs_attempt_is_never_given_up_for_a_fuller_one() {
        // A crafted log adds a line to a device's real attempt: both count.
        let real = input("real", &[&[1, 2, 3, 4]]);
        let crafted = input("crafted", &[&[1, 2, 3, 4, 5]]);
        assert!(LineOwners::of(&[real.clone(), crafted.clone()]).is_none());
        // Beside an exact copy of the real one, only that copy is given up.
        let copy = input("copy", &[&[1, 2, 3, 4]]);
        let owners = LineOwners::of(&[real, crafted, copy]).expect("a copy");
        assert_eq!(owners.owner_of_copy("real", &[1, 2, 3, 4]), None);
        assert_eq!(owners.owner_of_copy("crafted", &[1, 2, 3, 4, 5]), None);
        assert_eq!(owners.owner_of_copy("copy", &[1, 2, 3, 4]), Some("real"));
        // Its lines spread over two attempts of its size elsewhere: not a copy of either.
        let real = input("real", &[&[1, 2, 3, 4]]);
        let spread = input("spread", &[&[1, 2, 9, 10], &[3, 4, 11, 12]]);
        let owners = LineOwners::of(&[spread, real]);
        assert!(owners.is_none_or(|o| o.owner_of_copy("real", &[1, 2, 3, 4]).is_none()));
    }

    #[test]
    fn an_attempt_sharing_only_some_lines_is_its_own() {
        let log = input("log", &[&[1, 2, 3, 4]]);
        let other = input("other", &[&[3, 4, 5]]);
        assert!(LineOwners::of(&[log, other]).is_none());
    }
}
