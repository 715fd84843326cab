//! The processes scheduler: worker processes of the rask binary itself (`rask __worker`),
//! started for each compute and stopped at its end. The calling thread keeps one task in
//! flight per worker, chosen by priority, sends the op and its input chunks down the
//! worker's stdin and gets the result back on its stdout (read by one thread per worker).
//! A worker that dies is reported with the task it was running and its exit status; on
//! Ctrl-C or an error every worker is killed and reaped, so none outlives the compute.

use super::codec::{encode_op, read_response, write_request};
use super::plan::Plan;
use super::progress::Progress;
use super::state::ExecState;
use super::worker::HELLO;
use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::optimize::annotate_error;
use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How to start a worker: the rask binary with `__worker`, or (in tests) another program.
#[derive(Clone, Debug)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
}

impl WorkerCommand {
    pub fn rask() -> Result<WorkerCommand> {
        // On Linux /proc/self/exe names this very binary even if the file on disk was
        // replaced (rebuilt) since it started; elsewhere ask for the path.
        let proc_exe = std::path::Path::new("/proc/self/exe");
        let program = if cfg!(target_os = "linux") && proc_exe.exists() {
            proc_exe.to_path_buf()
        } else {
            std::env::current_exe().map_err(|e| {
                RaskError::new(
                    ErrorKind::Worker,
                    format!("cannot find the rask binary to start workers: {}", e),
                )
            })?
        };
        Ok(WorkerCommand {
            program,
            args: vec!["__worker".into()],
            env: vec![],
        })
    }
}

enum Msg {
    Done(usize, Result<Chunk>),
    Gone(usize, String),
}

struct Worker {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    reader: Option<JoinHandle<()>>,
    task: Option<usize>,
}

/// The workers of one compute; dropping it kills and reaps them all.
struct Pool {
    workers: Vec<Worker>,
}

impl Drop for Pool {
    fn drop(&mut self) {
        for w in &mut self.workers {
            drop(w.stdin.take());
            let _ = w.child.kill();
            let _ = w.child.wait();
        }
        for w in &mut self.workers {
            if let Some(r) = w.reader.take() {
                let _ = r.join();
            }
        }
    }
}

fn worker_error(msg: String) -> RaskError {
    RaskError::new(ErrorKind::Worker, msg)
}

impl Pool {
    fn start(cmd: &WorkerCommand, n: usize, tx: &mpsc::Sender<Msg>) -> Result<Pool> {
        let mut pool = Pool {
            workers: Vec::with_capacity(n),
        };
        for id in 0..n {
            let w = spawn_worker(cmd, id, tx)?;
            pool.workers.push(w);
        }
        Ok(pool)
    }

    /// Replace worker `id` (dead, or killed for being stopped) with a fresh process.
    fn respawn(&mut self, id: usize, cmd: &WorkerCommand, tx: &mpsc::Sender<Msg>) -> Result<()> {
        let fresh = spawn_worker(cmd, id, tx)?;
        let mut old = std::mem::replace(&mut self.workers[id], fresh);
        drop(old.stdin.take());
        let _ = old.child.kill();
        let _ = old.child.wait();
        if let Some(r) = old.reader.take() {
            let _ = r.join();
        }
        Ok(())
    }

    /// Why worker `id` stopped: its exit status, waiting a little for it to exit.
    fn exit_status(&mut self, id: usize) -> String {
        let child = &mut self.workers[id].child;
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return status.to_string(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                Ok(None) => {
                    let _ = child.kill();
                    return match child.wait() {
                        Ok(s) => format!("it stopped answering and was killed, {}", s),
                        Err(e) => format!("it stopped answering: {}", e),
                    };
                }
                Err(e) => return format!("exit status unknown: {}", e),
            }
        }
    }
}

