//! A captured packet as the capture readers hand it on, its time as stored, and why reading a
//! capture stopped.

use jiff::Timestamp;

/// One captured packet.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based frame number.
    pub number: u64,
    /// Its capture time, converted on demand ([`Stamp::time`]).
    pub stamp: Stamp,
    pub linktype: i32,
    pub data: &'a [u8],
    /// Offset in the file just past this frame's record.
    pub end: usize,
}

/// A frame's time as stored in the file; turning it into a [`Timestamp`] costs divisions, so it
/// is only done for frames that are kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stamp {
    #[default]
    None,
    /// Seconds plus `frac` units of `per_sec` per second (classic pcap).
    Split { secs: i64, frac: u64, per_sec: u64 },
    /// `units` of `per_sec` per second since the epoch, plus `offset` seconds (pcapng).
    Units { units: u64, per_sec: u64, offset: i64 },
}

impl Stamp {
    pub fn time(self) -> Option<Timestamp> {
        match self {
            Stamp::None => None,
            Stamp::Split { secs, frac, per_sec } => timestamp(secs, frac, per_sec),
            Stamp::Units { units, per_sec, offset } => {
                let secs = i64::try_from(units.checked_div(per_sec)?).ok()?.checked_add(offset)?;
                timestamp(secs, units % per_sec, per_sec)
            }
        }
    }
}

/// Why reading stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadEnd {
    /// The whole file was read.
    Complete,
    /// The file ends inside a record: everything before it was read.
    Truncated(String),
    /// A record is damaged: everything before it was read.
    Damaged(String),
    /// Not a capture at all (no frame could be read).
    NotCapture(String),
}

/// Seconds plus a fraction in units of `per_sec` per second as a timestamp.
pub fn timestamp(secs: i64, frac: u64, per_sec: u64) -> Option<Timestamp> {
    if per_sec == 0 || frac >= per_sec {
        return None;
    }
    let nanos = match per_sec {
        1_000_000_000 => frac as i32,
        1_000_000 => (frac * 1000) as i32,
        _ => (u128::from(frac) * 1_000_000_000 / u128::from(per_sec)) as i32,
    };
    Timestamp::new(secs, nanos).ok()
}
