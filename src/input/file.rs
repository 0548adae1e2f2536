//! Files on disk, read in chunks: the file is a [`ByteStream`] the readers take in pieces, so
//! that no file is held whole and a file that shrinks while it is read only ends early (the
//! input is then `partial`, with the reason). The stream counts the bytes it gives as the run's
//! progress (for a compressed input: the compressed bytes consumed); a mapped file counts the
//! bytes its reader has passed (`util::mapped`).
//!
//! A memory map is used only when the caller opts in ([`MmapChoice::WhereSafe`], the binary's
//! `--mmap`) and only for a file that cannot shrink while it is mapped: a memfd sealed against
//! shrinking, or a file on a file system that cannot be written at all (squashfs, ISO 9660,
//! EROFS, cramfs, romfs). Everywhere else a truncation under a map would raise SIGBUS, which no
//! library may answer for the process it runs in (a Python interpreter, a Dask worker); the
//! chunked read answers it with a short read instead.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use jiff::Timestamp;

use super::inputs::Inputs;
use super::open::{open_regular, OpenError};
use crate::model::{ByteStream, Data, DisplayPath, Format, IngestContext, Sink, Source, Status};

/// Whether files may be memory-mapped (ripgrep's `MmapChoice`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MmapChoice {
    /// Always read in chunks (the library's default).
    #[default]
    Never,
    /// Map the files that cannot shrink while mapped (see the module header); read the others
    /// in chunks.
    WhereSafe,
}

/// How much is asked of the file at a time when a reader asks for less.
const BUFFER: usize = 256 << 10;

/// A file read front to back, its bytes counted into the run's progress.
pub struct FileStream {
    file: BufReader<File>,
    /// The size when opened.
    len: u64,
    pos: u64,
    /// Bytes counted into `progress` so far (a rewound stream counts nothing twice).
    counted: u64,
    progress: Arc<AtomicU64>,
    /// Where the file ended, when a read found its end.
    ended_at: Option<u64>,
}

impl FileStream {
    pub fn new(file: File, len: u64, progress: Arc<AtomicU64>) -> Self {
        FileStream { file: BufReader::with_capacity(BUFFER, file), len, pos: 0, counted: 0, progress, ended_at: None }
    }

    /// Whether the file turned out shorter than when it was opened (it ended early, or its size
    /// now says so).
    fn shrank(&self) -> bool {
        self.ended_at.is_some_and(|at| at < self.len)
            || self.file.get_ref().metadata().is_ok_and(|m| m.len() < self.len)
    }

    /// Count what was never read as done, so the progress of the run reaches its total.
    fn finish(&mut self) {
        if self.len > self.counted {
            self.progress.fetch_add(self.len - self.counted, Ordering::Relaxed);
            self.counted = self.len;
        }
    }
}

impl Read for FileStream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.ended_at = Some(self.pos);
        }
        self.pos += n as u64;
        if self.pos > self.counted {
            let new = self.pos.min(self.len.max(self.counted));
            self.progress.fetch_add(new - self.counted, Ordering::Relaxed);
            self.counted = new;
        }
        Ok(n)
    }
}

impl ByteStream for FileStream {
    fn len_hint(&self) -> Option<u64> {
        Some(self.len)
    }
    fn rewind(&mut self) -> io::Result<bool> {
        self.file.seek(SeekFrom::Start(0))?;
        self.pos = 0;
        self.ended_at = None;
        Ok(true)
    }
    fn sendable(&mut self) -> Option<Box<dyn Read + Send + '_>> {
        Some(Box::new(self))
    }
}

fn shorter(len: u64) -> String {
    format!("the file became shorter while it was read (was {len} bytes); what was lost was not read")
}

