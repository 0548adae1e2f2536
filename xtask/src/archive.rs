//! Deterministic .tar.gz writing for the sample bundles: ustar headers with fixed mtime, owner
//! and modes, directories before the files in them, and a gzip header without name or time.

use std::io::Write;

use anyhow::Result;
use flate2::{Compression, GzBuilder};
use tar::{Builder, EntryType, Header};

/// One file of a bundle: path inside the archive, contents, permission bits.
pub struct Member {
    pub path: String,
    pub data: Vec<u8>,
    pub mode: u32,
}

impl Member {
    pub fn file(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self { path: path.into(), data: data.into(), mode: 0o644 }
    }

    /// A private key file, readable by its owner only.
    pub fn secret(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        Self { path: path.into(), data: data.into(), mode: 0o600 }
    }
}

fn header(kind: EntryType, mode: u32, size: u64, mtime: u64) -> Header {
    let mut h = Header::new_ustar();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_size(size);
    h.set_mtime(mtime);
    h.set_uid(0);
    h.set_gid(0);
    // Names that fit the ustar fields cannot fail to be set.
    let _ = h.set_username("root");
    let _ = h.set_groupname("root");
    h
}

/// A gzip-compressed tar of `members` in the given order, each parent folder written once
/// before its first file; every entry carries `mtime`.
pub fn tar_gz(members: &[Member], mtime: u64) -> Result<Vec<u8>> {
    let mut tar = Builder::new(Vec::new());
    let mut dirs: Vec<String> = Vec::new();
    for m in members {
        let parts: Vec<&str> = m.path.split('/').collect();
        for n in 1..parts.len() {
            let dir = format!("{}/", parts[..n].join("/"));
            if !dirs.contains(&dir) {
                let mut h = header(EntryType::Directory, 0o755, 0, mtime);
                tar.append_data(&mut h, &dir, std::io::empty())?;
                dirs.push(dir);
            }
        }
        let mut h = header(EntryType::Regular, m.mode, m.data.len() as u64, mtime);
        tar.append_data(&mut h, &m.path, m.data.as_slice())?;
    }
    let raw = tar.into_inner()?;
    let mut gz = GzBuilder::new().mtime(0).write(Vec::new(), Compression::new(9));
    gz.write_all(&raw)?;
    Ok(gz.finish()?)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// PEM text with the given label and 64-column lines.
pub fn pem(label: &str, der: &[u8]) -> String {
    let body = base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_rfc4648() {
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn same_members_same_bytes() {
        let members = [Member::file("r/a/b.txt", "x"), Member::secret("r/a/k.pem", "y")];
        let a = tar_gz(&members, 1_773_480_600).expect("tar");
        let b = tar_gz(&members, 1_773_480_600).expect("tar");
        assert_eq!(a, b);
        assert_eq!(&a[4..8], &[0, 0, 0, 0], "gzip mtime must be zero");
        assert_eq!(a[3] & 0x08, 0, "gzip header must carry no file name");
    }
}
