//! The configuration file and the standard paths.
