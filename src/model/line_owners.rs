//! The same log lines read from two places counted once: a case folder grows with a second
//! bundle of the same device a day later (its log holds the first day's lines again), a rotated
//! copy that overlaps the live log, or lines pasted into a case note. An attempt whose every
//! line (its time and text, host included) was also read elsewhere as part of an attempt at
//! least as full is a copy, and only that fuller one counts.
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
    /// (line hash, owner), sorted by hash: the lines of several inputs only.
    shared: Vec<(u64, u32)>,
    /// Input path → its place in the run's order.
    place: HashMap<String, u32>,
    paths: Vec<String>,
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
        // (hash, lines of the attempt holding it, negated for "fullest first", input).
        let mut all: Vec<(u64, u32, u32)> = Vec::with_capacity(inputs.iter().map(|i| i.keys.len()).sum());
        for (n, input) in inputs.iter().enumerate() {
            for attempt in input.attempts() {
                let fuller_first = u32::MAX - attempt.len() as u32;
                all.extend(attempt.iter().map(|&k| (k, fuller_first, n as u32)));
            }
        }
        all.sort_unstable();
        let mut owners = LineOwners::default();
        for group in all.chunk_by(|a, b| a.0 == b.0) {
            let first = group[0];
            if group.iter().any(|g| g.2 != first.2) {
                owners.shared.push((first.0, first.2));
            }
        }
        drop(all);
        for (n, input) in inputs.iter().enumerate() {
            owners.place.insert(input.path.clone(), n as u32);
            owners.paths.push(input.path.clone());
        }
        let any_copy = inputs.iter().any(|i| i.attempts().any(|a| owners.owner_of_copy(&i.path, a).is_some()));
        any_copy.then_some(owners)
    }

    /// The input whose reading counts an attempt of `path` made of lines `keys` instead, when it
    /// is a copy (none of its lines is owned by `path`).
    pub fn owner_of_copy(&self, path: &str, keys: &[u64]) -> Option<&str> {
        let me = *self.place.get(path)?;
        let mut first = None;
        for k in keys {
            // A line read at one place only is that place's: this one's.
            let at = self.shared.binary_search_by_key(k, |s| s.0).ok()?;
            let owner = self.shared[at].1;
            if owner == me {
                return None;
            }
            first.get_or_insert(owner);
        }
        first.and_then(|o| self.paths.get(o as usize)).map(String::as_str)
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
        let mut k = LineKeys { path: path.into(), ..LineKeys::default() };
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
    fn an_attempt_sharing_only_some_lines_is_its_own() {
        let log = input("log", &[&[1, 2, 3, 4]]);
        let other = input("other", &[&[3, 4, 5]]);
        assert!(LineOwners::of(&[log, other]).is_none());
    }
}
