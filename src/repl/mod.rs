//! The interactive shell: rustyline with history, multi-line input decided by the parser,
//! completion, and Ctrl-C that cancels a running compute but keeps the session.

pub mod complete;

use crate::session::session::{Origin, Session};
use complete::{Names, RaskCompleter};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;
use rustyline::{Completer, Helper, Highlighter, Hinter, Validator};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

#[derive(Helper, Completer, Hinter, Highlighter, Validator)]
struct RaskHelper {
    #[rustyline(Completer)]
    completer: RaskCompleter,
}

fn history_path() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("RASK_HISTORY") {
        return Some(p.into());
    }
    std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".rask_history"))
}

/// Refresh what completion knows about bound names (the REPL after each entry, the
/// kernel before each completion).
pub fn snapshot(session: &Session, names: &Names) {
    let mut v = names.borrow_mut();
    v.clear();
    for n in &session.order {
        if let Some(val) = session.vars.get(n) {
            v.push((n.clone(), crate::session::eval::qualifier(val)));
        }
    }
}

pub fn run(mut session: Session) -> i32 {
    // Ctrl-C while computing sets the cancel flag; at the prompt rustyline sees the key.
    let _ = ctrlc::set_handler(|| {
        crate::scheduler::CANCEL.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    let names: Names = Rc::new(RefCell::new(Vec::new()));
    let helper = RaskHelper {
        completer: RaskCompleter::new(names.clone()),
    };
    let mut rl: Editor<RaskHelper, DefaultHistory> = match Editor::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("rask: cannot start the line editor: {}", e);
            return 1;
        }
    };
    rl.set_helper(Some(helper));
    let hist = history_path();
    if let Some(h) = &hist {
        let _ = rl.load_history(h);
    }
    println!(
        "rask {} — lazy parallel arrays. help() for help, Ctrl-D to exit.",
        env!("CARGO_PKG_VERSION")
    );
    let mut entry = String::new();
    loop {
        let prompt = if entry.is_empty() { ">>> " } else { "... " };
        match rl.readline(prompt) {
            Ok(line) => {
                if !entry.is_empty() {
                    entry.push('\n');
                }
                entry.push_str(&line);
                // blank line ends a multi-line entry even if the parser wants more
                let blank_end = line.trim().is_empty() && entry.contains('\n');
                // a cell magic (`%%time`) takes every line up to a blank one as its body
                let cell = crate::session::cell::cell_magic(&entry).is_some();
                if (cell || crate::syntax::is_incomplete(&entry)) && !blank_end {
                    continue;
                }
                let text = std::mem::take(&mut entry);
                if text.trim().is_empty() {
                    continue;
                }
                let _ = rl.add_history_entry(text.as_str());
                let r = session.run_entry(&text, &Origin::default());
                print!("{}", r.output);
                let _ = std::io::stdout().flush();
                if r.error.is_some() {
                    eprint!("{}", r.error_text);
                }
                snapshot(&session, &names);
            }
            Err(ReadlineError::Interrupted) => {
                if !entry.is_empty() {
                    entry.clear();
                }
                println!("KeyboardInterrupt");
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("rask: {}", e);
                break;
            }
        }
    }
    if let Some(h) = &hist {
        let _ = rl.save_history(h);
    }
    0
}
