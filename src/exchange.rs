//! JSON / TOML / Markdown / CSV exchange of a whole board.
