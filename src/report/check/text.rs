//! The text of `tlstriage check`: which appliance the tree is and why, what was read and what
//! was not there, then per system the case summary line, the InternalCA's days left, each
//! peer's tunnel as the evidence shows it, and the numbered next steps; last the findings, one
//! line each. Input text is escaped for the terminal; paths are those of this machine.

use std::io::{self, Write};

use super::CheckView;
use crate::appliance::discover::Looked;
use crate::appliance::Check;
use crate::diagnose::Severity;
use crate::model::Evidence;
use crate::report::term::Layout;
use crate::report::wrap::fill;
use crate::report::Exporter;
use crate::systems::{CaInfo, Device, System};
use crate::util::printable;

/// `check --format text` (the default).
pub struct CheckText<'a>(pub &'a CheckView<'a>);

impl Exporter for CheckText<'_> {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        write(self.0.check, &self.0.layout, out)
    }
}

/// Write the check's text.
fn write(c: &Check, layout: &Layout, out: &mut dyn Write) -> io::Result<()> {
    let w = layout.width;
    out.write_all(heading(c, layout).as_bytes())?;
    for why in &c.discovery.why {
        out.write_all(fill(&printable(why), w, "  ", "    ").as_bytes())?;
    }
    writeln!(out)?;
    out.write_all(places(c, w).as_bytes())?;
    if c.nothing_read() {
        writeln!(out)?;
        let root = c.discovery.root.display().to_string();
        let text = format!(
            "Nothing could be read under {}: no state can be told (this is no sign that all is well).",
            printable(&root)
        );
        out.write_all(fill(&text, w, "", "").as_bytes())?;
        return Ok(());
    }
    if c.systems().is_empty() {
        writeln!(out)?;
        let text = "No sftunnel system could be judged from what was read: see what was not there above.";
        out.write_all(fill(text, w, "", "").as_bytes())?;
    }
    for s in c.systems() {
        writeln!(out)?;
        out.write_all(system(c, s, layout).as_bytes())?;
    }
    writeln!(out)?;
    out.write_all(findings(c, w).as_bytes())
}

fn heading(c: &Check, layout: &Layout) -> String {
    let root = c.discovery.root.display().to_string();
    let who = match c.identity() {
        Some(d) => {
            let name = d.hostname.as_deref().map(|h| format!(" {}", printable(h))).unwrap_or_default();
            let version = d.version.as_deref().map(|v| format!(", {}", printable(v))).unwrap_or_default();
            format!("{}{name}{version}", c.discovery.role.as_str())
        }
        None => c.discovery.role.as_str().to_string(),
    };
    let when = c.options.now.strftime("%Y-%m-%d %H:%M UTC");
    let title = format!("Check of {} ({who}), judged at {when}", printable(&root));
    format!("{}\n", layout.bold(&title))
}

/// One line per place that gave files; then the problems, and what was not there with what
/// that means.
fn places(c: &Check, w: usize) -> String {
    let any = c.discovery.looked.iter().any(|l| !l.files.is_empty()) || !c.extra.is_empty();
    let mut out = String::from(if any { "Read:\n" } else { "Read: nothing\n" });
    for l in c.discovery.looked.iter().filter(|l| !l.files.is_empty()) {
        out.push_str(&fill(&printable(&format!("{}: {}", l.what, found(l))), w, "  ", "    "));
    }
    for e in &c.extra {
        out.push_str(&fill(&printable(&format!("given with --with: {}", e.display())), w, "  ", "    "));
    }
    let unread: Vec<String> = c
        .report
        .inputs
        .iter()
        .filter(|i| matches!(i.status, crate::model::Status::Error | crate::model::Status::Partial))
        .map(|i| format!("{}: {}", c.paths.real(&i.path), i.message.as_deref().unwrap_or("not read")))
        .collect();
    let problems: Vec<&String> =
        c.discovery.looked.iter().filter(|l| !l.files.is_empty()).flat_map(|l| &l.problems).collect();
    if !unread.is_empty() || !problems.is_empty() {
        out.push_str("With problems:\n");
        for p in problems.into_iter().chain(&unread) {
            out.push_str(&fill(&printable(p), w, "  ", "    "));
        }
    }
    let missing: Vec<&Looked> = c.missing().collect();
    if !missing.is_empty() {
        out.push_str("Not there:\n");
        for l in missing {
            let text = format!("{}; {}", l.absence(), l.when_absent);
            out.push_str(&fill(&printable(&text), w, "  ", "    "));
        }
    }
    out
}

/// The files of a place in few words: one or two by path, more by count.
fn found(l: &Looked) -> String {
    use crate::wording::counted;
    match l.files.as_slice() {
        [one] => one.path.clone(),
        [a, b] => format!("{}, {}", a.path, b.path),
        many => {
            let folders: std::collections::BTreeSet<&str> =
                many.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
            let folders = counted(folders.len() as u64, "folder");
            format!("{} in {folders}, the first {}", counted(many.len() as u64, "file"), many[0].path)
        }
    }
}

