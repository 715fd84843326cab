//! The command line: `rask` (REPL), `rask run FILE`, `rask check [--update] FILE…`,
//! `rask -c CODE`, `rask kernel` (Jupyter), `rask export`, and `rask __worker` (a processes-scheduler
//! worker).

use crate::scheduler::SchedulerKind;
use crate::session::session::{Origin, Session};
use std::io::{IsTerminal, Read};

const USAGE: &str = "usage:
  rask                              start the interactive shell
  rask run [--scheduler S] FILE     run a script or transcript, printing what it shows
  rask check [--update] [--scheduler S] FILE...
                                    replay transcripts; fail with a diff where output differs
                                    (--update rewrites the expected outputs)
  rask -c CODE                      run CODE
  rask FILE                         same as rask run FILE
  cat script | rask                 run a script from standard input
  rask kernel install [--user | --prefix DIR | --sys-prefix]
                                    install the Jupyter kernelspec 'rask'
  rask kernel -f CONNECTION_FILE    run the Jupyter kernel (Jupyter starts it)
  rask export FILE.md --to ipynb|html [-o OUT|-]
  rask export FILE.ipynb --to md [-o OUT|-]
                                    a transcript as a notebook or an HTML page, or a
                                    notebook as a transcript (OUT: FILE with the new extension)
options:
  --scheduler sync|threads|processes|distributed
                                    the default scheduler for compute(); distributed
                                    uses DASK_SCHEDULER_ADDRESS (see README)
";

struct Opts {
    scheduler: Option<SchedulerKind>,
    update: bool,
    files: Vec<String>,
    code: Option<String>,
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        scheduler: None,
        update: false,
        files: Vec::new(),
        code: None,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match a.as_str() {
            "--update" => o.update = true,
            "--scheduler" => {
                i += 1;
                let s = args.get(i).ok_or("--scheduler needs a value")?;
                o.scheduler = Some(SchedulerKind::parse(s).ok_or_else(|| {
                    format!(
                        "unknown scheduler '{}': use sync, threads, processes or distributed",
                        s
                    )
                })?);
            }
            s if s.starts_with("--scheduler=") => {
                let v = &s["--scheduler=".len()..];
                o.scheduler = Some(
                    SchedulerKind::parse(v).ok_or_else(|| format!("unknown scheduler '{}'", v))?,
                );
            }
            "-c" => {
                i += 1;
                o.code = Some(args.get(i).ok_or("-c needs code")?.clone());
            }
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {}", s)),
            _ => o.files.push(a.clone()),
        }
        i += 1;
    }
    Ok(o)
}

fn new_session(o: &Opts) -> Session {
    let mut s = Session::new();
    if let Some(k) = o.scheduler {
        s.opts.scheduler = k;
    }
    s
}

/// Run a script or transcript file; non-zero exit with file:line on the first error.
/// An error a transcript shows as an input's output is part of what it demonstrates
/// (workshop sessions show bad input on purpose): it is printed and the run goes on.
fn run_text(session: &mut Session, text: &str, file: &str) -> i32 {
    session.stream = true;
    // a Python file runs as Python runs it: bare expressions show nothing
    session.echo = !file.ends_with(".py");
    let entries: Vec<(usize, String, Option<String>)> = if crate::transcript::is_transcript(text) {
        crate::transcript::parse(text)
            .into_iter()
            .map(|e| (e.line + 1, e.input, Some(e.expected)))
            .collect()
    } else {
        vec![(1, text.to_string(), None)]
    };
    let script = !crate::transcript::is_transcript(text);
    for (line, input, expected) in entries {
        let origin = Origin {
            file: Some(file.to_string()),
            line,
        };
        // a script's statements are its history records (what `%save` in it writes)
        let r = if script {
            session.run_script(&input, &origin)
        } else {
            session.run_entry(&input, &origin)
        };
        if let Some(_e) = r.error {
            let first = r.error_text.lines().next().unwrap_or_default().trim_end();
            let shown = expected
                .as_deref()
                .is_some_and(|x| !first.is_empty() && x.lines().any(|l| l.trim_end() == first));
            if shown {
                print!("{}", r.error_text);
                continue;
            }
            let at = r.error_at.unwrap_or_else(|| file.to_string());
            eprint!("{}: {}", at, r.error_text);
            return 1;
        }
    }
    0
}

/// Register every collection's task ops and chunk codecs, so this process can decode
/// what a worker pipe carries (`crate::graph::wire`). Run first by `rask` and by
/// `rask __worker`; each collection adds itself here.
pub fn register_all() {
    crate::errors::install_panic_hook();
    crate::session::register();
    crate::array::object::register();
    crate::frame::object::register();
    crate::array::ops::register();
    crate::bag::ops::register();
    crate::frame::lazy::ops::register();
    crate::export::register();
}

