//! Certificates made for a test with rcgen (PEM text; the keys are thrown away).

use rcgen::{BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, KeyPair};

/// A self-signed certificate whose subject is only `CN=cn`, valid from `not_before` to
/// `not_after` (year, month, day; midnight UTC).
pub fn self_signed(cn: &str, not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> String {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
    p.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    p.self_signed(&KeyPair::generate().expect("key")).expect("certificate").pem()
}

/// A self-signed certificate (DER) for `cn`, valid from 2026 to 2036, carrying a private
/// extension of `ext` bytes of `A` (to make it as big as a test needs).
pub fn with_extension(cn: &str, ext: usize) -> Vec<u8> {
    let mut p = CertificateParams::new(vec![format!("{cn}.example")]).expect("params");
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, cn);
    p.distinguished_name = dn;
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2036, 1, 1);
    p.custom_extensions.push(rcgen::CustomExtension::from_oid_content(&[1, 3, 6, 1, 4, 1, 99999, 1], vec![0x41; ext]));
    p.self_signed(&KeyPair::generate().expect("key")).expect("certificate").der().to_vec()
}

/// `der` as a PEM certificate block (base64 in lines of 64).
pub fn pem_of(der: &[u8]) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = Vec::new();
    for chunk in der.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            text.push(if i <= chunk.len() { B64[(n >> (18 - 6 * i) & 63) as usize] } else { b'=' });
        }
    }
    let lines: Vec<&str> = text.chunks(64).map(|l| std::str::from_utf8(l).unwrap()).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

/// The parameters of an InternalCA as an FMC makes it (title, OU, CN = the FMC's UUID, O),
/// valid from `not_before` to `not_after`.
pub fn internal_ca_params(fmc_uuid: &str, not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> CertificateParams {
    let mut p = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CustomDnType(vec![2, 5, 4, 12]), "InternalCA");
    dn.push(DnType::OrganizationalUnitName, "Intrusion Management System");
    dn.push(DnType::CommonName, fmc_uuid);
    dn.push(DnType::OrganizationName, "Sourcefire, Inc.");
    p.distinguished_name = dn;
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.not_before = rcgen::date_time_ymd(not_before.0, not_before.1, not_before.2);
    p.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    p
}

/// A self-made InternalCA (PEM) for `fmc_uuid`.
pub fn internal_ca(fmc_uuid: &str, not_before: (i32, u8, u8), not_after: (i32, u8, u8)) -> String {
    internal_ca_params(fmc_uuid, not_before, not_after)
        .self_signed(&KeyPair::generate().expect("key"))
        .expect("CA")
        .pem()
}
