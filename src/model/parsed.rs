//! Everything read from some inputs, kept: the [`Sink`] that judges nothing (the readers' own
//! tests, the reference run that classifies at the end, `analyze`'s non-attempt items).

use super::{Attempt, CertSeen, Duplicate, Fact, Format, Handshake, InputStatus, LineKeys, ReadStatus, Sink, Source};

/// What readers produced, every item in the order it was pushed.
#[derive(Debug, Default)]
pub struct Parsed {
    pub inputs: Vec<InputStatus>,
    pub attempts: Vec<Attempt>,
    pub handshakes: Vec<Handshake>,
    pub facts: Vec<Fact>,
    pub certificates: Vec<CertSeen>,
    /// Places not read because an earlier place held the same bytes.
    pub duplicates: Vec<Duplicate>,
    /// The hashes of the lines of each input's timed attempts, in the order read.
    pub line_keys: Vec<LineKeys>,
}

impl Parsed {
    /// Everything `parse` finds in `src`, kept, with its answer as the input's status line (as the
    /// dispatcher writes it for an input of `format`): how a reader is run on its own.
    pub fn read_with(
        src: &mut Source<'_>,
        format: Format,
        parse: impl FnOnce(&mut Source<'_>, &mut dyn Sink) -> ReadStatus,
    ) -> Parsed {
        let mut out = Parsed::default();
        let said = parse(src, &mut out);
        let bytes = src.len_hint().unwrap_or(0);
        out.inputs.push(InputStatus {
            path: src.path.clone(),
            format,
            status: said.status,
            message: said.message,
            bytes,
        });
        out
    }

    pub fn extend(&mut self, other: Parsed) {
        self.inputs.extend(other.inputs);
        self.attempts.extend(other.attempts);
        self.handshakes.extend(other.handshakes);
        self.facts.extend(other.facts);
        self.certificates.extend(other.certificates);
        self.duplicates.extend(other.duplicates);
        self.line_keys.extend(other.line_keys);
    }
}

impl Sink for Parsed {
    /// Kept to the end: the texts are held on their own, not in the blocks of their input.
    fn attempt(&mut self, mut attempt: Attempt) {
        attempt.detach_texts();
        self.attempts.push(attempt);
    }
    fn handshake(&mut self, handshake: Handshake) {
        self.handshakes.push(handshake);
    }
    fn fact(&mut self, fact: Fact) {
        self.facts.push(fact);
    }
    fn certificate(&mut self, cert: CertSeen) {
        self.certificates.push(cert);
    }
    fn status(&mut self, status: InputStatus) {
        self.inputs.push(status);
    }
    fn duplicate(&mut self, duplicate: Duplicate) {
        self.duplicates.push(duplicate);
    }
    fn line_keys(&mut self, keys: LineKeys) {
        self.line_keys.push(keys);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Event, Evidence, EvidenceText, TextBlockBuilder};

    #[test]
    fn attempts_kept_to_the_end_let_their_blocks_go() {
        let mut b = TextBlockBuilder::default();
        let place = b.push("Sep 20 00:00:00 ftd SF-IMS[7]: [9] sftunneld:sf_ssl [INFO] Initiating");
        let b = Arc::new(b.build());
        let text = EvidenceText::in_block(&b, place);
        let evidence = Evidence { path: "messages".into(), line: Some(1), text: Some(text), ..Default::default() };
        let mut attempt = Attempt::default();
        attempt.push(Event::Connecting, evidence);
        assert_eq!(Arc::strong_count(&b), 2);
        let mut parsed = Parsed::default();
        parsed.attempt(attempt);
        assert_eq!(Arc::strong_count(&b), 1, "Parsed keeps its own copy of the text");
        let kept = parsed.attempts[0].events[0].evidence.text.as_ref().expect("a text");
        assert_eq!((kept.block_seq(), kept.ends_with("Initiating")), (None, true));
    }
}
