//! TLS record framing for one direction of a connection.
//!
//! Bytes arrive in arbitrary chunks; a record is handed on only once its 5-byte header and whole
//! body are present. A partial record is kept in a buffer that never grows past the record size
//! limit, so a hostile length field cannot make us allocate. Only handshake and alert records
//! are read by anyone: the bodies of other records (application data, ChangeCipherSpec) are
//! passed over as they arrive, never copied.

/// Largest record body accepted: 2^14 plaintext bytes plus the 2048 bytes of expansion that
/// TLS 1.2 allows for encrypted records.
pub(super) const MAX_RECORD: usize = (1 << 14) + 2048;

const HEADER: usize = 5;
/// Bytes kept of a stream that turned out not to be TLS, to say what it is.
pub(super) const NOT_TLS_HEAD: usize = 64;

/// SSL 2.0 message types that open a stream.
const V2_CLIENT_HELLO: u8 = 1;
const V2_SERVER_HELLO: u8 = 4;

pub(super) const CCS: u8 = 20;
pub(super) const ALERT: u8 = 21;
pub(super) const HANDSHAKE: u8 = 22;
pub(super) const APP_DATA: u8 = 23;
const HEARTBEAT: u8 = 24;

/// What the framer found in the bytes it was given.
#[derive(Debug)]
pub(super) enum RecordEvent<'a> {
    /// A complete record; `body` is empty for the records nobody reads, `len` is the body's
    /// length either way.
    Record { ctype: u8, body: &'a [u8], len: usize },
    /// The content type of a record whose bytes are being consumed (for frame bookkeeping).
    Touch { ctype: u8 },
    /// A complete SSL 2.0-format ClientHello at the start of the stream (`body`: the message
    /// after its two-byte length header).
    Sslv2Hello { body: &'a [u8] },
    /// A complete SSL 2.0 SERVER-HELLO at the start of the stream (`body` as above); the rest of
    /// the direction is SSL 2.0 records.
    Sslv2ServerHello { body: &'a [u8] },
    /// An SSL 2.0 record after the hellos (encrypted from CLIENT-MASTER-KEY on): counted only.
    Sslv2Record,
    /// A record header announced a body larger than [`MAX_RECORD`]; the direction stops.
    Oversize { len: usize },
    /// The bytes are not a TLS record header; the direction stops. `head`: the first bytes
    /// (at most [`NOT_TLS_HEAD`]) from where the record was due.
    NotTls { header: [u8; HEADER], head: &'a [u8] },
    /// After a gap, a chunk started with a plausible record header: parsing resumes.
    Resynced,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Mode {
    #[default]
    Normal,
    /// Data was lost: wait for a chunk that starts with a record header.
    Resync,
    /// Nothing more is parsed in this direction.
    Stopped,
    /// The direction speaks SSL 2.0 after the hellos: its records are framed and counted.
    Sslv2,
}

/// A record whose body nobody reads, being passed over.
#[derive(Clone, Copy, Debug)]
struct Opaque {
    ctype: u8,
    /// Body bytes still to come.
    left: usize,
    /// Bytes of the record (header included) passed so far.
    held: usize,
}

/// Whether anyone reads the body of records of this type.
fn body_wanted(ctype: u8) -> bool {
    ctype == HANDSHAKE || ctype == ALERT
}

/// Record framer for one direction.
#[derive(Debug, Default)]
pub(super) struct RecordReader {
    /// Header and body bytes of the record being assembled.
    buf: Vec<u8>,
    /// Bytes still to be skipped (the rest of an SSL 2.0 ClientHello).
    skip: usize,
    /// The SSL 2.0 hello being collected while it is skipped (at most 32 KiB), and its type.
    v2: Option<(u8, Vec<u8>)>,
    /// Whether any byte of the stream has been looked at (SSL 2.0 hellos only come first).
    started: bool,
    mode: Mode,
    /// The record being passed over without copying, if any.
    opaque: Option<Opaque>,
    /// What [`RecordReader::pending`] said when the buffers were released.
    released: Option<(u8, usize)>,
}

/// Checks a record header; `Ok(len)` when plausible, `Err(None)` for bytes that are not a TLS
/// header, `Err(Some(len))` for an oversize length.
fn check_header(h: &[u8]) -> Result<usize, Option<usize>> {
    let (Some(&ctype), Some(&major), Some(&minor), Some(&hi), Some(&lo)) =
        (h.first(), h.get(1), h.get(2), h.get(3), h.get(4))
    else {
        return Err(None);
    };
    if !(CCS..=HEARTBEAT).contains(&ctype) || major != 3 || minor > 4 {
        return Err(None);
    }
    let len = usize::from(u16::from_be_bytes([hi, lo]));
    if len > MAX_RECORD {
        return Err(Some(len));
    }
    Ok(len)
}

/// Whether `data` starts like a TLS record (used to resynchronise after lost data).
pub(super) fn plausible_start(data: &[u8]) -> bool {
    if data.len() >= HEADER {
        return check_header(&data[..HEADER]).is_ok();
    }
    matches!(data, [t, 3, m, ..] if (CCS..=APP_DATA).contains(t) && *m <= 4)
}

/// Length and type of an SSL 2.0 CLIENT-HELLO or SERVER-HELLO (two-byte header, message type
/// 1 or 4) at the start of `data`.
fn sslv2_hello(data: &[u8]) -> Option<(usize, u8)> {
    match data {
        [b0, b1, t @ (V2_CLIENT_HELLO | V2_SERVER_HELLO), ..] if b0 & 0x80 != 0 => {
            Some(((usize::from(b0 & 0x7f) << 8 | usize::from(*b1)) + 2, *t))
        }
        _ => None,
    }
}

impl RecordReader {
    /// Whether parsing of this direction was given up (garbage or an oversize record).
    pub(super) fn stopped(&self) -> bool {
        self.mode == Mode::Stopped
    }

    /// Content type and bytes held of an unfinished record, for the end-of-stream note.
    pub(super) fn pending(&self) -> Option<(u8, usize)> {
        let held = self.buf.first().map(|&t| (t, self.buf.len()));
        held.or(self.opaque.map(|o| (o.ctype, o.held))).or(self.released)
    }

    /// The body bytes held of an unfinished handshake record (its header read), if that is
    /// what the buffer holds.
    pub(super) fn held_handshake(&self) -> Option<&[u8]> {
        (self.buf.len() > HEADER && self.buf.first() == Some(&HANDSHAKE)).then(|| &self.buf[HEADER..])
    }

    /// Nothing more will be fed: free the buffer, remembering what it held for the notes.
    pub(super) fn release(&mut self) {
        self.released = self.pending();
        self.buf = Vec::new();
        self.opaque = None;
    }

    /// Bytes held in buffers (for tests of bounded memory).
    pub(super) fn buffered(&self) -> usize {
        self.buf.capacity()
    }

    /// The other side chose SSL 2.0: from now on this direction is framed as SSL 2.0 records.
    pub(super) fn enter_sslv2(&mut self) {
        if self.mode == Mode::Normal && self.buf.is_empty() && self.opaque.is_none() {
            self.mode = Mode::Sslv2;
        }
    }

    /// Data was lost in this direction: drop the partial record and wait for a fresh header.
    pub(super) fn gap(&mut self) {
        self.buf.clear();
        self.skip = 0;
        self.v2 = None;
        self.opaque = None;
        self.started = true;
        if self.mode == Mode::Normal {
            self.mode = Mode::Resync;
        }
    }

    pub(super) fn feed(&mut self, mut data: &[u8], mut out: impl FnMut(RecordEvent<'_>)) {
        if self.mode == Mode::Resync {
            if !plausible_start(data) {
                return;
            }
            self.mode = Mode::Normal;
            out(RecordEvent::Resynced);
        }
        if !self.started && !data.is_empty() {
            if self.buf.len() + data.len() < 3 {
                // Too little to tell an SSL 2.0 hello apart; decide when more arrives.
                self.buf.extend_from_slice(data);
                return;
            }
            self.started = true;
            let mut head = [0u8; 3];
            for (slot, byte) in head.iter_mut().zip(self.buf.iter().chain(data.iter())) {
                *slot = *byte;
            }
            if let Some((len, typ)) = sslv2_hello(&head) {
                self.skip = len.saturating_sub(self.buf.len());
                self.v2 = Some((typ, std::mem::take(&mut self.buf)));
            }
        }
        while !data.is_empty() && matches!(self.mode, Mode::Normal | Mode::Sslv2) {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                if let Some((_, v2)) = self.v2.as_mut() {
                    v2.extend_from_slice(&data[..n]);
                }
                data = &data[n..];
                if self.skip == 0 {
                    self.v2_hello_done(&mut out);
                }
                continue;
            }
            if self.mode == Mode::Sslv2 {
                data = self.sslv2_header(data, &mut out);
                continue;
            }
            if let Some(o) = self.opaque.as_mut() {
                let n = o.left.min(data.len());
                o.left -= n;
                o.held += n;
                data = &data[n..];
                let (ctype, len) = (o.ctype, o.held - HEADER);
                if o.left == 0 {
                    self.opaque = None;
                    out(RecordEvent::Record { ctype, body: &[], len });
                } else {
                    out(RecordEvent::Touch { ctype });
                }
                continue;
            }
            data = if self.buf.is_empty() { self.whole(data, &mut out) } else { self.fill(data, &mut out) };
        }
    }

    /// The SSL 2.0 hello collected at the stream's start is complete.
    fn v2_hello_done(&mut self, out: &mut impl FnMut(RecordEvent<'_>)) {
        let Some((typ, v2)) = self.v2.take() else { return };
        let body = v2.get(2..).unwrap_or(&[]);
        if typ == V2_SERVER_HELLO {
            self.mode = Mode::Sslv2;
            out(RecordEvent::Sslv2ServerHello { body });
        } else {
            out(RecordEvent::Sslv2Hello { body });
        }
    }

    /// One byte of an SSL 2.0 record header (two bytes, or three when the top bit of the first is
    /// clear); once complete, the record's body is passed over.
    fn sslv2_header<'d>(&mut self, data: &'d [u8], out: &mut impl FnMut(RecordEvent<'_>)) -> &'d [u8] {
        let Some((&byte, rest)) = data.split_first() else { return data };
        self.buf.push(byte);
        let need = if self.buf[0] & 0x80 != 0 { 2 } else { 3 };
        if self.buf.len() == need {
            let mask = if need == 2 { 0x7f } else { 0x3f };
            self.skip = usize::from(self.buf[0] & mask) << 8 | usize::from(self.buf[1]);
            self.buf.clear();
            out(RecordEvent::Sslv2Record);
        }
        rest
    }

    /// Fast path: records that lie entirely inside `data` are handed on without copying.
    fn whole<'d>(&mut self, data: &'d [u8], out: &mut impl FnMut(RecordEvent<'_>)) -> &'d [u8] {
        if data.len() < HEADER {
            return self.fill(data, out);
        }
        let len = match check_header(&data[..HEADER]) {
            Ok(len) => len,
            Err(e) => return self.reject(&data[..data.len().min(NOT_TLS_HEAD)], e, out),
        };
        let ctype = data[0];
        match data.get(HEADER..HEADER + len) {
            Some(body) => {
                out(RecordEvent::Record { ctype, body, len });
                &data[HEADER + len..]
            }
            None => self.fill(data, out),
        }
    }

    /// Slow path: append to the partial record and hand it on when complete.
    fn fill<'d>(&mut self, data: &'d [u8], out: &mut impl FnMut(RecordEvent<'_>)) -> &'d [u8] {
        let mut data = data;
        if self.buf.len() < HEADER {
            let n = (HEADER - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..n]);
            data = &data[n..];
            if self.buf.len() < HEADER {
                if let Some(&ctype) = self.buf.first() {
                    out(RecordEvent::Touch { ctype });
                }
                return data;
            }
        }
        let len = match check_header(&self.buf[..HEADER]) {
            Ok(len) => len,
            Err(e) => {
                let mut head = std::mem::take(&mut self.buf);
                head.extend_from_slice(&data[..data.len().min(NOT_TLS_HEAD.saturating_sub(head.len()))]);
                self.reject(&head, e, out);
                return &[];
            }
        };
        let ctype = self.buf[0];
        if !body_wanted(ctype) && self.buf.len() == HEADER {
            // Pass the body over as it arrives (the feed loop does it) instead of copying it.
            self.buf.clear();
            self.opaque = Some(Opaque { ctype, left: len, held: HEADER });
            if len == 0 {
                self.opaque = None;
                out(RecordEvent::Record { ctype, body: &[], len });
            }
            return data;
        }
        let need = HEADER + len - self.buf.len();
        let n = need.min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if n < need {
            out(RecordEvent::Touch { ctype });
            return &data[n..];
        }
        out(RecordEvent::Record { ctype, body: &self.buf[HEADER..], len });
        self.buf.clear();
        &data[n..]
    }

    /// `head`: the bytes from where the record was due (its header first), for the notes.
    fn reject<'d>(&mut self, head: &[u8], e: Option<usize>, out: &mut impl FnMut(RecordEvent<'_>)) -> &'d [u8] {
        self.mode = Mode::Stopped;
        self.buf = Vec::new();
        match e {
            Some(len) => out(RecordEvent::Oversize { len }),
            None => {
                let mut h = [0u8; HEADER];
                for (slot, byte) in h.iter_mut().zip(head) {
                    *slot = *byte;
                }
                out(RecordEvent::NotTls { header: h, head: &head[..head.len().min(NOT_TLS_HEAD)] })
            }
        }
        &[]
    }
}
