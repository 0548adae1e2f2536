//! The `html` fuzz target: arbitrary bytes read as one input (the first byte picks the name it
//! is read under, and so the reader), analysed, and the HTML report rendered. Whatever the bytes,
//! the page may hold only the markup the renderer writes itself: the elements and attributes of
//! the lists below, one script and one stylesheet, no event handler, no link, and style
//! attributes of plain declarations (letters, digits and `:;.%-` only: no `url(`, quote or
//! escape). Input text that became markup fails here (by panicking, which is what the fuzzer
//! looks for).

use crate::analyze::{analyze_bytes, Options};
use crate::report::{html::Html, Exporter, View};

/// The names an input is read under: one per reader the sniffers tell apart by name.
const NAMES: &[&str] = &[
    "messages",
    "tls_proxy.log",
    "pasted.txt",
    "FAILED_PUSH",
    "cacert.pem",
    "s_client.txt",
    "sftunnel-status.txt",
    "ims.conf",
    "sftunnel.conf",
    "capture.pcap",
    "bundle.tar.gz",
];

/// Every element the renderer writes.
const ELEMENTS: &[&str] = &[
    "!DOCTYPE", "article", "body", "button", "circle", "code", "dd", "details", "div", "dl", "dt", "em", "fieldset",
    "form", "g", "h1", "h2", "h3", "h4", "head", "header", "html", "input", "label", "legend", "li", "line", "meta",
    "ol", "p", "path", "rect", "script", "section", "span", "strong", "style", "summary", "svg", "table", "tbody",
    "td", "text", "th", "thead", "title", "tr", "ul",
];

/// Every attribute the renderer writes, besides `data-*` and `aria-*`.
const ATTRIBUTES: &[&str] = &[
    "charset",
    "checked",
    "class",
    "content",
    "cx",
    "cy",
    "d",
    "height",
    "id",
    "lang",
    "name",
    "r",
    "role",
    "style",
    "text-anchor",
    "title",
    "transform",
    "type",
    "value",
    "viewBox",
    "width",
    "x",
    "x1",
    "x2",
    "xmlns",
    "y",
    "y1",
    "y2",
];

/// Read `data` as one input, render the page and check its markup.
pub fn run(data: &[u8]) {
    let Some((&pick, body)) = data.split_first() else { return };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let mut opts = Options::new(Vec::new());
    opts.now = "2026-11-23T00:00:00Z".parse().expect("a valid time");
    opts.limits.max_uncompressed = 8 << 20;
    opts.limits.max_entries = 1000;
    opts.limits.max_depth = 4;
    let report = analyze_bytes(name, body, &opts);
    let mut page = Vec::new();
    Html(&View::new(&report)).write(&mut page).expect("writing to memory");
    let page = String::from_utf8(page).expect("the page is UTF-8");
    check_markup(&page);
}

/// Panic unless every tag of `page` is one the renderer writes (see the module's header).
pub fn check_markup(page: &str) {
    let mut rest = page;
    let mut scripts = 0;
    while let Some(at) = rest.find('<') {
        let tag_end =
            rest[at..].find('>').map(|e| at + e).unwrap_or_else(|| panic!("an unclosed tag: {}", &rest[at..]));
        let tag = &rest[at + 1..tag_end];
        let name_and_attrs = tag.strip_prefix('/').unwrap_or(tag);
        let name_end = name_and_attrs.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(name_and_attrs.len());
        let name = &name_and_attrs[..name_end];
        assert!(ELEMENTS.contains(&name), "an element the renderer does not write: <{tag}>");
        if name == "!DOCTYPE" {
            assert_eq!(tag, "!DOCTYPE html", "a doctype the renderer does not write");
        } else if !tag.starts_with('/') {
            check_attributes(name, &name_and_attrs[name_end..]);
        }
        rest = &rest[tag_end + 1..];
        // The stylesheet and the script are our own constant texts: skip to their end tags.
        if let Some(raw @ ("script" | "style")) = (!tag.starts_with('/')).then_some(name) {
            scripts += usize::from(raw == "script");
            let close = format!("</{raw}>");
            let end = rest.find(&close).unwrap_or_else(|| panic!("<{raw}> without its end"));
            rest = &rest[end..];
        }
    }
    assert_eq!(scripts, 1, "one script, ours");
}

/// Check the attributes of one start tag (the text after its name).
fn check_attributes(element: &str, mut attrs: &str) {
    loop {
        attrs = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if attrs.is_empty() {
            return;
        }
        let name_end = attrs.find(|c: char| c.is_whitespace() || c == '=' || c == '/').unwrap_or(attrs.len());
        let name = &attrs[..name_end];
        let known = ATTRIBUTES.contains(&name) || name.starts_with("data-") || name.starts_with("aria-");
        assert!(known && !name.starts_with("on"), "<{element}> has an attribute the renderer does not write: {name}");
        attrs = &attrs[name_end..];
        if let Some(value) = attrs.strip_prefix("=\"") {
            let end = value.find('"').unwrap_or_else(|| panic!("<{element} {name}> value without its end"));
            if name == "style" {
                let value = &value[..end];
                let allowed = |c: char| c.is_ascii_alphanumeric() || ":;.%- ".contains(c);
                assert!(value.chars().all(allowed), "<{element}> has a style the renderer does not write: {value}");
            }
            attrs = &value[end + 1..];
        } else {
            assert!(!attrs.starts_with('='), "<{element} {name}> has an unquoted value");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_finds_markup_from_an_input() {
        let ok = "<html><body class=\"x\"><p data-kind=\"a\">&lt;b&gt;</p><script>if (a < b) {}</script></body></html>";
        check_markup(ok);
        for bad in [
            "<html><b>bold</b><script></script></html>",
            "<html><p onclick=\"x()\"></p><script></script></html>",
            "<html><p style=\"background:url(x)\"></p><script></script></html>",
            "<html><a href=\"https://evil.example\"></a><script></script></html>",
            "<html><p></p></html>",
            "<html><script></script><script></script></html>",
        ] {
            assert!(std::panic::catch_unwind(|| check_markup(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_samples_page_passes_the_check() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut opts = Options::new(vec![root.join("samples")]);
        opts.now = "2026-11-23T00:00:00Z".parse().unwrap();
        let report = crate::analyze::analyze(&opts);
        let mut page = Vec::new();
        Html(&View::new(&report)).write(&mut page).unwrap();
        check_markup(&String::from_utf8(page).unwrap());
    }
}
