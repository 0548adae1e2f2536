//! Distinguished names in the OpenSSL one-line form (`/C=US/O=.../CN=...`), the way device logs
//! print them, and subjectAltName entries in the `DNS:` / `IP:` notation.

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

use x509_parser::asn1_rs::Tag;
use x509_parser::extensions::GeneralName;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

/// Longest one-line name we build; longer ones are cut and end in `...`.
const MAX_NAME: usize = 64 * 1024;

/// The OpenSSL short name of a name attribute type, by dotted OID.
pub fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.4" => "SN",
        "2.5.4.5" => "serialNumber",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "street",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.12" => "title",
        "2.5.4.13" => "description",
        "2.5.4.15" => "businessCategory",
        "2.5.4.16" => "postalAddress",
        "2.5.4.17" => "postalCode",
        "2.5.4.20" => "telephoneNumber",
        "2.5.4.41" => "name",
        "2.5.4.42" => "GN",
        "2.5.4.43" => "initials",
        "2.5.4.44" => "generationQualifier",
        "2.5.4.45" => "x500UniqueIdentifier",
        "2.5.4.46" => "dnQualifier",
        "2.5.4.65" => "pseudonym",
        "2.5.4.72" => "role",
        "2.5.4.97" => "organizationIdentifier",
        "1.2.840.113549.1.9.1" => "emailAddress",
        "1.2.840.113549.1.9.2" => "unstructuredName",
        "1.2.840.113549.1.9.8" => "unstructuredAddress",
        "0.9.2342.19200300.100.1.1" => "UID",
        "0.9.2342.19200300.100.1.25" => "DC",
        "1.3.6.1.4.1.311.60.2.1.1" => "jurisdictionL",
        "1.3.6.1.4.1.311.60.2.1.2" => "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.3" => "jurisdictionC",
        _ => return None,
    })
}

/// `/type=value` for every attribute, in certificate order, as `X509_NAME_oneline` writes it:
/// short names (dotted OID when unknown), bytes outside printable ASCII as `\xHH`.
pub fn one_line(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for attr in name.iter_attributes() {
        let oid = attr.attr_type().to_id_string();
        out.push('/');
        out.push_str(short_name(&oid).unwrap_or(&oid));
        out.push('=');
        push_value(&mut out, attr);
        if out.len() > MAX_NAME {
            let mut cut = MAX_NAME;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            out.push_str("...");
            break;
        }
    }
    out
}

fn push_value(out: &mut String, attr: &AttributeTypeAndValue<'_>) {
    let value = attr.attr_value();
    let data = value.data;
    let narrowed: Vec<u8>;
    // Like OpenSSL, wide strings whose high bytes are all zero are shown by their low bytes.
    let bytes: &[u8] = match value.tag() {
        Tag::BmpString if data.len() % 2 == 0 && data.chunks(2).all(|c| c.first() == Some(&0)) => {
            narrowed = data.chunks(2).filter_map(|c| c.get(1).copied()).collect();
            &narrowed
        }
        Tag::UniversalString if data.len() % 4 == 0 && data.chunks(4).all(|c| c.get(..3) == Some(&[0, 0, 0])) => {
            narrowed = data.chunks(4).filter_map(|c| c.get(3).copied()).collect();
            &narrowed
        }
        _ => data,
    };
    for &b in bytes.iter().take(MAX_NAME) {
        if (b' '..=b'~').contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
}

/// One subjectAltName entry: `DNS:host`, `IP:10.0.0.1`, `email:a@b`, `URI:...`, `DirName:/CN=...`.
pub fn general_name(gn: &GeneralName<'_>) -> String {
    match gn {
        GeneralName::DNSName(s) => format!("DNS:{s}"),
        GeneralName::RFC822Name(s) => format!("email:{s}"),
        GeneralName::URI(s) => format!("URI:{s}"),
        GeneralName::IPAddress(b) => format!("IP:{}", ip(b)),
        GeneralName::DirectoryName(n) => format!("DirName:{}", one_line(n)),
        GeneralName::RegisteredID(oid) => format!("RID:{}", oid.to_id_string()),
        GeneralName::OtherName(oid, _) => format!("othername:{}", oid.to_id_string()),
        GeneralName::X400Address(_) => "X400Name:<unsupported>".into(),
        GeneralName::EDIPartyName(_) => "EdiPartyName:<unsupported>".into(),
        GeneralName::Invalid(_, _) => "invalid:<unreadable entry>".into(),
    }
}

fn ip(b: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(b) {
        Ipv4Addr::from(v4).to_string()
    } else if let Ok(v6) = <[u8; 16]>::try_from(b) {
        Ipv6Addr::from(v6).to_string()
    } else {
        format!("<invalid length {}>", b.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_follow_openssl() {
        assert_eq!(short_name("2.5.4.12"), Some("title"));
        assert_eq!(short_name("1.2.840.113549.1.9.2"), Some("unstructuredName"));
        assert_eq!(short_name("0.9.2342.19200300.100.1.25"), Some("DC"));
        assert_eq!(short_name("1.2.3.4"), None);
    }

    #[test]
    fn ip_addresses_both_families() {
        assert_eq!(ip(&[10, 1, 2, 3]), "10.1.2.3");
        let mut v6 = [0u8; 16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = 0xb8;
        v6[15] = 1;
        assert_eq!(ip(&v6), "2001:db8::1");
        assert_eq!(ip(&[1, 2, 3]), "<invalid length 3>");
    }
}
