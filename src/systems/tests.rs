//! Unit tests of the systems model on hand-made evidence.

use super::shell_word;

#[test]
fn shell_words_are_quoted_when_needed() {
    assert_eq!(shell_word("samples/bundles/fmc-hq-01.tar.gz"), "samples/bundles/fmc-hq-01.tar.gz");
    assert_eq!(shell_word("a b"), "'a b'");
    assert_eq!(shell_word("x'; rm -rf /"), "'x'\\''; rm -rf /'");
    assert_eq!(shell_word(""), "''");
}
