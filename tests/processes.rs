//! The processes scheduler against the real binary: `rask __worker` speaks the protocol,
//! computes agree with the other schedulers, and Ctrl-C leaves no worker behind.

use rask::array::ops::{chunk_nd, nd_chunk};
use rask::common::ndarr::NdArr;
use rask::graph::chunk::Chunk;
use rask::graph::task::Op;
use rask::scheduler::codec::{encode_op, read_response, write_request};
use rask::scheduler::worker::HELLO;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn rask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rask"))
}

#[test]
fn worker_binary_answers_requests_and_exits_on_eof() {
    let mut child = rask()
        .arg("__worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn worker");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut hello = [0u8; 8];
    stdout.read_exact(&mut hello).expect("hello");
    assert_eq!(&hello, HELLO);
    let a =
        ndarray::ArrayD::from_shape_fn(ndarray::IxDyn(&[3, 4]), |i| (i[0] * 4 + i[1]) as f32 / 3.0);
    // this process reads the worker's array chunks with the codec arrays register
    rask::cli::register_all();
    let input = Arc::new(nd_chunk(NdArr::F32(a.clone())));
    let op = encode_op(&Op::Identity).expect("encode");
    for _ in 0..3 {
        write_request(&mut stdin, &op, std::slice::from_ref(&input)).expect("send");
        let out: Chunk = read_response(&mut stdout).expect("answer").expect("result");
        match chunk_nd(&out) {
            Some(NdArr::F32(b)) => assert_eq!(&a, b),
            _ => panic!("{:?}", out),
        }
    }
    // an op without its input is a task error, not a dead worker
    write_request(&mut stdin, &op, &[]).expect("send");
    assert!(read_response(&mut stdout).expect("answer").is_err());
    drop(stdin);
    let status = child.wait().expect("wait");
    assert!(status.success(), "{}", status);
}

#[test]
fn worker_binary_exits_nonzero_on_garbage() {
    let mut child = rask()
        .arg("__worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"\x07garbage")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("rask worker"));
}

#[test]
fn every_scheduler_gives_the_same_bits_through_the_shell() {
    let mut code = String::from(
        "x = da.random.normal(0, 1, size=(300, 200), chunks=(70, 50), seed=3)\n\
         y = ((x ** 2 + 1) / 3).sum(axis=1)\n",
    );
    for s in ["sync", "threads", "processes"] {
        code.push_str(&format!(
            "print(y.sum().compute(scheduler=\"{s}\"), x.std().compute(scheduler=\"{s}\"), y.compute(scheduler=\"{s}\")[7])\n"
        ));
    }
    let out = rask().args(["-c", &code]).output().expect("run rask");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", stdout);
    assert_eq!(lines[0], lines[1]);
    assert_eq!(lines[0], lines[2]);
}

/// Child processes of `pid`, from /proc.
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", p)) else {
            continue;
        };
        // "pid (comm) state ppid ..." where comm may hold spaces
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
            continue;
        };
        if rest
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u32>().ok())
            == Some(pid)
        {
            out.push(p);
        }
    }
    out
}

fn alive(pid: u32) -> bool {
    // a reaped or reparented-and-reaped process has no /proc entry; a zombie says Z
    match std::fs::read_to_string(format!("/proc/{}/stat", pid)) {
        Ok(s) => !s
            .rsplit_once(')')
            .map(|(_, r)| r.trim_start().starts_with('Z'))
            .unwrap_or(false),
        Err(_) => false,
    }
}

#[test]
fn ctrl_c_stops_a_processes_compute_and_leaves_no_worker() {
    let code = "x = da.random.normal(10, 0.1, size=(20000, 20000), chunks=(1000, 1000))\n\
                x.mean(axis=0).compute(scheduler=\"processes\")\n";
    let child = rask()
        .args(["-c", code])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rask");
    let pid = child.id();
    // wait for the workers to appear
    let t0 = Instant::now();
    let mut workers = Vec::new();
    while t0.elapsed() < Duration::from_secs(10) {
        workers = children(pid);
        if workers.len()
            >= 2.min(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(1),
            )
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!workers.is_empty(), "no workers started");
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: sending SIGINT to our own child process.
    unsafe { libc::kill(pid as i32, libc::SIGINT) };
    let t1 = Instant::now();
    let out = child.wait_with_output().expect("wait");
    assert!(
        t1.elapsed() < Duration::from_secs(3),
        "took {:?} to stop",
        t1.elapsed()
    );
    // `rask -c` may die of the signal (no handler outside the REPL) or, with the
    // handler, report the interrupted compute; either way it stops at once
    use std::os::unix::process::ExitStatusExt;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.signal() == Some(libc::SIGINT) || err.contains("KeyboardInterrupt"),
        "{:?} {}",
        out.status,
        err
    );
    // workers die with rask (killed by it, or by the kernel when rask itself dies)
    let t2 = Instant::now();
    while workers.iter().any(|&w| alive(w)) && t2.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(10));
    }
    for w in workers {
        assert!(!alive(w), "worker {} outlived the compute", w);
    }
}
