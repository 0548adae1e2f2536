//! Snapshot tests that pin the table and the JSON rendering on two log samples.

use std::path::PathBuf;

use tlstriage::report::term::Layout;
use tlstriage::report::{render, AnalyzeFormat, Export, View};

fn report(path: &str) -> tlstriage::analyze::Report {
    let mut o = tlstriage::analyze::Options::new(vec![PathBuf::from(path)]);
    o.year = Some(2026);
    o.now = "2026-11-23T00:00:00Z".parse().unwrap();
    tlstriage::analyze::analyze(&o)
}

/// The whole text of `r` (`-v`) at 150 columns, without colour.
fn table(r: &tlstriage::analyze::Report) -> String {
    render(Export::Analysis(AnalyzeFormat::Table, &View { layout: Layout::plain(150), verbose: true, ..View::new(r) }))
}

/// The default text of `r` at 100 columns, without colour.
fn brief(r: &tlstriage::analyze::Report) -> String {
    render(Export::Analysis(AnalyzeFormat::Table, &View { layout: Layout::plain(100), ..View::new(r) }))
}

#[test]
fn default_text_of_the_bundles() {
    let r = report("samples/bundles");
    insta::assert_snapshot!("brief_bundles", brief(&r));
}

/// From 120 columns the overview is a table whose Device → peer and What cells wrap between
/// words, the arrow kept with the device.
#[test]
fn default_text_of_the_bundles_at_120_columns() {
    let r = report("samples/bundles");
    let text = render(Export::Analysis(AnalyzeFormat::Table, &View { layout: Layout::plain(120), ..View::new(&r) }));
    insta::assert_snapshot!("brief_bundles_120", text);
}

#[test]
fn table_rendering_of_the_ftd_expired_ca_sample() {
    let r = report("samples/logs/ftd-expired-ca");
    insta::assert_snapshot!("table_ftd_expired_ca", table(&r));
}

#[test]
fn table_rendering_of_the_tls_proxy_sample() {
    let r = report("samples/logs/tls-proxy");
    insta::assert_snapshot!("table_tls_proxy", table(&r));
}

#[test]
fn json_rendering_of_the_tls_proxy_sample() {
    let r = report("samples/logs/tls-proxy");
    let json = tlstriage::report::json_document(&r).replace(env!("CARGO_PKG_VERSION"), "<version>");
    insta::assert_snapshot!("json_tls_proxy", json);
}
