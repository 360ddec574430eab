//! The README tells the truth: its key tables are exactly the default keymap of every
//! mode, with every command of the command tables.

use std::path::Path;

use obeya::config::Config;
use obeya::keymap::{
    Command, CommandSet, ConfirmCommand, ConflictCommand, EvidenceCommand, FilterCommand,
    FormCommand, Keys, PopupCommand, StandupCommand, section_title,
};

/// The README's block of default keys, as the command tables give it.
fn documented_defaults() -> String {
    fn section<C: CommandSet>(keys: &Keys, out: &mut String) {
        out.push_str(&format!("{}\n", section_title(C::SECTION)));
        for &c in C::ALL {
            let list: Vec<String> = c.default_keys().iter().map(|k| format!("{k:?}")).collect();
            let value = match list.as_slice() {
                [one] => one.clone(),
                many => format!("[{}]", many.join(", ")),
            };
            out.push_str(&format!(
                "{} = {value}  # {}\n",
                c.name(),
                keys.expand(c.description())
            ));
        }
    }
    let keys = Keys::default();
    let mut out = String::new();
    section::<Command>(&keys, &mut out);
    for add in [
        section::<StandupCommand>,
        section::<FormCommand>,
        section::<ConfirmCommand>,
        section::<ConflictCommand>,
        section::<PopupCommand>,
        section::<EvidenceCommand>,
        section::<FilterCommand>,
    ] {
        out.push('\n');
        add(&keys, &mut out);
    }
    out
}

/// The ```toml block under the README heading `heading`.
fn toml_block_after(readme: &str, heading: &str) -> String {
    let rest = readme
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("README has no heading {heading:?}"));
    let start = rest.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let end = rest[start..].find("```").expect("the block ends");
    rest[start..start + end].to_owned()
}

#[test]
fn the_readme_lists_every_command_with_its_default_keys() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = toml_block_after(&readme, "### Every key, by mode");
    let expected = documented_defaults();
    assert_eq!(
        block, expected,
        "the README's key table differs from the command tables; it should read:\n{expected}"
    );
    let config = Config::parse(&block, Path::new("README.md")).unwrap();
    assert_eq!(config.keys(), Keys::default());
}
