//! Keys to commands; rebindable from the config.
