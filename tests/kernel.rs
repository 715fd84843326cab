//! The Jupyter kernel driven by real Jupyter: `rask kernel install --prefix` into a
//! temporary prefix, then Python scripts (tests/kernel/) run with the venv that
//! scripts/setup.sh makes: a jupyter_client round trip (roundtrip.py) and the standard
//! conformance suite jupyter_kernel_test (conformance.py). Without the venv the tests
//! fail: CI runs setup.sh, so a missing venv is a broken setup, not a reason to skip.
//! Every kernel a script starts is stopped by it; the test then checks that none is
//! left (and kills any that is, failing).

mod common;

use common::{root, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn venv_python() -> PathBuf {
    let py = root().join(".venv/bin/python");
    let ready = Command::new(&py)
        .args(["-c", "import jupyter_client, jupyter_kernel_test"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ready,
        "{} with jupyter_client and jupyter_kernel_test is missing: run `bash scripts/setup.sh`",
        py.display()
    );
    py
}

/// A temporary prefix with the kernelspec installed, and Jupyter's own directories.
struct Prefix {
    dir: tempfile::TempDir,
}

impl Prefix {
    fn install() -> Prefix {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = Command::new(env!("CARGO_BIN_EXE_rask"))
            .args(["kernel", "install", "--prefix"])
            .arg(dir.path())
            .output()
            .expect("run rask kernel install");
        assert!(
            out.status.success(),
            "install failed: {}",
            text(&out.stderr)
        );
        let spec = dir.path().join("share/jupyter/kernels/rask");
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(spec.join("kernel.json")).expect("kernel.json"),
        )
        .expect("kernel.json is JSON");
        assert_eq!(json["argv"][1], "kernel");
        assert_eq!(json["argv"][3], "{connection_file}");
        assert!(Path::new(json["argv"][0].as_str().unwrap_or("")).is_absolute());
        assert_eq!(json["display_name"], "rask");
        assert_eq!(json["language"], "python");
        for logo in ["logo-32x32.png", "logo-64x64.png"] {
            let png = std::fs::read(spec.join(logo)).expect("logo");
            assert!(png.starts_with(b"\x89PNG"), "{} is not a PNG", logo);
        }
        for d in ["runtime", "data", "config", "work"] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        Prefix { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run a script of tests/kernel/ with Jupyter looking only here; kill it after
    /// `limit`. Returns (success, stdout, stderr).
    fn run(&self, script: &str, args: &[&str], limit: Duration) -> (bool, String, String) {
        let p = self.path();
        let mut child = Command::new(venv_python())
            .arg(root().join("tests/kernel").join(script))
            .args(args)
            .current_dir(p.join("work"))
            .env("JUPYTER_PATH", p.join("share/jupyter"))
            .env("JUPYTER_DATA_DIR", p.join("data"))
            .env("JUPYTER_RUNTIME_DIR", p.join("runtime"))
            .env("JUPYTER_CONFIG_DIR", p.join("config"))
            .env("JUPYTER_PLATFORM_DIRS", "1")
            .env_remove("VIRTUAL_ENV")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start python");
        let (mut so, mut se) = (child.stdout.take(), child.stderr.take());
        let out = std::thread::spawn(move || read_all(so.as_mut()));
        let err = std::thread::spawn(move || read_all(se.as_mut()));
        let start = Instant::now();
        let status = loop {
            if let Ok(Some(s)) = child.try_wait() {
                break Some(s);
            }
            if start.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let left = self.kill_left_kernels();
        let (out, err) = (
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
        );
        assert!(
            left.is_empty(),
            "{} left kernels running: {:?}\n{}\n{}",
            script,
            left,
            out,
            err
        );
        let timed_out = if status.is_none() { "(timed out) " } else { "" };
        (
            status.is_some_and(|s| s.success()),
            out,
            format!("{}{}", timed_out, err),
        )
    }

    /// Kernels whose command line names this prefix's runtime directory (their
    /// connection files are there): SIGKILLed, and returned.
    fn kill_left_kernels(&self) -> Vec<i32> {
        let runtime = self.path().join("runtime");
        let runtime = runtime.to_string_lossy();
        let mut left = Vec::new();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
                continue;
            };
            let cmd = std::fs::read(format!("/proc/{}/cmdline", pid)).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd);
            if cmd.contains("kernel") && cmd.contains(runtime.as_ref()) {
                // SAFETY: a signal to a kernel this test started
                unsafe { libc::kill(pid, libc::SIGKILL) };
                left.push(pid);
            }
        }
        left
    }
}

fn read_all(r: Option<&mut impl std::io::Read>) -> String {
    let mut s = String::new();
    if let Some(r) = r {
        let _ = r.read_to_string(&mut s);
    }
    s
}

#[test]
fn jupyter_client_round_trip() {
    let prefix = Prefix::install();
    let work = prefix.path().join("work");
    let (ok, out, err) = prefix.run(
        "roundtrip.py",
        &[work.to_str().expect("utf-8 path")],
        Duration::from_secs(300),
    );
    assert!(ok, "roundtrip.py failed:\n{}\n{}", out, err);
    for check in [
        "kernel_info",
        "execute: stream and result",
        "execute: error with caret traceback",
        "execute: user_expressions",
        "execute: stop_on_error aborts the queued cells",
        "execute: stderr stream",
        "display: IPython.display objects, display(), clear_output",
        "display: arrays, frames and bags as HTML",
        "display: visualize as image/svg+xml",
        "display: progress bar as an updating display on every scheduler",
        "complete: names, methods, paths",
        "inspect: help()",
        "is_complete",
        "interrupt: a loop, by message",
        "interrupt: a compute, by SIGINT",
        "interrupt: the kernel goes on",
        "signatures: wrong key and replay dropped, kernel still answers",
        "restart: a fresh session",
        "shutdown",
    ] {
        assert!(
            out.contains(&format!("ok: {}\n", check)),
            "missing '{}':\n{}",
            check,
            out
        );
    }
    // the kernel logged what it dropped (to Jupyter's log, not the notebook)
    assert!(
        err.contains("dropped a message on shell: bad signature"),
        "{}",
        err
    );
    assert!(
        err.contains("dropped a replayed message on shell"),
        "{}",
        err
    );
}

#[test]
fn jupyter_kernel_test_conformance() {
    let prefix = Prefix::install();
    let (ok, out, err) = prefix.run("conformance.py", &[], Duration::from_secs(300));
    assert!(ok, "jupyter_kernel_test failed:\n{}\n{}", out, err);
    // unittest reports on stderr; every test of the suite ran, none skipped
    assert!(err.contains("\nOK"), "{}", err);
    for ran in ["test_display_data", "test_pager", "test_clear_output"] {
        let passed = err
            .lines()
            .any(|l| l.starts_with(&format!("{} (", ran)) && l.ends_with("... ok"));
        assert!(passed, "{} did not pass:\n{}", ran, err);
    }
    assert_eq!(
        err.matches("skipped '").count(),
        0,
        "a test skipped:\n{}",
        err
    );
}

/// Every saved session, exported as a notebook, re-executed by nbconvert with the rask
/// kernel (in order, from the repo root, as `rask check` replays them), shows the outputs
/// the transcript recorded: compared entry by entry after reading the executed notebook
/// back with `rask export --to md`, with the transcripts' own normalization (timings).
#[test]
fn exported_sessions_re_execute_in_jupyter_with_the_same_outputs() {
    let prefix = Prefix::install();
    let nbs = prefix.path().join("notebooks");
    let done = prefix.path().join("executed");
    std::fs::create_dir_all(&nbs).expect("mkdir");
    std::fs::create_dir_all(&done).expect("mkdir");
    let sessions = common::files_in(&root().join("sessions"), "md");
    assert!(sessions.len() >= 5, "sessions missing: {:?}", sessions);
    let mut paths = Vec::new();
    for s in &sessions {
        let stem = s.file_stem().and_then(|n| n.to_str()).expect("name");
        let nb = nbs.join(format!("{}.ipynb", stem));
        let out = Command::new(env!("CARGO_BIN_EXE_rask"))
            .arg("export")
            .arg(s)
            .args(["--to", "ipynb", "-o"])
            .arg(&nb)
            .output()
            .expect("rask export");
        assert!(
            out.status.success(),
            "export {}: {}",
            stem,
            text(&out.stderr)
        );
        paths.push(nb.to_string_lossy().to_string());
    }
    let root_dir = root().to_string_lossy().to_string();
    let done_dir = done.to_string_lossy().to_string();
    let mut args = vec![root_dir.as_str(), done_dir.as_str()];
    args.extend(paths.iter().map(String::as_str));
    let (ok, out, err) = prefix.run("execute_notebooks.py", &args, Duration::from_secs(1200));
    assert!(ok, "execute_notebooks.py failed:\n{}\n{}", out, err);
    let mut failures = Vec::new();
    for s in &sessions {
        let stem = s.file_stem().and_then(|n| n.to_str()).expect("name");
        let executed = done.join(format!("{}.ipynb", stem));
        let back = Command::new(env!("CARGO_BIN_EXE_rask"))
            .arg("export")
            .arg(&executed)
            .args(["--to", "md", "-o", "-"])
            .output()
            .expect("rask export");
        assert!(back.status.success(), "{}: {}", stem, text(&back.stderr));
        let want = rask::export::parts(&std::fs::read_to_string(s).expect("read session"));
        let got = rask::export::parts(&text(&back.stdout));
        assert_eq!(want.len(), got.len(), "{}: cells differ", stem);
        for (w, g) in want.iter().zip(&got) {
            if let (
                rask::export::Part::Code { input, output },
                rask::export::Part::Code {
                    input: gi,
                    output: go,
                },
            ) = (w, g)
            {
                assert_eq!(input, gi, "{}: inputs differ", stem);
                let (a, b) = (
                    rask::transcript::normalize(output),
                    rask::transcript::normalize(go),
                );
                if a != b {
                    failures.push(format!(
                        "{}: >>> {}\n--- transcript\n{}\n--- notebook\n{}",
                        stem, input, output, go
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn refuses_a_non_loopback_address_and_bad_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("conn.json");
    std::fs::write(
        &file,
        r#"{"ip": "0.0.0.0", "transport": "tcp", "shell_port": 50001, "iopub_port": 50002,
            "stdin_port": 50003, "control_port": 50004, "hb_port": 50005,
            "key": "k", "signature_scheme": "hmac-sha256"}"#,
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["kernel", "-f"])
        .arg(&file)
        .output()
        .expect("run rask kernel");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--allow-remote"),
        "{}",
        text(&out.stderr)
    );
    std::fs::write(&file, "not json").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["kernel", "-f"])
        .arg(&file)
        .output()
        .expect("run rask kernel");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a Jupyter connection file"));
}
