//! Shuffle directories never pile up (issue 15): SIGTERM of rask mid-shuffle removes its
//! directory and leaves no worker; after SIGKILL, the next rask to start removes the
//! directory the killed one left.

mod common;
use common::*;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const GROUPBY: &str =
    "b = db.from_sequence(range(3_000_000), npartitions=40).map(lambda x: (x % 1000, x))\n\
                       print(len(b.groupby(lambda t: t[0]).compute(scheduler='processes')))\n";

fn shuffle_dirs(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str().map(|s| s.to_string()))
                .filter(|n| n.starts_with("rask-shuffle-"))
                .collect()
        })
        .unwrap_or_default()
}

/// rask running the groupby with its temporary files in `tmp`, once its shuffle
/// directory exists.
fn start_groupby(tmp: &Path) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["-c", GROUPBY])
        .env("TMPDIR", tmp)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while shuffle_dirs(tmp).is_empty() {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "rask ended before its shuffle started"
        );
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no shuffle directory appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

#[test]
fn sigterm_removes_the_shuffle_directory_and_leaves_no_worker() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut child = start_groupby(tmp.path());
    let pid = child.id();
    // SAFETY: a signal to the child we started
    unsafe { libc::kill(pid as i32, libc::SIGTERM) };
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(143), "{:?}", status);
    assert!(
        shuffle_dirs(tmp.path()).is_empty(),
        "{:?}",
        shuffle_dirs(tmp.path())
    );
    // workers die with their parent (PR_SET_PDEATHSIG); give them a moment
    let start = Instant::now();
    while !workers_of(pid).is_empty() && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(workers_of(pid).is_empty());
}

#[test]
fn the_next_rask_removes_what_a_killed_one_left() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut child = start_groupby(tmp.path());
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    assert!(
        !shuffle_dirs(tmp.path()).is_empty(),
        "nothing was left to clean"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["-c", "print(1)"])
        .env("TMPDIR", tmp.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        shuffle_dirs(tmp.path()).is_empty(),
        "{:?}",
        shuffle_dirs(tmp.path())
    );
}
