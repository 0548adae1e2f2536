//! OpenSSL verify errors quoted wherever they stand in a line: sftunneld's `err 68:CA signature
//! digest algorithm too weak`, `s_client`'s `verify error:num=10:certificate has expired` and
//! `verify`'s `error 20 at 0 depth lookup: unable to get local issuer certificate`, alone, in
//! quotes, or inside prose (a bug note, a mail).
//!
//! A number alone proves nothing: a quote counts only when OpenSSL's own text for that code
//! follows it (spelled as any OpenSSL version spells it), so `err 5: see above` is not one.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::codes::VerifyCode;

static QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\berr (\d{1,3}):\s?|\bverify error:num=(\d{1,3}):|\berror (\d{1,3}) at (\d{1,3}) depth lookup: ?")
        .expect("verify quote regex")
});

/// One verify error found in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quote {
    /// Where the quote starts in the line, and where OpenSSL's text for the code ends.
    pub start: usize,
    pub end: usize,
    pub code: u32,
    /// The depth `verify` names (`error N at D depth lookup`).
    pub depth: Option<u32>,
    /// Whether it is one of the shapes the `openssl` command line prints at the start of a line
    /// (`verify error:num=`, `error N at D depth lookup`): those are the `openssl` reader's.
    pub openssl_shape: bool,
}

/// OpenSSL's text for `code` at the start of `text`: its length there, when it is.
fn meaning_len(code: u32, text: &str) -> Option<usize> {
    let meaning = VerifyCode(code).meaning()?;
    let got = text.get(..meaning.len())?;
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', " ");
    (norm(got) == norm(meaning)).then_some(meaning.len())
}

/// Every verify error quoted in `line`, in order.
pub(crate) fn quotes(line: &str) -> impl Iterator<Item = Quote> + '_ {
    QUOTE.captures_iter(line).take(64).filter_map(move |c| {
        let whole = c.get(0)?;
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let code = num(1).or(num(2)).or(num(3))?;
        let len = meaning_len(code, &line[whole.end()..])?;
        Some(Quote {
            start: whole.start(),
            end: whole.end() + len,
            code,
            depth: num(4),
            openssl_shape: c.get(1).is_none(),
        })
    })
}

/// Whether `line` quotes a verify error that is not a line of `openssl` output at the start of
/// the line (that one is the `openssl` reader's).
pub(crate) fn quoted_in(line: &str) -> bool {
    quotes(line).any(|q| !(q.openssl_shape && q.start == 0))
}

/// The sftunneld messages a quote at the start of `text` stands for: the depth (when `verify`
/// names it) and `err N:<OpenSSL's text>`, without what follows the quote.
pub(crate) fn as_messages(text: &str) -> Option<Vec<Cow<'_, str>>> {
    let q = quotes(text).next().filter(|q| q.start == 0)?;
    let mut out = Vec::new();
    if let Some(d) = q.depth {
        out.push(Cow::Owned(format!("-Error with certificate at depth: {d}")));
    }
    if q.openssl_shape {
        let meaning = VerifyCode(q.code).meaning().unwrap_or_default();
        out.push(Cow::Owned(format!("err {}:{meaning}", q.code)));
    } else {
        out.push(Cow::Borrowed(&text[..q.end]));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_wherever_they_stand_and_only_with_openssls_text() {
        let prose = "Since Monday the FTD logs \"err 68:CA signature digest algorithm too weak\" every minute.";
        let q: Vec<Quote> = quotes(prose).collect();
        assert_eq!(q.len(), 1);
        assert_eq!(&prose[q[0].start..q[0].end], "err 68:CA signature digest algorithm too weak");
        assert!(quoted_in(prose));
        assert!(quoted_in("> verify error:num=10:certificate has expired"));
        assert!(!quoted_in("verify error:num=10:certificate has expired"));
        assert!(quoted_in("it said error 20 at 0 depth lookup: unable to get local issuer certificate, then quit"));
        assert!(!quoted_in("err 5: see the note above"));
        assert!(!quoted_in("err 10:certificates are fine here"));
        assert!(quoted_in("err 18:self signed certificate"));
    }

    #[test]
    fn quotes_become_the_messages_of_sftunneld() {
        let m = as_messages("error 20 at 0 depth lookup: unable to get local issuer certificate, then quit").unwrap();
        assert_eq!(m, ["-Error with certificate at depth: 0", "err 20:unable to get local issuer certificate"]);
        let m = as_messages("verify error:num=10:certificate has expired").unwrap();
        assert_eq!(m, ["err 10:certificate has expired"]);
        let m = as_messages("err 68:CA signature digest algorithm too weak\" every minute").unwrap();
        assert_eq!(m, ["err 68:CA signature digest algorithm too weak"]);
        assert_eq!(as_messages("SSL handshake failed"), None);
    }
}
