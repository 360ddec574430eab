//! Two laptops mounting the team server's folder: an `sshd` of the test's own on a free
//! loopback port (its own host key, one client key, sftp inside sshd), and two `sshfs`
//! mounts of one server folder through it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::net::{free_port, listening};
use super::{require, run};
use crate::wait;

pub struct SshfsPair {
    /// The server's folder, as the server sees it.
    pub server: PathBuf,
    /// The same folder through two mounts: two laptops.
    pub mounts: [PathBuf; 2],
    sshd: Child,
    mounted: Vec<PathBuf>,
    /// Removed last, once nothing is mounted in it.
    _dir: tempfile::TempDir,
}

impl SshfsPair {
    /// Start sshd and mount its folder twice; fails the test if that cannot be done.
    #[track_caller]
    pub fn start() -> SshfsPair {
        for p in ["sshfs", "fusermount", "ssh-keygen"] {
            require(p);
        }
        require("/usr/sbin/sshd");
        assert!(
            Path::new("/dev/fuse").exists(),
            "no /dev/fuse: sshfs cannot mount here (a container needs --device /dev/fuse)"
        );
        let dir = tempfile::Builder::new()
            .prefix("obeya-sshfs")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path();
        let server = d.join("server");
        std::fs::create_dir(&server).unwrap();
        for key in ["host_key", "client_key"] {
            run(
                "ssh-keygen",
                Command::new("ssh-keygen")
                    .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                    .arg(d.join(key)),
            );
        }
        let port = free_port();
        let config = d.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {client}.pub\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n\
                 StrictModes no\nUsePAM no\nPidFile {pid}\nSubsystem sftp internal-sftp\n",
                host = d.join("host_key").display(),
                client = d.join("client_key").display(),
                pid = d.join("sshd.pid").display(),
            ),
        )
        .unwrap();
        // sshd's privilege separation needs its folder.
        let _ = std::fs::create_dir_all("/run/sshd");
        let sshd = Command::new("/usr/sbin/sshd")
            .arg("-D")
            .arg("-f")
            .arg(&config)
            .arg("-E")
            .arg(d.join("sshd.log"))
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start sshd: {e}"));
        let mut pair = SshfsPair {
            server,
            mounts: [d.join("laptop-a"), d.join("laptop-b")],
            sshd,
            mounted: Vec::new(),
            _dir: dir,
        };
        let log = pair._dir.path().join("sshd.log");
        wait::until("sshd to listen", Duration::from_secs(10), || {
            if listening(port) {
                Ok(())
            } else {
                Err(std::fs::read_to_string(&log).unwrap_or_default())
            }
        });
        let user = run("id -un", Command::new("id").arg("-un"))
            .trim()
            .to_owned();
        for m in pair.mounts.clone() {
            std::fs::create_dir(&m).unwrap();
            run(
                "sshfs",
                Command::new("sshfs")
                    .arg("-p")
                    .arg(port.to_string())
                    .arg("-o")
                    .arg(format!(
                        "IdentityFile={},StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,BatchMode=yes,LogLevel=ERROR",
                        pair._dir.path().join("client_key").display()
                    ))
                    .arg(format!("{user}@127.0.0.1:{}", pair.server.display()))
                    .arg(&m),
            );
            pair.mounted.push(m);
        }
        pair
    }
}

impl Drop for SshfsPair {
    fn drop(&mut self) {
        for m in self.mounted.drain(..) {
            let unmounted = Command::new("fusermount")
                .arg("-u")
                .arg(&m)
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !unmounted {
                // Something still has a file open there: detach it lazily.
                let _ = Command::new("fusermount").arg("-uz").arg(&m).status();
            }
        }
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}
