//! The bits of raw DER framing we need ourselves: the total length and contents of an element (a
//! cheap pre-check before a full parse) and writing a tag-length-value.

/// Total size (header and contents) of the DER element at the start of `data`, when its header
/// is well-formed with a definite length; the element may run past `data`.
pub fn element_len(data: &[u8]) -> Option<usize> {
    let (&first, rest) = data.split_first()?;
    if first & 0x1f == 0x1f {
        return None; // multi-byte tags never start a certificate or key
    }
    let (&len0, rest) = rest.split_first()?;
    if len0 < 0x80 {
        return Some(2 + usize::from(len0));
    }
    let n = usize::from(len0 & 0x7f);
    if n == 0 || n > 4 {
        return None; // indefinite length (not DER) or larger than 4 GiB
    }
    let bytes = rest.get(..n)?;
    let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
    len.checked_add(2 + n)
}

/// The contents of the DER element at the start of `data` (without its header), when all of it
/// is there.
pub fn contents(data: &[u8]) -> Option<&[u8]> {
    let total = element_len(data)?;
    let element = data.get(..total)?;
    let header = header_len(element)?;
    element.get(header..)
}

/// The element at the start of `data` when its tag is `tag`, and what follows it.
pub fn split_first(data: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    if data.first() != Some(&tag) {
        return None;
    }
    let total = element_len(data)?;
    Some((data.get(..total)?, data.get(total..)?))
}

/// Size of the tag and length bytes of the element at the start of `data`.
fn header_len(data: &[u8]) -> Option<usize> {
    let len0 = *data.get(1)?;
    Some(if len0 < 0x80 { 2 } else { 2 + usize::from(len0 & 0x7f) })
}

/// `tag || length || content` in DER.
pub fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let be = len.to_be_bytes();
        let skip = be.iter().take_while(|&&b| b == 0).count();
        let digits = be.get(skip..).unwrap_or(&[]);
        out.push(0x80 | digits.len() as u8);
        out.extend_from_slice(digits);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(element_len(&[0x30, 0x03, 1, 2, 3]), Some(5));
        assert_eq!(element_len(&[0x30, 0x82, 0x01, 0x00]), Some(260));
        assert_eq!(element_len(&[0x30, 0x80]), None);
        assert_eq!(element_len(&[0x30, 0x82, 0x01]), None);
        assert_eq!(element_len(&[0x30]), None);
        assert_eq!(element_len(&[]), None);
    }

    #[test]
    fn encoding_round_trips() {
        assert_eq!(encode(0x02, &[1]), vec![0x02, 0x01, 0x01]);
        let long = encode(0x04, &[0u8; 300]);
        assert_eq!(long.get(..4), Some(&[0x04, 0x82, 0x01, 0x2c][..]));
        assert_eq!(element_len(&long), Some(304));
    }
}
