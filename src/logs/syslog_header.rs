//! The RFC 3164 header of a syslog line (`<PRI>Mon dd HH:MM:SS host tag[pid]: text`), read by
//! hand: it runs once per candidate line of logs that reach gigabytes.

use super::text::{blanks1_at, blanks_at, bracketed_at, run_of, word_end};

/// The parts of an RFC 3164 line.
#[derive(Debug, PartialEq, Eq)]
pub struct Header<'a> {
    pub month: i8,
    pub day: i8,
    pub hour: i8,
    pub minute: i8,
    pub second: i8,
    pub host: &'a str,
    pub tag: &'a str,
    pub pid: Option<u32>,
    /// The text after `tag[pid]: `.
    pub rest: &'a str,
}

/// One or two digits at `p`: the value and the position after them.
fn num2_at(b: &[u8], p: usize) -> Option<(i8, usize)> {
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| (c - b'0') as i8);
    let first = digit(p)?;
    Some(match digit(p + 1) {
        Some(second) => (first * 10 + second, p + 2),
        None => (first, p + 1),
    })
}

/// The month a three-letter name stands for, from 1.
pub(crate) fn month_of(name: &[u8]) -> Option<i8> {
    Some(match name {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

fn expect(b: &[u8], p: usize, c: u8) -> Option<usize> {
    (b.get(p) == Some(&c)).then_some(p + 1)
}

/// The RFC 3164 header, read by hand (this runs once per candidate line; the nom version it
/// replaced is kept in the tests as the reference it must agree with).
fn header(i: &str) -> Option<Header<'_>> {
    let b = i.as_bytes();
    let mut p = 0;
    if b.first() == Some(&b'<') {
        let n = run_of(b, 1, usize::MAX, |c| c.is_ascii_digit());
        if n > 0 && b.get(1 + n) == Some(&b'>') {
            p = 2 + n;
        }
    }
    let month = month_of(b.get(p..p + 3)?)?;
    p = blanks1_at(b, p + 3)?;
    let (day, q) = num2_at(b, p)?;
    p = blanks1_at(b, q)?;
    let (hour, q) = num2_at(b, p)?;
    let (minute, q) = num2_at(b, expect(b, q, b':')?)?;
    let (second, q) = num2_at(b, expect(b, q, b':')?)?;
    p = blanks1_at(b, q)?;
    // The host ends at any whitespace (the rest of the line is valid UTF-8, `p` a boundary).
    let host_end = word_end(i, p);
    if host_end == p {
        return None;
    }
    let host = i.get(p..host_end)?;
    p = blanks1_at(b, host_end)?;
    let tag_len = run_of(b, p, usize::MAX, |c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/'));
    if tag_len == 0 {
        return None;
    }
    let tag = i.get(p..p + tag_len)?;
    p += tag_len;
    let mut pid = None;
    if let Some((digits, after)) = bracketed_at(i, p, |c| c.is_ascii_digit()) {
        if let Ok(v) = digits.parse::<u32>() {
            pid = Some(v);
            p = after;
        }
    }
    p = blanks_at(b, expect(b, p, b':')?);
    let rest = i.get(p..)?;
    Some(Header { month, day, hour, minute, second, host, tag, pid, rest })
}

/// Parse the RFC 3164 part of a line; `None` when it is not one (or a field is out of range).
pub fn parse_header(line: &str) -> Option<Header<'_>> {
    let h = header(line)?;
    let ok = (1..=31).contains(&h.day) && h.hour < 24 && h.minute < 60 && h.second <= 60;
    ok.then_some(h)
}

/// Whether one line looks like RFC 3164 syslog (any program).
pub fn looks_like(line: &str) -> bool {
    parse_header(line).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nom::bytes::complete::{take_while1, take_while_m_n};
    use nom::character::complete::{char, digit1, space0, space1};
    use nom::combinator::{map_res, opt};
    use nom::sequence::delimited;
    use nom::{IResult, Parser};
    use proptest::prelude::*;

    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    fn month(i: &str) -> IResult<&str, i8> {
        let (rest, m) = take_while_m_n(3, 3, |c: char| c.is_ascii_alphabetic()).parse(i)?;
        match MONTHS.iter().position(|x| *x == m) {
            Some(p) => Ok((rest, p as i8 + 1)),
            None => Err(nom::Err::Error(nom::error::Error::new(i, nom::error::ErrorKind::Tag))),
        }
    }

    fn num2(i: &str) -> IResult<&str, i8> {
        map_res(take_while_m_n(1, 2, |c: char| c.is_ascii_digit()), str::parse::<i8>).parse(i)
    }

    /// The nom parser the hand-written one replaced: the reference.
    fn nom_header(i: &str) -> IResult<&str, Header<'_>> {
        let (i, _) = opt(delimited(char('<'), digit1, char('>'))).parse(i)?;
        let (i, month) = month(i)?;
        let (i, _) = space1(i)?;
        let (i, day) = num2(i)?;
        let (i, _) = space1(i)?;
        let (i, (hour, _, minute, _, second)) = (num2, char(':'), num2, char(':'), num2).parse(i)?;
        let (i, _) = space1(i)?;
        let (i, host) = take_while1(|c: char| !c.is_whitespace()).parse(i)?;
        let (i, _) = space1(i)?;
        let (i, tag) = take_while1(|c: char| c.is_ascii_alphanumeric() || "-_./".contains(c)).parse(i)?;
        let (i, pid) = opt(delimited(char('['), map_res(digit1, str::parse::<u32>), char(']'))).parse(i)?;
        let (i, _) = char(':').parse(i)?;
        let (rest, _) = space0(i)?;
        Ok((rest, Header { month, day, hour, minute, second, host, tag, pid, rest }))
    }

    proptest! {
        #[test]
        fn hand_parser_agrees_with_nom(
            pri in prop::option::of("<[0-9]{0,3}>?"),
            mon in "(Jan|Sep|Dec|Foo|jan|Se)",
            sp in "[ \t]{0,2}",
            day in "[0-9]{0,3}",
            time in "[0-9]{1,2}:[0-9]{1,3}:[0-9]{0,2}",
            host in "[a-zA-Z0-9\u{a0}\u{2003}\u{85}\u{b}\u{c}\u{1f}é-]{0,6}",
            sp2 in "[ \t\u{a0}]{0,2}",
            tag in "[A-Za-z0-9_./-]{0,5}",
            pid in prop::option::of("\\[[0-9]{0,11}\\]?"),
            colon in "[: ]{0,2}",
            rest in ".{0,8}",
        ) {
            let line = format!("{}{mon}{sp}{day} {time}{sp}{host}{sp2}{tag}{}{colon}{rest}",
                pri.unwrap_or_default(), pid.unwrap_or_default());
            prop_assert_eq!(header(&line), nom_header(&line).ok().map(|(_, h)| h));
        }
    }

    #[test]
    fn hand_parser_agrees_with_nom_on_edges() {
        for l in [
            "Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] x",
            "<13>Feb 28 23:59:59 ftd kernel: eth0 link up",
            "<13Feb 28 23:59:59 ftd kernel: x",
            "Sep 20 04:10:47 h p[99999999999]: x",
            "Sep 20 04:10:47 h p[12: x",
            "Sep 20 04:10:47 h\u{a0}p: x",
            "Sep 20 04:10:47 hé p:x",
            "Sept 20 04:10:47 h p: x",
            "Sep 200 04:10:47 h p: x",
            "Sep 20 4:1:7 h p:",
            "",
            "Sep",
        ] {
            assert_eq!(header(l), nom_header(l).ok().map(|(_, h)| h), "{l}");
        }
    }

    #[test]
    fn header_of_seed_line() {
        let l = "Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ssl [INFO] Initiating";
        let h = parse_header(l).expect("header");
        assert_eq!((h.month, h.day, h.hour, h.minute, h.second), (9, 20, 4, 10, 47));
        assert_eq!((h.host, h.tag, h.pid), ("FTD-hostname", "SF-IMS", Some(50792)));
        assert_eq!(h.rest, "[51982] sftunneld:sf_ssl [INFO] Initiating");
    }

    #[test]
    fn looks_like_any_program() {
        assert!(looks_like("Jan  3 00:00:01 fmc01 crond[811]: (root) CMD (run-parts /etc/cron.hourly)"));
        assert!(looks_like("<13>Feb 28 23:59:59 ftd kernel: eth0 link up"));
        assert!(!looks_like("2014-02-05 05:21:42,189 INFO TLS_Proxy - x"));
        assert!(!looks_like("Foo 20 04:10:47 host prog: x"));
        assert!(!looks_like("Sep 32 04:10:47 host prog: x"));
        assert!(!looks_like(""));
    }
}
