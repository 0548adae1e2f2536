//! Tests for the TLS layer.
