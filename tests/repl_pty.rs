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