/// Read the file at `path` into `sink`; its status lines (and those of what it holds) are
/// returned.
pub fn read(path: &Path, ctx: &IngestContext, sink: &mut dyn Sink, mmap: MmapChoice) -> Inputs {
    let display = DisplayPath::of_file(path);
    let file = match open_regular(path) {
        Ok(f) => f,
        Err(OpenError::NotRegular(what)) => {
            return Inputs::one(&display, Format::Unknown, Status::Skipped, Some(format!("{what}: not read")), 0)
        }
        Err(OpenError::Io(e)) => {
            return Inputs::one(
                &display,
                Format::Unknown,
                Status::Error,
                Some(format!("cannot open: {}", crate::util::os_error::words(&e))),
                0,
            )
        }
    };
    let meta = file.metadata().ok();
    let mtime = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| Timestamp::try_from(t).ok());
    let len = meta.as_ref().map_or(0, |m| m.len());
    if mmap == MmapChoice::WhereSafe && safe_to_map(&file) {
        // SAFETY: the file cannot shrink while it is mapped (`safe_to_map`: a memfd sealed against
        // shrinking, or a file system that cannot be written), so no page of the map can go away
        // under the readers. The map is read-only and lives for this call.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            let map = Arc::new(map);
            // Readers may hand back the pages they have passed (see `util::mapped`).
            let registered = crate::util::mapped::register(map.clone(), Arc::clone(&ctx.progress));
            let src = Source { path: display, data: Data::Bytes(&map), mtime, depth: 0 };
            let out = super::read(src, ctx, sink);
            // The bytes not passed yet count now.
            drop(registered);
            return out;
        }
    }
    let mut stream = FileStream::new(file, len, Arc::clone(&ctx.progress));
    let src = Source { path: display.clone(), data: Data::Stream(&mut stream), mtime, depth: 0 };
    let mut out = super::read(src, ctx, sink);
    if stream.shrank() {
        out.mark(&display, Status::Partial, &shorter(len));
    }
    stream.finish();
    out
}