fn ca_words(ca: &CaInfo, now: jiff::Timestamp) -> String {
    let serial = ca.serial.as_deref().map(|s| format!("serial {s}, ")).unwrap_or_default();
    match (ca.not_after, ca.days_left) {
        (Some(end), _) if end < now => {
            let ago = (now.as_second() - end.as_second()).div_euclid(86_400);
            format!("{serial}ended {} ({ago} days ago)", end.strftime("%Y-%m-%d"))
        }
        (Some(end), Some(d)) => format!("{serial}valid until {} ({d} days left)", end.strftime("%Y-%m-%d")),
        _ => format!("{}only named by the log: its dates are not known", printable(&ca.subject)),
    }
}

fn system(c: &Check, s: &System, layout: &Layout) -> String {
    let w = layout.width;
    let mut out = fill(&crate::systems::summary::line(s), w, "", "    ");
    out.push_str(&format!("  State: {}; tunnels: {}\n", s.state.as_str(), s.tunnels.as_str()));
    if let Some(ca) = &s.internal_ca {
        let mut text = format!("InternalCA: {}", ca_words(ca, c.options.now));
        if let Some(prev) = &s.previous_ca {
            text.push_str(&format!("; it replaced {}", ca_words(prev, c.options.now)));
        }
        out.push_str(&fill(&printable(&text), w, "  ", "    "));
    }
    if !s.devices.is_empty() {
        out.push_str("  Tunnels, as the evidence shows them:\n");
        for d in &s.devices {
            out.push_str(&fill(&tunnel(c, d), w, "    ", "      "));
        }
    }
    if !s.next_steps.is_empty() {
        out.push_str("  Next steps:\n");
        for (i, st) in s.next_steps.iter().enumerate() {
            let option = if st.optional { " (an option)" } else { "" };
            let text = format!("{}. [{}]{option} on {}: {}", i + 1, st.id.as_str(), st.on, st.text);
            out.push_str(&fill(&printable(&text), w, "    ", "       "));
            if let Some(cmd) = &st.command {
                out.push_str(&format!("       $ {}\n", printable(cmd.as_str())));
            }
        }
    }
    for (head, items) in [("To collect", &s.collect), ("Inferred", &s.notes)] {
        for item in items {
            out.push_str(&fill(&printable(&format!("{head}: {item}")), w, "  ", "    "));
        }
    }
    out
}

/// A device's tunnel and the newest evidence for it.
fn tunnel(c: &Check, d: &Device) -> String {
    let role = if d.fmc { " (secondary FMC)" } else { "" };
    let push = if d.needs_push { ", still lacks the current InternalCA's files" } else { "" };
    let mut text = format!("{}{role}: {}{push}", d.label(), d.tunnel.as_str());
    if let Some(e) = d.evidence.last() {
        text.push_str(&format!(" ({})", place(c, e)));
    }
    printable(&text).into_owned()
}

/// Where a piece of evidence is: the path of this machine, its line and time.
fn place(c: &Check, e: &Evidence) -> String {
    let line = e.line.map(|l| format!(":{l}")).unwrap_or_default();
    let time = e.time.map(|t| format!(" at {}", t.strftime("%Y-%m-%d %H:%M:%S"))).unwrap_or_default();
    format!("{}{line}{time}", c.paths.real(&e.path))
}

fn findings(c: &Check, w: usize) -> String {
    let f = &c.report.findings;
    if f.is_empty() {
        return format!("Findings: none in the {} files read.\n", c.files_read());
    }
    let mut counts: Vec<(Severity, usize)> = Vec::new();
    for sev in [Severity::Critical, Severity::Error, Severity::Warning, Severity::Info] {
        let n = f.iter().filter(|x| x.severity == sev).count();
        if n > 0 {
            counts.push((sev, n));
        }
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let mut out = format!(
        "Findings: {} ({}); `--format json` gives each with its evidence and steps:\n",
        f.len(),
        counts.join(", ")
    );
    for x in f {
        let who = match (&x.device, &x.peer) {
            (Some(d), Some(p)) => format!(" {d} → {p}"),
            (Some(d), None) => format!(" {d}"),
            (None, Some(p)) => format!(" → {p}"),
            (None, None) => String::new(),
        };
        let at = x.evidence.first().map(|e| format!(" ({})", place(c, e))).unwrap_or_default();
        let text = format!("[{}] {}{who}: {}{at}", x.severity, x.kind, x.title);
        out.push_str(&fill(&printable(&text), w, "  ", "    "));
    }
    out
}
