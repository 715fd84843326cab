//! The processes scheduler survives its workers (issue 15): a worker killed (SIGKILL) or
//! stopped (SIGSTOP) mid-compute is replaced and its task runs again elsewhere; the
//! answer is the one the threads scheduler gives. A task that kills its worker every
//! time fails the compute after RASK_ALLOWED_FAILURES attempts, naming the task.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WORK: &str = "x = da.random.normal(size=(48000, 4000), chunks=(1000, 4000), seed=3)\n";

fn expected() -> String {
    let out = rask(&[
        "-c",
        &format!("{}print(x.sum().compute(scheduler='threads'))", WORK),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// Run the compute under processes and send `sig` to one worker once they work.
fn with_fault(sig: i32, env: &[(&str, &str)]) -> (String, String, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args([
            "-c",
            &format!("{}print(x.sum().compute(scheduler='processes'))", WORK),
        ])
        .envs(env.iter().copied())
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rask");
    let start = Instant::now();
    let mut hit = false;
    while start.elapsed() < Duration::from_secs(20) {
        let ws = workers_of(child.id());
        if ws.len() >= 2 {
            std::thread::sleep(Duration::from_millis(300));
            // SAFETY: a signal to a process we found as this rask's child
            unsafe { libc::kill(ws[0], sig) };
            hit = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // a compute that never ends fails the test instead of hanging it
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("wait");
    (text(&out.stdout), text(&out.stderr), hit)
}

#[test]
fn a_killed_worker_is_replaced_and_the_answer_is_unchanged() {
    let want = expected();
    let (so, se, hit) = with_fault(libc::SIGKILL, &[]);
    assert!(hit, "the workers never appeared: {}", se);
    assert_eq!(so, want, "stderr: {}", se);
}

#[test]
fn a_stopped_worker_is_replaced_after_the_timeout() {
    let want = expected();
    let start = Instant::now();
    let (so, se, hit) = with_fault(libc::SIGSTOP, &[("RASK_WORKER_TIMEOUT", "1")]);
    assert!(hit, "the workers never appeared: {}", se);
    assert_eq!(so, want, "stderr: {}", se);
    assert!(start.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_task_that_always_kills_its_worker_fails_naming_the_task() {
    // os._exit is not rask code; a worker that dies every time is simulated by a worker
    // command that exits at once (RASK_TEST_WORKER_EXIT makes `rask __worker` exit 9
    // after its greeting)
    let out = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args([
            "-c",
            "da.ones(10, chunks=5).sum().compute(scheduler='processes')",
        ])
        .env("RASK_TEST_WORKER_EXIT", "1")
        .env("RASK_ALLOWED_FAILURES", "2")
        .current_dir(root())
        .output()
        .expect("run");
    let se = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}", se);
    assert!(se.contains("failed on 3 workers in a row"), "{}", se);
}
