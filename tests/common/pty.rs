//! rask on a pseudo-terminal of its own, as a shell starts it (the REPL tests and the
//! cluster's Ctrl-C test type into it).

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

pub fn openpty() -> (OwnedFd, OwnedFd) {
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

/// rask on a terminal of its own, as a shell starts it.
pub struct Term {
    child: Child,
    input: std::fs::File,
    output: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    _hist: tempfile::NamedTempFile,
}

impl Term {
    pub fn start() -> Term {
        Term::start_with(&[], &[])
    }

    /// rask with these arguments and extra environment variables.
    pub fn start_with(args: &[&str], env: &[(&str, &str)]) -> Term {
        let (master, slave) = openpty();
        let hist = tempfile::NamedTempFile::new().expect("tmp");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rask"));
        cmd.args(args).envs(env.iter().copied());
        cmd.env("RASK_HISTORY", hist.path())
            .env("TERM", "xterm")
            .stdin(Stdio::from(slave.try_clone().expect("dup")))
            .stdout(Stdio::from(slave.try_clone().expect("dup")))
            .stderr(Stdio::from(slave));
        // a session with the terminal as its controlling terminal: Ctrl-C on the
        // terminal is then a SIGINT to rask
        // SAFETY: setsid and ioctl are async-signal-safe, as pre_exec requires
        unsafe {
            use std::os::unix::process::CommandExt;
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn rask");
        let input = std::fs::File::from(master);
        let mut reader = input.try_clone().expect("dup");
        let (tx, output) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Term {
            child,
            input,
            output,
            seen: Vec::new(),
            _hist: hist,
        }
    }

    pub fn type_text(&mut self, s: &[u8]) {
        self.input.write_all(s).expect("type");
    }

    /// Everything shown so far once one of `wanted` appears, or after `limit`; with the
    /// time it took.
    pub fn wait_for(&mut self, wanted: &[&str], limit: Duration) -> (String, Option<Duration>) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(chunk) = self.output.recv_timeout(Duration::from_millis(20)) {
                self.seen.extend(chunk);
            }
            let t = String::from_utf8_lossy(&self.seen).into_owned();
            if wanted.iter().any(|w| t.contains(w)) {
                return (t, Some(start.elapsed()));
            }
        }
        (String::from_utf8_lossy(&self.seen).into_owned(), None)
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.input.write_all(b"\x04");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
