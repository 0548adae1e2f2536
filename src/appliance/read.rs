//! Reading the files a discovery found as one system, through the analysis pipeline (the same
//! readers, classifier, systems and remediation as `analyze`; no diagnosis of its own).
//!
//! Each file is read under its own path ([`display_name`], the one place the names are made):
//! an appliance's root holding its own `/etc/sf/ims.conf` is one system's tree for the systems
//! stage (`firepower::tree`, `systems::trees`), as a troubleshoot bundle is, so `check` judges a
//! tree exactly as `analyze` judges the bundle of that system. The push step names the
//! `FAILED_PUSH` list the system uses (`tlstriage plan <root>/var/tmp/certs/<run>/FAILED_PUSH`),
//! never the root itself. [`PathMap`] turns the display paths (escaped where a name ends in `!`)
//! back into the paths of this machine for every view.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use super::discover::{Discovery, Found};
use super::layout::Shape;
use crate::analyze::Report;
use crate::input::Inputs;
use crate::model::{Data, Format, IngestContext, Parsed, Sink, Source, Status};

/// At most this much of a log is read: its newest part. Files are read one at a time, so this
/// (with what a rotated log's gzip expands to, within the archive budget) bounds the memory.
pub const MAX_LOG_BYTES: u64 = 512 << 20;
/// At most this much of any other file (configuration, certificates, lists are a few KiB).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// How to read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    pub now: Timestamp,
    /// Year of syslog times (default: from each file's modification time).
    pub year: Option<i16>,
}

/// The names the pipeline read the files under, and the paths of this machine they stand for.
#[derive(Clone, Debug, Default)]
pub struct PathMap {
    names: Vec<(String, String)>,
}

impl PathMap {
    /// The path of this machine for a name the pipeline used (an archive member inside a file
    /// keeps its `!/` tail); other text is returned as it is.
    pub fn real<'a>(&self, name: &'a str) -> std::borrow::Cow<'a, str> {
        for (n, real) in &self.names {
            if name == n {
                return real.clone().into();
            }
            if let Some(rest) = name.strip_prefix(n.as_str()).filter(|r| r.starts_with("!/")) {
                return format!("{real}{rest}").into();
            }
        }
        name.into()
    }

    /// Replace every string of a JSON value that is one of the names (evidence paths, input
    /// paths) by the path of this machine.
    pub fn rewrite_json(&self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(r) = self.real(s) {
                    *s = r;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| self.rewrite_json(i)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|i| self.rewrite_json(i)),
            _ => {}
        }
    }
}

/// One file to read: where it is, the name it is read under, and whether it is a log.
struct ToRead {
    real: PathBuf,
    name: String,
    log: bool,
}

