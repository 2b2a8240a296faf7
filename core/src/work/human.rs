//! Stub: the human worker.
