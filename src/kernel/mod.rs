//! rask as a Jupyter kernel: `rask kernel -f CONNECTION_FILE` speaks the messaging
//! protocol 5.3 over ZeroMQ (the pure-Rust `zeromq` crate: no libzmq), and
//! `rask kernel install` writes the kernelspec Jupyter finds it by.
//!
//! - `connection.rs` the connection file; the loopback rule
//! - `wire.rs` frames, HMAC-SHA256 signatures, headers
//! - `serve.rs` the sockets on one tokio thread; control answered there
//! - `shell.rs` the executor thread: one `Session`, the shell requests in order
//! - `assist.rs` complete, inspect and is_complete through the REPL's own code
//! - `history.rs` this kernel's history and `history_request`
//! - `capture.rs` file descriptors 1 and 2 as stream messages
//! - `install.rs`, `logo.rs` the kernelspec

pub mod assist;
pub mod capture;
pub mod connection;
pub mod history;
pub mod install;
pub mod logo;
pub mod serve;
pub mod shell;
pub mod wire;

use serde_json::{json, Value};

const USAGE: &str = "usage:
  rask kernel -f CONNECTION_FILE [--allow-remote]
                          run the Jupyter kernel (Jupyter starts it this way)
  rask kernel install [--user | --prefix DIR | --sys-prefix]
                          write the kernelspec 'rask' (default --user)
";

/// `rask kernel ...`: the exit code.
pub fn main(args: &[String]) -> i32 {
    if args.first().map(String::as_str) == Some("install") {
        return install::main(&args[1..]);
    }
    let mut file = None;
    let mut allow_remote = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-f" | "--connection-file" => {
                i += 1;
                file = args.get(i).cloned();
            }
            s if s.starts_with("--connection-file=") => {
                file = Some(s["--connection-file=".len()..].to_string())
            }
            "--allow-remote" => allow_remote = true,
            "-h" | "--help" => {
                print!("{}", USAGE);
                return 0;
            }
            other => {
                eprintln!("rask kernel: unknown argument {}\n{}", other, USAGE);
                return 2;
            }
        }
        i += 1;
    }
    let Some(file) = file else {
        eprintln!(
            "rask kernel: a connection file is needed (-f FILE)\n{}",
            USAGE
        );
        return 2;
    };
    let info = match connection::ConnectionInfo::read(&file, allow_remote) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("rask kernel: {}", e);
            return 2;
        }
    };
    // SIGINT (interrupt_mode "signal", or kill -INT) cancels as Ctrl-C does in the REPL
    let _ = ctrlc::set_handler(serve::interrupt);
    match serve::serve(info) {
        Ok(()) => 0,
        Err(e) => {
            log(&e);
            1
        }
    }
}

/// A line for whoever started the kernel (Jupyter's log): the process's standard error
/// as it was before `capture.rs` turned fd 2 into the notebook's stderr stream.
pub fn log(msg: &str) {
    capture::log_line(&format!("rask kernel: {}", msg));
}

/// The content of `kernel_info_reply`.
pub fn kernel_info() -> Value {
    json!({
        "status": "ok",
        "protocol_version": wire::PROTOCOL_VERSION,
        "implementation": "rask",
        "implementation_version": env!("CARGO_PKG_VERSION"),
        "language_info": {
            "name": "python",
            "version": "3",
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "pygments_lexer": "ipython3",
            "codemirror_mode": { "name": "ipython", "version": 3 },
            "nbconvert_exporter": "python",
        },
        "banner": format!(
            "rask {} — lazy parallel arrays, bags and frames. help() for help.",
            env!("CARGO_PKG_VERSION")
        ),
        "help_links": [],
    })
}
