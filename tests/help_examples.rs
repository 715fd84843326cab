//! Every `help()` entry's example runs without error in a fresh session (nushell's
//! "examples are tests"), and every namespace function has an entry.

use rask::session::help::all_docs;
use rask::session::session::{Origin, Session};

#[test]
fn every_help_example_runs() {
    let mut failures = Vec::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let cwd = std::env::current_dir().expect("cwd");
    // examples may write small files (data/...): run them in a scratch directory
    std::env::set_current_dir(dir.path()).expect("chdir");
    for d in all_docs() {
        let mut s = Session::new();
        s.opts.progress = Some(false);
        let r = s.run_entry(d.example, &Origin::default());
        if let Some(e) = r.error {
            failures.push(format!("{}: {}\n{}", d.name, e, d.example));
        }
    }
    std::env::set_current_dir(cwd).expect("chdir back");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
    ] {
        assert!(names.contains(&f), "no help entry for {}", f);
    }
}
