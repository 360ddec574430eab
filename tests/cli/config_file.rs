//! `obeya config init`: the commented default config, written where obeya reads it,
//! never over a file that is there.

use kit::cli::{Env, texts};

use crate::OBEYA;

const DEFAULT: &str = include_str!("../../assets/config.toml");

#[test]
fn config_init_writes_the_default_config_where_obeya_reads_it_and_never_over_one() {
    let env = Env::new(OBEYA);
    let out = env.cmd().args(["config", "init"]).output().unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    let path = env.path("home/.config/obeya/config.toml");
    assert_eq!(
        stdout,
        format!(
            "wrote the default config to {} (every key is commented; change what you need)\n",
            path.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DEFAULT);
    // `--version` names the same file.
    let version = env.cmd().arg("--version").output().unwrap();
    let (version, _) = texts(&version);
    assert!(
        version.contains(&format!("default config: {}", path.display())),
        "{version}"
    );

    // The user's own edits are never overwritten.
    let mine = "user = \"zoë\"\n";
    std::fs::write(&path, mine).unwrap();
    let again = env.cmd().args(["config", "init"]).output().unwrap();
    let (stdout, stderr) = texts(&again);
    assert_eq!(again.status.code(), Some(1), "{stdout}");
    assert_eq!(
        stderr,
        format!(
            "obeya: a config file is already at {}; it was left as it is (edit it, or remove it to write the defaults again)\n",
            path.display()
        )
    );
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), mine);
}

#[test]
fn config_init_writes_to_the_file_config_names_and_obeya_then_reads_it() {
    let env = Env::new(OBEYA);
    let path = env.path("elsewhere/team.toml");
    // `--config` names a file that is not there yet: not an error for `config init`.
    let out = env
        .cmd()
        .args(["config", "init", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    let (stdout, stderr) = texts(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains(path.to_str().unwrap()), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DEFAULT);
    // OBEYA_CONFIG too, and the file written is one obeya reads without complaint.
    let again = env
        .cmd()
        .env("OBEYA_CONFIG", &path)
        .args(["config", "init"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    let init = env
        .cmd()
        .env("OBEYA_CONFIG", &path)
        .args(["init", "--empty", "--db"])
        .arg(env.path("b.db"))
        .output()
        .unwrap();
    let (_, stderr) = texts(&init);
    assert!(init.status.success(), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
