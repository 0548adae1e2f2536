//! How the human views fit the terminal: the width to lay out for (`--width`, the terminal,
//! `COLUMNS`, else 120), whether to colour (`--color`; `auto` is anstream's choice for stdout:
//! a terminal that supports colour, and `NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE` honoured) and
//! the severity styles (anstyle). Text from the inputs is made safe with
//! [`crate::util::printable`].

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

use crate::diagnose::Severity;

/// The width used when neither the terminal nor `COLUMNS` tells one.
pub const DEFAULT_WIDTH: usize = 120;
/// Below this width the findings table takes its narrow layout.
pub const WIDE_FROM: usize = 120;
/// From this width on, `certs` and `handshakes` are tables (they have more columns); below,
/// one block per row.
pub const LISTS_WIDE_FROM: usize = 160;
/// Narrower than this is laid out as if it were this wide (nothing useful fits in less).
pub const MIN_WIDTH: usize = 40;

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal that supports it, unless `NO_COLOR` is set
    /// (`CLICOLOR_FORCE` colours even a pipe, `CLICOLOR=0` never).
    #[default]
    Auto,
    Always,
    Never,
}

/// The settings a human view is laid out with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    pub color: bool,
}

impl Layout {
    /// A fixed width without colour (tests, files).
    pub fn plain(width: usize) -> Self {
        Layout { width: width.max(MIN_WIDTH), color: false }
    }

    /// The layout for stdout: `width` is `--width`, `color` is `--color`.
    pub fn for_stdout(width: Option<usize>, color: ColorChoice) -> Self {
        let tty = std::io::stdout().is_terminal();
        let terminal = if tty { terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)) } else { None };
        let columns = std::env::var("COLUMNS").ok();
        let auto = anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never;
        Layout::resolve(width, terminal, columns.as_deref(), color, auto)
    }

    /// [`Layout::for_stdout`] with everything it looks at passed in; `auto` is what
    /// `--color auto` gives.
    pub fn resolve(
        width: Option<usize>,
        terminal: Option<usize>,
        columns: Option<&str>,
        color: ColorChoice,
        auto: bool,
    ) -> Self {
        let from_env = columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|&c| c > 0);
        let width = width.or(terminal.filter(|&w| w > 0)).or(from_env).unwrap_or(DEFAULT_WIDTH);
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => auto,
        };
        Layout { width: width.max(MIN_WIDTH), color }
    }

    pub fn is_wide(&self) -> bool {
        self.width >= WIDE_FROM
    }

    /// Whether the `certs` and `handshakes` listings are tables.
    pub fn lists_wide(&self) -> bool {
        self.width >= LISTS_WIDE_FROM
    }

    /// `text` in the colour of `severity` (unchanged without colour).
    pub fn paint(&self, severity: Severity, text: &str) -> String {
        self.styled(style(severity), text)
    }

    /// `text` in bold (unchanged without colour).
    pub fn bold(&self, text: &str) -> String {
        self.styled(Style::new().bold(), text)
    }

    fn styled(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

/// The style of each severity: critical bold red, error red, warning yellow, info cyan.
fn style(severity: Severity) -> Style {
    let colour = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    match severity {
        Severity::Critical => colour(AnsiColor::Red).bold(),
        Severity::Error => colour(AnsiColor::Red),
        Severity::Warning => colour(AnsiColor::Yellow),
        Severity::Info => colour(AnsiColor::Cyan),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_comes_from_the_flag_then_the_terminal_then_columns() {
        let w = |flag, term, cols| Layout::resolve(flag, term, cols, ColorChoice::Never, false).width;
        assert_eq!(w(Some(90), Some(200), Some("70")), 90);
        assert_eq!(w(None, Some(200), Some("70")), 200);
        assert_eq!(w(None, None, Some("70")), 70);
        assert_eq!(w(None, None, Some(" 100 ")), 100);
        assert_eq!(w(None, None, Some("wide")), DEFAULT_WIDTH);
        assert_eq!(w(None, None, Some("0")), DEFAULT_WIDTH);
        assert_eq!(w(None, None, None), DEFAULT_WIDTH);
        assert_eq!(w(Some(10), None, None), MIN_WIDTH);
    }

    #[test]
    fn colour_follows_the_flag_then_the_automatic_choice() {
        let c = |choice, auto| Layout::resolve(None, None, None, choice, auto).color;
        assert!(c(ColorChoice::Auto, true));
        assert!(!c(ColorChoice::Auto, false));
        assert!(c(ColorChoice::Always, false));
        assert!(!c(ColorChoice::Never, true));
        let l = Layout { width: 80, color: true };
        assert_eq!(l.paint(Severity::Critical, "critical"), "\x1b[1m\x1b[31mcritical\x1b[0m");
        assert_eq!(l.paint(Severity::Warning, "warning"), "\x1b[33mwarning\x1b[0m");
        assert_eq!(l.bold("Case:"), "\x1b[1mCase:\x1b[0m");
        assert_eq!(Layout::plain(80).paint(Severity::Error, "error"), "error");
    }
}
