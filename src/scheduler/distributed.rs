//! The distributed scheduler: a plan runs on a Dask distributed cluster through a Python
//! helper process, `python -m rask_dask.bridge` (python/rask_dask/), which holds the
//! `distributed.Client`. rask talks to it over its stdin and stdout only:
//!
//! ```text
//! frame := total:u64 header_len:u32 header:json blob          (little-endian)
//! ```
//!
//! rask sends `connect`, then one `compute` per plan (every task: its Dask key, its input
//! tasks, its op in the worker codec, the ops concatenated in the blob), `cancel` on
//! Ctrl-C, `info`, `close`. The bridge answers `hello`, `connected`/`error`, then for a
//! compute: `progress` per finished task, `result` (an output chunk in the worker codec),
//! `task_error` (a rask error in the worker codec) or `error` (the cluster's), and `done`.
//! Each Dask task runs its op in a `rask __worker --framed` process on its Dask worker;
//! data between tasks moves through Dask's own transfers and only the outputs come back.
//!
//! The current client is process-wide (`set_current`), as Dask's default client is.

use super::codec::{encode_op, read_chunk, read_error};
use super::plan::Plan;
use super::progress::Progress;
use crate::errors::{ErrorKind, RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::optimize::annotate_error;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

fn cluster_error(msg: impl Into<String>) -> RaskError {
    RaskError::new(ErrorKind::Worker, msg)
}

/// One message of the bridge protocol.
#[derive(Debug)]
pub struct Frame {
    pub header: Json,
    pub blob: Vec<u8>,
}

pub fn write_frame(w: &mut impl Write, header: &Json, blob: &[u8]) -> io::Result<()> {
    let h = serde_json::to_vec(header).map_err(|e| super::codec::bad(e.to_string()))?;
    let total = 4 + h.len() as u64 + blob.len() as u64;
    w.write_all(&total.to_le_bytes())?;
    w.write_all(&(h.len() as u32).to_le_bytes())?;
    w.write_all(&h)?;
    w.write_all(blob)?;
    w.flush()
}

pub fn read_frame(r: &mut impl Read) -> io::Result<Frame> {
    let total = super::codec::r_u64(r)?;
    let hl = u64::from(super::codec::r_u32(r)?);
    if hl + 4 > total {
        return Err(super::codec::bad(
            "bridge frame: header longer than its frame",
        ));
    }
    let mut h = Vec::new();
    r.take(hl).read_to_end(&mut h)?;
    let mut blob = Vec::new();
    r.take(total - 4 - hl).read_to_end(&mut blob)?;
    if h.len() as u64 != hl || blob.len() as u64 != total - 4 - hl {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "truncated bridge frame",
        ));
    }
    let header = serde_json::from_slice(&h).map_err(|e| super::codec::bad(e.to_string()))?;
    Ok(Frame { header, blob })
}

/// What `repr(client)` shows.
#[derive(Clone, Debug, Default)]
pub struct ClusterInfo {
    pub address: String,
    pub workers: u64,
    pub threads: u64,
    pub memory: u64,
    pub dashboard: Option<String>,
}

impl ClusterInfo {
    fn from_json(j: &Json) -> ClusterInfo {
        ClusterInfo {
            address: j["address"].as_str().unwrap_or("").to_string(),
            workers: j["workers"].as_u64().unwrap_or(0),
            threads: j["threads"].as_u64().unwrap_or(0),
            memory: j["memory"].as_u64().unwrap_or(0),
            dashboard: j["dashboard"].as_str().map(|s| s.to_string()),
        }
    }
}

/// How to start a cluster connection.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    /// A scheduler address; `None` starts a local cluster on 127.0.0.1.
    pub address: Option<String>,
    pub n_workers: Option<usize>,
    pub threads_per_worker: Option<usize>,
    /// Seconds the Client may take to reach the scheduler.
    pub timeout: Option<f64>,
}

struct Io {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    rx: mpsc::Receiver<io::Result<Frame>>,
    reader: Option<JoinHandle<()>>,
    /// The pipe is out of step (a compute did not finish cleanly): refuse further use.
    broken: Option<String>,
}

/// A connection to a Dask cluster through one bridge process; dropping it closes the
/// client (and the local cluster it started) and reaps the bridge.
pub struct Bridge {
    io: Mutex<Io>,
    info: Mutex<ClusterInfo>,
    python: String,
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bridge({})", self.info().address)
    }
}

fn python() -> String {
    std::env::var("RASK_PYTHON")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "python3".into())
}

/// Seconds the Client may take to reach a scheduler: `RASK_DISTRIBUTED_TIMEOUT`, default 5.
fn default_timeout() -> f64 {
    std::env::var("RASK_DISTRIBUTED_TIMEOUT")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s: &f64| *s > 0.0)
        .unwrap_or(5.0)
}

