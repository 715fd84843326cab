//! The worker side of the processes scheduler: `rask __worker` reads requests (an op and
//! its input chunks) on stdin and answers each with a result chunk or an error on stdout,
//! until stdin closes. See `codec` for the format.

use super::codec::{read_request, write_response};
use super::state::run_op_caught;
use std::io::{self, BufReader, BufWriter, Read, Write};

/// Written once at start, so the scheduler knows a rask worker of this protocol is on
/// the other end (and can skip anything printed before it).
pub const HELLO: &[u8; 8] = b"RASKWK01";

/// Entry point for `rask __worker`; returns the process exit code.
pub fn worker_main() -> i32 {
    let out = match protocol_stdout() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("rask worker: cannot set up its pipe: {}", e);
            return 2;
        }
    };
    let stdin = io::stdin().lock();
    // `--framed`: each response is prefixed with its length, for readers that do not
    // know the chunk codecs (the Dask workers of cluster mode, `distributed.rs`)
    let framed = std::env::args().skip(2).any(|a| a == "--framed");
    let r = BufReader::with_capacity(1 << 16, stdin);
    let w = BufWriter::with_capacity(1 << 16, out);
    let served = if framed {
        serve_framed(r, w)
    } else {
        serve(r, w)
    };
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("rask worker: {}", e);
            2
        }
    }
}

/// Serve requests until the reader reaches end of input between requests.
pub fn serve(r: impl Read, w: impl Write) -> io::Result<()> {
    serve_with(r, w, false)
}

/// `serve`, with each response written as `len:u64` and then its bytes.
pub fn serve_framed(r: impl Read, w: impl Write) -> io::Result<()> {
    serve_with(r, w, true)
}

fn serve_with(mut r: impl Read, mut w: impl Write, framed: bool) -> io::Result<()> {
    w.write_all(HELLO)?;
    w.flush()?;
    // for the fault tests: a worker that dies on its first task, every time
    let die_on_task = std::env::var_os("RASK_TEST_WORKER_EXIT").is_some();
    let mut buf = Vec::new();
    while let Some((op, inputs)) = read_request(&mut r)? {
        if die_on_task {
            std::process::exit(9);
        }
        let result = run_op_caught(&op, inputs);
        if framed {
            buf.clear();
            write_response(&mut buf, &result)?;
            w.write_all(&(buf.len() as u64).to_le_bytes())?;
            w.write_all(&buf)?;
            w.flush()?;
        } else {
            write_response(&mut w, &result)?;
        }
    }
    Ok(())
}

/// Keep the protocol on a private copy of stdout and point fd 1 at stderr, so a stray
/// print in a kernel cannot corrupt the stream. Also: ignore SIGINT (the terminal sends
/// Ctrl-C to the whole process group; the scheduler decides what to do and kills us),
/// and die with the parent so no worker outlives a killed rask.
#[cfg(unix)]
fn protocol_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: plain libc calls on this process's own descriptors and signal dispositions;
    // the duplicated descriptor is owned by the returned File alone.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        #[cfg(target_os = "linux")]
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        let fd = libc::dup(1);
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        if libc::dup2(2, 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(std::fs::File::from_raw_fd(fd))
    }
}

#[cfg(not(unix))]
fn protocol_stdout() -> io::Result<std::fs::File> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "worker processes need a Unix system",
    ))
}

#[cfg(test)]
mod tests {
    use super::super::codec::{encode_op, read_response, write_request};
    use super::*;
    use crate::graph::task::{Op, TaskOp};
    use crate::graph::testing::*;
    use std::sync::Arc;

    #[test]
    fn serves_requests_over_a_byte_stream() {
        register();
        let mut req = Vec::new();
        let a = Arc::new(
            crate::graph::testing::TestOp::Source { value: 2.0, n: 3 }
                .run(&[])
                .unwrap(),
        );
        write_request(
            &mut req,
            &encode_op(&scale(1.5)).unwrap(),
            std::slice::from_ref(&a),
        )
        .unwrap();
        write_request(&mut req, &encode_op(&fail_op("nope")).unwrap(), &[]).unwrap();
        write_request(&mut req, &encode_op(&sum_op()).unwrap(), &[a.clone(), a]).unwrap();
        let mut out = Vec::new();
        serve(&req[..], &mut out).unwrap();
        assert_eq!(&out[..8], HELLO);
        let mut r = &out[8..];
        assert_eq!(
            values(&read_response(&mut r).unwrap().unwrap()),
            vec![3.0; 3]
        );
        let e = read_response(&mut r).unwrap().unwrap_err();
        assert_eq!(e.message, "nope");
        assert_eq!(values(&read_response(&mut r).unwrap().unwrap()), vec![12.0]);
        assert!(r.is_empty());
    }

    #[test]
    fn framed_responses_carry_their_length() {
        register();
        let mut req = Vec::new();
        write_request(&mut req, &encode_op(&fail_op("nope")).unwrap(), &[]).unwrap();
        write_request(&mut req, &encode_op(&sum_op()).unwrap(), &[]).unwrap();
        let mut out = Vec::new();
        serve_framed(&req[..], &mut out).unwrap();
        assert_eq!(&out[..8], HELLO);
        let mut r = &out[8..];
        for _ in 0..2 {
            let n = u64::from_le_bytes(r[..8].try_into().unwrap()) as usize;
            let mut body = &r[8..8 + n];
            read_response(&mut body).unwrap().ok();
            assert!(body.is_empty(), "the length covers exactly one response");
            r = &r[8 + n..];
        }
        assert!(r.is_empty());
    }

    #[test]
    fn panics_become_errors_and_truncated_requests_fail() {
        register();
        let mut req = Vec::new();
        write_request(&mut req, &encode_op(&Op::new(TestOp::Panic)).unwrap(), &[]).unwrap();
        let mut out = Vec::new();
        serve(&req[..], &mut out).unwrap();
        let e = read_response(&mut &out[8..]).unwrap().unwrap_err();
        assert!(e.message.contains("panicked"), "{}", e.message);
        let mut out = Vec::new();
        assert!(serve(&req[..req.len() - 1], &mut out).is_err());
    }
}
