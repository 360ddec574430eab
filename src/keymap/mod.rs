//! Keys to commands, per mode, rebindable from the config.
//!
//! Each mode of the wall has its own table of commands ([`commands`]) and its own
//! section of the config: `[keys]` for the board, `[keys.form]`, `[keys.confirm]`,
//! `[keys.conflict]`, `[keys.popup]`, `[keys.evidence]`, `[keys.filter_line]` and
//! `[keys.standup]`. A
//! [`Keymap`] maps keys to one mode's commands; [`Keys`] holds them all. Hints and help
//! are written as templates (`{form.save} save`) and expanded with the keys in force, so
//! no key letter is fixed in a string.

pub mod commands;
mod key;

use std::collections::BTreeMap;

use crossterm::event::KeyEvent;

pub use commands::{
    Command, ConfirmCommand, ConflictCommand, EvidenceCommand, FilterCommand, FormCommand,
    PopupCommand, StandupCommand,
};
pub use key::{BadKey, KeyProblem, KeySpec};

/// Why the config's keys for one mode cannot be used; [`Keys::with_overrides`] names the
/// section (`[keys.form] save: bad key …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("unknown command '{name}' (valid: {})", valid.join(", "))]
    UnknownCommand {
        name: String,
        valid: Vec<&'static str>,
    },
    #[error("{command}: {key}")]
    BadKey { command: String, key: BadKey },
    #[error("{0}: needs at least one key")]
    NoKey(String),
    #[error("key '{key}' is bound to both '{first}' and '{second}'")]
    Shared {
        key: KeySpec,
        first: &'static str,
        second: &'static str,
    },
    #[error("unknown key section [keys.{section}] (valid: {})", valid.join(", "))]
    UnknownSection { section: String, valid: Vec<String> },
    /// One of the above, in a section of the config.
    #[error("{} {error}", section_title(section))]
    InSection {
        section: String,
        error: Box<KeymapError>,
    },
}

/// One mode's table of commands (implemented by the `commands!` declarations).
pub trait CommandSet: Copy + Eq + 'static {
    /// The config section after `keys.` (`form`, …); `board` is `[keys]` itself.
    const SECTION: &'static str;
    /// Every command, in help order.
    const ALL: &'static [Self];
    /// The snake_case name used as a key in the config.
    fn name(self) -> &'static str;
    /// One line of help; may name other keys as `{section.command}`.
    fn description(self) -> &'static str;
    /// The default keys, as config strings.
    fn default_keys(self) -> &'static [&'static str];
    /// Refused on a read-only board.
    fn writes(self) -> bool;
    /// Works during the stand-up.
    fn in_standup(self) -> bool;
    /// Must keep at least one key.
    fn required(self) -> bool;

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }
}

/// The config table of a section: `[keys]` for the board, `[keys.form]` for forms.
pub fn section_title(section: &str) -> String {
    if section == Command::SECTION {
        "[keys]".to_owned()
    } else {
        format!("[keys.{section}]")
    }
}

/// One mode's key bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap<C: CommandSet> {
    /// Keys per command, in [`CommandSet::ALL`] order.
    keys: Vec<(C, Vec<KeySpec>)>,
}

impl<C: CommandSet> Default for Keymap<C> {
    fn default() -> Self {
        let keys = C::ALL
            .iter()
            .map(|&c| {
                let specs = c
                    .default_keys()
                    .iter()
                    .map(|k| k.parse().expect("default keys parse"))
                    .collect();
                (c, specs)
            })
            .collect();
        Keymap { keys }
    }
}

