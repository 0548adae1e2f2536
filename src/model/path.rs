//! Display paths: where an input sits, `outer.tar.gz!/dir/inner.gz!/file` inside archives.
//!
//! Every level of archive nesting adds `!/` and the member's name. This type is the one place
//! that builds and takes apart that form; the rest of the program keeps display paths as plain
//! strings (in [`Evidence`](super::Evidence), [`Source`](super::Source), the JSON) and looks at
//! them through [`DisplayPath`].
//!
//! The form cannot be forged: a file or folder name that ends in `!` (a folder literally named
//! `bundle.tar.gz!` beside the bundle) is written with a `\` after it, in a path on disk as in a
//! member's name, so `!/` only ever stands between an archive and its member. A name that
//! already ends in `!\` or `\\` gets one more `\`, so two different places never print the same.

/// Joins the levels of an archive path.
pub const SEP: &str = "!/";

/// Longest member name kept in a display path; longer names are cut.
const MAX_MEMBER: usize = 4096;

/// A display path seen as its levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayPath<'a>(&'a str);

impl<'a> DisplayPath<'a> {
    pub fn new(path: &'a str) -> Self {
        DisplayPath(path)
    }

    /// The display path of member `inner` of the archive at `outer`: `outer!/inner`, with a
    /// leading `./` or `/` dropped, control characters replaced by `?`, the name capped and each
    /// of its parts escaped as the module says.
    pub fn join(outer: &str, inner: &[u8]) -> String {
        let inner = String::from_utf8_lossy(inner);
        let inner = inner.trim_start_matches("./").trim_start_matches('/');
        let capped: String = inner.chars().take(MAX_MEMBER).map(|c| if c.is_control() { '?' } else { c }).collect();
        let mut s = String::with_capacity(outer.len() + SEP.len() + capped.len());
        s.push_str(outer);
        s.push_str(SEP);
        s.push_str(&escaped(&capped));
        s
    }

    /// The display path of a file on disk (a path given on the command line or found in a
    /// folder): its parts escaped as the module says, so it never reads as an archive member.
    pub fn of_file(path: &std::path::Path) -> String {
        escaped(&path.display().to_string())
    }

    /// The path on disk that [`of_file`](Self::of_file) wrote as `shown` (the top of a display
    /// path, for a command that names the file again).
    pub fn file_path(shown: &str) -> std::path::PathBuf {
        let parts: Vec<&str> = shown
            .split('/')
            .map(|part| match part.strip_suffix('\\') {
                Some(name) if name.ends_with(['!', '\\']) => name,
                _ => part,
            })
            .collect();
        std::path::PathBuf::from(parts.join("/"))
    }

    pub fn as_str(self) -> &'a str {
        self.0
    }

    /// Whether the path names a member of an archive.
    pub fn in_archive(self) -> bool {
        self.0.contains(SEP)
    }

    /// The file given on the command line: the text before the first `!/` (the whole path for
    /// a plain file).
    pub fn top(self) -> &'a str {
        self.outermost_archive().unwrap_or(self.0)
    }

    /// The outermost archive (`a.tar.gz!/x/y` → `a.tar.gz`), when the path is inside one.
    pub fn outermost_archive(self) -> Option<&'a str> {
        self.0.split_once(SEP).map(|(outer, _)| outer)
    }

    /// The innermost archive, the one the member itself sits in (`a.tgz!/b.tgz!/f` → `a.tgz!/b.tgz`).
    pub fn innermost_archive(self) -> Option<&'a str> {
        self.0.rfind(SEP).map(|i| &self.0[..i])
    }

    /// `p` (an absolute path of the device, `/etc/sf/...`) as a display path inside the same
    /// innermost archive as this path; `p` unchanged for a plain file.
    pub fn sibling(self, p: &str) -> String {
        match self.innermost_archive() {
            Some(archive) => format!("{archive}!{p}"),
            None => p.to_string(),
        }
    }

    /// The archives holding the path, innermost first (`a!/b!/c` → `a!/b`, `a`).
    pub fn archives(self) -> impl Iterator<Item = &'a str> {
        let path = self.0;
        let mut end = path.len();
        std::iter::from_fn(move || {
            let pos = path[..end].rfind(SEP)?;
            end = pos;
            Some(&path[..pos])
        })
    }
}

