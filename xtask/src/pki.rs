//! Certificates for the sample captures, all with Ed25519 keys derived from fixed seeds, fixed
//! serials and fixed validity dates, so every run signs the same bytes. Keys live in memory only.

use std::net::IpAddr;

use anyhow::Result;
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType, SerialNumber, PKCS_ED25519,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};

/// DER prefix of a PKCS#8 v1 Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX: [u8; 16] =
    [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20];

/// A private key kept in memory, derived from a label.
pub struct Key {
    pkcs8: Vec<u8>,
}

impl Key {
    pub fn from_label(label: &str) -> Self {
        let seed = Sha256::digest(format!("tlstriage sample key {label}").as_bytes());
        let mut pkcs8 = ED25519_PKCS8_PREFIX.to_vec();
        pkcs8.extend_from_slice(&seed);
        Self { pkcs8 }
    }

    pub fn rcgen(&self) -> Result<KeyPair> {
        let der = PrivatePkcs8KeyDer::from(self.pkcs8.clone());
        Ok(KeyPair::from_pkcs8_der_and_sign_algo(&der, &PKCS_ED25519)?)
    }

    /// The same key as PKCS#8 v2 (OneAsymmetricKey, RFC 5958/8410): version 1 and the public
    /// key as `[1] IMPLICIT BIT STRING` after the private key.
    pub fn pkcs8_v2(&self) -> Result<Vec<u8>> {
        let public = self.rcgen()?.public_key_raw().to_vec();
        let seed = self.pkcs8.get(ED25519_PKCS8_PREFIX.len()..).unwrap_or_default();
        let mut der = vec![0x30, 0x51, 0x02, 0x01, 0x01];
        der.extend_from_slice(&ED25519_PKCS8_PREFIX[5..]);
        der.extend_from_slice(seed);
        der.extend_from_slice(&[0x81, 0x21, 0x00]);
        der.extend_from_slice(&public);
        anyhow::ensure!(der.len() == 0x53, "unexpected Ed25519 key length {}", der.len());
        Ok(der)
    }

    pub fn rustls(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.pkcs8.clone()))
    }
}

/// Validity window as (year, month, day) pairs.
pub type Window = ((i32, u8, u8), (i32, u8, u8));

/// What a certificate should say about itself.
pub struct Spec<'a> {
    pub dn: &'a [(DnType, &'a str)],
    pub serial: u64,
    pub window: Window,
    pub ca: bool,
    pub dns: &'a [&'a str],
    pub ips: &'a [IpAddr],
}

/// A certificate plus the key that belongs to it.
pub struct Issued {
    pub der: CertificateDer<'static>,
    pub key: Key,
    params: CertificateParams,
}

impl Issued {
    /// The rcgen issuer view of this certificate, for signing others.
    pub fn issuer(&self) -> Result<Issuer<'_, KeyPair>> {
        Ok(Issuer::from_params(&self.params, self.key.rcgen()?))
    }
}

/// The `title` attribute (2.5.4.12) used by the sftunnel InternalCA subject.
pub fn title() -> DnType {
    DnType::CustomDnType(vec![2, 5, 4, 12])
}

fn params(spec: &Spec<'_>) -> Result<CertificateParams> {
    let mut p = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    for (t, v) in spec.dn {
        dn.push(t.clone(), *v);
    }
    p.distinguished_name = dn;
    p.serial_number = Some(SerialNumber::from(spec.serial.to_be_bytes().to_vec()));
    let ((y1, m1, d1), (y2, m2, d2)) = spec.window;
    p.not_before = date_time_ymd(y1, m1, d1);
    p.not_after = date_time_ymd(y2, m2, d2);
    if spec.ca {
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    } else {
        p.is_ca = IsCa::ExplicitNoCa;
        p.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    }
    for d in spec.dns {
        p.subject_alt_names.push(SanType::DnsName((*d).try_into()?));
    }
    for ip in spec.ips {
        p.subject_alt_names.push(SanType::IpAddress(*ip));
    }
    Ok(p)
}

/// Issues a certificate for the key named `label`, signed by `issuer` or by itself.
pub fn issue(label: &str, spec: &Spec<'_>, issuer: Option<&Issued>) -> Result<Issued> {
    let key = Key::from_label(label);
    let p = params(spec)?;
    let own = key.rcgen()?;
    let cert = match issuer {
        Some(i) => p.signed_by(&own, &i.issuer()?)?,
        None => p.self_signed(&own)?,
    };
    Ok(Issued { der: cert.der().clone(), key, params: p })
}

/// Subject of an sftunnel InternalCA with the given UUID as common name.
pub fn internal_ca_dn(uuid: &str) -> Vec<(DnType, &str)> {
    vec![
        (title(), "InternalCA"),
        (DnType::OrganizationalUnitName, "Intrusion Management System"),
        (DnType::CommonName, uuid),
        (DnType::OrganizationName, "Cisco Systems, Inc"),
    ]
}

/// Subject of an sftunnel device certificate (FMC or FTD) with its UUID as common name.
pub fn device_dn(uuid: &str) -> Vec<(DnType, &str)> {
    vec![
        (DnType::OrganizationalUnitName, "Intrusion Management System"),
        (DnType::CommonName, uuid),
        (DnType::OrganizationName, "Cisco Systems, Inc"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_label_same_certificate() {
        let dn = internal_ca_dn("0f0e0d0c-0000-4000-8000-000000000001");
        let spec = Spec { dn: &dn, serial: 7, window: ((2020, 1, 1), (2030, 1, 1)), ca: true, dns: &[], ips: &[] };
        let a = issue("ca", &spec, None).expect("issue");
        let b = issue("ca", &spec, None).expect("issue");
        assert_eq!(a.der.as_ref(), b.der.as_ref());
    }

    #[test]
    fn pkcs8_v2_carries_the_matching_public_key() {
        let key = Key::from_label("v2");
        let v2 = key.pkcs8_v2().expect("v2");
        let public = key.rcgen().expect("key").public_key_raw().to_vec();
        assert_eq!(&v2[..5], &[0x30, 0x51, 0x02, 0x01, 0x01]);
        assert_eq!(&v2[v2.len() - 35..v2.len() - 32], &[0x81, 0x21, 0x00]);
        assert_eq!(&v2[v2.len() - 32..], public.as_slice());
        // ring checks the embedded public key against the seed when it reads a v2 key.
        let parsed = KeyPair::from_pkcs8_der_and_sign_algo(&PrivatePkcs8KeyDer::from(v2.clone()), &PKCS_ED25519);
        assert_eq!(parsed.expect("v2 parses").public_key_raw(), public.as_slice());
        let mut wrong = v2;
        if let Some(last) = wrong.last_mut() {
            *last ^= 1;
        }
        assert!(KeyPair::from_pkcs8_der_and_sign_algo(&PrivatePkcs8KeyDer::from(wrong), &PKCS_ED25519).is_err());
    }
}
