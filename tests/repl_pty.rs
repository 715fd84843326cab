//! The REPL through a real pseudo-terminal: lines typed (or pasted) faster than rask
//! reads them are all run, none lost between one prompt and the next; Ctrl-C stops a
//! long compute within a second.

use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
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

/// rask on a terminal of its own, as a shell starts it.
struct Term {
    child: Child,
    input: std::fs::File,
    output: Receiver<Vec<u8>>,
    seen: Vec<u8>,
    _hist: tempfile::NamedTempFile,
}

impl Term {
    fn start() -> Term {
        let (master, slave) = openpty();
        let hist = tempfile::NamedTempFile::new().expect("tmp");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rask"));
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

    fn type_text(&mut self, s: &[u8]) {
        self.input.write_all(s).expect("type");
    }

    /// Everything shown so far once one of `wanted` appears, or after `limit`; with the
    /// time it took.
    fn wait_for(&mut self, wanted: &[&str], limit: Duration) -> (String, Option<Duration>) {
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

#[test]
fn fifty_lines_typed_without_pauses_are_all_bound() {
    let mut t = Term::start();
    let mut input = String::new();
    for i in 0..50 {
        input.push_str(&format!("a{} = {}\r", i, i));
    }
    let names: Vec<String> = (0..50).map(|i| format!("a{}", i)).collect();
    input.push_str(&format!("print('total', sum([{}]))\r", names.join(", ")));
    t.type_text(input.as_bytes());
    let (text, _) = t.wait_for(&["total 1225", "Error"], Duration::from_secs(30));
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

    let mut t = Term::start();
    let line = format!(
        "db.read_text('{}').map(json.loads).pluck('amount').filter(lambda a: a % 3 == 0).count().compute(scheduler='threads')\r",
        path.display()
    );
    t.type_text(line.as_bytes());
    std::thread::sleep(Duration::from_millis(1500));
    t.type_text(b"\x03");
    let (text, latency) = t.wait_for(&["KeyboardInterrupt"], Duration::from_secs(30));
    let latency = latency.unwrap_or_else(|| panic!("no KeyboardInterrupt:\n{}", text));
    // the read runs for several seconds more; a second is the promise
    assert!(
        latency < Duration::from_secs(1),
        "Ctrl-C took {:?}",
        latency
    );
}

#[test]
fn a_cell_magic_takes_the_lines_up_to_a_blank_one() {
    let mut t = Term::start();
    t.type_text(b"b = 6\r%%time\ra = b * 7\rprint('answer', a)\r");
    let (text, _) = t.wait_for(&["... "], Duration::from_secs(10));
    assert!(
        text.contains("... "),
        "no continuation prompt after %%time:\n{}",
        text
    );
    assert!(
        !text.contains("answer 42"),
        "the cell ran before its blank line:\n{}",
        text
    );
    t.type_text(b"\r");
    let (text, _) = t.wait_for(&["Wall time: ", "Error"], Duration::from_secs(30));
    let answer = text.find("answer 42");
    let cpu = text.find("CPU times: user ");
    assert!(
        answer.is_some() && cpu.is_some() && answer < cpu && text.contains("Wall time: "),
        "the cell's output then its timing expected:\n{}",
        text
    );
}

/// Python's REPL: a compound statement keeps `...` until a blank line, then runs whole;
/// an error inside a function defined that way is reported and the shell goes on.
#[test]
fn a_block_continues_until_a_blank_line_and_an_error_inside_a_function_leaves_the_shell_running() {
    let mut t = Term::start();
    t.type_text(b"total = 0\rfor i in range(4):\r    if i % 2:\r        total += i\r");
    let (text, _) = t.wait_for(&["...         "], Duration::from_secs(10));
    assert!(
        text.contains("... "),
        "no continuation prompt in the block:\n{}",
        text
    );
    t.type_text(b"\rprint('total', total)\r");
    let (text, _) = t.wait_for(&["total 4"], Duration::from_secs(10));
    assert!(
        text.contains("total 4"),
        "the loop did not run once, whole:\n{}",
        text
    );
    t.type_text(b"def f(x):\r    y = x + 1\r    return y / 0\r\rf(1)\r");
    let (text, _) = t.wait_for(&["ZeroDivisionError"], Duration::from_secs(10));
    assert!(
        text.contains("ZeroDivisionError: division by zero"),
        "no ZeroDivisionError:\n{}",
        text
    );
    t.type_text(b"print('alive', total)\r");
    let (text, _) = t.wait_for(&["alive 4"], Duration::from_secs(10));
    assert!(
        text.contains("alive 4"),
        "the shell did not go on:\n{}",
        text
    );
}