fn rask_binary() -> String {
    std::env::current_exe()
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_default()
}

impl Io {
    fn send(&mut self, header: &Json, blob: &[u8]) -> Result<()> {
        if let Some(why) = &self.broken {
            return Err(cluster_error(format!(
                "the connection to the cluster is lost ({}): create a new Client",
                why
            )));
        }
        let sent = match self.stdin.as_mut() {
            Some(w) => write_frame(w, header, blob),
            None => Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed")),
        };
        sent.map_err(|e| {
            self.broken = Some(format!("cannot write to the bridge: {}", e));
            cluster_error(format!(
                "the rask_dask bridge stopped ({}): create a new Client",
                e
            ))
        })
    }

    /// The next frame, waiting at most `wait`; `Ok(None)` on timeout.
    fn recv(&mut self, wait: Duration) -> Result<Option<Frame>> {
        match self.rx.recv_timeout(wait) {
            Ok(Ok(f)) => Ok(Some(f)),
            Ok(Err(e)) => {
                let status = self.exit_status();
                let why = if e.kind() == io::ErrorKind::UnexpectedEof {
                    format!("it exited, {}", status)
                } else {
                    format!("it sent bad data: {}", e)
                };
                self.broken = Some(why.clone());
                Err(cluster_error(format!(
                    "the rask_dask bridge stopped: {}",
                    why
                )))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Ok(None),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.broken = Some("its pipe closed".into());
                Err(cluster_error("the rask_dask bridge stopped"))
            }
        }
    }

    fn exit_status(&mut self) -> String {
        let deadline = Instant::now() + Duration::from_millis(500);
        loop {
            match self.child.try_wait() {
                Ok(Some(s)) => return s.to_string(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                _ => return "exit status unknown".into(),
            }
        }
    }

    /// Wait for a frame until `deadline`, failing with `what` when it passes.
    fn expect(&mut self, deadline: Instant, what: &str) -> Result<Frame> {
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.broken = Some(format!("no answer while {}", what));
                return Err(cluster_error(format!(
                    "no answer from the bridge while {}",
                    what
                )));
            }
            if let Some(f) = self.recv(left.min(Duration::from_millis(100)))? {
                return Ok(f);
            }
        }
    }
}

fn msg_type(f: &Frame) -> &str {
    f.header["type"].as_str().unwrap_or("")
}

fn msg_text(f: &Frame) -> String {
    f.header["message"].as_str().unwrap_or("").to_string()
}

