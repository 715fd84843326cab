//! The memory target: the 20000x20000 normal mean (400 chunks of 8 MB feeding a
//! tree reduction) must peak under 150 MB RSS with the threads and sync schedulers.

use std::process::Command;

/// Run `rask -c code` and return its exit status and peak RSS in kB (wait4's rusage).
fn peak_rss_kb(code: &str) -> (i32, i64) {
    let child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["-c", code])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn rask");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    std::mem::forget(child); // already reaped
    (status, usage.ru_maxrss)
}

#[test]
fn normal_mean_exercise_stays_under_150_mb() {
    for s in ["sync", "threads"] {
        let code = format!(
            "x = da.random.normal(10, 0.1, size=(20000, 20000), chunks=(1000, 1000))\n\
             y = x.mean(axis=0)[::100]\n\
             r = y.compute(scheduler=\"{s}\")\n\
             assert r.shape == (200,)\n\
             assert abs(float(r.mean()) - 10) < 0.01\n"
        );
        let (status, kb) = peak_rss_kb(&code);
        assert_eq!(status, 0, "{} run failed", s);
        assert!(kb < 150 * 1024, "{}: peak RSS {} MB", s, kb / 1024);
    }
}

/// Run `rask -c code` under an address-space limit of `mb` MB (RLIMIT_AS, as `ulimit -v`).
fn run_limited(code: &str, mb: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rask"));
    cmd.args(["-c", code]);
    let bytes = mb << 20;
    // SAFETY: setrlimit is async-signal-safe and touches only the child being started.
    unsafe {
        cmd.pre_exec(move || {
            let r = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("spawn rask")
}

/// Issue 15: under a 400 MB address-space limit, a bag groupby of 2.5 M records and a
/// set_index of a 2 M-row frame (4 partitions) finish under every scheduler with the same
/// answer. Before, each aborted on an allocation: glibc reserved 64 MB of address space
/// per thread arena, and the threads scheduler ran two tasks at once however full the
/// process was (now `scheduler/memory.rs` admits a second task only while there is room).
#[test]
fn groupby_and_set_index_finish_under_an_address_space_limit() {
    for s in ["sync", "threads", "processes"] {
        let code = format!(
            "b = db.from_sequence(range(2500000), npartitions=8).map(lambda i: {{'k': i % 5000, 'v': i}})\n\
             g = b.groupby(lambda r: r['k']).map(lambda kv: (kv[0], len(kv[1]), sum(r['v'] for r in kv[1])))\n\
             r = sorted(g.compute(scheduler='{s}'))\n\
             print(len(r), r[0], r[4999])\n"
        );
        let out = run_limited(&code, 400);
        assert!(
            out.status.success(),
            "bag groupby under {}: {:?}\n{}",
            s,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        // group k holds k, k + 5000, ...: 500 values; their sum is 500 k + 5000 * (0 + ... + 499)
        let sum = |k: u64| 500 * k + 5000 * 499 * 500 / 2;
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("5000 (0, 500, {}) (4999, 500, {})\n", sum(0), sum(4999)),
            "{}",
            s
        );
        let code = format!(
            "import pandas as pd\n\
             n = 2000000\n\
             pdf = pd.DataFrame({{'k': [(i * 7919) % 1000 for i in range(n)], 'v': [i * 0.5 for i in range(n)]}})\n\
             df = dd.from_pandas(pdf, npartitions=4)\n\
             s = df.set_index('k', divisions=[0, 250, 500, 750, 999])\n\
             r = s.compute(scheduler='{s}')\n\
             print(s.npartitions, len(r), r.index.is_monotonic_increasing, r.v.sum())\n"
        );
        let out = run_limited(&code, 400);
        assert!(
            out.status.success(),
            "set_index under {}: {:?}\n{}",
            s,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let total: f64 = (0..2_000_000u64).map(|i| i as f64 * 0.5).sum();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("4 2000000 True {:?}\n", total),
            "{}",
            s
        );
    }
}

/// Past what the limit leaves: a list growing beyond the room left is a MemoryError that
/// points at the line (and a script exits 1); the bag groupby of 3 M records, whose
/// allocation inside a task cannot be foreseen, ends with a MemoryError line and exit
/// status 1, not an abort (SIGABRT, as Rust's default was).
#[test]
fn past_the_limit_is_a_memory_error_not_an_abort() {
    let code = "n = 3000000\nk = [(i * 7919) % 1000 for i in range(n)]\nv = [i * 0.5 for i in range(n)]\nw = [i for i in range(n)]\nprint(len(k))\n";
    let out = run_limited(code, 300);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{:?}\n{}", out.status, err);
    assert!(
        err.contains("MemoryError: the list comprehension would grow to"),
        "{}",
        err
    );
    assert!(err.contains("| ") && err.contains('^'), "{}", err);
    let code = "b = db.from_sequence(range(3000000), npartitions=8).map(lambda i: {'k': i % 5000, 'v': i})\n\
                print(len(b.groupby(lambda r: r['k']).compute(scheduler='threads')))\n";
    let out = run_limited(code, 400);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{:?}\n{}", out.status, err);
    assert!(err.contains("MemoryError"), "{}", err);
}
