//! The dispatcher's view of the claims ([`SeenBefore`]): a source judged before it is read, and a
//! member streamed out of its archive claimed once its last byte has passed.

use std::sync::atomic::Ordering;

use super::{bound_to_place, Contents, Verdict, PENDING};
use crate::model::{ContentId, Duplicate, Format, SeenBefore, Source};

impl SeenBefore for Contents {
    fn duplicate(&self, src: &Source<'_>, format: Format) -> Option<Duplicate> {
        match self.judge(src, format) {
            Verdict::Read => None,
            Verdict::Duplicate(dup) => Some(dup),
        }
    }

    fn streamed(&self, path: &str, format: Format, len: u64, id: ContentId) -> Option<Duplicate> {
        // The place taken when the member was judged (members inside it were claimed before it).
        let key = PENDING.with(|p| {
            let mut p = p.borrow_mut();
            let i = p.iter().rposition(|(q, _)| q == path)?;
            let key = p[i].1;
            p.truncate(i);
            Some(key)
        })?;
        if len == 0 || bound_to_place(format) {
            return None;
        }
        let frozen = self.frozen.load(Ordering::Acquire);
        if !frozen {
            let mut known = self.streamed.lock().unwrap_or_else(|e| e.into_inner());
            let slot = known.entry((key.top, path.to_string())).or_insert(Some(id));
            if *slot != Some(id) {
                *slot = None;
            }
        }
        self.claim_tops_of_len(len);
        let of = self.claim(id, key, path)?;
        if frozen {
            // Read again and still a copy: only two members of one input at one path get here;
            // what it gave is kept rather than read a third time.
            return None;
        }
        // What the member gave is in the input's sink already: the input is read again.
        self.displaced.lock().unwrap_or_else(|e| e.into_inner()).insert(key.top);
        Some(Duplicate { path: path.to_string(), of, id: Some(id) })
    }
}
