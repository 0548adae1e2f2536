//! Small wording helpers shared by every text tlstriage prints: counted nouns ("1 day",
//! "3 entries"), lengths of time ("12 hours ago"), and a device named with its address.

/// `n` and the noun, singular for exactly one: `counted(1, "day")` is `1 day`, `counted(3,
/// "entry")` is `3 entries`. Regular English plurals only; see [`counted_as`] for others.
pub fn counted(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {}", plural(noun))
    }
}

/// [`counted`] with the plural given: `counted_as(2, "child", "children")`.
pub fn counted_as(n: u64, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The regular plural of an English noun.
fn plural(noun: &str) -> String {
    let consonant_y = noun.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']));
    if let Some(stem) = consonant_y {
        format!("{stem}ies")
    } else if noun.ends_with(['s', 'x']) || noun.ends_with("sh") || noun.ends_with("ch") {
        format!("{noun}es")
    } else {
        format!("{noun}s")
    }
}

/// A length of time in the largest whole unit that fits, for "expired ... ago": `12 hours`,
/// `1 day`, `40 days`; under a minute is `less than a minute`.
pub fn duration(secs: i64) -> String {
    let secs = secs.unsigned_abs();
    match secs {
        0..60 => "less than a minute".into(),
        60..3_600 => counted(secs / 60, "minute"),
        3_600..86_400 => counted(secs / 3_600, "hour"),
        _ => counted(secs / 86_400, "day"),
    }
}

/// A device by name with its address in brackets (`ftd-branch-07 (192.168.45.21)`), or
/// whichever of the two is known.
pub fn named_at(name: Option<&str>, address: Option<&str>) -> Option<String> {
    match (name, address) {
        (Some(n), Some(a)) if n != a => Some(format!("{n} ({a})")),
        (Some(n), _) => Some(n.to_string()),
        (None, Some(a)) => Some(a.to_string()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_the_right_number() {
        assert_eq!(counted(1, "day"), "1 day");
        assert_eq!(counted(0, "day"), "0 days");
        assert_eq!(counted(2, "entry"), "2 entries");
        assert_eq!(counted(3, "key"), "3 keys");
        assert_eq!(counted(2, "match"), "2 matches");
        assert_eq!(counted(1, "file"), "1 file");
        assert_eq!(counted_as(2, "child", "children"), "2 children");
    }

    #[test]
    fn durations_use_the_largest_unit() {
        assert_eq!(duration(12 * 3_600), "12 hours");
        assert_eq!(duration(-3_600), "1 hour");
        assert_eq!(duration(86_400 + 5), "1 day");
        assert_eq!(duration(40 * 86_400), "40 days");
        assert_eq!(duration(59), "less than a minute");
        assert_eq!(duration(120), "2 minutes");
    }

    #[test]
    fn a_device_reads_as_one() {
        assert_eq!(named_at(Some("ftd-branch-07"), Some("192.168.45.21")).unwrap(), "ftd-branch-07 (192.168.45.21)");
        assert_eq!(named_at(Some("x"), Some("x")).unwrap(), "x");
        assert_eq!(named_at(None, Some("10.0.0.1")).unwrap(), "10.0.0.1");
        assert_eq!(named_at(None, None), None);
    }
}