pub fn main() -> i32 {
    // HDF5 1.10 locks files it opens; a file this session read could then not be
    // rewritten by random_array, and a file another program holds open could not be read.
    // rask opens files read-only or writes them whole, so it does without the lock (as
    // h5py users do with the same variable). Set before any thread or HDF5 call exists.
    if std::env::var_os("HDF5_USE_FILE_LOCKING").is_none() {
        std::env::set_var("HDF5_USE_FILE_LOCKING", "FALSE");
    }
    crate::value::limits::fit_allocator_to_limit();
    register_all();
    let worker = std::env::args_os().nth(1).is_some_and(|a| a == "__worker");
    let mut stale = None;
    if !worker {
        remove_shuffles_on_sigterm();
        // directories of rask processes that were killed: not worth a pause at start
        stale = Some(std::thread::spawn(crate::common::shuffle_dir::clean_stale));
    }
    let rc = run_command();
    crate::common::shuffle_dir::remove_live();
    // a short script must not exit before that clean-up is done
    if let Some(t) = stale {
        let _ = t.join();
    }
    rc
}

/// SIGTERM removes this process's shuffle directories, then exits as the signal would
/// (143). The signal is blocked in every thread (they inherit the mask: this runs before
/// any is started) and taken by one waiting thread, where removing files is safe.
fn remove_shuffles_on_sigterm() {
    // SAFETY: plain libc calls on a local signal set.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        set
    };
    std::thread::spawn(move || {
        let mut sig = 0;
        // SAFETY: waits for the blocked signal; `set` and `sig` outlive the call.
        if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
            // workers first: they may still be writing into the shuffle directories
            kill_children();
            crate::common::shuffle_dir::remove_live();
            std::process::exit(128 + libc::SIGTERM);
        }
    });
}

/// SIGKILL this process's children (worker processes), found through /proc.
fn kill_children() {
    let me = std::process::id();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if crate::scheduler::processes::proc_state(pid).is_some_and(|(_, ppid)| ppid == me) {
            // SAFETY: a signal to a process that is our own child
            unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        }
    }
}