/// `path` with a `\` after every part that ends in `!` or `\` (the parts are what lies between
/// `/`s): afterwards no `!` stands before a `/`, and different paths stay different.
fn escaped(path: &str) -> String {
    if !path.contains(['!', '\\']) {
        return path.to_string();
    }
    let parts: Vec<String> = path
        .split('/')
        .map(|part| if part.ends_with(['!', '\\']) { format!("{part}\\") } else { part.to_string() })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_a_nested_member() {
        let p = DisplayPath::new("case.tar.gz!/results/ftd.tgz!/var/log/messages");
        assert!(p.in_archive());
        assert_eq!(p.top(), "case.tar.gz");
        assert_eq!(p.outermost_archive(), Some("case.tar.gz"));
        assert_eq!(p.innermost_archive(), Some("case.tar.gz!/results/ftd.tgz"));
        assert_eq!(p.archives().collect::<Vec<_>>(), ["case.tar.gz!/results/ftd.tgz", "case.tar.gz"]);
        assert_eq!(p.sibling("/etc/sf/sftunnel.conf"), "case.tar.gz!/results/ftd.tgz!/etc/sf/sftunnel.conf");
    }

    #[test]
    fn a_plain_file_has_no_archive() {
        let p = DisplayPath::new("/tmp/messages");
        assert!(!p.in_archive());
        assert_eq!(p.top(), "/tmp/messages");
        assert_eq!(p.outermost_archive(), None);
        assert_eq!(p.innermost_archive(), None);
        assert_eq!(p.archives().count(), 0);
        assert_eq!(p.sibling("/etc/sf/ca.pem"), "/etc/sf/ca.pem");
    }

    #[test]
    fn members_are_joined_without_leading_slash_or_control_characters() {
        assert_eq!(DisplayPath::join("a.tar", b"./x/y"), "a.tar!/x/y");
        assert_eq!(DisplayPath::join("a.tar", b"/etc/sf/ca.pem"), "a.tar!/etc/sf/ca.pem");
        assert_eq!(DisplayPath::join("a.tar", b"evil\x1b[2Jname\n"), "a.tar!/evil?[2Jname?");
        let long = vec![b'n'; 5000];
        assert_eq!(DisplayPath::join("a", &long).len(), "a!/".len() + 4096);
    }

    #[test]
    fn a_folder_named_like_an_archive_never_prints_as_its_member() {
        use std::path::Path;
        // The bundle's own member and a real folder literally named `fmc-hq-01.tar.gz!`.
        let member = DisplayPath::join("case/fmc-hq-01.tar.gz", b"results/dir-archives/cacert.pem");
        let forged = DisplayPath::of_file(Path::new("case/fmc-hq-01.tar.gz!/results/dir-archives/cacert.pem"));
        assert_eq!(member, "case/fmc-hq-01.tar.gz!/results/dir-archives/cacert.pem");
        assert_eq!(forged, "case/fmc-hq-01.tar.gz!\\/results/dir-archives/cacert.pem");
        assert!(!DisplayPath::new(&forged).in_archive());
        assert_eq!(DisplayPath::new(&forged).top(), forged);
        // A member named with `!/` inside an archive does not make a nested archive either.
        let nested = DisplayPath::join("case.tar", b"x.tar.gz!/results/file");
        assert_eq!(nested, "case.tar!/x.tar.gz!\\/results/file");
        assert_eq!(DisplayPath::new(&nested).innermost_archive(), Some("case.tar"));
        // Names that already end in the escape stay apart from the escaped ones.
        let paths = ["a!/f", "a!\\/f", "a\\/f", "a\\\\/f", "a/f", "a!", "a", "x/file.tar.gz"];
        let shown: Vec<String> = paths.iter().map(|p| DisplayPath::of_file(Path::new(p))).collect();
        let distinct: std::collections::HashSet<&String> = shown.iter().collect();
        assert_eq!(distinct.len(), shown.len(), "{shown:?}");
        for (p, s) in paths.iter().zip(&shown) {
            assert_eq!(DisplayPath::file_path(s), Path::new(p), "{s}");
            assert!(!s.contains(SEP), "{s}");
        }
        assert_eq!(DisplayPath::of_file(Path::new("x/file.tar.gz")), "x/file.tar.gz", "plain names stay as they are");
    }
}
