//! The `sftunneld` fields and messages read from real lines, and the hand-written field parser
//! held to the `nom` parser it replaced.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1, space0, space1};
use nom::combinator::{map_res, opt};
use nom::sequence::delimited;
use nom::{IResult, Parser};
use proptest::prelude::*;

use super::*;

/// The nom parser the hand-written one replaced: the reference.
fn nom_sft(i: &str) -> IResult<&str, SftLine<'_>> {
    let (i, tid) = opt(delimited(char('['), map_res(digit1, str::parse::<u64>), char(']'))).parse(i)?;
    let (i, _) = space0(i)?;
    let (i, _) = alt((tag("sftunneld:"), tag("sftunnel:"))).parse(i)?;
    let (i, module) = take_while1(|c: char| !c.is_whitespace()).parse(i)?;
    let (i, _) = space1(i)?;
    let (i, level) = opt(delimited(char('['), take_while1(|c: char| c.is_ascii_alphabetic()), char(']'))).parse(i)?;
    let (message, _) = space0(i)?;
    Ok(("", SftLine { tid, module, level, message: message.trim_end() }))
}

proptest! {
    #[test]
    fn hand_parser_agrees_with_nom(
        tid in prop::option::of("\\[[0-9]{0,21}\\]?"),
        sp in "[ \t\u{a0}]{0,2}",
        program in "(sftunneld:|sftunnel:|sftunnel|sfmgr:)",
        module in "[a-z_1\u{a0}\u{2003}\u{b}\u{c}\u{85}\u{1f}é\r]{0,6}",
        sp2 in "[ \t\u{a0}\r]{0,2}",
        level in prop::option::of("\\[[A-Za-z1]{0,6}\\]?"),
        sp3 in "[ \t]{0,2}",
        message in ".{0,8}",
        end in "[ \t\u{2003}\r]{0,2}",
    ) {
        let line = format!("{}{sp}{program}{module}{sp2}{}{sp3}{message}{end}",
            tid.unwrap_or_default(), level.unwrap_or_default());
        prop_assert_eq!(sft(&line), nom_sft(&line).ok().map(|(_, l)| l));
    }
}

#[test]
fn hand_parser_agrees_with_nom_on_edges() {
    for l in [
        "[51982] sftunneld:sf_ssl [INFO] Initiating IPv4 connection to 10.10.200.31:8305/tcp",
        "sftunnel:sf_peers [INFO] x",
        "[99999999999999999999999] sftunneld:sf_ssl [INFO] x",
        "[12 sftunneld:sf_ssl x",
        "[] sftunneld:sf_ssl x",
        "sftunneld:sf_ssl\u{a0}[INFO] x",
        "sftunneld:sf_ssl\r",
        "sftunneld: x",
        "sftunneld:sf_ssl [] x  ",
        "sftunneld:sf_ssl [INFO x",
        "\tsftunneld:é [E] \u{2003}",
        "",
        "[",
    ] {
        assert_eq!(sft(l), nom_sft(l).ok().map(|(_, l)| l), "{l:?}");
    }
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn splits_sftunneld_part() {
    let h = super::super::syslog_header::parse_header(
        "Sep 20 04:10:47 FTD-hostname SF-IMS[50792]: [51982] sftunneld:sf_ss1 [ERROR] err 10:certificate has expired",
    )
    .expect("header");
    let l = split(&h).expect("sftunneld");
    assert_eq!(
        l,
        SftLine { tid: Some(51982), module: "sf_ss1", level: Some("ERROR"), message: "err 10:certificate has expired" }
    );
    let h = super::super::syslog_header::parse_header("Sep 20 04:10:47 h SF-IMS[1]: sftunnel:sf_peers [INFO] x")
        .expect("h");
    assert_eq!(split(&h).map(|l| (l.tid, l.module, l.message)), Some((None, "sf_peers", "x")));
    let h = super::super::syslog_header::parse_header("Sep 20 04:10:47 h SF-IMS[1]: [2] sfmgr:x [INFO] y").expect("h");
    assert_eq!(split(&h), None);
}

#[test]
fn messages() {
    assert_eq!(
        classify("Initiating IPv4 connection to 10.10.200.31:8305/tcp"),
        Msg::Initiating(Some(ip("10.10.200.31")))
    );
    assert_eq!(
        classify("Initiating IPv6 connection to [fd00:10::31]:8305/tcp"),
        Msg::Initiating(Some(ip("fd00:10::31")))
    );
    assert_eq!(
        classify("Connected to 10.10.200.31 from resolved_ip_list (port 8305) (IPv4)"),
        Msg::Connected(Some(ip("10.10.200.31")))
    );
    assert_eq!(classify("-Error with certificate at depth: 1"), Msg::CertDepth(1));
    assert_eq!(classify("issuer = /CN=x/O=Sourcefire, Inc."), Msg::Issuer("/CN=x/O=Sourcefire, Inc."));
    assert_eq!(classify("err 10:certificate has expired"), Msg::VerifyErr(10, "certificate has expired"));
    assert_eq!(classify("establishConnectionUtil: SSL Verification status: ok"), Msg::VerifyStatus("ok"));
    assert_eq!(classify("Connect:SSL handshake failed"), Msg::HandshakeFailed);
    assert!(matches!(
        classify("establishConnectionUtil: SSL handshake failed: error:14094415:SSL routines:ssl3_read_bytes:x"),
        Msg::SslError(e) if e.code_text == "14094415"
    ));
    assert_eq!(
        classify("establishConnectionUtil: Failed to connect using SSL to: '10.10.21.10'"),
        Msg::FailedTo(Some(ip("10.10.21.10")))
    );
    assert_eq!(
        classify("establishSSLConnection: Failed connecting with SSL to using to: '10.10.21.10' rval[40] *CA"),
        Msg::FailedFinal(Some(ip("10.10.21.10")))
    );
    assert_eq!(
        classify("Unable to connect to 10.1.1.1:8305 (IPv4): Connection refused"),
        Msg::Refused(Some(ip("10.1.1.1")))
    );
    assert_eq!(classify("VERIFY ssl_verify_callback_initial ok=1!"), Msg::VerifyCallback);
    assert_eq!(classify("Wait to connect to 8305 (IPv4): 10.10.200.31"), Msg::Other);
    assert_eq!(
        classify(
            "Unable to set Post Handshake Auth SSL context: SSL_verify_client_post_handshake:extension not received"
        ),
        Msg::Tunnel(TunnelStep::PostHandshakeAuth, None)
    );
    assert_eq!(classify("Failed to reload credentials"), Msg::Tunnel(TunnelStep::ReloadCredentials, None));
    assert_eq!(classify("Failed to add services"), Msg::Tunnel(TunnelStep::AddServices, None));
    assert_eq!(
        classify("Peer ftd-branch-07 needs re-connect"),
        Msg::Tunnel(TunnelStep::NeedsReconnect, Some("ftd-branch-07".into()))
    );
    assert_eq!(classify("Peer $(reboot) needs re-connect"), Msg::Tunnel(TunnelStep::NeedsReconnect, None));
    assert_eq!(classify("err x:y"), Msg::Other);
}

#[test]
fn ip_tokens() {
    assert_eq!(ip_of("'10.0.0.1'"), Some(ip("10.0.0.1")));
    assert_eq!(ip_of("10.0.0.1:8305/tcp"), Some(ip("10.0.0.1")));
    assert_eq!(ip_of("fd00::1"), Some(ip("fd00::1")));
    assert_eq!(ip_of("host:8305"), None);
    assert_eq!(ip_of(""), None);
}
