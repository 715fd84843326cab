//! Helpers shared by the integration tests: run the real binary.
#![allow(dead_code)]

pub mod pty;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn rask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run rask")
}

pub fn rask_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(args)
        .current_dir(root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn rask");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait rask")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The saved sessions (`sessions/*.md`), as paths relative to the repo root (how
/// `rask check` is run on them from there), in name order.
pub fn session_files() -> Vec<String> {
    files_in(&root().join("sessions"), "md")
        .iter()
        .map(|f| {
            f.strip_prefix(root())
                .unwrap_or(f)
                .to_string_lossy()
                .to_string()
        })
        .collect()
}

pub fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().map(|e| e == ext).unwrap_or(false))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Worker processes (`rask __worker`) whose parent is `pid`.
pub fn workers_of(pid: u32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(child) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", child)).unwrap_or_default();
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        let cmd = std::fs::read(format!("/proc/{}/cmdline", child)).unwrap_or_default();
        if ppid == Some(pid) && String::from_utf8_lossy(&cmd).contains("__worker") {
            out.push(child);
        }
    }
    out
}

/// Run `code` with the Python of the venv scripts/setup.sh makes (NumPy, pandas, pyarrow,
/// Polars, DuckDB, zarr, h5py, Dask): the reference the file-format tests compare with. A
/// missing venv fails the test, saying how to make it; a failing script shows its code.
pub fn venv_python(code: &str) -> String {
    let py = root().join(".venv/bin/python");
    let out = Command::new(&py)
        .args(["-c", code])
        .output()
        .unwrap_or_else(|e| panic!("{} is missing ({}): run scripts/setup.sh", py.display(), e));
    assert!(
        out.status.success(),
        "python failed:\n{}\n--- code ---\n{}",
        text(&out.stderr),
        code
    );
    text(&out.stdout)
}

/// Run `code` with `rask -c`; it must succeed. Its stdout.
pub fn rask_ok(code: &str) -> String {
    let out = rask(&["-c", code]);
    assert!(
        out.status.success(),
        "rask failed:\n{}{}\n--- code ---\n{}",
        text(&out.stdout),
        text(&out.stderr),
        code
    );
    text(&out.stdout)
}
