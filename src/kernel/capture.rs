//! Output that does not pass through the session — what a task prints (tasks write to
//! stderr on every scheduler), a worker process's stderr, a panic message — still
//! reaches the notebook: file descriptors 1 and 2 become pipes, and a thread per pipe
//! publishes what it reads as `stream` messages of the request being handled. The
//! kernel's own log keeps the original stderr (Jupyter's terminal).

use super::serve::Iopub;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

static LOG: OnceLock<Mutex<File>> = OnceLock::new();

/// Write a line to the kernel's log.
pub fn log_line(line: &str) {
    match LOG.get().and_then(|f| f.lock().ok()) {
        Some(mut f) => {
            let _ = writeln!(f, "{}", line);
        }
        None => eprintln!("{}", line),
    }
}

/// Written into a pipe by `flush`: when the reader sees it, everything written before
/// it has been published.
const MARK: &[u8] = b"\x00rask-flush\x00";

struct Pipe {
    fd: i32,
    flushed: Receiver<()>,
}

pub struct Captures {
    pipes: Vec<Pipe>,
}

/// Redirect fds 1 and 2 to the notebook. A descriptor that cannot be redirected keeps
/// going where it went.
pub fn start(iopub: &Iopub) -> Captures {
    // SAFETY: dup of our own stderr; the new descriptor is owned by the File.
    let saved = unsafe { libc::dup(2) };
    if saved >= 0 {
        // SAFETY: `saved` is a fresh descriptor nothing else owns.
        let _ = LOG.set(Mutex::new(unsafe { File::from_raw_fd(saved) }));
    }
    let mut pipes = Vec::new();
    for (fd, name) in [(1, "stdout"), (2, "stderr")] {
        match redirect(fd, name, iopub.clone()) {
            Ok(p) => pipes.push(p),
            Err(e) => super::log(&format!("{} is not captured: {}", name, e)),
        }
    }
    Captures { pipes }
}

fn redirect(fd: i32, name: &'static str, iopub: Iopub) -> std::io::Result<Pipe> {
    let mut p = [0i32; 2];
    // SAFETY: pipe fills the two-element array.
    if unsafe { libc::pipe(p.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let (r, w) = (p[0], p[1]);
    // SAFETY: plain calls on the descriptors just made; worker processes inherit fd
    // `fd` (the write end) but not the read end.
    unsafe {
        libc::fcntl(r, libc::F_SETFD, libc::FD_CLOEXEC);
        if libc::dup2(w, fd) < 0 {
            let e = std::io::Error::last_os_error();
            libc::close(r);
            libc::close(w);
            return Err(e);
        }
        libc::close(w);
    }
    // SAFETY: `r` is ours alone from here on.
    let reader = unsafe { File::from_raw_fd(r) };
    let (tx, rx) = channel();
    std::thread::Builder::new()
        .name(format!("rask-kernel-{}", name))
        .spawn(move || pump(reader, name, iopub, tx))?;
    Ok(Pipe { fd, flushed: rx })
}

fn pump(mut reader: File, name: &str, iopub: Iopub, flushed: Sender<()>) {
    let mut pending: Vec<u8> = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let publish = |bytes: &[u8]| {
        if !bytes.is_empty() {
            iopub.stream(name, &String::from_utf8_lossy(bytes));
        }
    };
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        pending.extend_from_slice(&buf[..n]);
        while let Some(i) = find(&pending, MARK) {
            publish(&pending[..i]);
            pending.drain(..i + MARK.len());
            let _ = flushed.send(());
        }
        let upto = pending.len() - held_back(&pending);
        publish(&pending[..upto]);
        pending.drain(..upto);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// How many bytes at the end may be the start of a mark or of a UTF-8 character still
/// being written: they wait for the next read.
fn held_back(b: &[u8]) -> usize {
    let mark = (1..MARK.len())
        .rev()
        .find(|&k| b.ends_with(&MARK[..k]))
        .unwrap_or(0);
    let utf8 = match std::str::from_utf8(b) {
        Err(e) if e.error_len().is_none() => b.len() - e.valid_up_to(),
        _ => 0,
    };
    mark.max(utf8)
}

impl Captures {
    /// Publish everything written to fds 1 and 2 so far (before a request's reply and
    /// its `idle`, so the client has the streams when it sees the request end).
    pub fn flush(&self) {
        let _ = std::io::stdout().flush();
        for p in &self.pipes {
            while p.flushed.try_recv().is_ok() {}
            // SAFETY: a write of a static buffer to our own descriptor.
            let n = unsafe { libc::write(p.fd, MARK.as_ptr().cast(), MARK.len()) };
            if n == MARK.len() as isize {
                let _ = p.flushed.recv_timeout(Duration::from_secs(2));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_back_partial_marks_and_characters() {
        assert_eq!(held_back(b"abc"), 0);
        assert_eq!(held_back(b"abc\x00rask"), 5);
        assert_eq!(held_back("é".as_bytes().split_at(1).0), 1);
        assert_eq!(find(b"xx\x00rask-flush\x00yy", MARK), Some(2));
    }
}
