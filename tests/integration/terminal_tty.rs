//! The table output on a real terminal (a pseudo-terminal of a given size): the width comes
//! from the terminal, before `COLUMNS`, and severities are coloured unless `NO_COLOR` or
//! `CLICOLOR=0` is set or the terminal is dumb.

use std::fs::File;
use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};

/// Run `tlstriage ARGS` with stdout on a pseudo-terminal `cols` wide; what it printed.
fn on_terminal(cols: u16, args: &[&str], env: &[(&str, &str)]) -> String {
    let (mut master, mut slave) = (-1, -1);
    let size = libc::winsize { ws_row: 50, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: openpty writes two new descriptors into the given integers; the size is read only.
    let rc = unsafe { libc::openpty(&mut master, &mut slave, std::ptr::null_mut(), std::ptr::null(), &size) };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just opened by openpty and are owned here alone.
    let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tlstriage"));
    // A terminal names its type; the colour variables of the caller are left out, and so is `CI`
    // (anstream colours any output under a CI runner, whatever the terminal says).
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("COLUMNS", "200").env("TERM", "xterm-256color");
    for colour in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "CI"] {
        cmd.env_remove(colour);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.stdout(Stdio::from(slave)).stderr(Stdio::null()).spawn().expect("binary runs");
    drop(cmd);
    let mut out = Vec::new();
    let mut master = master;
    // Reading ends with EIO once the child has closed the terminal's last open descriptor.
    let _ = master.read_to_end(&mut out);
    child.wait().expect("binary ends");
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

fn strip_colour(s: &str) -> String {
    regex::Regex::new("\x1b\\[[0-9;]*m").unwrap().replace_all(s, "").into_owned()
}

#[test]
fn width_and_colour_come_from_the_terminal() {
    let args = ["analyze", "samples/logs", "--year", "2026", "--now", "2026-11-23", "-q", "-v"];
    let text = on_terminal(90, &args, &[]);
    assert!(text.contains("\x1b[1m\x1b[31mcritical\x1b[0m"), "coloured on a terminal: {text}");
    let plain = strip_colour(&text);
    assert!(plain.contains("Device → peer"), "90 columns from the terminal, not COLUMNS=200: {plain}");
    for line in plain.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 90, "{line}");
    }
    let no_color = on_terminal(130, &args, &[("NO_COLOR", "1")]);
    assert!(!no_color.contains('\x1b'), "NO_COLOR is honoured");
    assert!(!on_terminal(130, &args, &[("TERM", "dumb")]).contains('\x1b'), "a dumb terminal gets no colour");
    assert!(!on_terminal(130, &args, &[("CLICOLOR", "0")]).contains('\x1b'), "CLICOLOR=0 is honoured");
    assert!(no_color.contains("┆ Severity ┆"), "the wide table at 130 columns");
    assert!(no_color.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 130));
}
