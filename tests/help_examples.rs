//! Every `help()` entry's example shows exactly the entry's output (nushell's "examples
//! are tests, with their results") on a fresh session under every scheduler, and every
//! namespace function has an entry.

use rask::scheduler::SchedulerKind;
use rask::session::help::{all_docs, FnDoc};
use rask::session::session::{Origin, Session};
use std::path::Path;
use std::process::Command;

/// What `example` shows on a fresh session in `dir`: its output, then its error if any.
fn run_example(d: &FnDoc, scheduler: SchedulerKind) -> (String, bool) {
    let mut s = Session::new();
    s.opts.progress = Some(false);
    s.opts.scheduler = scheduler;
    let r = s.run_entry(d.example, &Origin::default());
    (r.transcript_output(), r.error.is_some())
}

/// Examples may write small files (data/...): they run in a scratch directory.
struct InDir(std::path::PathBuf);

impl InDir {
    fn enter(dir: &Path) -> InDir {
        let cwd = std::env::current_dir().expect("cwd");
        std::env::set_current_dir(dir).expect("chdir");
        InDir(cwd)
    }
}

impl Drop for InDir {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.0);
    }
}

fn mismatch(d: &FnDoc, got: &str, what: &str) -> String {
    format!(
        "{} ({}):\n{}\n--- expected\n{}\n--- got\n{}",
        d.name, what, d.example, d.output, got
    )
}

/// The examples as one saved session (`rask check` replays it), each entry under a
/// heading with the entry's name.
fn transcript(docs: &[&FnDoc]) -> String {
    let mut t = String::from("# help() examples\n\n");
    for d in docs {
        t.push_str(&format!("## {}\n\n", d.name));
        for (i, line) in d.example.lines().enumerate() {
            t.push_str(if i == 0 { ">>> " } else { "... " });
            t.push_str(line);
            t.push('\n');
        }
        for line in d.output.lines() {
            t.push_str(if line.is_empty() { "<BLANKLINE>" } else { line });
            t.push('\n');
        }
        t.push('\n');
    }
    t
}

// The in-process runs share the process's current directory: one test does them all.
#[test]
fn every_help_example_shows_its_output() {
    let docs = all_docs();
    let dir = tempfile::tempdir().expect("tempdir");
    let scratch = dir.path().to_string_lossy().to_string();
    let mut failures = Vec::new();
    {
        let _in = InDir::enter(dir.path());
        for d in &docs {
            // an example that shows nothing documents nothing
            if d.output.trim().is_empty() {
                failures.push(format!("{}: the example shows no output", d.name));
            }
            for (kind, name) in [
                (SchedulerKind::Sync, "sync"),
                (SchedulerKind::Threads, "threads"),
            ] {
                let (got, failed) = run_example(d, kind);
                if failed {
                    failures.push(mismatch(d, &got, &format!("an error under {}", name)));
                } else if got != d.output {
                    failures.push(mismatch(d, &got, &format!("under {}", name)));
                }
                if got.contains(&scratch) || got.contains("/tmp/") {
                    failures.push(mismatch(d, &got, "a temporary path in the output"));
                }
            }
        }
    }
    // worker processes run the rask binary: replay the examples as a saved session
    let file = dir.path().join("help_examples.md");
    std::fs::write(&file, transcript(&docs)).expect("write transcript");
    let out = Command::new(env!("CARGO_BIN_EXE_rask"))
        .args(["check", "--scheduler", "processes", "help_examples.md"])
        .current_dir(dir.path())
        .output()
        .expect("run rask");
    if !out.status.success() {
        failures.push(format!(
            "under processes:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `RASK_HELP_OUTPUTS=path cargo test --release --test help_examples -- --ignored`
/// writes what every example shows (sync scheduler) as JSON lines of [name, output], to
/// fill in or review the tables' outputs.
#[test]
#[ignore]
fn write_example_outputs() {
    let Some(path) = std::env::var_os("RASK_HELP_OUTPUTS") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut lines = String::new();
    {
        let _in = InDir::enter(dir.path());
        for d in all_docs() {
            let (got, failed) = run_example(d, SchedulerKind::Sync);
            let row = serde_json::json!([d.name, got, failed]);
            lines.push_str(&row.to_string());
            lines.push('\n');
        }
    }
    std::fs::write(path, lines).expect("write outputs");
}

#[test]
fn docs_are_unique_and_complete() {
    let docs = all_docs();
    let mut names: Vec<&str> = docs.iter().map(|d| d.name).collect();
    names.sort();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate help entries");
    for d in &docs {
        assert!(
            !d.summary.is_empty() && !d.example.is_empty(),
            "{} lacks a summary or example",
            d.name
        );
    }
    for f in [
        "len",
        "da.arange",
        "da.from_array",
        "da.random.normal",
        "Array.sum",
        "Array.compute",
        "h5py.File",
        "random_array",
        "json.loads",
        "DataFrame.head",
        "Series.value_counts",
        "Bag.to_dataframe",
    ] {
        assert!(names.contains(&f), "no help entry for {}", f);
    }
}
