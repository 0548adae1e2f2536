//! Snapshot tests that pin the table and the JSON rendering on two log samples.

use std::path::PathBuf;

fn report(path: &str) -> tlstriage::analyze::Report {
    let mut o = tlstriage::analyze::Options::new(vec![PathBuf::from(path)]);
    o.year = Some(2026);
    o.now = "2026-11-23T00:00:00Z".parse().unwrap();
    tlstriage::analyze::analyze(&o)
}

#[test]
fn table_rendering_of_the_ftd_expired_ca_sample() {
    let r = report("samples/logs/ftd-expired-ca");
    insta::assert_snapshot!("table_ftd_expired_ca", tlstriage::report::table::render(&r, Some(150)));
}

#[test]
fn table_rendering_of_the_tls_proxy_sample() {
    let r = report("samples/logs/tls-proxy");
    insta::assert_snapshot!("table_tls_proxy", tlstriage::report::table::render(&r, Some(150)));
}

#[test]
fn json_rendering_of_the_tls_proxy_sample() {
    let r = report("samples/logs/tls-proxy");
    let json = tlstriage::report::json::render(&r).replace(env!("CARGO_PKG_VERSION"), "<version>");
    insta::assert_snapshot!("json_tls_proxy", json);
}
