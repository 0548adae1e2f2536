//! SSL 2.0 hellos. The SSL 2.0-format ClientHello (RFC 6101 appendix E, RFC 5246 appendix E.2): old clients
//! open with it to reach servers of any version. After the two-byte record length come the
//! message type (1), the highest version the client speaks, the lengths of the cipher specs,
//! session id and challenge, then the three-byte cipher specs: those whose first byte is zero
//! are TLS suites, the others SSL 2.0 cipher kinds. A server that still speaks SSL 2.0 answers
//! with a SERVER-HELLO carrying its certificate and the chosen cipher kind.

use super::{ClientHelloInfo, Seen, Sslv2ServerHello};
use crate::codes::{CipherSuite, TlsVersion};

/// The SSL 2.0 certificate type of an X.509 certificate.
const X509_CERTIFICATE: u8 = 1;

/// The hello as a [`ClientHelloInfo`] (its version and the TLS suites among its cipher specs)
/// and how many SSL 2.0-only cipher kinds it also lists.
pub(super) fn client_hello(body: &[u8], seen: Seen) -> Result<(ClientHelloInfo, usize), String> {
    let field = |at: usize| body.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    if body.first() != Some(&1) {
        return Err("not a CLIENT-HELLO message".into());
    }
    let (Some(version), Some(specs_len), Some(sid_len), Some(challenge_len)) = (field(1), field(3), field(5), field(7))
    else {
        return Err("shorter than its fixed fields".into());
    };
    let specs_len = usize::from(specs_len);
    if specs_len % 3 != 0 {
        return Err(format!("cipher specs of {specs_len} bytes are not whole three-byte specs"));
    }
    let needed = 9 + specs_len + usize::from(sid_len) + usize::from(challenge_len);
    if body.len() < needed {
        return Err(format!("its fields need {needed} bytes, the message has {}", body.len()));
    }
    let specs = &body[9..9 + specs_len];
    let mut suites = Vec::new();
    let mut v2_only = 0;
    for spec in specs.chunks_exact(3) {
        if spec[0] == 0 {
            suites.push(CipherSuite(u16::from_be_bytes([spec[1], spec[2]])));
        } else {
            v2_only += 1;
        }
    }
    let version = TlsVersion(version);
    let info = ClientHelloInfo { legacy_version: version, versions: vec![version], suites, seen, ..Default::default() };
    Ok((info, v2_only))
}

/// An SSL 2.0 SERVER-HELLO (message type 4): session-id-hit, certificate type, version, the
/// lengths of the certificate, cipher specs and connection id, then those three. Its
/// certificate is the server's (DER), sent in the clear.
pub(super) fn server_hello(body: &[u8], seen: Seen) -> Result<(Sslv2ServerHello, Option<Vec<u8>>), String> {
    let field = |at: usize| body.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    if body.first() != Some(&4) {
        return Err("not a SERVER-HELLO message".into());
    }
    let (Some(&cert_type), Some(version), Some(cert_len), Some(specs_len), Some(id_len)) =
        (body.get(2), field(3), field(5), field(7), field(9))
    else {
        return Err("shorter than its fixed fields".into());
    };
    let (cert_len, specs_len) = (usize::from(cert_len), usize::from(specs_len));
    let needed = 11 + cert_len + specs_len + usize::from(id_len);
    if body.len() < needed {
        return Err(format!("its fields need {needed} bytes, the message has {}", body.len()));
    }
    let cert = &body[11..11 + cert_len];
    let specs = &body[11 + cert_len..11 + cert_len + specs_len];
    let cipher_kinds = specs.chunks_exact(3).map(|k| u32::from_be_bytes([0, k[0], k[1], k[2]])).collect();
    let hello = Sslv2ServerHello { version: TlsVersion(version), cipher_kinds, seen };
    let cert = (cert_type == X509_CERTIFICATE && !cert.is_empty()).then(|| cert.to_vec());
    Ok((hello, cert))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_and_v2_kinds_are_told_apart() {
        // Version 3.1, two TLS suites and one SSL 2.0 kind, no session id, a 16-byte challenge.
        let mut m = vec![1, 3, 1, 0, 9, 0, 0, 0, 16, 0, 0, 0x2f, 0, 0, 0x35, 0x07, 0x00, 0xc0];
        m.extend([0x5a; 16]);
        let (info, v2) = client_hello(&m, Seen::default()).unwrap();
        assert_eq!(info.legacy_version, TlsVersion::TLS10);
        assert_eq!(info.suites, [CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA]);
        assert_eq!(v2, 1);
        assert!(client_hello(&m[..20], Seen::default()).unwrap_err().contains("need 34 bytes"));
        assert!(client_hello(&[2, 3, 1], Seen::default()).is_err());
    }

    #[test]
    fn a_server_hello_gives_its_version_cipher_kind_and_certificate() {
        // No session hit, X.509, version 0.2, a 3-byte "certificate", one cipher kind, 2-byte id.
        let m = [4, 0, 1, 0, 2, 0, 3, 0, 3, 0, 2, 0xaa, 0xbb, 0xcc, 0x01, 0x00, 0x80, 9, 9];
        let (hello, cert) = server_hello(&m, Seen::default()).unwrap();
        assert_eq!(hello.version, TlsVersion::SSL2);
        assert_eq!(hello.cipher_kinds, [0x010080]);
        assert_eq!(cert.as_deref(), Some(&[0xaa, 0xbb, 0xcc][..]));
        assert!(server_hello(&m[..15], Seen::default()).unwrap_err().contains("need 19 bytes"));
        assert!(server_hello(&[1, 0], Seen::default()).is_err());
    }
}
