//! The board file: opening, schema, reads and versioned writes.
