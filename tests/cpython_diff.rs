//! The CPython differential test (issue 11): every snippet in tests/pycorpus/ is run by
//! `python3 FILE` and by `rask run FILE`; both must succeed and print the same stdout.
//! Every snippet is run (four at a time) and every difference is reported, with the
//! first lines that differ, before the test fails. Snippets listed in
//! tests/pycorpus/KNOWN_GAPS (each with its cause) are expected to differ; the test also
//! fails when one of them passes, so the list is kept exact.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A snippet that runs longer than this (in either interpreter) fails: a loop whose
/// condition rask gets wrong must not hang the suite.
const TIMEOUT: Duration = Duration::from_secs(30);
const THREADS: usize = 4;

struct Run {
    stdout: String,
    stderr: String,
    /// Exit code; `None` when killed (timeout or signal).
    code: Option<i32>,
    timed_out: bool,
}

fn run(program: &str, args: &[&Path]) -> Result<Run, String> {
    let mut child = Command::new(program)
        .args(args)
        .current_dir(common::root())
        .env("PYTHONHASHSEED", "0")
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {}", program, e))?;
    // read both pipes on their own threads so a chatty snippet cannot block on a full pipe
    let mut so = child.stdout.take().ok_or("no stdout pipe")?;
    let mut se = child.stderr.take().ok_or("no stderr pipe")?;
    let out_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let err_t = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() > TIMEOUT => {
                timed_out = true;
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("waiting for {}: {}", program, e)),
        }
    };
    let stdout = common::text(&out_t.join().unwrap_or_default());
    let stderr = common::text(&err_t.join().unwrap_or_default());
    Ok(Run {
        stdout,
        stderr,
        code: status.and_then(|s| s.code()),
        timed_out,
    })
}

/// A short account of how two outputs differ: the first differing line with a little
/// context, and the line counts.
fn diff_summary(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let first = (0..e.len().max(a.len()))
        .find(|&i| e.get(i) != a.get(i))
        .unwrap_or(0);
    let mut s = format!(
        "    stdout differs from line {} (python3 printed {} lines, rask {})\n",
        first + 1,
        e.len(),
        a.len()
    );
    for i in first.saturating_sub(1)..(first + 3).min(e.len().max(a.len())) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => s.push_str(&format!("      {}\n", x)),
            (Some(x), Some(y)) if x.trim_end() == y.trim_end() => {
                // only trailing white space differs: show it
                s.push_str(&format!("    - {:?}\n    + {:?}\n", x, y));
            }
            (x, y) => {
                if let Some(x) = x {
                    s.push_str(&format!("    - {}\n", x));
                }
                if let Some(y) = y {
                    s.push_str(&format!("    + {}\n", y));
                }
            }
        }
    }
    if e == a {
        s.push_str("    (the outputs differ in their final newline)\n");
    }
    s
}

fn first_lines(text: &str, n: usize) -> String {
    text.lines()
        .take(n)
        .map(|l| format!("    | {}\n", l))
        .collect()
}

/// Compare one snippet; `None` when python3 and rask agree.
fn check(file: &Path) -> Option<String> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let py = match run("python3", &[file]) {
        Ok(r) => r,
        Err(e) => return Some(format!("{}: {}\n", name, e)),
    };
    if py.timed_out || py.code != Some(0) {
        return Some(format!(
            "{}: the snippet itself fails under python3 (exit {:?}); fix the snippet\n{}",
            name,
            py.code,
            first_lines(&py.stderr, 8)
        ));
    }
    let rask = match run(env!("CARGO_BIN_EXE_rask"), &[Path::new("run"), file]) {
        Ok(r) => r,
        Err(e) => return Some(format!("{}: {}\n", name, e)),
    };
    let mut msg = String::new();
    if rask.timed_out {
        msg.push_str(&format!("    rask did not finish in {:?}\n", TIMEOUT));
    } else if rask.code != Some(0) {
        msg.push_str(&format!("    rask exited with {:?}\n", rask.code));
        msg.push_str(&first_lines(&rask.stderr, 6));
    }
    if rask.stdout != py.stdout {
        msg.push_str(&diff_summary(&py.stdout, &rask.stdout));
    }
    if msg.is_empty() {
        None
    } else {
        Some(format!("{}:\n{}", name, msg))
    }
}

#[test]
fn rask_prints_what_cpython_prints_for_every_corpus_snippet() {
    let dir = common::root().join("tests/pycorpus");
    let files: Vec<PathBuf> = common::files_in(&dir, "py");
    assert!(
        files.len() >= 300,
        "tests/pycorpus holds {} snippets; the issue asks for at least 300",
        files.len()
    );
    let version = Command::new("python3").arg("--version").output();
    match version {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "python3 --version failed ({}): the differential test needs CPython 3.11 or later on PATH",
            o.status
        ),
        Err(e) => panic!(
            "python3 is not available ({}): the differential test needs CPython 3.11 or later on PATH",
            e
        ),
    }
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else { break };
                if let Some(m) = check(f) {
                    if let Ok(mut v) = failures.lock() {
                        v.push((i, m));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    failures.sort_by_key(|(i, _)| *i);
    let gaps = known_gaps(&dir);
    let stem = |i: usize| {
        files[i]
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    };
    let failed: Vec<String> = failures.iter().map(|(i, _)| stem(*i)).collect();
    for g in &gaps {
        assert!(
            files
                .iter()
                .any(|f| f.file_stem().is_some_and(|s| s.to_string_lossy() == *g)),
            "KNOWN_GAPS names {}, which is not a snippet in tests/pycorpus",
            g
        );
    }
    let fixed: Vec<&String> = gaps.iter().filter(|g| !failed.contains(g)).collect();
    let known = failures.len();
    failures.retain(|(i, _)| !gaps.contains(&stem(*i)));
    eprintln!(
        "{} of {} snippets print what CPython prints; {} known gaps (tests/pycorpus/KNOWN_GAPS)",
        files.len() - known,
        files.len(),
        known - failures.len()
    );
    assert!(
        fixed.is_empty(),
        "these snippets now print what CPython prints: remove them from tests/pycorpus/KNOWN_GAPS: {:?}",
        fixed
    );
    if !failures.is_empty() {
        let mut report = String::new();
        for (_, m) in &failures {
            report.push_str(m);
        }
        panic!(
            "{}\n{} of {} snippets differ from CPython ({} pass)",
            report,
            failures.len(),
            files.len(),
            files.len() - failures.len()
        );
    }
}

/// Snippet names listed in KNOWN_GAPS (first word of each non-comment line).
fn known_gaps(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("KNOWN_GAPS")).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect()
}
