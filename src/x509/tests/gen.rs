//! Generating test certificates and keys with rcgen.

use rcgen::{date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SignatureAlgorithm};

pub use rcgen::{PKCS_ECDSA_P256_SHA256 as P256, PKCS_ECDSA_P384_SHA384 as P384, PKCS_ED25519 as ED25519};

/// A generated certificate with its key and parameters (to sign others with).
pub struct Made {
    pub der: Vec<u8>,
    pub pem: String,
    pub key: KeyPair,
    pub params: CertificateParams,
}

pub fn key(alg: &'static SignatureAlgorithm) -> KeyPair {
    KeyPair::generate_for(alg).expect("key generation")
}

/// Parameters with subject `CN=cn`, valid 2024-01-01 .. 2026-01-01.
pub fn params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    p.not_before = date_time_ymd(2024, 1, 1);
    p.not_after = date_time_ymd(2026, 1, 1);
    p
}

pub fn self_signed(params: CertificateParams, alg: &'static SignatureAlgorithm) -> Made {
    let key = key(alg);
    let cert = params.self_signed(&key).expect("self-signed");
    Made { der: cert.der().to_vec(), pem: cert.pem(), key, params }
}

/// A self-signed CA certificate.
pub fn ca(cn: &str, alg: &'static SignatureAlgorithm) -> Made {
    let mut p = params(cn);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    self_signed(p, alg)
}

/// A certificate with `params` signed by `issuer`.
pub fn signed(params: CertificateParams, alg: &'static SignatureAlgorithm, issuer: &Made) -> Made {
    let key = key(alg);
    let iss = Issuer::from_params(&issuer.params, &issuer.key);
    let cert = params.signed_by(&key, &iss).expect("signed");
    Made { der: cert.der().to_vec(), pem: cert.pem(), key, params }
}
