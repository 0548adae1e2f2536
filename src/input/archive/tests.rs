//! Tests of archive reading (filled in below).
