//! The processes on a terminal, from `/proc`: signalled, listed, and reaped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

/// Whether this process reaps the orphans of its children ([`become_subreaper`]).
static SUBREAPER: AtomicBool = AtomicBool::new(false);

/// Whether [`become_subreaper`] made this process the reaper of its children's orphans.
pub(super) fn reaps_orphans() -> bool {
    SUBREAPER.load(Ordering::Relaxed)
}

pub(super) fn signal_group(pgid: i32, sig: Signal) {
    if let Some(pid) = Pid::from_raw(pgid) {
        let _ = rustix::process::kill_process_group(pid, sig);
    }
}

pub(super) fn signal_process(pid: i32, sig: Signal) {
    if let Some(pid) = Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(pid, sig);
    }
}

/// One line of `/proc/PID/stat`, the fields used here.
pub(super) struct Process {
    pub pid: i32,
    pub state: char,
    pub parent: i32,
    pub session: i32,
}

/// Every process.
pub(super) fn processes() -> Vec<Process> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        // After the name: state, ppid, pgrp, session.
        let f: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        if let (Some(state), Some(Ok(parent)), Some(Ok(session))) = (
            f.first().and_then(|s| s.chars().next()),
            f.get(1).map(|s| s.parse()),
            f.get(3).map(|s| s.parse()),
        ) {
            out.push(Process {
                pid,
                state,
                parent,
                session,
            });
        }
    }
    out
}

/// Make this process the reaper of its children's orphans (instead of init, which in
/// a container may never reap them), so that nothing is left as a zombie. For a
/// program that runs nothing else meanwhile (the probe): `Session::finish` then reaps
/// every child of this process that has become a zombie.
pub fn become_subreaper() {
    if rustix::process::set_child_subreaper(Some(rustix::process::getpid())).is_ok() {
        SUBREAPER.store(true, Ordering::Relaxed);
    }
}

/// Reap the orphans this process adopted (its children that are no session's program).
pub(super) fn reap_adopted(until: Instant) {
    let me = std::process::id() as i32;
    loop {
        let children: Vec<_> = processes().into_iter().filter(|p| p.parent == me).collect();
        // Other threads' children (a running `git`, a session's program) are not ours to
        // reap: only zombies are taken, which a program being waited for never is for long.
        let zombies: Vec<i32> = children
            .iter()
            .filter(|p| p.state == 'Z')
            .map(|p| p.pid)
            .collect();
        for pid in zombies.iter().filter_map(|&p| Pid::from_raw(p)) {
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::NOHANG);
        }
        if children.len() == zombies.len() || Instant::now() >= until {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
