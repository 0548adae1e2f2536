//! Which hotfix brings `generate_certs.pl` (and the certificate copy scripts) to a given FMC
//! software version, exactly by the ranges the source lists; nothing is guessed for a version
//! outside them.

/// What the source says for one FMC version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hotfix {
    /// This hotfix applies (it needs no reboot).
    Install(&'static str),
    /// 7.1.x: there is none; upgrade to a fixed release or ask TAC.
    NoneFor71,
    /// A version the source's list does not cover: check whether that release already carries
    /// the fix.
    Outside,
    /// The version does not read as `major.minor.patch`.
    Unreadable,
}

/// The ranges of the source: (major, minor, first patch, last patch, hotfix).
pub const RANGES: &[(u32, u32, u32, u32, &str)] = &[
    (7, 0, 0, 6, "Hotfix FK 7.0.6.99-9"),
    (7, 2, 0, 9, "Hotfix FZ 7.2.9.99-4"),
    (7, 3, 0, 1, "Hotfix AE 7.3.1.99-4"),
    (7, 4, 0, 2, "Hotfix AO 7.4.2.99-5"),
    (7, 6, 0, 0, "Hotfix B 7.6.0.99-5"),
];

/// The list as one line, for texts that have to name it: `7.0.0–7.0.6: FK 7.0.6.99-9; …; 7.1.x: none`,
/// made from [`RANGES`] so the two never disagree.
pub fn ranges_text() -> String {
    let mut parts: Vec<String> = RANGES
        .iter()
        .map(|(major, minor, first, last, hotfix)| {
            let name = hotfix.strip_prefix("Hotfix ").unwrap_or(hotfix);
            if first == last {
                format!("{major}.{minor}.{first}: {name}")
            } else {
                format!("{major}.{minor}.{first}–{major}.{minor}.{last}: {name}")
            }
        })
        .collect();
    parts.push("7.1.x: none".to_string());
    parts.join("; ")
}

/// The hotfix for FMC version `v` (`7.2.5`, `7.2.5-208`, `7.4.1.1`: the fourth number and the
/// build do not matter).
pub fn for_version(v: &str) -> Hotfix {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut parts = v.split(['.', '-', ' ']).map(|p| p.parse::<u32>().ok());
    let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else { return Hotfix::Unreadable };
    if (major, minor) == (7, 1) {
        return Hotfix::NoneFor71;
    }
    let Some(Some(patch)) = parts.next() else { return Hotfix::Unreadable };
    RANGES
        .iter()
        .find(|(ma, mi, lo, hi, _)| (*ma, *mi) == (major, minor) && (*lo..=*hi).contains(&patch))
        .map_or(Hotfix::Outside, |r| Hotfix::Install(r.4))
}

/// The release (major, minor) of FMC version `v` (`7.4.1`, `7.6.0 (Build 113)`).
pub fn release(v: &str) -> Option<(u32, u32)> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut parts = v.split(['.', '-', ' ']).map(|p| p.parse::<u32>().ok());
    match (parts.next(), parts.next()) {
        (Some(Some(major)), Some(Some(minor))) => Some((major, minor)),
        _ => None,
    }
}

/// The hotfix name when one applies.
pub fn hotfix_for_version(v: &str) -> Option<&'static str> {
    match for_version(v) {
        Hotfix::Install(h) => Some(h),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_in_words_is_made_from_the_ranges() {
        assert_eq!(
            ranges_text(),
            "7.0.0–7.0.6: FK 7.0.6.99-9; 7.2.0–7.2.9: FZ 7.2.9.99-4; 7.3.0–7.3.1: AE 7.3.1.99-4; \
7.4.0–7.4.2: AO 7.4.2.99-5; 7.6.0: B 7.6.0.99-5; 7.1.x: none"
        );
    }

    #[test]
    fn every_range_boundary() {
        let fk = Hotfix::Install("Hotfix FK 7.0.6.99-9");
        let fz = Hotfix::Install("Hotfix FZ 7.2.9.99-4");
        let ae = Hotfix::Install("Hotfix AE 7.3.1.99-4");
        let ao = Hotfix::Install("Hotfix AO 7.4.2.99-5");
        let b = Hotfix::Install("Hotfix B 7.6.0.99-5");
        let cases = [
            ("6.7.0", Hotfix::Outside),
            ("7.0.0", fk),
            ("7.0.6", fk),
            ("7.0.6.3", fk),
            ("7.0.7", Hotfix::Outside),
            ("7.1.0", Hotfix::NoneFor71),
            ("7.1.0.3-12", Hotfix::NoneFor71),
            ("7.1", Hotfix::NoneFor71),
            ("7.2.0", fz),
            ("7.2.5-208", fz),
            ("7.2.9", fz),
            ("7.2.10", Hotfix::Outside),
            ("7.3.0", ae),
            ("7.3.1", ae),
            (" 7.3.1 ", ae),
            ("7.3.2", Hotfix::Outside),
            ("7.4.0", ao),
            ("7.4.2.1", ao),
            ("7.4.3", Hotfix::Outside),
            ("7.5.0", Hotfix::Outside),
            ("7.6.0", b),
            ("7.6.1", Hotfix::Outside),
            ("7.7.0", Hotfix::Outside),
            ("7.6", Hotfix::Unreadable),
            ("7.x", Hotfix::Unreadable),
            ("", Hotfix::Unreadable),
        ];
        for (v, want) in cases {
            assert_eq!(for_version(v), want, "{v}");
        }
    }
}
