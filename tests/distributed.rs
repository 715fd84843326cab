//! Cluster mode on a real Dask cluster: `dask scheduler` and two `dask worker` processes
//! from the venv scripts/setup.sh makes (distributed from PyPI), all on 127.0.0.1, with
//! the bridge package from python/ on PYTHONPATH. Every saved session replays under
//! `--scheduler distributed` with its recorded outputs; a worker killed with SIGKILL
//! during a compute does not change the answer; a closed port is an error within
//! seconds; `Client()` alone starts (and stops) a local cluster; Ctrl-C at the REPL
//! cancels a cluster compute and the session goes on. Every process a test
//! starts is killed at its end (a Drop guard kills the process groups), and the test
//! checks that none is left: each carries a marker in its environment.
//!
//! Without the venv the tests fail, unless RASK_SKIP_DISTRIBUTED=1 (CI runs setup.sh,
//! so it never skips there).

mod common;

use common::{files_in, root, text};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn venv_bin(name: &str) -> PathBuf {
    root().join(".venv/bin").join(name)
}

/// The venv's python with distributed, or None when the tests are to be skipped.
fn ready() -> Option<PathBuf> {
    let py = venv_bin("python");
    let ok = Command::new(&py)
        .args(["-c", "import distributed"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok && venv_bin("dask").exists() {
        return Some(py);
    }
    if std::env::var("RASK_SKIP_DISTRIBUTED").as_deref() == Ok("1") {
        eprintln!("skipping: no distributed in .venv (RASK_SKIP_DISTRIBUTED=1)");
        return None;
    }
    panic!(
        "{} with distributed (and .venv/bin/dask) is missing: run `bash scripts/setup.sh` \
         (or set RASK_SKIP_DISTRIBUTED=1 to skip these tests)",
        py.display()
    );
}

/// A marker in the environment of every process one test starts.
fn marker() -> String {
    format!("RASK_DIST_TEST={}-{}", std::process::id(), rand_suffix())
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Processes whose environment holds `mark`.
fn marked(mark: &str) -> Vec<(i32, String)> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    let me = std::process::id() as i32;
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let env = std::fs::read(format!("/proc/{}/environ", pid)).unwrap_or_default();
        if env.split(|&b| b == 0).any(|v| v == mark.as_bytes()) {
            let cmd = std::fs::read(format!("/proc/{}/cmdline", pid)).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            // a zombie has an empty command line and is no longer running
            if !cmd.trim().is_empty() {
                out.push((pid, cmd));
            }
        }
    }
    out
}

fn kill_group(pid: u32) {
    // SAFETY: signals to a process group this test started (each child leads its own).
    unsafe {
        libc::kill(-(pid as i32), libc::SIGKILL);
    }
}

/// The test's processes: process groups killed and reaped on drop, even on failure.
struct Procs {
    children: Vec<Child>,
    mark: String,
}

impl Procs {
    fn new() -> Procs {
        Procs {
            children: Vec::new(),
            mark: marker(),
        }
    }

    fn command(&self, program: &PathBuf) -> Command {
        use std::os::unix::process::CommandExt;
        let mut c = Command::new(program);
        let (k, v) = self.mark.split_once('=').unwrap_or(("RASK_DIST_TEST", "1"));
        c.env(k, v)
            .env("RASK_BINARY", env!("CARGO_BIN_EXE_rask"))
            .env("PYTHONPATH", root().join("python"))
            .env("RASK_PYTHON", venv_bin("python"))
            .current_dir(root())
            .process_group(0);
        c
    }

    fn spawn(&mut self, mut c: Command, log: &str) -> u32 {
        let f = std::fs::File::create(log).expect("log file");
        let f2 = f.try_clone().expect("log file");
        let child = c
            .stdin(Stdio::null())
            .stdout(f)
            .stderr(f2)
            .spawn()
            .expect("start process");
        let pid = child.id();
        self.children.push(child);
        pid
    }

    /// Kill everything and check that nothing marked is left.
    fn stop_and_check(&mut self) {
        self.stop();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = marked(&self.mark);
            if left.is_empty() {
                return;
            }
            if Instant::now() > deadline {
                for (pid, _) in &left {
                    // SAFETY: a process that carries this test's marker.
                    unsafe {
                        libc::kill(*pid, libc::SIGKILL);
                    }
                }
                panic!("processes left behind: {:?}", left);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn stop(&mut self) {
        for c in &mut self.children {
            kill_group(c.id());
            let _ = c.kill();
            let _ = c.wait();
        }
        self.children.clear();
    }
}

impl Drop for Procs {
    fn drop(&mut self) {
        self.stop();
        for (pid, _) in marked(&self.mark) {
            // SAFETY: a process that carries this test's marker.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
            }
        }
    }
}

struct Cluster {
    procs: Procs,
    address: String,
    workers: Vec<u32>,
    dir: tempfile::TempDir,
}

impl Cluster {
    fn start(n_workers: usize) -> Cluster {
        let mut procs = Procs::new();
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("scheduler.json");
        let mut c = procs.command(&venv_bin("dask"));
        c.args([
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
        ])
        .arg("--scheduler-file")
        .arg(&file);
        let log = dir.path().join("scheduler.log");
        procs.spawn(c, &log.to_string_lossy());
        let deadline = Instant::now() + Duration::from_secs(60);
        let address = loop {
            let addr = std::fs::read_to_string(&file).ok().and_then(|s| {
                let j: serde_json::Value = serde_json::from_str(&s).ok()?;
                j["address"].as_str().map(|a| a.to_string())
            });
            if let Some(a) = addr {
                break a;
            }
            assert!(
                Instant::now() < deadline,
                "dask scheduler did not start: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut workers = Vec::new();
        for i in 0..n_workers {
            let mut c = procs.command(&venv_bin("dask"));
            c.args(["worker", &address, "--nthreads", "1", "--no-dashboard"])
                .args(["--host", "127.0.0.1", "--no-nanny", "--name"])
                .arg(format!("w{}", i));
            let log = dir.path().join(format!("worker{}.log", i));
            workers.push(procs.spawn(c, &log.to_string_lossy()));
        }
        let cluster = Cluster {
            procs,
            address,
            workers,
            dir,
        };
        cluster.wait_for_workers(n_workers);
        cluster
    }

    fn rask(&self, args: &[&str]) -> Command {
        let mut c = self
            .procs
            .command(&PathBuf::from(env!("CARGO_BIN_EXE_rask")));
        c.args(args).env("DASK_SCHEDULER_ADDRESS", &self.address);
        c
    }

    fn wait_for_workers(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let want = format!("processes={} ", n);
        loop {
            let out = self
                .rask(&["-c", "from dask.distributed import Client\nprint(Client())"])
                .output()
                .expect("run rask");
            if text(&out.stdout).contains(&want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the workers did not join: {}{}",
                text(&out.stdout),
                text(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    fn logs(&self) -> String {
        let mut s = String::new();
        for f in files_in(self.dir.path(), "log") {
            let t = std::fs::read_to_string(&f).unwrap_or_default();
            let tail: Vec<&str> = t.lines().rev().take(30).collect();
            s.push_str(&format!("== {}\n", f.display()));
            for l in tail.iter().rev() {
                s.push_str(l);
                s.push('\n');
            }
        }
        s
    }
}

fn run(mut c: Command) -> Output {
    c.stdin(Stdio::null()).output().expect("run rask")
}

#[test]
fn sessions_replay_on_a_cluster_and_a_killed_worker_changes_nothing() {
    if ready().is_none() {
        return;
    }
    let mut cluster = Cluster::start(2);

    // every saved session, with its recorded outputs, on the cluster
    let mut failures = Vec::new();
    for rel in common::session_files() {
        let out = run(cluster.rask(&["check", "--scheduler", "distributed", &rel]));
        if !out.status.success() {
            failures.push(format!(
                "{} under distributed:\n{}{}",
                rel,
                text(&out.stdout),
                text(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n{}",
        failures.join("\n"),
        cluster.logs()
    );

    // a task's own error comes back with its key and message
    let out = run(cluster.rask(&[
        "--scheduler",
        "distributed",
        "-c",
        "import dask.bag as db\ndb.from_sequence(range(6), npartitions=3).map(lambda x: 1 / (x - 4)).sum().compute()",
    ]));
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("ZeroDivisionError: division by zero"),
        "{}",
        err
    );
    assert!(err.contains("while computing ('map-lambda-"), "{}", err);

    // SIGKILL one worker (and its rask workers) in the middle of many tasks
    let code = "import time\nimport dask.bag as db\n\
                def slow(x):\n    time.sleep(0.04)\n    return x * 2\n\n\
                print(db.from_sequence(range(400), npartitions=200).map(slow).sum().compute())";
    let mut c = cluster.rask(&["--scheduler", "distributed", "-c", code]);
    let mut child = c
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start rask");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        matches!(child.try_wait(), Ok(None)),
        "the compute ended before the worker was killed"
    );
    let victim = cluster.workers[0];
    kill_group(victim);
    let out = child.wait_with_output().expect("wait rask");
    assert!(
        out.status.success(),
        "{}{}\n{}",
        text(&out.stdout),
        text(&out.stderr),
        cluster.logs()
    );
    assert_eq!(text(&out.stdout).trim(), "159600");

    cluster.procs.stop_and_check();
}

#[test]
fn a_closed_port_is_an_error_naming_the_address_within_seconds() {
    if ready().is_none() {
        return;
    }
    let mut procs = Procs::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let addr = format!("tcp://127.0.0.1:{}", port);
    let code = format!(
        "from dask.distributed import Client\nclient = Client(\"{}\", timeout=3)",
        addr
    );
    let mut c = procs.command(&PathBuf::from(env!("CARGO_BIN_EXE_rask")));
    c.args(["-c", &code]);
    let t0 = Instant::now();
    let out = run(c);
    let took = t0.elapsed();
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(&addr), "{}", err);
    assert!(took < Duration::from_secs(12), "took {:?}: {}", took, err);

    // the same through DASK_SCHEDULER_ADDRESS and compute(scheduler="distributed")
    let mut c = procs.command(&PathBuf::from(env!("CARGO_BIN_EXE_rask")));
    c.env("DASK_SCHEDULER_ADDRESS", &addr)
        .env("RASK_DISTRIBUTED_TIMEOUT", "3")
        .args([
            "-c",
            "import dask.array as da\nda.ones(4, chunks=2).sum().compute(scheduler=\"distributed\")",
        ]);
    let t0 = Instant::now();
    let out = run(c);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains(&addr), "{}", err);
    assert!(t0.elapsed() < Duration::from_secs(12), "{}", err);
    procs.stop_and_check();
}

#[test]
fn client_alone_starts_a_local_cluster_and_close_stops_it() {
    if ready().is_none() {
        return;
    }
    let mut procs = Procs::new();
    let code = "from dask.distributed import Client, LocalCluster\n\
                import dask.array as da\n\
                client = Client(LocalCluster(n_workers=2, threads_per_worker=1))\n\
                print(repr(client).startswith(\"<Client: 'tcp://127.0.0.1:\"), \"processes=2 threads=2\" in repr(client))\n\
                %scheduler\n\
                print(da.arange(100, chunks=10).sum().compute())\n\
                client.close()\n\
                %scheduler\n\
                print(client)";
    let mut c = procs.command(&PathBuf::from(env!("CARGO_BIN_EXE_rask")));
    c.env_remove("DASK_SCHEDULER_ADDRESS").args(["-c", code]);
    let out = run(c);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "True True\nscheduler: distributed\n4950\nscheduler: threads\n<Client: No scheduler connected>\n"
    );

    // a worker whose rask binary is not this rask is named in the error
    let mut c = procs.command(&PathBuf::from(env!("CARGO_BIN_EXE_rask")));
    c.env_remove("DASK_SCHEDULER_ADDRESS")
        .env("RASK_BINARY", "/bin/echo")
        .args([
            "-c",
            "from dask.distributed import Client\nclient = Client(n_workers=1)",
        ]);
    let out = run(c);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("rask cannot run on worker tcp://127.0.0.1:")
            && err.contains("/bin/echo --version says"),
        "{}",
        err
    );
    procs.stop_and_check();
}

/// Ctrl-C at the REPL during a cluster compute: a KeyboardInterrupt within seconds, the
/// compute's futures cancelled (the next compute gets the workers at once, not after the
/// 50 s of work left) and the session goes on.
#[test]
fn ctrl_c_cancels_a_cluster_compute_and_the_session_goes_on() {
    if ready().is_none() {
        return;
    }
    let mut cluster = Cluster::start(2);
    let (k, v) = cluster
        .procs
        .mark
        .split_once('=')
        .unwrap_or(("RASK_DIST_TEST", "1"));
    let (python, pythonpath) = (venv_bin("python"), root().join("python"));
    let env = [
        (k, v),
        ("DASK_SCHEDULER_ADDRESS", cluster.address.as_str()),
        ("RASK_BINARY", env!("CARGO_BIN_EXE_rask")),
        ("PYTHONPATH", pythonpath.to_str().expect("utf-8 path")),
        ("RASK_PYTHON", python.to_str().expect("utf-8 path")),
    ];
    let mut t = common::pty::Term::start_with(&["--scheduler", "distributed"], &env);
    t.type_text(b"import time\rdef slow(x):\r    time.sleep(0.05)\r    return x\r\r");
    // 1000 tasks of 0.1 s on two workers: about 50 s of work
    t.type_text(b"db.from_sequence(range(2000), npartitions=1000).map(slow).sum().compute()\r");
    std::thread::sleep(Duration::from_secs(4));
    t.type_text(b"\x03");
    let (shown, latency) = t.wait_for(&["KeyboardInterrupt"], Duration::from_secs(30));
    let latency = latency.unwrap_or_else(|| panic!("no KeyboardInterrupt:\n{}", shown));
    assert!(
        latency < Duration::from_secs(5),
        "Ctrl-C took {:?}",
        latency
    );
    assert!(
        !shown.contains("1999000"),
        "the compute ended before Ctrl-C:\n{}",
        shown
    );
    t.type_text(
        b"print('next', db.from_sequence(range(10), npartitions=2).map(slow).sum().compute())\r",
    );
    let (shown, took) = t.wait_for(&["next 45"], Duration::from_secs(40));
    let took = took.unwrap_or_else(|| panic!("no next result:\n{}\n{}", shown, cluster.logs()));
    assert!(
        took < Duration::from_secs(15),
        "the next compute waited {:?}: the cancelled tasks held the workers",
        took
    );
    drop(t);
    cluster.procs.stop_and_check();
}
