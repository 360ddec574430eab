//! Keys by name, as a terminal sends them.

/// A key as a terminal sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Raw(Vec<u8>),
    /// Arrow and home/end keys: CSI or SS3 depending on the terminal's cursor key mode.
    Cursor(u8),
}

impl Key {
    /// `enter` (`ret`), `esc`, `tab`, `backtab`, `space`, `backspace` (`bs`), `comma`,
    /// `pgup`, `pgdn`, `up`, `down`, `right`, `left`, `home`, `end`, `c-x` (Ctrl+letter),
    /// or a single character.
    pub fn named(name: &str) -> Result<Key, String> {
        let raw = |b: &[u8]| Key::Raw(b.to_vec());
        Ok(match name.to_ascii_lowercase().as_str() {
            "enter" | "ret" => raw(b"\r"),
            "esc" => raw(b"\x1b"),
            "tab" => raw(b"\t"),
            "backtab" => raw(b"\x1b[Z"),
            "space" => raw(b" "),
            "backspace" | "bs" => raw(b"\x7f"),
            "comma" => raw(b","),
            "pgup" => raw(b"\x1b[5~"),
            "pgdn" => raw(b"\x1b[6~"),
            "up" => Key::Cursor(b'A'),
            "down" => Key::Cursor(b'B'),
            "right" => Key::Cursor(b'C'),
            "left" => Key::Cursor(b'D'),
            "home" => Key::Cursor(b'H'),
            "end" => Key::Cursor(b'F'),
            _ => {
                let chars: Vec<char> = name.chars().collect();
                match chars.as_slice() {
                    [c] => Key::Raw(c.to_string().into_bytes()),
                    ['C' | 'c', '-', c] if c.is_ascii_alphabetic() => {
                        Key::Raw(vec![c.to_ascii_lowercase() as u8 & 0x1f])
                    }
                    _ => return Err(format!("unknown key {name:?}")),
                }
            }
        })
    }

    pub fn encode(&self, application_cursor: bool) -> Vec<u8> {
        match self {
            Key::Raw(b) => b.clone(),
            Key::Cursor(c) => {
                let lead: &[u8] = if application_cursor {
                    b"\x1bO"
                } else {
                    b"\x1b["
                };
                let mut v = lead.to_vec();
                v.push(*c);
                v
            }
        }
    }
}