fn spawn_worker(cmd: &WorkerCommand, id: usize, tx: &mpsc::Sender<Msg>) -> Result<Worker> {
    let mut child = Command::new(&cmd.program)
        .args(&cmd.args)
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| {
            worker_error(format!(
                "cannot start worker process {}: {}",
                cmd.program.display(),
                e
            ))
        })?;
    let stdin = child
        .stdin
        .take()
        .map(|s| BufWriter::with_capacity(1 << 16, s));
    let stdout = child.stdout.take();
    let tx = tx.clone();
    let reader = stdout.and_then(|out| {
        std::thread::Builder::new()
            .name(format!("rask-worker-{}", id))
            .spawn(move || read_loop(id, out, tx))
            .ok()
    });
    let ok = reader.is_some() && stdin.is_some();
    let mut w = Worker {
        child,
        stdin,
        reader,
        task: None,
    };
    if !ok {
        let _ = w.child.kill();
        let _ = w.child.wait();
        if let Some(r) = w.reader.take() {
            let _ = r.join();
        }
        return Err(worker_error(
            "cannot connect to a worker process's pipes".into(),
        ));
    }
    Ok(w)
}

/// How many times a task may lose its worker before the compute fails (Dask
/// distributed's `allowed-failures`): `RASK_ALLOWED_FAILURES`, default 3.
fn allowed_failures() -> u32 {
    std::env::var("RASK_ALLOWED_FAILURES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
}

/// How long a worker may stay stopped (SIGSTOP, a debugger) while it holds a task before
/// it is replaced: `RASK_WORKER_TIMEOUT` seconds, default 5.
fn stopped_timeout() -> Duration {
    let secs: f64 = std::env::var("RASK_WORKER_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s: &f64| *s > 0.0)
        .unwrap_or(5.0);
    Duration::from_secs_f64(secs)
}

/// A process's state letter and parent pid, from /proc/PID/stat (None when it is gone).
pub fn proc_state(pid: u32) -> Option<(String, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid)).ok()?;
    // the state follows the command name, which is in parentheses and may hold spaces
    let mut rest = stat.rsplit_once(')')?.1.split_whitespace();
    let state = rest.next()?.to_string();
    let ppid = rest.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Whether process `pid` is stopped (state T or t).
fn is_stopped(pid: u32) -> bool {
    proc_state(pid).is_some_and(|(st, _)| st == "T" || st == "t")
}

/// Forward each response of worker `id`; report why the stream ended.
fn read_loop(id: usize, out: impl Read, tx: mpsc::Sender<Msg>) {
    let mut r = BufReader::with_capacity(1 << 16, out);
    if let Err(e) = await_hello(&mut r) {
        let _ = tx.send(Msg::Gone(id, e));
        return;
    }
    loop {
        match read_response(&mut r) {
            Ok(res) => {
                if tx.send(Msg::Done(id, res)).is_err() {
                    return;
                }
            }
            Err(e) => {
                let why = if e.kind() == io::ErrorKind::UnexpectedEof {
                    "its pipe closed".to_string()
                } else {
                    format!("it sent bad data: {}", e)
                };
                let _ = tx.send(Msg::Gone(id, why));
                return;
            }
        }
    }
}

/// Skip whatever precedes the hello marker (bounded), then expect the protocol.
fn await_hello(r: &mut impl Read) -> std::result::Result<(), String> {
    let mut window: Vec<u8> = Vec::with_capacity(HELLO.len());
    let mut byte = [0u8; 1];
    for _ in 0..(1 << 16) {
        match r.read(&mut byte) {
            Ok(0) => return Err("it exited before it was ready".into()),
            Ok(_) => {
                window.push(byte[0]);
                if window.len() > HELLO.len() {
                    window.remove(0);
                }
                if window == HELLO {
                    return Ok(());
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("cannot read its pipe: {}", e)),
        }
    }
    Err("it is not a rask worker (no greeting)".into())
}

pub fn run(plan: &Plan, workers: Option<usize>, progress: &Progress) -> Result<Vec<Arc<Chunk>>> {
    run_with(plan, &WorkerCommand::rask()?, workers, progress)
}

pub fn run_with(
    plan: &Plan,
    cmd: &WorkerCommand,
    workers: Option<usize>,
    progress: &Progress,
) -> Result<Vec<Arc<Chunk>>> {
    let mut st = ExecState::new(plan);
    if plan.is_empty() {
        return st.into_outputs();
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let n = workers.unwrap_or(cores).clamp(1, plan.len());
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut pool = Pool::start(cmd, n, &tx)?;
    let mut idle: Vec<usize> = (0..n).rev().collect();
    // a task is pure: when its worker dies it runs again on a fresh one, up to a limit
    let allowed = allowed_failures();
    let mut failures: HashMap<usize, (u32, String)> = HashMap::new();
    let timeout = stopped_timeout();
    let mut stopped_since: Vec<Option<Instant>> = vec![None; n];
    let mut last_check = Instant::now();
    // when tasks are timed: when each worker was given its task (parent side, as Dask's
    // callbacks see it)
    let mut sent_at: Vec<f64> = vec![0.0; n];
    loop {
        super::check_cancel()?;
        while let Some(&id) = idle.last() {
            let Some(t) = st.pop_ready() else { break };
            let inputs = st.inputs(t)?;
            if plan.tasks[t].op.in_client() {
                // a write the session's process must make (see TaskOp::in_client)
                let out = plan.tasks[t]
                    .op
                    .run(&inputs)
                    .map_err(|e| annotate_error(e, &plan.keys[t]))?;
                st.finish(t, out);
                progress.set(st.done);
                continue;
            }
            idle.pop();
            let op = encode_op(&plan.tasks[t].op)
                .map_err(|e| worker_error(format!("{} (task {})", e.message, plan.keys[t])))?;
            pool.workers[id].task = Some(t);
            if progress.recording() {
                sent_at[id] = super::observe::clock();
            }
            let sent = match pool.workers[id].stdin.as_mut() {
                Some(w) => write_request(w, &op, &inputs),
                None => Err(io::Error::new(io::ErrorKind::BrokenPipe, "no pipe")),
            };
            if sent.is_err() {
                // its reader reports the death (Gone) and the task is retried there
                super::check_cancel()?;
                let _ = pool.workers[id].child.kill();
                break;
            }
        }
        if idle.len() == n {
            break;
        }
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Msg::Done(id, res)) => {
                let t = pool.workers[id].task.take().ok_or_else(|| {
                    worker_error(format!("worker {} answered without a task", id))
                })?;
                idle.push(id);
                stopped_since[id] = None;
                let out = res.map_err(|e| annotate_error(e, &plan.keys[t]))?;
                if progress.recording() {
                    let pid = u64::from(pool.workers[id].child.id());
                    progress.record(t, sent_at[id], super::observe::clock(), pid);
                }
                st.finish(t, out);
                progress.set(st.done);
            }
            Ok(Msg::Gone(id, why)) => {
                super::check_cancel()?;
                let lost = pool.workers[id].task.take();
                if let Some(t) = lost {
                    let pid = pool.workers[id].child.id();
                    let status = pool.exit_status(id);
                    let entry = failures.entry(t).or_insert((0, String::new()));
                    entry.0 += 1;
                    entry.1 = format!("worker process {} ({}; {})", pid, status, why);
                    if entry.0 > allowed {
                        return Err(worker_error(format!(
                            "{} failed on {} workers in a row; the last: {}",
                            plan.keys[t], entry.0, entry.1
                        ))
                        .with_hint(
                            "RASK_ALLOWED_FAILURES sets how many times a task may lose its worker",
                        ));
                    }
                    st.requeue(t);
                }
                pool.respawn(id, cmd, &tx)?;
                stopped_since[id] = None;
                if lost.is_some() {
                    idle.push(id);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(worker_error("every worker process stopped".into()))
            }
        }
        // a stopped worker never answers: past the timeout it is killed, and its reader
        // reports it gone like any other death
        if last_check.elapsed() >= Duration::from_millis(250) {
            last_check = Instant::now();
            for (id, w) in pool.workers.iter_mut().enumerate() {
                if w.task.is_none() || !is_stopped(w.child.id()) {
                    stopped_since[id] = None;
                    continue;
                }
                let since = *stopped_since[id].get_or_insert_with(Instant::now);
                if since.elapsed() >= timeout {
                    let _ = w.child.kill();
                    stopped_since[id] = None;
                }
            }
        }
    }
    drop(pool);
    if !st.is_finished() {
        return Err(RaskError::runtime(format!(
            "internal scheduler error: {} of {} tasks ran",
            st.done,
            plan.len()
        )));
    }
    st.into_outputs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::*;
    use crate::scheduler::prepare;

    /// Run as a worker when started by `test_worker()`: this test binary then speaks the
    /// protocol and can run the test-only ops (which it registers, as `rask __worker`
    /// registers the collections' ops).
    #[test]
    fn worker_entry() {
        if std::env::var_os("RASK_TEST_WORKER").is_some() {
            crate::graph::testing::register();
            std::process::exit(crate::scheduler::worker::worker_main());
        }
    }

    pub fn test_worker() -> WorkerCommand {
        WorkerCommand {
            program: std::env::current_exe().unwrap(),
            args: [
                "scheduler::processes::tests::worker_entry",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            env: vec![("RASK_TEST_WORKER".into(), "1".into())],
        }
    }

    fn alive(pid: u32) -> bool {
        // SAFETY: signal 0 only checks that the process exists (a zombie counts).
        unsafe { libc::kill(pid as i32, 0) == 0 }
    }

    #[test]
    fn processes_match_the_reference_bit_for_bit() {
        let _guard = crate::scheduler::tests::no_cancel();
        let g = reduction_tree(37, 4, 1000);
        let outs = vec![key("agg", 0), key("partial", 3)];
        let plan = prepare(&g, &outs).unwrap();
        let got = run_with(&plan, &test_worker(), Some(2), &Progress::hidden()).unwrap();
        let want = run_ref(&g, &outs);
        let got: Vec<Vec<u64>> = got
            .iter()
            .map(|c| values(c).iter().map(|v| v.to_bits()).collect())
            .collect();
        let want: Vec<Vec<u64>> = want
            .iter()
            .map(|v| v.iter().map(|x| x.to_bits()).collect())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn task_errors_come_back_with_the_task_key() {
        let _guard = crate::scheduler::tests::no_cancel();
        let mut g = crate::graph::task::Graph::default();
        add(&mut g, key("a", 0), src(1.0, 3), vec![]);
        add(&mut g, key("a", 1), src(1.0, 3), vec![]);
        add(
            &mut g,
            key("bad", 0),
            fail_op("no good"),
            vec![key("a", 0), key("a", 1)],
        );
        let plan = prepare(&g, &[key("bad", 0)]).unwrap();
        let e = run_with(&plan, &test_worker(), Some(2), &Progress::hidden()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Value);
        assert_eq!(e.message, "no good");
        assert!(e.hint.unwrap().contains("('bad', 0)"));
    }

    #[test]
    fn a_dying_worker_is_reported_with_task_and_status() {
        let _guard = crate::scheduler::tests::no_cancel();
        // a "worker" that greets, reads a little of the request and exits with status 3
        let cmd = WorkerCommand {
            program: "/bin/sh".into(),
            args: vec![
                "-c".into(),
                "printf RASKWK01; head -c 4 >/dev/null; exit 3".into(),
            ],
            env: vec![],
        };
        let mut g = crate::graph::task::Graph::default();
        add(&mut g, key("a", 0), src(1.0, 3), vec![]);
        let plan = prepare(&g, &[key("a", 0)]).unwrap();
        let e = run_with(&plan, &cmd, Some(1), &Progress::hidden()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Worker);
        assert!(e.message.contains("('a', 0)"), "{}", e.message);
        assert!(e.message.contains("exit status: 3"), "{}", e.message);
    }

    #[test]
    fn workers_are_reaped_after_compute_and_after_errors() {
        let (tx, _rx) = mpsc::channel();
        let pool = Pool::start(&test_worker(), 2, &tx).unwrap();
        let pids: Vec<u32> = pool.workers.iter().map(|w| w.child.id()).collect();
        assert!(pids.iter().all(|&p| alive(p)));
        drop(pool);
        assert!(
            pids.iter().all(|&p| !alive(p)),
            "a worker survived its pool"
        );
    }
}
