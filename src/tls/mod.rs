//! TLS over reassembled streams: records, handshake defragmentation, messages and alerts.