impl Bridge {
    /// Start the bridge and connect its Client: to `opts.address`, or a local cluster.
    pub fn connect(opts: &ConnectOptions) -> Result<Arc<Bridge>> {
        let py = python();
        let mut cmd = Command::new(&py);
        cmd.args(["-m", "rask_dask.bridge"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        #[cfg(unix)]
        {
            // its own process group: Ctrl-C at the terminal reaches rask, which cancels
            // the compute through the pipe, not the bridge and its local cluster
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn().map_err(|e| {
            cluster_error(format!("cannot start {} for the Dask client: {}", py, e))
                .with_hint("RASK_PYTHON names the Python that has distributed and rask_dask")
        })?;
        let stdin = child.stdin.take().map(BufWriter::new);
        let stdout = child.stdout.take();
        let (tx, rx) = mpsc::channel();
        let reader = stdout.and_then(|out| {
            std::thread::Builder::new()
                .name("rask-bridge".into())
                .spawn(move || {
                    let mut r = BufReader::with_capacity(1 << 16, out);
                    loop {
                        let f = read_frame(&mut r);
                        let end = f.is_err();
                        if tx.send(f).is_err() || end {
                            return;
                        }
                    }
                })
                .ok()
        });
        let bridge = Bridge {
            io: Mutex::new(Io {
                child,
                stdin,
                rx,
                reader,
                broken: None,
            }),
            info: Mutex::new(ClusterInfo::default()),
            python: py.clone(),
        };
        {
            let mut io = bridge.lock();
            let hello = io
                .expect(Instant::now() + Duration::from_secs(60), "starting")
                .map_err(|e| {
                    e.with_hint(format!(
                        "is rask_dask importable by {}? pip install python/rask_dask, or put \
                         the repository's python/ folder on PYTHONPATH",
                        py
                    ))
                })?;
            if msg_type(&hello) != "hello" {
                return Err(cluster_error(format!(
                    "{} -m rask_dask.bridge did not greet: {}",
                    py, hello.header
                )));
            }
            let timeout = opts.timeout.unwrap_or_else(default_timeout);
            io.send(
                &json!({
                    "type": "connect",
                    "address": opts.address,
                    "timeout": timeout,
                    "n_workers": opts.n_workers,
                    "threads": opts.threads_per_worker,
                    "binary": rask_binary(),
                    "version": format!("rask {}", env!("CARGO_PKG_VERSION")),
                }),
                &[],
            )?;
            // the Client gives up after `timeout`; a local cluster takes longer to start
            let wait = match &opts.address {
                Some(_) => timeout + 30.0,
                None => timeout + 120.0,
            };
            let what = match &opts.address {
                Some(a) => format!("connecting to {}", a),
                None => "starting a local cluster".to_string(),
            };
            let reply = io.expect(Instant::now() + Duration::from_secs_f64(wait), &what)?;
            match msg_type(&reply) {
                "connected" => {
                    *bridge.info.lock().unwrap_or_else(|e| e.into_inner()) =
                        ClusterInfo::from_json(&reply.header["info"]);
                }
                "error" => return Err(cluster_error(msg_text(&reply))),
                other => {
                    return Err(cluster_error(format!(
                        "unexpected answer from the bridge: {}",
                        other
                    )))
                }
            }
        }
        Ok(Arc::new(bridge))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Io> {
        self.io.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn info(&self) -> ClusterInfo {
        self.info.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Ask the cluster again for its workers (they come and go).
    pub fn refresh(&self) -> Result<ClusterInfo> {
        let mut io = self.lock();
        io.send(&json!({"type": "info"}), &[])?;
        let f = io.expect(
            Instant::now() + Duration::from_secs(30),
            "asking for the cluster's workers",
        )?;
        match msg_type(&f) {
            "info" => {
                let info = ClusterInfo::from_json(&f.header["info"]);
                *self.info.lock().unwrap_or_else(|e| e.into_inner()) = info.clone();
                Ok(info)
            }
            _ => Err(cluster_error(msg_text(&f))),
        }
    }

    /// Run a plan on the cluster; the outputs come back in request order.
    pub fn run(&self, plan: &Plan, progress: &Progress) -> Result<Vec<Arc<Chunk>>> {
        if plan.is_empty() {
            return super::state::ExecState::new(plan).into_outputs();
        }
        let mut blob = Vec::new();
        let mut tasks = Vec::with_capacity(plan.len());
        for t in 0..plan.len() {
            let op = encode_op(&plan.tasks[t].op)
                .map_err(|e| cluster_error(format!("{} (task {})", e.message, plan.keys[t])))?;
            tasks.push(json!([
                dask_key(&plan.keys[t]),
                plan.inputs[t],
                blob.len(),
                op.len()
            ]));
            blob.extend_from_slice(&op);
        }
        let mut io = self.lock();
        io.send(
            &json!({"type": "compute", "tasks": tasks, "outputs": plan.outputs}),
            &blob,
        )?;
        drop(blob);
        let mut results: Vec<Option<Arc<Chunk>>> = vec![None; plan.len()];
        let mut failure: Option<RaskError> = None;
        let mut cancel_sent: Option<Instant> = None;
        loop {
            if cancel_sent.is_none() && super::check_cancel().is_err() {
                io.send(&json!({"type": "cancel"}), &[])?;
                cancel_sent = Some(Instant::now());
            }
            if let Some(at) = cancel_sent {
                if at.elapsed() > Duration::from_secs(10) {
                    io.broken = Some("a cancelled compute did not stop".into());
                    break;
                }
            }
            let Some(f) = io.recv(Duration::from_millis(50))? else {
                continue;
            };
            match msg_type(&f) {
                "progress" => {
                    if let Some(n) = f.header["done"].as_u64() {
                        progress.set(n as usize);
                    }
                }
                // bad data from the bridge fails the compute, but the frames up to
                // `done` are still read, so the pipe stays in step for the next one
                "result" => match decode(&f, plan, |b| read_chunk(b)) {
                    Ok((i, c)) => results[i] = Some(Arc::new(c)),
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                },
                "task_error" => {
                    let e = match decode(&f, plan, |b| read_error(b)) {
                        Ok((i, e)) => annotate_error(e, &plan.keys[i]),
                        Err(e) => e,
                    };
                    failure.get_or_insert(e);
                }
                "error" => {
                    failure.get_or_insert(cluster_error(msg_text(&f)));
                }
                "done" => break,
                _ => {}
            }
        }
        drop(io);
        if cancel_sent.is_some() {
            super::check_cancel()?;
        }
        if let Some(e) = failure {
            return Err(e);
        }
        plan.outputs
            .iter()
            .map(|&o| {
                results[o].clone().ok_or_else(|| {
                    cluster_error(format!(
                        "output {} did not come back from the cluster",
                        plan.keys[o]
                    ))
                })
            })
            .collect()
    }

    /// Close the client (and the local cluster it started) and reap the bridge.
    pub fn close(&self) {
        let mut io = self.lock();
        if io.broken.is_none() {
            let _ = io.send(&json!({"type": "close"}), &[]);
        }
        drop(io.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            match io.child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = io.child.kill();
                    let _ = io.child.wait();
                    break;
                }
            }
        }
        io.broken
            .get_or_insert_with(|| "the client is closed".into());
        if let Some(r) = io.reader.take() {
            let _ = r.join();
        }
    }

    pub fn python(&self) -> &str {
        &self.python
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.close();
    }
}

/// A frame's task index and its blob decoded by `read`.
fn decode<T>(
    f: &Frame,
    plan: &Plan,
    read: impl FnOnce(&mut &[u8]) -> io::Result<T>,
) -> Result<(usize, T)> {
    let i = f.header["index"]
        .as_u64()
        .map(|i| i as usize)
        .filter(|&i| i < plan.len())
        .ok_or_else(|| cluster_error(format!("bad task index from the bridge: {}", f.header)))?;
    let v = read(&mut &f.blob[..]).map_err(|e| {
        cluster_error(format!(
            "bad data for {} from the bridge: {}",
            plan.keys[i], e
        ))
    })?;
    Ok((i, v))
}

/// A rask key as Dask writes keys: the layer name alone, or a tuple of it and the block
/// index, so the dashboard groups tasks by rask's layer names.
fn dask_key(k: &Key) -> Json {
    if k.index.is_empty() {
        Json::String(k.name.to_string())
    } else {
        let mut v = vec![Json::String(k.name.to_string())];
        v.extend(k.index.iter().map(|&i| Json::from(i)));
        Json::Array(v)
    }
}

static CURRENT: Mutex<Option<Arc<Bridge>>> = Mutex::new(None);

/// The client computes go to (`Client(...)` sets it, `client.close()` clears it).
pub fn current() -> Option<Arc<Bridge>> {
    CURRENT.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

pub fn set_current(b: Option<Arc<Bridge>>) -> Option<Arc<Bridge>> {
    std::mem::replace(&mut *CURRENT.lock().unwrap_or_else(|e| e.into_inner()), b)
}

/// The scheduler address Dask's `Client()` would use: `DASK_SCHEDULER_ADDRESS`.
pub fn env_address() -> Option<String> {
    std::env::var("DASK_SCHEDULER_ADDRESS")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// `compute(scheduler="distributed")`: the current client, else one connected to
/// `DASK_SCHEDULER_ADDRESS` (which becomes the current client).
pub fn run(plan: &Plan, progress: &Progress) -> Result<Vec<Arc<Chunk>>> {
    let bridge = match current() {
        Some(b) => b,
        None => match env_address() {
            Some(addr) => {
                let b = Bridge::connect(&ConnectOptions {
                    address: Some(addr),
                    ..Default::default()
                })?;
                set_current(Some(b.clone()));
                b
            }
            None => {
                return Err(
                    cluster_error("no Dask client: the distributed scheduler needs one").with_hint(
                        "from dask.distributed import Client; client = Client(address), \
                         or set DASK_SCHEDULER_ADDRESS",
                    ),
                )
            }
        },
    };
    let Some(remote) = plan.without_client_tasks()? else {
        return bridge.run(plan, progress);
    };
    // client tasks (writes into an HDF5 file) run here on what the cluster sends back
    let got = bridge.run(&remote, progress)?;
    let mut results: HashMap<&Key, Arc<Chunk>> = HashMap::new();
    for (&o, c) in remote.outputs.iter().zip(got) {
        results.insert(&remote.keys[o], c);
    }
    let mut done: HashMap<usize, Arc<Chunk>> = HashMap::new();
    for (t, task) in plan.tasks.iter().enumerate() {
        if !task.op.in_client() {
            continue;
        }
        super::check_cancel()?;
        let inputs = plan.inputs[t]
            .iter()
            .map(|&d| {
                results.get(&plan.keys[d]).cloned().ok_or_else(|| {
                    cluster_error(format!("input {} did not come back", plan.keys[d]))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let out = task
            .op
            .run(&inputs)
            .map_err(|e| annotate_error(e, &plan.keys[t]))?;
        done.insert(t, Arc::new(out));
    }
    progress.set(plan.len());
    plan.outputs
        .iter()
        .map(|&o| {
            done.get(&o)
                .cloned()
                .or_else(|| results.get(&plan.keys[o]).cloned())
                .ok_or_else(|| cluster_error(format!("output {} was not computed", plan.keys[o])))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &json!({"type": "x", "n": 3}), b"abc").unwrap();
        let f = read_frame(&mut &buf[..]).unwrap();
        assert_eq!(f.header["n"], 3);
        assert_eq!(f.blob, b"abc");
        assert!(read_frame(&mut &buf[..buf.len() - 1]).is_err());
    }
}
