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
