//! Long JSON arrays (handshakes, certificates) written exactly as `serde_json`'s pretty printer
//! would, but with the items rendered in parallel, window by window, and handed to the output
//! piece by piece: no second copy of a long list in memory.

use rayon::prelude::*;
use serde::Serialize;

/// Write `items` as a whole JSON document: the array at the top level and a final newline (the
/// JSON forms of the `certs` and `handshakes` listings).
pub fn write_document<T: Serialize + Sync>(out: &mut dyn std::io::Write, items: &[T]) -> std::io::Result<()> {
    write_to(out, items, 0)?;
    out.write_all(b"\n")
}

/// `items` as a JSON array nested `level` deep, written to `out` (see [`write_pretty_array`]):
/// the first write error is returned as it was.
pub fn write_to<T: Serialize + Sync>(out: &mut dyn std::io::Write, items: &[T], level: usize) -> std::io::Result<()> {
    let mut text = IoText(out, None);
    let r = write_pretty_array(&mut text, items, level);
    match (r, text.1) {
        (_, Some(e)) => Err(e),
        (Err(_), None) => Err(std::io::Error::other("cannot render the JSON array")),
        (Ok(()), None) => Ok(()),
    }
}

/// Items rendered by one parallel task.
const CHUNK: usize = 256;

/// Render `items` in windows of a few chunks per thread, the chunks of a window in parallel,
/// handing each rendered chunk to `sink` in order: memory holds one window, not the whole text.
fn render_items<T: Serialize + Sync>(items: &[T], level: usize, mut sink: impl FnMut(&str)) {
    let pad = "  ".repeat(level + 1);
    let window = CHUNK * 2 * rayon::current_num_threads().max(1);
    // Each chunk's buffer starts at the size of the largest chunk before it: a long list is
    // then written without growing (and copying) every buffer step by step.
    let mut room = 0;
    for (w, win) in items.chunks(window).enumerate() {
        let parts: Vec<String> = win
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut out = Vec::with_capacity(room);
                for (i, item) in chunk.iter().enumerate() {
                    if i > 0 {
                        out.extend_from_slice(b",\n");
                    }
                    out.extend_from_slice(pad.as_bytes());
                    let fmt = Nested { level: level + 1, has_value: false };
                    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
                    item.serialize(&mut ser).expect("item serializes");
                }
                String::from_utf8(out).expect("serde_json writes UTF-8")
            })
            .collect();
        for (i, part) in parts.iter().enumerate() {
            if w > 0 || i > 0 {
                sink(",\n");
            }
            sink(part);
        }
        room = parts.iter().map(String::len).max().unwrap_or(0);
    }
}

/// serde_json's pretty layout (two spaces per level) for a value that sits `level` deep.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }
    fn entry<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.entry(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// `items` as a pretty-printed JSON array nested `level` deep, exactly as `serde_json`'s pretty
/// printer writes it, with the items rendered in parallel (long handshake lists dominate the
/// output time otherwise).
pub fn pretty_array<T: Serialize + Sync>(items: &[T], level: usize) -> String {
    let mut s = String::new();
    let _ = write_pretty_array(&mut s, items, level);
    s
}

/// [`pretty_array`] written to `out` piece by piece (no copy of the whole text in memory).
pub fn write_pretty_array<T: Serialize + Sync>(
    out: &mut impl std::fmt::Write,
    items: &[T],
    level: usize,
) -> std::fmt::Result {
    if items.is_empty() {
        return out.write_str("[]");
    }
    let mut result = out.write_str("[\n");
    render_items(items, level, |piece| {
        if result.is_ok() {
            result = out.write_str(piece);
        }
    });
    result?;
    out.write_str("\n")?;
    out.write_str(&"  ".repeat(level))?;
    out.write_str("]")
}

/// Adapts an `io::Write` (stdout) to [`write_pretty_array`].
/// The first write error is kept in `.1`, so that the caller can tell a closed pipe from a full
/// disk.
pub struct IoText<W: std::io::Write>(pub W, pub Option<std::io::Error>);

impl<W: std::io::Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write_all(s.as_bytes()).map_err(|e| {
            self.1.get_or_insert(e);
            std::fmt::Error
        })
    }
}

#[cfg(test)]
mod tests {
    use super::pretty_array;

    #[test]
    fn parallel_array_is_byte_identical_to_serde_json() {
        let items: Vec<serde_json::Value> = (0..600)
            .map(|i| serde_json::json!({"n": i, "s": format!("a\"b\n{i}"), "v": [1, {"x": []}], "e": {}}))
            .collect();
        assert_eq!(pretty_array(&items, 0), serde_json::to_string_pretty(&items).unwrap());
        let doc = serde_json::json!({"a": 1, "list": items});
        let nested = format!("{{\n  \"a\": 1,\n  \"list\": {}\n}}", pretty_array(&items, 1));
        assert_eq!(nested, serde_json::to_string_pretty(&doc).unwrap());
        // Several windows of parallel chunks.
        let many: Vec<serde_json::Value> = (0..super::CHUNK * 5 * rayon::current_num_threads() + 7)
            .map(|i| serde_json::json!({"i": i, "list": [i, "x"]}))
            .collect();
        assert_eq!(pretty_array(&many, 0), serde_json::to_string_pretty(&many).unwrap());
        let empty: Vec<u8> = Vec::new();
        assert_eq!(pretty_array(&empty, 0), "[]");
    }
}
