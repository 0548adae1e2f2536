//! Inputs tlstriage knows but does not read, recognised so that the inputs list says what they
//! are and what to do instead of "not a format tlstriage reads": archives of other kinds (zip,
//! 7-Zip, xz, bzip2, zstd), encrypted files (OpenPGP, `openssl enc`, a zip with encrypted
//! members) and an editor's working files (a vim swap file, an Emacs auto-save or lock file),
//! which hold fragments of a note or log being edited and would count its lines a second time.
//!
//! Known by their first bytes; the editor's auto-save and lock files by their names, as their
//! content is the plain text of the file being edited.

use crate::model::Head;

/// What an input is and what to do with it, when it is one of the kinds above.
pub fn recognise(head: &Head<'_>) -> Option<&'static str> {
    let b = head.bytes;
    if b.starts_with(b"PK\x03\x04") {
        // Bit 0 of the first member's general purpose flags: the member is encrypted.
        let encrypted = b.get(6).is_some_and(|flags| flags & 1 == 1);
        return Some(if encrypted {
            "a zip archive with encrypted members: extract it with its password, then give the folder"
        } else {
            "a zip archive: extract it (unzip) and give the folder; tlstriage reads .tar.gz and .gz in place"
        });
    }
    if b.starts_with(b"PK\x05\x06") {
        return Some("an empty zip archive");
    }
    if let Some(kind) = compressed(b) {
        return Some(kind);
    }
    if b.starts_with(b"Salted__") {
        return Some("encrypted with `openssl enc`: decrypt it first, then give the result");
    }
    if b.starts_with(b"-----BEGIN PGP MESSAGE-----") || openpgp_encrypted(b) {
        return Some("an OpenPGP-encrypted file: decrypt it first (gpg --decrypt), then give the result");
    }
    if b.starts_with(b"b0VIM ") {
        return Some("a vim swap file (an editor's working copy, not evidence)");
    }
    let name = head.path.rsplit(['/', '\\']).next().unwrap_or(head.path);
    if name.len() > 2 && name.starts_with('#') && name.ends_with('#') {
        return Some("an Emacs auto-save file (an editor's working copy, not evidence)");
    }
    if name.starts_with(".#") {
        return Some("an Emacs lock file (not evidence)");
    }
    None
}

/// Archives and compressed streams of the kinds tlstriage does not open.
fn compressed(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"7z\xbc\xaf\x27\x1c") {
        Some("a 7-Zip archive: extract it (7z x) and give the folder")
    } else if b.starts_with(b"\xfd7zXZ\x00") {
        Some("xz-compressed: decompress it (xz -d, or tar xJf for a .tar.xz) and give the result")
    } else if b.starts_with(b"BZh") && b.get(3).is_some_and(|d| (b'1'..=b'9').contains(d)) && b.get(4..10) == Some(PI) {
        Some("bzip2-compressed: decompress it (bunzip2, or tar xjf for a .tar.bz2) and give the result")
    } else if b.starts_with(b"\x28\xb5\x2f\xfd") {
        Some("zstd-compressed: decompress it (zstd -d) and give the result")
    } else {
        None
    }
}

/// The magic number that starts a bzip2 stream's first block (the digits of π).
const PI: &[u8] = b"\x31\x41\x59\x26\x53\x59";