/// Whether `file` cannot shrink while it is mapped: a memfd sealed against shrinking, or a file
/// on a file system that cannot be written at all.
pub fn safe_to_map(file: &File) -> bool {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: F_GET_SEALS only reads the seals of an open descriptor (an error for other files).
    let seals = unsafe { libc::fcntl(fd, libc::F_GET_SEALS) };
    if seals >= 0 && seals & libc::F_SEAL_SHRINK != 0 {
        return true;
    }
    // SAFETY: fstatfs fills the zeroed struct for an open descriptor.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstatfs(fd, &mut st) } != 0 {
        return false;
    }
    const READ_ONLY_FS: [i64; 5] = [
        0x7371_7368, // squashfs
        0x9660,      // iso9660
        0xe0f5_e1e2, // erofs
        0x28cd_3d45, // cramfs
        0x7275,      // romfs
    ];
    READ_ONLY_FS.contains(&(st.f_type as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A memfd holding `data`, sealed against shrinking (and growing and writing) when `sealed`.
    fn memfd(data: &[u8], sealed: bool) -> File {
        let name = std::ffi::CString::new("tlstriage-test").unwrap();
        // SAFETY: plain system calls on a descriptor this test owns.
        let fd = unsafe { libc::memfd_create(name.as_ptr(), libc::MFD_ALLOW_SEALING) };
        assert!(fd >= 0);
        let mut f = unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        f.write_all(data).unwrap();
        if sealed {
            let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_WRITE;
            assert_eq!(unsafe { libc::fcntl(fd, libc::F_ADD_SEALS, seals) }, 0);
        }
        f
    }

    #[test]
    fn only_a_file_that_cannot_shrink_is_safe_to_map() {
        assert!(safe_to_map(&memfd(b"x", true)));
        assert!(!safe_to_map(&memfd(b"x", false)));
        let tmp = tempfile::tempfile().unwrap();
        assert!(!safe_to_map(&tmp));
    }

    #[test]
    fn a_sealed_memfd_is_mapped_and_reads_as_the_same_bytes_in_chunks() {
        use std::os::fd::AsRawFd;
        let log = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/logs/ftd-expired-ca/messages")).unwrap();
        let f = memfd(&log, true);
        let path = std::path::PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()));
        let ctx = IngestContext::new(Timestamp::UNIX_EPOCH, Arc::new(crate::x509::CertCache::default()));
        let read = |mmap| {
            let mut kept = crate::model::Parsed::default();
            read(&path, &ctx, &mut kept, mmap).hand_to(&mut kept);
            format!("{:?}", (kept.inputs, kept.attempts))
        };
        let mapped = read(MmapChoice::WhereSafe);
        assert_eq!(mapped, read(MmapChoice::Never));
        assert!(mapped.contains("certificate has expired"));
    }

    #[test]
    fn the_stream_counts_progress_once_and_notices_a_shorter_file() {
        const LEN: u64 = 4 * BUFFER as u64;
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&vec![b'x'; LEN as usize]).unwrap();
        let progress = Arc::new(AtomicU64::new(0));
        let mut s = FileStream::new(f.reopen().unwrap(), LEN, Arc::clone(&progress));
        let mut buf = [0u8; 600];
        s.read_exact(&mut buf).unwrap();
        assert_eq!(progress.load(Ordering::Relaxed), 600);
        assert!(s.rewind().unwrap());
        s.read_exact(&mut buf).unwrap();
        assert_eq!(progress.load(Ordering::Relaxed), 600, "read again after a rewind: not counted twice");
        assert!(!s.shrank());
        // Cut past what the stream has buffered: the rest of the read ends there.
        f.as_file().set_len(LEN / 2).unwrap();
        let rest = io::copy(&mut s, &mut io::sink()).unwrap();
        assert_eq!(rest, LEN / 2 - 600);
        assert!(s.shrank());
        s.finish();
        assert_eq!(progress.load(Ordering::Relaxed), LEN);
    }

    /// Records the run's progress each time an attempt arrives.
    struct Watch<'a> {
        progress: &'a AtomicU64,
        seen: Vec<u64>,
    }

    impl crate::model::Sink for Watch<'_> {
        fn attempt(&mut self, _: crate::model::Attempt) {
            self.seen.push(self.progress.load(Ordering::Relaxed));
        }
        fn handshake(&mut self, _: crate::model::Handshake) {}
        fn fact(&mut self, _: crate::model::Fact) {}
        fn certificate(&mut self, _: crate::model::CertSeen) {}
        fn status(&mut self, _: crate::model::InputStatus) {}
        fn duplicate(&mut self, _: crate::model::Duplicate) {}
    }

    #[test]
    fn a_gzipped_log_counts_its_compressed_bytes_while_it_is_parsed() {
        let log = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/logs/ftd-expired-ca/messages")).unwrap();
        let mut f = tempfile::NamedTempFile::new().unwrap();
        let mut enc = flate2::write::GzEncoder::new(&mut f, flate2::Compression::fast());
        // Several rounds of the log reader: its first attempts come long before the end.
        for _ in 0..(56 << 20) / log.len() {
            enc.write_all(&log).unwrap();
        }
        enc.finish().unwrap();
        let len = f.as_file().metadata().unwrap().len();
        let ctx = IngestContext::new(Timestamp::UNIX_EPOCH, Arc::new(crate::x509::CertCache::default()));
        let mut watch = Watch { progress: &ctx.progress, seen: Vec::new() };
        let out = read(f.path(), &ctx, &mut watch, MmapChoice::Never);
        assert_eq!(out.statuses[0].status, crate::model::Status::Ok, "{:?}", out.statuses);
        let first = *watch.seen.first().expect("the log gives attempts");
        assert!(first > 0 && first < len * 3 / 4, "first attempt at {first} of {len} compressed bytes");
        assert_eq!(ctx.progress.load(Ordering::Relaxed), len);
    }

    #[test]
    fn a_mapped_log_counts_its_bytes_while_it_is_parsed() {
        use std::os::fd::AsRawFd;
        // Several rounds of the log reader (an attempt a second, times going forward: a log that
        // went back would be a pasted copy), in a file that cannot shrink (so it is mapped).
        let mut many = Vec::new();
        for s in 0u32.. {
            let t = format!("Sep {:2} {:02}:{:02}:{:02}", 20 + s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
            let head = format!("{t} ftd SF-IMS[7]: [9] sftunneld:sf_ssl");
            writeln!(many, "{head} [INFO] Initiating IPv4 connection to 10.0.0.9:8305/tcp").unwrap();
            writeln!(many, "{head} [ERROR] err 10:certificate has expired").unwrap();
            writeln!(many, "{head} [ERROR] Connect:SSL handshake failed").unwrap();
            if many.len() > 56 << 20 {
                break;
            }
        }
        let f = memfd(&many, true);
        let path = std::path::PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()));
        let ctx = IngestContext::new(Timestamp::UNIX_EPOCH, Arc::new(crate::x509::CertCache::default()));
        let mut watch = Watch { progress: &ctx.progress, seen: Vec::new() };
        let out = read(&path, &ctx, &mut watch, MmapChoice::WhereSafe);
        assert_eq!(out.statuses[0].status, crate::model::Status::Ok, "{:?}", out.statuses);
        let len = many.len() as u64;
        // A round counts once it is passed: attempts of the second round already see the first.
        let moving = watch.seen.iter().find(|&&p| p > 0 && p < len * 3 / 4);
        assert!(moving.is_some(), "progress while parsing {len} mapped bytes: {:?}", watch.seen.last());
        assert_eq!(ctx.progress.load(Ordering::Relaxed), len);
    }
}
