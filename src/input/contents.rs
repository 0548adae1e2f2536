//! The same content counted once: every plain file and archive member is identified by a BLAKE3
//! hash of all its bytes, and only the first place a content is met (in the order the inputs are
//! read: arguments in order, folders sorted, archive members in archive order) is read. Later
//! places are reported as duplicates of the first.
//!
//! Certificates, keys and configuration files are the exception: where one sits is part of
//! what it says (the CA file beside a certificate, a device's own `ims.conf`), so copies at two
//! places are both read; the same path given twice is still read once (`discover`).
//!
//! Top-level files are big and rarely duplicated, so one is hashed only when another top-level
//! file or an archive member has exactly its length (sizes are known before reading). Archive
//! members are always hashed: their bytes are in memory anyway and cost less to hash than to
//! decompress.
//!
//! Inputs are read in parallel, so a later input may claim a content before an earlier one does.
//! The earlier one then takes the claim over and the later input is *displaced*: the run reads it
//! again afterwards with the claims frozen (see `analyze`), which makes the result the
//! same whatever the timing.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

use crate::input::readers;
use crate::model::{ContentId, Duplicate, Format, Parsed, SeenBefore, Source, Status};

/// Order of a place: the top-level input, then the position inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    top: usize,
    seq: u64,
}

#[derive(Clone, Debug)]
struct Claim {
    key: Key,
    path: String,
}

/// A top-level file of the run, hashed on demand.
#[derive(Debug)]
struct Top {
    path: PathBuf,
    display: String,
    len: u64,
    id: OnceLock<Option<ContentId>>,
    /// Reading it has begun: a claim it loses from now on means reading it again.
    started: AtomicBool,
}

/// What to do with a source.
pub enum Verdict {
    Read,
    Duplicate(Duplicate),
}

impl SeenBefore for Contents {
    fn duplicate(&self, src: &Source<'_>, format: Format) -> Option<Duplicate> {
        match self.judge(src, format) {
            Verdict::Read => None,
            Verdict::Duplicate(dup) => Some(dup),
        }
    }
}

/// The claims of one run.
#[derive(Debug, Default)]
pub struct Contents {
    tops: Vec<Option<Top>>,
    by_len: HashMap<u64, Vec<usize>>,
    claims: Mutex<HashMap<ContentId, Claim>>,
    displaced: Mutex<BTreeSet<usize>>,
    frozen: AtomicBool,
}

thread_local! {
    /// The top-level input being read on this thread and the next position inside it (a stack:
    /// a work-stealing thread may start another input while one waits).
    static CURSOR: RefCell<Vec<Key>> = const { RefCell::new(Vec::new()) };
}

/// Marks the top-level input read on this thread while it lives.
pub struct Reading(());

impl Drop for Reading {
    fn drop(&mut self) {
        CURSOR.with(|c| c.borrow_mut().pop());
    }
}

impl Contents {
    /// `files`: the top-level inputs in reading order; for a file its path, display path and
    /// length (`None` for a path that is not read as a file).
    pub fn new(files: Vec<Option<(PathBuf, String, u64)>>) -> Self {
        let mut by_len: HashMap<u64, Vec<usize>> = HashMap::new();
        let tops = files
            .into_iter()
            .enumerate()
            .map(|(i, file)| {
                file.map(|(path, display, len)| {
                    by_len.entry(len).or_default().push(i);
                    Top { path, display, len, id: OnceLock::new(), started: AtomicBool::new(false) }
                })
            })
            .collect();
        Contents { tops, by_len, ..Default::default() }
    }

    /// Start reading top-level input `top` on this thread.
    pub fn reading(&self, top: usize) -> Reading {
        if let Some(Some(t)) = self.tops.get(top) {
            t.started.store(true, Ordering::SeqCst);
        }
        CURSOR.with(|c| c.borrow_mut().push(Key { top, seq: 0 }));
        Reading(())
    }

    /// Decide whether `src` (of `format`) is read or is a duplicate of an earlier place.
    pub fn judge(&self, src: &Source<'_>, format: Format) -> Verdict {
        let Some(key) = CURSOR.with(|c| {
            c.borrow_mut().last_mut().map(|k| {
                let key = *k;
                k.seq += 1;
                key
            })
        }) else {
            return Verdict::Read;
        };
        let len = src.len_hint().unwrap_or(0);
        if len == 0 || bound_to_place(format) {
            return Verdict::Read;
        }
        let same_len = self.by_len.get(&len).map_or(&[][..], Vec::as_slice);
        let id = if src.depth == 0 {
            let Some(Some(top)) = self.tops.get(key.top) else { return Verdict::Read };
            if same_len.len() < 2 && top.id.get().is_none() {
                // Unique length among top-level files: a member of this length hashes it later.
                return Verdict::Read;
            }
            // The file is hashed from its bytes when they are in memory, else read from disk.
            let id = match src.bytes() {
                Some(bytes) => *top.id.get_or_init(|| Some(hash(bytes))),
                None => self.top_id(key.top),
            };
            match id {
                Some(id) => id,
                None => return Verdict::Read,
            }
        } else {
            // A member streamed out of its archive cannot be hashed before it is read.
            let Some(bytes) = src.bytes() else { return Verdict::Read };
            let id = hash(bytes);
            for &t in same_len {
                if let (Some(top_id), Some(Some(top))) = (self.top_id(t), self.tops.get(t)) {
                    self.claim(top_id, Key { top: t, seq: 0 }, &top.display);
                }
            }
            id
        };
        match self.claim(id, key, &src.path) {
            None => Verdict::Read,
            Some(of) => Verdict::Duplicate(Duplicate { path: src.path.clone(), of, id: Some(id) }),
        }
    }