/// Whether the bytes start with the packet an encrypted OpenPGP message starts with (what `gpg
/// --encrypt` and `gpg --symmetric` write): a public-key encrypted session key (tag 1, version 3,
/// a key ID and a public-key algorithm) or a symmetric-key one (tag 3, version 4, a cipher and
/// a string-to-key specifier), in the old or the new packet format. Checked field by field, so
/// that random bytes are not taken for one.
fn openpgp_encrypted(b: &[u8]) -> bool {
    let Some(&first) = b.first() else { return false };
    if first & 0x80 == 0 {
        return false;
    }
    let (tag, body) = if first & 0x40 != 0 {
        // New format: a single length octet below 192 is the case for these short packets.
        (first & 0x3f, b.get(1).filter(|&&len| len < 192).and_then(|_| b.get(2..)))
    } else {
        // Old format: the low two bits say how many length octets follow.
        let octets = [1usize, 2, 4, 0][usize::from(first & 3)];
        ((first >> 2) & 0x0f, (octets > 0).then(|| b.get(1 + octets..)).flatten())
    };
    let Some(body) = body else { return false };
    match (tag, body) {
        // Version 3, an 8-byte key ID, then RSA, Elgamal, ECDH or X25519.
        (1, [3, _, _, _, _, _, _, _, _, algo, ..]) => matches!(algo, 1 | 2 | 16 | 18 | 25),
        // Version 4, a cipher (IDEA to Camellia-256), then a simple, salted or iterated S2K.
        (3, [4, cipher, s2k, ..]) => (1..=13).contains(cipher) && matches!(s2k, 0 | 1 | 3),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::recognise;
    use crate::model::Head;

    fn said(path: &str, bytes: &[u8]) -> Option<&'static str> {
        recognise(&Head::new(path, bytes, true, crate::logs::line_kind))
    }

    #[test]
    fn archives_and_encrypted_files_say_what_to_do() {
        let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest";
        assert!(said("case/bundle.zip", zip).is_some_and(|m| m.starts_with("a zip archive: extract it")));
        let locked = b"PK\x03\x04\x14\x00\x01\x00\x08\x00rest";
        assert!(said("case/bundle.zip", locked).is_some_and(|m| m.contains("encrypted members")));
        assert!(said("m.enc", b"Salted__\x01\x02\x03\x04\x05\x06\x07\x08").is_some_and(|m| m.contains("openssl enc")));
        assert!(said("m.gpg", b"-----BEGIN PGP MESSAGE-----\n\nhQEM\n").is_some_and(|m| m.contains("OpenPGP")));
        // What `gpg -c` and `gpg -e` write: an old-format packet of tag 3 (version 4), of tag 1
        // (version 3).
        assert!(said("m.gpg", b"\x8c\x0d\x04\x09\x03\x08").is_some_and(|m| m.contains("OpenPGP")));
        let pkesk = b"\x85\x01\x0c\x03\x11\x22\x33\x44\x55\x66\x77\x88\x01\x07\xff";
        assert!(said("m.gpg", pkesk).is_some_and(|m| m.contains("OpenPGP")));
        assert!(said("b.tar.xz", b"\xfd7zXZ\x00\x00\x04").is_some_and(|m| m.starts_with("xz")));
        assert!(said("b.tar.bz2", b"BZh91AY&SY\x00").is_some_and(|m| m.starts_with("bzip2")));
        assert!(said("b.7z", b"7z\xbc\xaf\x27\x1c\x00\x04").is_some_and(|m| m.starts_with("a 7-Zip")));
        assert!(said("b.zst", b"\x28\xb5\x2f\xfd\x04").is_some_and(|m| m.starts_with("zstd")));
    }

    #[test]
    fn editor_working_files_are_named() {
        assert!(said("case/.notes.txt.swp", b"b0VIM 9.0\x00\x00").is_some_and(|m| m.starts_with("a vim swap")));
        let log = b"Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] x\n";
        assert!(said("case/#notes.txt#", log).is_some_and(|m| m.contains("auto-save")));
        assert!(said("case/.#notes.txt", log).is_some_and(|m| m.contains("lock file")));
    }

    #[test]
    fn text_and_look_alikes_are_left_to_the_readers() {
        let log = b"Mar 14 06:00:05 ftd-branch-07 SF-IMS[3120]: [4310] sftunneld:sf_ssl [INFO] x\n";
        assert_eq!(said("case/notes#1.txt", log), None);
        assert_eq!(said("case/#", log), None);
        // A line that starts with the letters of a magic number is text.
        assert_eq!(said("notes.txt", b"PK rollout notes\n"), None);
        assert_eq!(said("notes.txt", b"BZh is a bzip2 header\n"), None);
        // A high first byte that is not an encrypted message's first packet.
        assert_eq!(said("x.bin", b"\x99\x01\x0d\x04"), None);
        // The first packet's tag and version, but not its fields.
        assert_eq!(said("x.bin", b"\x8c\x0d\x04\x2a\x03\x08"), None);
    }
}