fn run_command() -> i32 {
    let mut args: Vec<String> = Vec::new();
    for (i, a) in std::env::args_os().skip(1).enumerate() {
        match a.into_string() {
            Ok(a) => args.push(a),
            Err(raw) => {
                let bytes = raw.as_encoded_bytes();
                let e = utf8_problem(bytes, &format!("argument {}", i + 1));
                eprintln!("rask: {}", e);
                return 2;
            }
        }
    }
    let cmd = args.first().map(|s| s.as_str());
    match cmd {
        Some("__worker") => crate::scheduler::worker::worker_main(),
        Some("kernel") => crate::kernel::main(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("-h") | Some("--help") | Some("help") => {
            print!("{}", USAGE);
            0
        }
        Some("-V") | Some("--version") => {
            println!("rask {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("check") => {
            let o = match parse_opts(&args[1..]) {
                Ok(o) => o,
                Err(e) => return usage_error(&e),
            };
            if o.files.is_empty() {
                return usage_error("check needs at least one FILE");
            }
            let mut failed = 0;
            let mut total = 0;
            for f in &o.files {
                let text = match read_text(f) {
                    Ok(t) => t,
                    Err(e) => {
                        eprintln!("rask: {}", e);
                        return 2;
                    }
                };
                let mut s = new_session(&o);
                let rep = crate::transcript::check(&text, f, &mut s);
                total += rep.entries;
                if o.update {
                    if rep.updated != text {
                        if let Err(e) = std::fs::write(f, &rep.updated) {
                            eprintln!("rask: cannot write {}: {}", f, e);
                            return 2;
                        }
                        println!(
                            "{}: updated ({} of {} outputs changed)",
                            f,
                            rep.failures.len(),
                            rep.entries
                        );
                    } else {
                        println!("{}: up to date ({} entries)", f, rep.entries);
                    }
                } else if rep.failures.is_empty() {
                    println!("{}: ok ({} entries)", f, rep.entries);
                } else {
                    failed += rep.failures.len();
                    for m in &rep.failures {
                        eprint!("{}", m);
                    }
                    eprintln!(
                        "{}: {} of {} outputs differ",
                        f,
                        rep.failures.len(),
                        rep.entries
                    );
                }
            }
            if failed > 0 && !o.update {
                eprintln!("{} passed, {} failed", total - failed, failed);
                1
            } else {
                0
            }
        }
        _ => {
            let rest = if cmd == Some("run") {
                &args[1..]
            } else {
                &args[..]
            };
            let o = match parse_opts(rest) {
                Ok(o) => o,
                Err(e) => return usage_error(&e),
            };
            let mut s = new_session(&o);
            if let Some(code) = &o.code {
                return run_text(&mut s, code, "<-c>");
            }
            match o.files.as_slice() {
                [] if cmd == Some("run") => usage_error("run needs a FILE"),
                [] => {
                    if std::io::stdin().is_terminal() {
                        crate::repl::run(s)
                    } else {
                        let mut raw = Vec::new();
                        if let Err(e) = std::io::stdin().read_to_end(&mut raw) {
                            eprintln!("rask: cannot read standard input: {}", e);
                            return 2;
                        }
                        let text = match String::from_utf8(raw) {
                            Ok(t) => t,
                            Err(e) => {
                                eprintln!("rask: {}", utf8_problem(e.as_bytes(), "<stdin>"));
                                return 1;
                            }
                        };
                        run_text(&mut s, &text, "<stdin>")
                    }
                }
                files => {
                    for f in files {
                        let text = match read_text(f) {
                            Ok(t) => t,
                            Err(e) => {
                                eprintln!("rask: {}", e);
                                return 2;
                            }
                        };
                        let rc = run_text(&mut s, &text, f);
                        if rc != 0 {
                            return rc;
                        }
                    }
                    0
                }
            }
        }
    }
}

/// A file's text, or a message naming the file and, for bytes that are not UTF-8, where.
fn read_text(path: &str) -> std::result::Result<String, String> {
    let raw = std::fs::read(path).map_err(|e| format!("cannot read {}: {}", path, e))?;
    String::from_utf8(raw).map_err(|e| utf8_problem(e.as_bytes(), path))
}

/// "NAME:LINE:COL: byte 0xff is not valid UTF-8" for the first bad byte of `bytes`.
fn utf8_problem(bytes: &[u8], name: &str) -> String {
    let at = match std::str::from_utf8(bytes) {
        Ok(_) => return format!("{}: not valid UTF-8", name),
        Err(e) => e.valid_up_to(),
    };
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    format!(
        "{}:{}:{}: byte 0x{:02x} is not valid UTF-8 (rask reads UTF-8 text)",
        name,
        line,
        col,
        bytes.get(at).copied().unwrap_or(0)
    )
}

/// `rask export FILE --to FORMAT [-o OUT]`: 2 for bad usage, 1 for a file that cannot be
/// read, converted or written.
fn export(args: &[String]) -> i32 {
    use crate::export::Format;
    let (mut file, mut to, mut out) = (None, None, None);
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "--to" | "-o" => {
                i += 1;
                let Some(v) = args.get(i) else {
                    return usage_error(&format!("{} needs a value", a));
                };
                if a == "-o" {
                    out = Some(v.clone());
                } else {
                    match Format::parse(v) {
                        Some(f) => to = Some(f),
                        None => {
                            return usage_error(&format!(
                                "unknown format '{}': use ipynb, html or md",
                                v
                            ))
                        }
                    }
                }
            }
            s if s.starts_with('-') && s.len() > 1 => {
                return usage_error(&format!("unknown option {}", s))
            }
            _ if file.is_some() => return usage_error("export takes one FILE"),
            _ => file = Some(a.to_string()),
        }
        i += 1;
    }
    let (Some(file), Some(to)) = (file, to) else {
        return usage_error("export needs FILE and --to ipynb|html|md");
    };
    let text = match read_text(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("rask: {}", e);
            return 1;
        }
    };
    let result = match crate::export::convert(&text, &file, to) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rask: {}", e);
            return 1;
        }
    };
    let out = out.unwrap_or_else(|| crate::export::default_out(&file, to));
    // `-o -`: to standard output
    if out == "-" {
        use std::io::Write;
        let mut so = std::io::stdout().lock();
        if let Err(e) = so.write_all(result.as_bytes()).and_then(|_| so.flush()) {
            eprintln!("rask: cannot write to standard output: {}", e);
            return 1;
        }
        return 0;
    }
    if let Err(e) = std::fs::write(&out, result) {
        eprintln!("rask: cannot write {}: {}", out, e);
        return 1;
    }
    println!("wrote {}", out);
    0
}

fn usage_error(msg: &str) -> i32 {
    eprintln!("rask: {}\n{}", msg, USAGE);
    2
}
