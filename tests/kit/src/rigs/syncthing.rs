//! Two laptops each with their own copy of the team's folder, kept alike by Syncthing:
//! two instances with separate homes on free loopback ports, each knowing the other at
//! its static `127.0.0.1` address; no discovery, no relays, no NAT traversal. The folder
//! keeps Syncthing's default of 10 conflict copies (`maxConflicts`, written out: a
//! folder without it gets 0, "no conflict copies", and a losing version is discarded
//! silently). Changes are picked up by Syncthing's watcher after a second.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::net::{free_port, http};
use super::{require, run};
use crate::wait;

/// The folder's id in both instances.
const FOLDER: &str = "team";

struct Instance {
    home: PathBuf,
    folder: PathBuf,
    id: String,
    gui: u16,
    listen: u16,
    key: String,
    process: Option<Child>,
}

pub struct SyncthingPair {
    sides: [Instance; 2],
    _dir: tempfile::TempDir,
}

impl SyncthingPair {
    /// Start both and wait until they are connected; fails the test if they cannot.
    #[track_caller]
    pub fn start() -> SyncthingPair {
        require("syncthing");
        let dir = tempfile::Builder::new()
            .prefix("obeya-syncthing")
            .tempdir_in("/tmp")
            .unwrap();
        let side = |name: &str| {
            let home = dir.path().join(format!("home-{name}"));
            let folder = dir.path().join(format!("laptop-{name}"));
            std::fs::create_dir_all(folder.join(".stfolder")).unwrap();
            run(
                "syncthing generate",
                Command::new("syncthing")
                    .arg("generate")
                    .arg(format!("--home={}", home.display()))
                    .args(["--no-default-folder", "--skip-port-probing"]),
            );
            let id = run(
                "syncthing --device-id",
                Command::new("syncthing")
                    .arg("serve")
                    .arg(format!("--home={}", home.display()))
                    .arg("--device-id"),
            )
            .trim()
            .to_owned();
            Instance {
                home,
                folder,
                id,
                gui: free_port(),
                listen: free_port(),
                key: format!("obeya-test-{name}-{}", std::process::id()),
                process: None,
            }
        };
        let mut pair = SyncthingPair {
            sides: [side("a"), side("b")],
            _dir: dir,
        };
        for (me, peer) in [(0, 1), (1, 0)] {
            let config = config(&pair.sides[me], &pair.sides[peer]);
            std::fs::write(pair.sides[me].home.join("config.xml"), config).unwrap();
        }
        for s in &mut pair.sides {
            let log = s.home.join("log.txt");
            let child = Command::new("syncthing")
                .arg("serve")
                .arg(format!("--home={}", s.home.display()))
                .args(["--no-browser", "--no-restart", "--no-upgrade"])
                .arg(format!("--logfile={}", log.display()))
                .env("STNOUPGRADE", "1")
                .env("STNODEFAULTFOLDER", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own process group: whatever it starts goes with it.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start syncthing: {e}"));
            s.process = Some(child);
        }
        pair.wait_connected(Duration::from_secs(60));
        pair
    }

    /// The shared folder on laptop `n` (0 or 1).
    pub fn folder(&self, n: usize) -> &Path {
        &self.sides[n].folder
    }

    /// Wait until each side sees the other connected.
    #[track_caller]
    pub fn wait_connected(&self, within: Duration) {
        let deadline = wait::Deadline::after(within);
        for (me, peer) in [(0, 1), (1, 0)] {
            let (s, p) = (&self.sides[me], &self.sides[peer]);
            wait::until("the two Syncthing instances to connect", deadline, || {
                let log = || tail(&s.home.join("log.txt"));
                let body = http("GET", s.gui, "/rest/system/connections", &s.key)
                    .map_err(|e| format!("{e}\nlog:\n{}", log()))?;
                let v: serde_json::Value =
                    serde_json::from_str(&body).map_err(|e| e.to_string())?;
                if v["connections"][&p.id]["connected"] == true {
                    Ok(())
                } else {
                    Err(format!("{body}\nlog:\n{}", log()))
                }
            });
        }
    }

    /// Take the laptops apart (side 0 stops talking to side 1) or bring them together.
    #[track_caller]
    pub fn set_apart(&self, apart: bool) {
        let (s, p) = (&self.sides[0], &self.sides[1]);
        let verb = if apart { "pause" } else { "resume" };
        http(
            "POST",
            s.gui,
            &format!("/rest/system/{verb}?device={}", p.id),
            &s.key,
        )
        .unwrap_or_else(|e| panic!("syncthing {verb}: {e}"));
        if apart {
            wait::until("the laptops to be apart", Duration::from_secs(10), || {
                let body = http("GET", s.gui, "/rest/system/connections", &s.key)?;
                let v: serde_json::Value =
                    serde_json::from_str(&body).map_err(|e| e.to_string())?;
                if v["connections"][&p.id]["connected"] == false {
                    Ok(())
                } else {
                    Err(body)
                }
            });
        } else {
            self.wait_connected(Duration::from_secs(30));
        }
    }

    /// Ask both instances to look at the folder now (their watchers do it within a
    /// second or two anyway).
    pub fn rescan(&self) {
        for s in &self.sides {
            let _ = http(
                "POST",
                s.gui,
                &format!("/rest/db/scan?folder={FOLDER}"),
                &s.key,
            );
        }
    }

    /// The last lines of both logs, for a failure message.
    pub fn logs(&self) -> String {
        self.sides
            .iter()
            .map(|s| {
                format!(
                    "--- {}\n{}",
                    s.home.display(),
                    tail(&s.home.join("log.txt"))
                )
            })
            .collect()
    }
}

impl Drop for SyncthingPair {
    fn drop(&mut self) {
        for s in &mut self.sides {
            if let Some(mut child) = s.process.take() {
                if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// The config version the installed Syncthing wrote when it generated the home (it
/// refuses a newer one).
fn config_version(home: &Path) -> String {
    let generated = std::fs::read_to_string(home.join("config.xml")).unwrap_or_default();
    generated
        .split("<configuration version=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("36")
        .to_owned()
}

/// A whole config: Syncthing fills in what is left out, except `maxConflicts`.
fn config(me: &Instance, peer: &Instance) -> String {
    format!(
        r#"<configuration version="{version}">
    <folder id="{FOLDER}" label="team" path="{folder}" type="sendreceive" rescanIntervalS="60" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <device id="{my_id}"></device>
        <device id="{peer_id}"></device>
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="{my_id}" name="me" compression="metadata" introducer="false">
        <address>dynamic</address>
    </device>
    <device id="{peer_id}" name="peer" compression="metadata" introducer="false">
        <address>tcp://127.0.0.1:{peer_port}</address>
    </device>
    <gui enabled="true" tls="false">
        <address>127.0.0.1:{gui}</address>
        <apikey>{key}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <urAccepted>-1</urAccepted>
        <startBrowser>false</startBrowser>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <reconnectionIntervalS>1</reconnectionIntervalS>
    </options>
</configuration>
"#,
        version = config_version(&me.home),
        folder = me.folder.display(),
        my_id = me.id,
        peer_id = peer.id,
        peer_port = peer.listen,
        gui = me.gui,
        key = me.key,
        port = me.listen,
    )
}
