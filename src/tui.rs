//! Terminal set-up, the event loop and restoring the terminal.
