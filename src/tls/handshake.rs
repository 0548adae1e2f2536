//! Handshake message defragmentation for one direction.
//!
//! Handshake messages (4-byte header: type and 24-bit length) may be split over several records
//! and one record may carry several messages. Message sizes are capped; a bigger message is
//! reported and its bytes are skipped as they arrive, never buffered.

pub(super) const CLIENT_HELLO: u8 = 1;
pub(super) const SERVER_HELLO: u8 = 2;
pub(super) const CERTIFICATE: u8 = 11;
pub(super) const CERTIFICATE_REQUEST: u8 = 13;
pub(super) const SERVER_HELLO_DONE: u8 = 14;
const CERTIFICATE_STATUS: u8 = 22;

const HEADER: usize = 4;

/// Largest Certificate (or CertificateRequest, whose CA list can be long) message accepted.
pub(super) const MAX_CERT_MESSAGE: usize = 512 * 1024;
/// Largest other handshake message accepted.
pub(super) const MAX_MESSAGE: usize = 64 * 1024;

/// Types of handshake messages defined by the TLS RFCs and common extensions.
const KNOWN_TYPES: &[u8] = &[0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 21, 22, 24, 67, 254];

pub(super) fn max_len(typ: u8) -> usize {
    match typ {
        CERTIFICATE | CERTIFICATE_REQUEST | CERTIFICATE_STATUS => MAX_CERT_MESSAGE,
        _ => MAX_MESSAGE,
    }
}

/// The name of a handshake message type for notes.
pub(super) fn type_name(typ: u8) -> String {
    let name = match typ {
        0 => "HelloRequest",
        CLIENT_HELLO => "ClientHello",
        SERVER_HELLO => "ServerHello",
        4 => "NewSessionTicket",
        8 => "EncryptedExtensions",
        CERTIFICATE => "Certificate",
        12 => "ServerKeyExchange",
        CERTIFICATE_REQUEST => "CertificateRequest",
        SERVER_HELLO_DONE => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        CERTIFICATE_STATUS => "CertificateStatus",
        _ => return format!("handshake message type {typ}"),
    };
    name.to_string()
}

#[derive(Debug)]
pub(super) enum HsEvent<'a> {
    /// A complete message: its type and body (without the 4-byte header).
    Message { typ: u8, body: &'a [u8] },
    /// A message longer than its cap; its bytes are skipped.
    Oversize { typ: u8, len: usize },
    /// A record dropped while waiting for a message start after lost data.
    Dropped,
}

#[derive(Debug, Default)]
pub(super) struct HandshakeReader {
    /// Header and body bytes of the message being assembled.
    buf: Vec<u8>,
    /// Bytes of an oversize message still to skip.
    skip: usize,
    /// Data was lost: the next record must start with a plausible message header.
    resync: bool,
    /// What [`HandshakeReader::pending`] said when the buffer was released.
    released: Option<(u8, usize, usize)>,
}

fn header(h: &[u8]) -> Option<(u8, usize)> {
    match h {
        [typ, a, b, c, ..] => Some((*typ, usize::from(*a) << 16 | usize::from(*b) << 8 | usize::from(*c))),
        _ => None,
    }
}

fn plausible_message(record: &[u8]) -> bool {
    matches!(header(record), Some((typ, len)) if KNOWN_TYPES.contains(&typ) && len <= max_len(typ))
}

/// Whether a record can open a conversation's handshake: it starts with a known message type and
/// as much of a length within that type's cap as the record holds (a message may be split over
/// records of a byte each). Encrypted bytes pass this in well under one case in a hundred.
pub(super) fn plausible_start(record: &[u8]) -> bool {
    match record {
        [] => false,
        [typ, ..] if !KNOWN_TYPES.contains(typ) => false,
        [_, _, _, _, ..] => plausible_message(record),
        [typ, hi, ..] => usize::from(*hi) << 16 <= max_len(*typ),
        [_] => true,
    }
}

impl HandshakeReader {
    /// Type, bytes held and announced length of an unfinished message, for the end-of-stream note.
    pub(super) fn pending(&self) -> Option<(u8, usize, usize)> {
        match header(&self.buf) {
            Some((typ, len)) => Some((typ, self.buf.len() - HEADER, len)),
            None => self.released,
        }
    }

    /// Nothing more will be fed: free the buffer, remembering what it held for the notes.
    pub(super) fn release(&mut self) {
        self.released = self.pending();
        self.buf = Vec::new();
    }

    /// Bytes held in buffers (for tests of bounded memory).
    pub(super) fn buffered(&self) -> usize {
        self.buf.capacity()
    }

    /// Data was lost: forget the partial message and wait for a record starting a new one.
    pub(super) fn gap(&mut self) {
        self.buf = Vec::new();
        self.skip = 0;
        self.resync = true;
    }

    /// The body of one plaintext handshake record.
    pub(super) fn push_record(&mut self, mut data: &[u8], mut out: impl FnMut(HsEvent<'_>)) {
        if self.resync {
            if !plausible_message(data) {
                out(HsEvent::Dropped);
                return;
            }
            self.resync = false;
        }
        while !data.is_empty() {
            if self.skip > 0 {
                let n = self.skip.min(data.len());
                self.skip -= n;
                data = &data[n..];
                continue;
            }
            data = if self.buf.is_empty() { self.whole(data, &mut out) } else { self.fill(data, &mut out) };
        }
    }

    fn whole<'d>(&mut self, data: &'d [u8], out: &mut impl FnMut(HsEvent<'_>)) -> &'d [u8] {
        let Some((typ, len)) = header(data) else {
            return self.fill(data, out);
        };
        if len > max_len(typ) {
            return self.oversize(typ, len, &data[HEADER..], out);
        }
        match data.get(HEADER..HEADER + len) {
            Some(body) => {
                out(HsEvent::Message { typ, body });
                &data[HEADER + len..]
            }
            None => self.fill(data, out),
        }
    }

    fn fill<'d>(&mut self, data: &'d [u8], out: &mut impl FnMut(HsEvent<'_>)) -> &'d [u8] {
        let mut data = data;
        if self.buf.len() < HEADER {
            let n = (HEADER - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..n]);
            data = &data[n..];
        }
        let Some((typ, len)) = header(&self.buf) else {
            return data;
        };
        if len > max_len(typ) {
            self.buf = Vec::new();
            return self.oversize(typ, len, data, out);
        }
        let need = HEADER + len - self.buf.len();
        let n = need.min(data.len());
        self.buf.extend_from_slice(&data[..n]);
        if n == need {
            out(HsEvent::Message { typ, body: &self.buf[HEADER..] });
            self.buf.clear();
        }
        &data[n..]
    }

    /// Report an oversize message and skip its body (`rest` starts right after its header).
    fn oversize<'d>(&mut self, typ: u8, len: usize, rest: &'d [u8], out: &mut impl FnMut(HsEvent<'_>)) -> &'d [u8] {
        out(HsEvent::Oversize { typ, len });
        let n = len.min(rest.len());
        self.skip = len - n;
        &rest[n..]
    }
}
