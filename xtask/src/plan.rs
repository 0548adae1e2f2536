//! One TLS connection to record: which versions and suites each side allows, what each side
//! presents and trusts, then the rustls configs built from that with the deterministic provider
//! and the frozen clock, and the recorded transcript.

use std::sync::Arc;

use anyhow::{Context, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::version::{TLS12, TLS13};
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedCipherSuite, SupportedProtocolVersion};

use crate::crypto::{clock, provider};
use crate::pki::Key;
use crate::tls::{run, StrictValidity, Transcript};
use crate::world::CAPTURE_TIME;

pub const ONLY_12: &[&SupportedProtocolVersion] = &[&TLS12];
pub const ONLY_13: &[&SupportedProtocolVersion] = &[&TLS13];

/// Everything that differs between the recorded connections.
pub struct Plan<'a> {
    /// Seeds the random streams of both sides.
    pub seed: &'a str,
    pub server_name: ServerName<'static>,
    pub client_versions: &'a [&'static SupportedProtocolVersion],
    pub server_versions: &'a [&'static SupportedProtocolVersion],
    pub client_suites: Option<&'a [SupportedCipherSuite]>,
    pub server_suites: Option<&'a [SupportedCipherSuite]>,
    /// Roots the client trusts.
    pub client_roots: Vec<CertificateDer<'static>>,
    pub server_chain: Vec<CertificateDer<'static>>,
    pub server_key: &'a Key,
    /// Client certificate chain and key, for mutual TLS.
    pub client_cert: Option<(Vec<CertificateDer<'static>>, &'a Key)>,
    /// Roots the server accepts client certificates from; `None`: no client authentication.
    pub client_auth_roots: Option<Vec<CertificateDer<'static>>>,
    pub alpn: &'a [&'a [u8]],
    pub max_fragment: Option<usize>,
    /// Application data after the handshake: (from client, bytes).
    pub exchange: &'a [(bool, &'a [u8])],
}

impl<'a> Plan<'a> {
    /// TLS 1.2 on both sides, no client authentication, nothing exchanged.
    pub fn new(seed: &'a str, server_name: ServerName<'static>, server_key: &'a Key) -> Self {
        Self {
            seed,
            server_name,
            client_versions: ONLY_12,
            server_versions: ONLY_12,
            client_suites: None,
            server_suites: None,
            client_roots: Vec::new(),
            server_chain: Vec::new(),
            server_key,
            client_cert: None,
            client_auth_roots: None,
            alpn: &[],
            max_fragment: None,
            exchange: &[],
        }
    }

    fn roots(certs: &[CertificateDer<'static>]) -> Result<Arc<RootCertStore>> {
        let mut store = RootCertStore::empty();
        for c in certs {
            store.add(c.clone()).context("trust anchor")?;
        }
        Ok(Arc::new(store))
    }

    fn client_config(&self) -> Result<ClientConfig> {
        let p = provider(&format!("{}/client", self.seed), self.client_suites, self.client_versions);
        let inner = WebPkiServerVerifier::builder_with_provider(Self::roots(&self.client_roots)?, p.clone())
            .build()
            .context("server verifier")?;
        let b = ClientConfig::builder_with_details(p, clock(CAPTURE_TIME))
            .with_protocol_versions(self.client_versions)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(StrictValidity(inner)));
        let mut cfg = match &self.client_cert {
            Some((chain, key)) => b.with_client_auth_cert(chain.clone(), key.rustls())?,
            None => b.with_no_client_auth(),
        };
        cfg.alpn_protocols = self.alpn.iter().map(|a| a.to_vec()).collect();
        cfg.max_fragment_size = self.max_fragment;
        Ok(cfg)
    }

    fn server_config(&self) -> Result<ServerConfig> {
        let p = provider(&format!("{}/server", self.seed), self.server_suites, self.server_versions);
        let b = ServerConfig::builder_with_details(p.clone(), clock(CAPTURE_TIME))
            .with_protocol_versions(self.server_versions)?;
        let b = match &self.client_auth_roots {
            Some(roots) => {
                let v = WebPkiClientVerifier::builder_with_provider(Self::roots(roots)?, p)
                    .build()
                    .context("client verifier")?;
                b.with_client_cert_verifier(v)
            }
            None => b.with_no_client_auth(),
        };
        let mut cfg = b.with_single_cert(self.server_chain.clone(), self.server_key.rustls())?;
        cfg.alpn_protocols = self.alpn.iter().take(1).map(|a| a.to_vec()).collect();
        cfg.max_fragment_size = self.max_fragment;
        Ok(cfg)
    }

    /// Builds both configs and records the connection.
    pub fn record(&self) -> Result<Transcript> {
        run(self.client_config()?, self.server_config()?, self.server_name.clone(), self.exchange)
    }
}