/// Where a file to read comes from.
enum Origin<'a> {
    /// A file of the tree.
    Tree(&'a Found),
    /// A file given with `--with` (a saved command output), read as the system's own.
    With(&'a Path),
}

/// The name the pipeline reads a file under: the one place these names are made. Every file is
/// read as the file on disk it is (its display path).
fn display_name(origin: Origin<'_>) -> String {
    match origin {
        Origin::Tree(f) => crate::model::DisplayPath::of_file(&f.real),
        Origin::With(p) => crate::model::DisplayPath::of_file(p),
    }
}

/// Read every file of `d`, and the `extra` files (saved command outputs given with `--with`)
/// as files of the same system, into one report.
pub fn read(d: &Discovery, extra: &[PathBuf], opts: &ReadOptions) -> (Report, PathMap) {
    let mut todo: Vec<ToRead> = Vec::new();
    for (looked, f) in d.files() {
        let name = display_name(Origin::Tree(f));
        todo.push(ToRead { real: f.real.clone(), name, log: looked.shape == Shape::Rotated });
    }
    for e in extra {
        todo.push(ToRead { real: e.clone(), name: display_name(Origin::With(e)), log: true });
    }
    let mut ctx = IngestContext::new(opts.now, Arc::new(crate::x509::CertCache::default()));
    ctx.year = opts.year;
    // One file after the other: on a live appliance the check leaves the other cores to the
    // system, and holds at most one file (up to its cap) at a time.
    let mut all = Parsed::default();
    for t in &todo {
        read_one(t, &ctx, &mut all);
    }
    let map = PathMap { names: todo.into_iter().map(|t| (t.name, t.real.display().to_string())).collect() };
    (crate::analyze::build_report(all, Vec::new(), opts.now), map)
}

/// Read one file (of a log, its newest [`MAX_LOG_BYTES`]) and hand it to the readers, which
/// hand what they find to `sink`.
fn read_one(t: &ToRead, ctx: &IngestContext, sink: &mut dyn Sink) {
    let mut error = |why: String| Inputs::one(&t.name, Format::Unknown, Status::Error, Some(why), 0).hand_to(sink);
    let mut file = match crate::input::open_regular(&t.real) {
        Ok(f) => f,
        Err(crate::input::OpenError::NotRegular(what)) => return error(format!("{what}: not read")),
        Err(crate::input::OpenError::Io(e)) => {
            return error(format!("cannot open: {}", crate::util::os_error::words(&e)))
        }
    };
    let meta = file.metadata().ok();
    let mtime = meta.as_ref().and_then(|m| m.modified().ok()).and_then(|m| Timestamp::try_from(m).ok());
    let len = meta.as_ref().map_or(0, |m| m.len());
    let cap = if t.log { MAX_LOG_BYTES } else { MAX_FILE_BYTES };
    let mut cut = None;
    if len > cap {
        if t.log && file.seek(SeekFrom::Start(len - cap)).is_ok() {
            cut = Some(format!("only its newest {} MiB were read (of {} MiB)", cap >> 20, len >> 20));
        } else {
            cut = Some(format!("only its first {} MiB were read (of {} MiB)", cap >> 20, len >> 20));
        }
    }
    let mut buf = Vec::with_capacity(len.min(cap) as usize);
    if let Err(e) = file.take(cap).read_to_end(&mut buf) {
        return error(format!("cannot read: {}", crate::util::os_error::words(&e)));
    }
    let src = Source { path: t.name.clone(), data: Data::Bytes(&buf), mtime, depth: 0 };
    let mut inputs = crate::input::read(src, ctx, sink);
    if let Some(why) = cut {
        inputs.mark(&t.name, Status::Partial, &why);
    }
    inputs.hand_to(sink);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_under_their_own_paths_and_map_back() {
        let found = |path: &str| Found { real: PathBuf::from(format!("/tree{path}")), path: path.to_string() };
        let ims = found("/etc/sf/ims.conf");
        assert_eq!(display_name(Origin::Tree(&ims)), "/tree/etc/sf/ims.conf");
        assert_eq!(display_name(Origin::With(Path::new("/tmp/status.txt"))), "/tmp/status.txt");
        // A name ending in `!` is escaped, so it never reads as an archive; the map gives it back.
        let odd = found("/var/sf/peers/x!/cacert.pem");
        let name = display_name(Origin::Tree(&odd));
        assert_ne!(name, "/tree/var/sf/peers/x!/cacert.pem");
        let map = PathMap { names: vec![(name.clone(), odd.real.display().to_string())] };
        assert_eq!(map.real(&name), "/tree/var/sf/peers/x!/cacert.pem");
    }

    #[test]
    fn names_map_back_to_the_paths_of_this_machine() {
        let map = PathMap {
            names: vec![
                ("/tree!/var/log/messages".into(), "/tree/var/log/messages".into()),
                ("/tree!/var/log/messages.2.gz".into(), "/tree/var/log/messages.2.gz".into()),
                ("/!/etc/sf/ims.conf".into(), "/etc/sf/ims.conf".into()),
            ],
        };
        assert_eq!(map.real("/tree!/var/log/messages"), "/tree/var/log/messages");
        assert_eq!(map.real("/tree!/var/log/messages.2.gz!/x"), "/tree/var/log/messages.2.gz!/x");
        assert_eq!(map.real("/!/etc/sf/ims.conf"), "/etc/sf/ims.conf");
        assert_eq!(map.real("/tree!/var/log/messages.1"), "/tree!/var/log/messages.1");
        let mut v = serde_json::json!({"evidence": [{"path": "/!/etc/sf/ims.conf", "line": 3}], "t": "/!/etc"});
        map.rewrite_json(&mut v);
        assert_eq!(v, serde_json::json!({"evidence": [{"path": "/etc/sf/ims.conf", "line": 3}], "t": "/!/etc"}));
    }
}
