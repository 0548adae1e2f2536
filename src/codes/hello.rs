//! The names of the values a ClientHello lists beside its cipher suites: named groups (the
//! `supported_groups` extension: elliptic curves and finite-field groups) and signature schemes
//! (`signature_algorithms`), as IANA's registries name them. A value not listed here is shown as
//! its number; GREASE values (RFC 8701) are left out of every list.

/// A value of the `supported_groups` extension by its IANA name, else its number.
pub fn group_name(v: u16) -> String {
    let name = match v {
        0x0017 => "secp256r1",
        0x0018 => "secp384r1",
        0x0019 => "secp521r1",
        0x001d => "x25519",
        0x001e => "x448",
        0x001a => "brainpoolP256r1",
        0x001b => "brainpoolP384r1",
        0x001c => "brainpoolP512r1",
        0x0100 => "ffdhe2048",
        0x0101 => "ffdhe3072",
        0x0102 => "ffdhe4096",
        0x0103 => "ffdhe6144",
        0x0104 => "ffdhe8192",
        0x11ec => "X25519MLKEM768",
        0x6399 => "X25519Kyber768Draft00",
        _ => return format!("0x{v:04x}"),
    };
    name.to_string()
}

/// A value of the `signature_algorithms` extension by its IANA name, else its number.
pub fn signature_scheme_name(v: u16) -> String {
    let name = match v {
        0x0201 => "rsa_pkcs1_sha1",
        0x0203 => "ecdsa_sha1",
        0x0401 => "rsa_pkcs1_sha256",
        0x0501 => "rsa_pkcs1_sha384",
        0x0601 => "rsa_pkcs1_sha512",
        0x0403 => "ecdsa_secp256r1_sha256",
        0x0503 => "ecdsa_secp384r1_sha384",
        0x0603 => "ecdsa_secp521r1_sha512",
        0x0804 => "rsa_pss_rsae_sha256",
        0x0805 => "rsa_pss_rsae_sha384",
        0x0806 => "rsa_pss_rsae_sha512",
        0x0807 => "ed25519",
        0x0808 => "ed448",
        0x0809 => "rsa_pss_pss_sha256",
        0x080a => "rsa_pss_pss_sha384",
        0x080b => "rsa_pss_pss_sha512",
        0x081a => "ecdsa_brainpoolP256r1tls13_sha256",
        0x081b => "ecdsa_brainpoolP384r1tls13_sha384",
        0x081c => "ecdsa_brainpoolP512r1tls13_sha512",
        _ => return format!("0x{v:04x}"),
    };
    name.to_string()
}

/// Whether a two-byte value is a GREASE value (RFC 8701: 0x0a0a, 0x1a1a, … 0xfafa).
pub fn is_grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && (v >> 8) == (v & 0xff)
}

/// The names of `values` by `name`, GREASE left out, separated by commas.
pub fn names(values: &[u16], name: fn(u16) -> String) -> String {
    values.iter().copied().filter(|v| !is_grease(*v)).map(name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_iana_gives_them_and_numbers_for_the_rest() {
        assert_eq!(names(&[0x0a0a, 0x001d, 0x0017, 0x4321], group_name), "x25519, secp256r1, 0x4321");
        assert_eq!(names(&[0x0804, 0x0401], signature_scheme_name), "rsa_pss_rsae_sha256, rsa_pkcs1_sha256");
    }
}
