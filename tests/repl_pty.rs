//! The REPL through a real pseudo-terminal: lines typed (or pasted) faster than rask
//! reads them are all run, none lost between one prompt and the next.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn openpty() -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: openpty writes the two descriptors; the other arguments may be null.
    let r = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(r, 0, "openpty failed");
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

#[test]
fn fifty_lines_typed_without_pauses_are_all_bound() {
    let (master, slave) = openpty();
    let hist = tempfile::NamedTempFile::new().expect("tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
        .env("RASK_HISTORY", hist.path())
        .env("TERM", "xterm")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("spawn rask");
    let mut m = std::fs::File::from(master);
    let mut input = String::new();
    for i in 0..50 {
        input.push_str(&format!("a{} = {}\r", i, i));
    }
    input.push_str("print('total', sum([");
    input.push_str(
        &(0..50)
            .map(|i| format!("a{}", i))
            .collect::<Vec<_>>()
            .join(", "),
    );
    input.push_str("]))\r");
    m.write_all(input.as_bytes()).expect("type");
    // read until the answer or a NameError shows, or give up after a while
    let mut seen = Vec::new();
    let start = Instant::now();
    let mut reader = m.try_clone().expect("dup");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let text = loop {
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.extend(chunk);
        }
        let t = String::from_utf8_lossy(&seen).into_owned();
        if t.contains("total 1225")
            || t.contains("Error")
            || start.elapsed() > Duration::from_secs(30)
        {
            break t;
        }
    };
    let _ = m.write_all(b"\x04");
    let _ = child.kill();
    let _ = child.wait();
    assert!(text.contains("total 1225"), "lines were lost:\n{}", text);
    assert!(!text.contains("NameError"), "{}", text);
}

#[test]
fn ctrl_c_stops_a_long_bag_read_within_a_second() {
    use flate2::write::GzEncoder;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("big.json.gz");
    let mut text = String::new();
    for i in 0..1_000_000 {
        text.push_str(&format!(
            "{{\"id\": {}, \"amount\": {}, \"tags\": [\"a\", \"b\"]}}\n",
            i,
            i % 1000
        ));
    }
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(text.as_bytes()).expect("gzip");
    let member = e.finish().expect("gzip");
    // one file of many members: one task that runs for seconds
    std::fs::write(&path, member.repeat(12)).expect("write");

    let (master, slave) = openpty();
    let hist = tempfile::NamedTempFile::new().expect("tmp");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rask"));
    cmd.env("RASK_HISTORY", hist.path())
        .env("TERM", "xterm")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave));
    // a session of its own with the terminal as its controlling terminal, as a shell
    // starts it: then Ctrl-C on the terminal is a SIGINT to rask
    // SAFETY: setsid and ioctl are async-signal-safe, as pre_exec requires
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn rask");
    let mut m = std::fs::File::from(master);
    let mut reader = m.try_clone().expect("dup");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let line = format!(
        "db.read_text('{}').map(json.loads).pluck('amount').filter(lambda a: a % 3 == 0).count().compute(scheduler='threads')\r",
        path.display()
    );
    m.write_all(line.as_bytes()).expect("type");
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Instant::now();
    m.write_all(b"\x03").expect("ctrl-c");
    let mut seen = Vec::new();
    let mut latency = None;
    while sent.elapsed() < Duration::from_secs(30) {
        if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(20)) {
            seen.extend(chunk);
        }
        if String::from_utf8_lossy(&seen).contains("KeyboardInterrupt") {
            latency = Some(sent.elapsed());
            break;
        }
    }
    let _ = m.write_all(b"\x04");
    let _ = child.kill();
    let _ = child.wait();
    let text = String::from_utf8_lossy(&seen).into_owned();
    let latency = latency.unwrap_or_else(|| panic!("no KeyboardInterrupt:\n{}", text));
    // the read runs for several seconds more; a second is the promise
    assert!(
        latency < Duration::from_secs(1),
        "Ctrl-C took {:?}",
        latency
    );
}
