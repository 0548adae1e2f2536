//! OpenSSL error queue strings (`error:14094415:SSL routines:ssl3_read_bytes:...`) and their
//! packed codes.
//!
//! Two packings exist. OpenSSL 1.0/1.1 put the library in the top 8 bits, a function number in
//! the next 12 and the reason in the low 12 (`lib<<24 | func<<12 | reason`). OpenSSL 3.x dropped
//! function numbers: the library sits at bit 23 and the reason takes the low 23 bits; the string
//! then has an empty function field (`SSL routines::...`) or a function name only taken from the
//! source. Which packing a logged string uses is decided by the library name it prints, then by
//! the empty function field, then by the code itself. Unknown numbers are kept as numbers.

use crate::codes::AlertDescription;

/// The packing of an error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrStyle {
    /// OpenSSL 1.0.x / 1.1.x: `lib<<24 | func<<12 | reason`.
    Legacy,
    /// OpenSSL 3.x: `lib<<23 | reason`.
    V3,
}

/// One decoded OpenSSL error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSslError {
    /// The code as logged (hex digits, no `0x`).
    pub code_text: String,
    pub code: u32,
    pub style: ErrStyle,
    pub library: u32,
    /// The function number (1.x packing only; 0 when none).
    pub function: u32,
    pub reason: u32,
    /// The library name as logged, else from the table.
    pub library_name: Option<String>,
    /// The function name as logged, else from the table.
    pub function_name: Option<String>,
    /// The reason text as logged, else from the table.
    pub reason_text: Option<String>,
}

const LIBRARIES: &[(u32, &str)] = &[
    (1, "unknown library"),
    (2, "system library"),
    (3, "bignum routines"),
    (4, "rsa routines"),
    (5, "Diffie-Hellman routines"),
    (6, "digital envelope routines"),
    (7, "memory buffer routines"),
    (8, "object identifier routines"),
    (9, "PEM routines"),
    (10, "dsa routines"),
    (11, "x509 certificate routines"),
    (13, "asn1 encoding routines"),
    (14, "configuration file routines"),
    (15, "common libcrypto routines"),
    (16, "elliptic curve routines"),
    (20, "SSL routines"),
    (32, "BIO routines"),
    (33, "PKCS7 routines"),
    (34, "X509 V3 routines"),
    (35, "PKCS12 routines"),
    (36, "random number generator"),
    (38, "engine routines"),
    (39, "OCSP routines"),
];

/// SSL function numbers of the 1.x packing (`SSL_F_*`, as 1.0.2 and 1.1.1 number them).
const SSL_FUNCTIONS: &[(u32, &str)] = &[
    (115, "SSL23_ACCEPT"),
    (117, "SSL23_CONNECT"),
    (118, "SSL23_GET_CLIENT_HELLO"),
    (119, "SSL23_GET_SERVER_HELLO"),
    (128, "SSL3_ACCEPT"),
    (132, "SSL3_CONNECT"),
    (137, "SSL3_GET_CLIENT_CERTIFICATE"),
    (138, "SSL3_GET_CLIENT_HELLO"),
    (142, "SSL3_GET_MESSAGE"),
    (143, "SSL3_GET_RECORD"),
    (144, "SSL3_GET_SERVER_CERTIFICATE"),
    (146, "SSL3_GET_SERVER_HELLO"),
    (148, "SSL3_READ_BYTES"),
    (180, "SSL_DO_HANDSHAKE"),
    (207, "SSL_VERIFY_CERT_CHAIN"),
    (364, "TLS_PROCESS_FINISHED"),
    (365, "TLS_PROCESS_KEY_EXCHANGE"),
    (367, "TLS_PROCESS_SERVER_CERTIFICATE"),
    (368, "TLS_PROCESS_SERVER_DONE"),
    (369, "TLS_PROCESS_SERVER_HELLO"),
    (378, "TLS_POST_PROCESS_CLIENT_HELLO"),
    (379, "TLS_PROCESS_CERT_VERIFY"),
    (380, "TLS_PROCESS_CLIENT_CERTIFICATE"),
    (381, "TLS_PROCESS_CLIENT_HELLO"),
];