    /// The hash of top-level file `t`, read from disk in chunks the first time it is needed
    /// (`None` when it cannot be read whole, or its length changed).
    fn top_id(&self, t: usize) -> Option<ContentId> {
        let top = self.tops.get(t)?.as_ref()?;
        *top.id.get_or_init(|| {
            let file = super::open::open_regular(&top.path).ok()?;
            let mut hasher = blake3::Hasher::new();
            let read = std::io::copy(&mut std::io::BufReader::with_capacity(256 << 10, file), &mut hasher).ok()?;
            (read == top.len).then(|| *hasher.finalize().as_bytes())
        })
    }

    /// Claim `id` for the place `key`; `Some(path)` of the earlier place when there is one.
    fn claim(&self, id: ContentId, key: Key, path: &str) -> Option<String> {
        let mut claims = self.claims.lock().unwrap_or_else(|e| e.into_inner());
        if self.frozen.load(Ordering::Acquire) {
            return match claims.get(&id) {
                Some(c) if c.key.top < key.top || (c.key.top == key.top && c.path != path) => Some(c.path.clone()),
                _ => None,
            };
        }
        match claims.get(&id) {
            Some(c) if c.key < key => Some(c.path.clone()),
            Some(c) if c.key == key => None,
            Some(c) => {
                // A top-level file hashed for a member before it was read needs no second read.
                let started = self
                    .tops
                    .get(c.key.top)
                    .is_none_or(|t| t.as_ref().is_none_or(|t| t.started.load(Ordering::SeqCst)));
                if c.key.top != key.top && started {
                    self.displaced.lock().unwrap_or_else(|e| e.into_inner()).insert(c.key.top);
                }
                claims.insert(id, Claim { key, path: path.to_string() });
                None
            }
            None => {
                claims.insert(id, Claim { key, path: path.to_string() });
                None
            }
        }
    }

    /// Stop taking new claims and return the top-level inputs that must be read again because an
    /// earlier input claimed a content they had read.
    pub fn freeze(&self) -> Vec<usize> {
        self.frozen.store(true, Ordering::Release);
        self.displaced.lock().unwrap_or_else(|e| e.into_inner()).iter().copied().collect()
    }

    /// The place finally read for `id` (a duplicate found early may name a claim taken over later).
    pub fn first_place(&self, id: &ContentId) -> Option<String> {
        self.claims.lock().unwrap_or_else(|e| e.into_inner()).get(id).map(|c| c.path.clone())
    }
}

/// After the run: point every duplicate at the place finally read, and give it that place's
/// format (a file reached twice by name was never opened the second time).
pub fn settle(parsed: &mut Parsed, contents: &Contents) {
    for d in &mut parsed.duplicates {
        if let Some(of) = d.id.as_ref().and_then(|id| contents.first_place(id)) {
            d.of = of;
        }
    }
    // The place read is the first line of its path (the same path may come again as a duplicate).
    let mut formats: HashMap<&str, (Format, u64)> = HashMap::new();
    for i in &parsed.inputs {
        formats.entry(i.path.as_str()).or_insert((i.format, i.bytes));
    }
    let mut fixed = Vec::new();
    for d in &parsed.duplicates {
        fixed.push((d.path.clone(), formats.get(d.of.as_str()).copied(), message(d)));
    }
    for (path, format, why) in fixed {
        if let Some(st) = parsed.inputs.iter_mut().find(|i| i.path == path && i.status == Status::Skipped) {
            if let Some((format, bytes)) = format {
                st.format = format;
                st.bytes = bytes;
            }
            st.message = Some(why);
        }
    }
}

/// The status message of a duplicate.
pub fn message(d: &Duplicate) -> String {
    match d.id {
        Some(_) => format!("same content as {}: counted once", d.of),
        None => format!("the same file as {}: counted once", d.of),
    }
}

/// Formats whose meaning depends on where the file sits (a CA file beside a certificate, a
/// device's own configuration; the registry says which): two copies at two places are two facts
/// and both are read.
fn bound_to_place(format: Format) -> bool {
    readers::of(format).is_some_and(|r| r.bound_to_place)
}

fn hash(data: &[u8]) -> ContentId {
    *blake3::hash(data).as_bytes()
}

#[cfg(test)]
mod tests;
