//! An operating-system error in words, as the messages about paths say it: "no such file or
//! directory", "permission denied", never Rust's "(os error 2)".

use std::io;

/// `e` in lowercase words, without its error number.
pub fn words(e: &io::Error) -> String {
    use io::ErrorKind as K;
    let fixed = match e.kind() {
        K::NotFound => Some("no such file or directory"),
        K::PermissionDenied => Some("permission denied"),
        K::IsADirectory => Some("is a folder"),
        K::NotADirectory => Some("a part of the path is not a folder"),
        _ => None,
    };
    if let Some(w) = fixed {
        return w.to_string();
    }
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        // "Too many levels of symbolic links" reads as a clause after a colon.
        Some(first) if chars.clone().next().is_some_and(char::is_lowercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::words;
    use std::io;

    #[test]
    fn os_errors_read_as_words_without_their_number() {
        assert_eq!(words(&io::Error::from_raw_os_error(2)), "no such file or directory");
        assert_eq!(words(&io::Error::from_raw_os_error(13)), "permission denied");
        assert_eq!(words(&io::Error::from_raw_os_error(40)), "too many levels of symbolic links");
        assert_eq!(words(&io::Error::other("EOF in the middle")), "EOF in the middle");
    }
}
