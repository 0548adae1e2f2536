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