/// SSL reasons numbered alike in 1.0.2, 1.1.1 and 3.x (`SSL_R_*`).
const SSL_REASONS: &[(u32, &str)] = &[
    (134, "certificate verify failed"),
    (155, "https proxy request"),
    (156, "http request"),
    (181, "no ciphers available"),
    (191, "no protocols available"),
    (193, "no shared cipher"),
    (199, "peer did not return a certificate"),
    (229, "ssl handshake failure"),
    (244, "unexpected message"),
    (252, "unknown protocol"),
    (258, "unsupported protocol"),
    (267, "wrong version number"),
    (281, "decryption failed or bad record mac"),
];

/// SSL reasons that only 3.x (and partly 1.1.1) use with these numbers.
const SSL_REASONS_V3: &[(u32, &str)] = &[
    (166, "version too high"),
    (294, "unexpected eof while reading"),
    (376, "no shared signature algorithms"),
    (396, "version too low"),
    (410, "no shared groups"),
];

const ERR_LIB_SSL: u32 = 20;

fn lookup(table: &[(u32, &'static str)], n: u32) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// OpenSSL's name of a library number.
pub fn library_name(lib: u32) -> Option<&'static str> {
    lookup(LIBRARIES, lib)
}

fn library_number(name: &str) -> Option<u32> {
    let name = name.trim();
    LIBRARIES.iter().find(|(_, n)| n.eq_ignore_ascii_case(name)).map(|(k, _)| *k)
}

/// The name of an SSL function number of the 1.x packing.
pub fn ssl_function_name(func: u32) -> Option<&'static str> {
    lookup(SSL_FUNCTIONS, func)
}

/// OpenSSL's text for an SSL reason number; 1000+N are received alerts.
pub fn ssl_reason_text(reason: u32, style: ErrStyle) -> Option<String> {
    if let Some(t) = lookup(SSL_REASONS, reason) {
        return Some(t.to_string());
    }
    if style == ErrStyle::V3 {
        if let Some(t) = lookup(SSL_REASONS_V3, reason) {
            return Some(t.to_string());
        }
    }
    let alert = u8::try_from(reason.checked_sub(1000)?).ok()?;
    alert_reason_text(AlertDescription(alert))
}

/// The reason text OpenSSL prints for a received alert (`sslv3 alert certificate expired`).
fn alert_reason_text(d: AlertDescription) -> Option<String> {
    // OpenSSL's spellings where they differ from the IANA names.
    let name = match d {
        AlertDescription::UNKNOWN_CA => "unknown ca".to_string(),
        AlertDescription::USER_CANCELED => "user cancelled".to_string(),
        _ => d.name()?.replace('_', " "),
    };
    Some(match d.0 {
        10 | 20 | 30 | 40..=47 => format!("sslv3 alert {name}"),
        109 | 116 => format!("tlsv13 alert {name}"),
        110..=114 => format!("tlsv1 {name}"),
        _ => format!("tlsv1 alert {name}"),
    })
}

/// The alert a reason text names: `sslv3 alert certificate expired`, `tlsv1 alert unknown ca`,
/// `tlsv13 alert certificate required`, `tlsv1 unrecognized name`.
pub fn alert_from_reason_text(text: &str) -> Option<AlertDescription> {
    let t = text.trim().to_ascii_lowercase();
    let rest = ["sslv3 alert ", "tlsv13 alert ", "tlsv1 alert ", "tlsv1 "].iter().find_map(|p| t.strip_prefix(p))?;
    match rest.trim() {
        "user cancelled" => Some(AlertDescription::USER_CANCELED),
        r => AlertDescription::from_text(r),
    }
}

impl OpenSslError {
    /// Decode a packed code with the given packing; names come from the tables.
    pub fn decode(code: u32, style: ErrStyle) -> OpenSslError {
        let (library, function, reason) = match style {
            ErrStyle::Legacy => (code >> 24, (code >> 12) & 0xfff, code & 0xfff),
            ErrStyle::V3 if code & 0x8000_0000 != 0 => (2, 0, code & 0x7fff_ffff),
            ErrStyle::V3 => ((code >> 23) & 0xff, 0, code & 0x7f_ffff),
        };
        let ssl = library == ERR_LIB_SSL;
        OpenSslError {
            code_text: format!("{code:08X}"),
            code,
            style,
            library,
            function,
            reason,
            library_name: library_name(library).map(str::to_string),
            function_name: if ssl { ssl_function_name(function).map(str::to_string) } else { None },
            reason_text: if ssl { ssl_reason_text(reason, style) } else { None },
        }
    }

    /// The packing a bare code most likely uses: a non-zero function field means 1.x.
    pub fn guess_style(code: u32) -> ErrStyle {
        if (code >> 12) & 0xfff != 0 && code & 0x8000_0000 == 0 {
            ErrStyle::Legacy
        } else {
            ErrStyle::V3
        }
    }

    /// Find and parse `error:CODE:LIB:FUNC:REASON` inside `text` (a prefix such as the 3.x
    /// thread id and trailing `:file:line:` fields are ignored).
    pub fn parse(text: &str) -> Option<OpenSslError> {
        let start = text.find("error:")?;
        let mut fields = text[start + 6..].splitn(5, ':');
        let code_text = fields.next()?.trim();
        if code_text.is_empty() || code_text.len() > 8 || !code_text.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let code = u32::from_str_radix(code_text, 16).ok()?;
        let lib_text = fields.next().map(str::trim).filter(|s| !s.is_empty());
        let func_text = fields.next().map(str::trim);
        let reason_field = fields.next().map(str::trim).filter(|s| !s.is_empty());
        let style = match lib_text.and_then(library_number) {
            Some(n) if code >> 24 == n => ErrStyle::Legacy,
            Some(n) if (code >> 23) & 0xff == n => ErrStyle::V3,
            _ if func_text == Some("") => ErrStyle::V3,
            _ => Self::guess_style(code),
        };
        let mut e = OpenSslError::decode(code, style);
        e.code_text = code_text.to_string();
        if let Some(l) = lib_text {
            e.library_name = Some(l.to_string());
        }
        if let Some(f) = func_text.filter(|f| !f.is_empty()) {
            e.function_name = Some(f.to_string());
        }
        if let Some(r) = reason_field {
            e.reason_text = Some(r.to_string());
        }
        Some(e)
    }

    /// The reason as text: the logged or known text, else `reason(N)`.
    pub fn reason_display(&self) -> String {
        self.reason_text.clone().unwrap_or_else(|| format!("reason({})", self.reason))
    }

    /// The alert this error reports as received from the peer, if any.
    pub fn received_alert(&self) -> Option<AlertDescription> {
        if self.library == ERR_LIB_SSL && (1000..1256).contains(&self.reason) {
            return u8::try_from(self.reason - 1000).ok().map(AlertDescription);
        }
        self.reason_text.as_deref().and_then(alert_from_reason_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_certificate_expired_alert() {
        let e = OpenSslError::parse("error:14094415:SSL routines:ssl3_read_bytes:sslv3 alert certificate expired")
            .expect("parses");
        assert_eq!(e.style, ErrStyle::Legacy);
        assert_eq!((e.library, e.function, e.reason), (20, 0x94, 0x415));
        assert_eq!(e.function_name.as_deref(), Some("ssl3_read_bytes"));
        assert_eq!(e.reason_text.as_deref(), Some("sslv3 alert certificate expired"));
        assert_eq!(e.received_alert(), Some(AlertDescription::CERTIFICATE_EXPIRED));
    }

    #[test]
    fn seed_codes_decode_without_text() {
        let e = OpenSslError::decode(0x1407_7410, ErrStyle::Legacy);
        assert_eq!((e.library, e.function, e.reason), (20, 119, 1040));
        assert_eq!(e.function_name.as_deref(), Some("SSL23_GET_SERVER_HELLO"));
        assert_eq!(e.reason_text.as_deref(), Some("sslv3 alert handshake failure"));
        assert_eq!(e.received_alert(), Some(AlertDescription::HANDSHAKE_FAILURE));

        let e = OpenSslError::decode(0x1409_0086, ErrStyle::Legacy);
        assert_eq!((e.library, e.function, e.reason), (20, 144, 134));
        assert_eq!(e.function_name.as_deref(), Some("SSL3_GET_SERVER_CERTIFICATE"));
        assert_eq!(e.reason_text.as_deref(), Some("certificate verify failed"));
        assert_eq!(e.received_alert(), None);
        assert_eq!(e.library_name.as_deref(), Some("SSL routines"));
    }

    #[test]
    fn v3_strings_with_and_without_function() {
        let e = OpenSslError::parse("error:0A000415:SSL routines::sslv3 alert certificate expired").expect("parses");
        assert_eq!(e.style, ErrStyle::V3);
        assert_eq!((e.library, e.function, e.reason), (20, 0, 1045));
        assert_eq!(e.function_name, None);
        assert_eq!(e.received_alert(), Some(AlertDescription(45)));

        let line = "40E7F2B1D77F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:\
                    certificate verify failed:../ssl/statem/statem_clnt.c:1889:";
        let e = OpenSslError::parse(line).expect("parses");
        assert_eq!(e.style, ErrStyle::V3);
        assert_eq!((e.library, e.reason), (20, 134));
        assert_eq!(e.function_name.as_deref(), Some("tls_post_process_server_certificate"));
        assert_eq!(e.reason_text.as_deref(), Some("certificate verify failed"));
    }

    #[test]
    fn v3_decode_and_style_guess() {
        assert_eq!(OpenSslError::guess_style(0x1409_4415), ErrStyle::Legacy);
        assert_eq!(OpenSslError::guess_style(0x0A00_00C1), ErrStyle::V3);
        let e = OpenSslError::decode(0x0A00_00C1, ErrStyle::V3);
        assert_eq!((e.library, e.reason), (20, 193));
        assert_eq!(e.reason_text.as_deref(), Some("no shared cipher"));
        let e = OpenSslError::decode(0x0A00_010B, ErrStyle::V3);
        assert_eq!(e.reason_text.as_deref(), Some("wrong version number"));
        let e = OpenSslError::decode(0x0A00_018C, ErrStyle::V3);
        assert_eq!(e.reason_text.as_deref(), Some("version too low"));
        let e = OpenSslError::decode(0x8000_0068, ErrStyle::V3);
        assert_eq!((e.library, e.reason), (2, 0x68));
    }

    #[test]
    fn unknown_codes_keep_numbers() {
        let e = OpenSslError::parse("error:00000001:lib(0):func(0):reason(1)").expect("parses");
        assert_eq!(e.code, 1);
        assert_eq!(e.library_name.as_deref(), Some("lib(0)"));
        assert_eq!(e.reason_text.as_deref(), Some("reason(1)"));
        let e = OpenSslError::decode(0x14FF_F999, ErrStyle::Legacy);
        assert_eq!((e.function, e.reason), (0xfff, 0x999));
        assert_eq!(e.function_name, None);
        assert_eq!(e.reason_display(), "reason(2457)");
        assert_eq!(OpenSslError::parse("error:zz:SSL routines"), None);
        assert_eq!(OpenSslError::parse("no error here"), None);
        assert_eq!(OpenSslError::parse("error:123456789:x:y:z"), None);
    }

    #[test]
    fn alert_texts() {
        assert_eq!(alert_from_reason_text("tlsv1 alert unknown ca"), Some(AlertDescription::UNKNOWN_CA));
        assert_eq!(alert_from_reason_text("tlsv13 alert certificate required"), Some(AlertDescription(116)));
        assert_eq!(alert_from_reason_text("tlsv1 alert protocol version"), Some(AlertDescription(70)));
        assert_eq!(alert_from_reason_text("tlsv1 unrecognized name"), Some(AlertDescription(112)));
        assert_eq!(alert_from_reason_text("tlsv1 alert user cancelled"), Some(AlertDescription(90)));
        assert_eq!(alert_from_reason_text("certificate verify failed"), None);
        assert_eq!(ssl_reason_text(1048, ErrStyle::Legacy).as_deref(), Some("tlsv1 alert unknown ca"));
        assert_eq!(ssl_reason_text(1112, ErrStyle::Legacy).as_deref(), Some("tlsv1 unrecognized name"));
        assert_eq!(ssl_reason_text(294, ErrStyle::Legacy), None);
        assert_eq!(library_name(11), Some("x509 certificate routines"));
    }
}