impl<C: CommandSet> Keymap<C> {
    /// The defaults, with the keys of every listed command replaced by the given ones.
    ///
    /// Errors name the unknown command (and list the valid names), the bad key, or the
    /// two commands that would share a key. An empty list unbinds a command, unless it
    /// is required.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Self, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let Some(cmd) = C::from_name(name) else {
                return Err(KeymapError::UnknownCommand {
                    name: name.clone(),
                    valid: C::ALL.iter().map(|c| c.name()).collect(),
                });
            };
            let mut specs: Vec<KeySpec> = Vec::with_capacity(keys.len());
            for k in keys {
                let spec: KeySpec = k.parse().map_err(|key| KeymapError::BadKey {
                    command: name.clone(),
                    key,
                })?;
                if !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
            if cmd.required() && specs.is_empty() {
                return Err(KeymapError::NoKey(name.clone()));
            }
            map.slot_mut(cmd).1 = specs;
        }
        map.check_conflicts()?;
        Ok(map)
    }

    fn slot_mut(&mut self, c: C) -> &mut (C, Vec<KeySpec>) {
        self.keys
            .iter_mut()
            .find(|(cmd, _)| *cmd == c)
            .expect("every command has a slot")
    }

    fn check_conflicts(&self) -> Result<(), KeymapError> {
        for (i, (a, ka)) in self.keys.iter().enumerate() {
            for (b, kb) in &self.keys[i + 1..] {
                if let Some(&key) = ka.iter().find(|k| kb.contains(k)) {
                    return Err(KeymapError::Shared {
                        key,
                        first: a.name(),
                        second: b.name(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The command bound to this key event, if any.
    pub fn command_for(&self, ev: &KeyEvent) -> Option<C> {
        self.keys
            .iter()
            .find(|(_, specs)| specs.iter().any(|s| s.matches(ev)))
            .map(|(c, _)| *c)
    }

    /// The keys bound to a command (empty if unbound).
    pub fn keys_for(&self, c: C) -> &[KeySpec] {
        self.keys
            .iter()
            .find(|(cmd, _)| *cmd == c)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// The first key of a command as shown to a person, or `(unbound)`.
    pub fn label(&self, c: C) -> String {
        self.keys_for(c)
            .first()
            .map_or_else(|| "(unbound)".to_owned(), ToString::to_string)
    }

    /// Every key of a command as shown to a person, joined with `/` (`Esc/q`), or
    /// `(unbound)`.
    pub fn labels(&self, c: C) -> String {
        let all: Vec<String> = self.keys_for(c).iter().map(ToString::to_string).collect();
        if all.is_empty() {
            "(unbound)".to_owned()
        } else {
            all.join("/")
        }
    }

    /// (keys joined with `" / "`, e.g. `j / ↓`; command) of every bound command, in
    /// table order.
    pub fn bound(&self) -> impl Iterator<Item = (String, C)> + '_ {
        self.keys
            .iter()
            .filter(|(_, specs)| !specs.is_empty())
            .map(|(c, specs)| {
                let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
                (labels.join(" / "), *c)
            })
    }

    /// The label of the command named `name`, for templates.
    fn label_named(&self, name: &str) -> Option<String> {
        C::from_name(name).map(|c| self.label(c))
    }
}

/// Every mode's keymap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    pub board: Keymap<Command>,
    pub standup: Keymap<StandupCommand>,
    pub form: Keymap<FormCommand>,
    pub confirm: Keymap<ConfirmCommand>,
    pub conflict: Keymap<ConflictCommand>,
    pub popup: Keymap<PopupCommand>,
    pub evidence: Keymap<EvidenceCommand>,
    pub filter: Keymap<FilterCommand>,
}

/// Every section name, in documentation order.
pub const SECTIONS: &[&str] = &[
    Command::SECTION,
    StandupCommand::SECTION,
    FormCommand::SECTION,
    ConfirmCommand::SECTION,
    ConflictCommand::SECTION,
    PopupCommand::SECTION,
    EvidenceCommand::SECTION,
    FilterCommand::SECTION,
];

impl Keys {
    /// The defaults with the config's overrides: section → command name → keys. Errors
    /// start with the section's config table, e.g. `[keys.form] save: bad key …`.
    pub fn with_overrides(
        overrides: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
    ) -> Result<Keys, KeymapError> {
        let mut keys = Keys::default();
        for (section, o) in overrides {
            let in_section = |e| KeymapError::InSection {
                section: section.clone(),
                error: Box::new(e),
            };
            match section.as_str() {
                "board" => keys.board = Keymap::with_overrides(o).map_err(in_section)?,
                "standup" => keys.standup = Keymap::with_overrides(o).map_err(in_section)?,
                "form" => keys.form = Keymap::with_overrides(o).map_err(in_section)?,
                "confirm" => keys.confirm = Keymap::with_overrides(o).map_err(in_section)?,
                "conflict" => keys.conflict = Keymap::with_overrides(o).map_err(in_section)?,
                "popup" => keys.popup = Keymap::with_overrides(o).map_err(in_section)?,
                "evidence" => keys.evidence = Keymap::with_overrides(o).map_err(in_section)?,
                "filter_line" => keys.filter = Keymap::with_overrides(o).map_err(in_section)?,
                other => {
                    return Err(KeymapError::UnknownSection {
                        section: other.to_owned(),
                        valid: SECTIONS[1..].iter().map(|s| format!("keys.{s}")).collect(),
                    });
                }
            }
        }
        Ok(keys)
    }

    /// A hint or help text with every `{section.command}` replaced by that command's
    /// first key, e.g. `{form.save} save` → `Ctrl-s save`. Unknown names stay as written.
    pub fn expand(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let label = after.find('}').and_then(|close| {
                let (section, name) = after[..close].split_once('.')?;
                Some((self.label_in(section, name)?, close))
            });
            match label {
                Some((label, close)) => {
                    out.push_str(&label);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn label_in(&self, section: &str, name: &str) -> Option<String> {
        match section {
            "board" => self.board.label_named(name),
            "standup" => self.standup.label_named(name),
            "form" => self.form.label_named(name),
            "confirm" => self.confirm.label_named(name),
            "conflict" => self.conflict.label_named(name),
            "popup" => self.popup.label_named(name),
            "evidence" => self.evidence.label_named(name),
            "filter_line" => self.filter.label_named(name),
            _ => None,
        }
    }

    /// The board's help rows: keys and the expanded description.
    pub fn help_rows(&self) -> Vec<(String, String)> {
        self.board
            .bound()
            .map(|(keys, c)| (keys, self.expand(c.description())))
            .collect()
    }
}
