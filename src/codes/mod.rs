//! Protocol codes as open newtypes: TLS versions, cipher suites, alerts (numbered and named from
//! tls-parser), the groups and signature schemes a ClientHello lists, OpenSSL verify codes and error strings (which tls-parser does not have).
//!
//! Every type keeps the raw number, so an unknown code survives parsing and is printed as a
//! number instead of being dropped or guessed.

mod hello;
mod openssl;
mod tls;
mod verify;

pub use hello::{group_name, is_grease, names, signature_scheme_name};
pub use openssl::{alert_from_reason_text, library_name, ssl_function_name, ssl_reason_text, ErrStyle, OpenSslError};
pub use tls::{AlertDescription, AlertLevel, CipherSuite, RecordType, TlsVersion};
pub use verify::VerifyCode;
