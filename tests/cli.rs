//! The command line: exit codes, error locations and carets, stdin scripts.

mod common;
use common::*;

#[test]
fn syntax_error_points_at_the_column_and_exits_nonzero() {
    let out = rask(&["-c", "x = (1 +\ny = 2)"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("SyntaxError"), "{}", err);
    assert!(err.contains('^'), "{}", err);
}

#[test]
fn run_reports_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("bad.rask");
    std::fs::write(&p, "x = 1\ny = 2\nprint(x + zz)\n").expect("write");
    let out = rask(&["run", p.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.rask:3"), "{}", err);
    assert!(err.contains("NameError"), "{}", err);
}

#[test]
fn run_of_a_transcript_goes_past_the_errors_it_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("s.md");
    let shown = "# A session\n\n>>> 1 / 0\nZeroDivisionError: division by zero\n1 | 1 / 0\n  | ^^^^^\n\n>>> 2 + 2\n4\n";
    std::fs::write(&p, shown).expect("write");
    let out = rask(&["run", p.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(
        printed.contains("ZeroDivisionError") && printed.contains('4'),
        "{}",
        printed
    );
    // an error the transcript does not show stops the run, naming the line
    let unexpected = "# A session\n\n>>> 1 / 0\n0\n\n>>> 2 + 2\n4\n";
    std::fs::write(&p, unexpected).expect("write");
    let out = rask(&["run", p.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("s.md:3") && err.contains("ZeroDivisionError"),
        "{}",
        err
    );
    assert!(!text(&out.stdout).contains('4'));
}

#[test]
fn unknown_name_suggests_the_closest() {
    let out = rask(&["-c", "values = [1, 2]\nprint(valuse)"]);
    let err = text(&out.stderr);
    assert!(err.contains("did you mean 'values'"), "{}", err);
}

#[test]
fn failed_assert_exits_nonzero_with_message() {
    let out = rask(&["-c", "assert 1 + 1 == 3, \"arithmetic is broken\""]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("arithmetic is broken"));
    let ok = rask(&["-c", "assert 1 + 1 == 2"]);
    assert!(ok.status.success());
}

#[test]
fn stdin_script_runs() {
    let out = rask_stdin(
        &[],
        "def sq(x): return x * x\nprint(sum(sq(t) for t in range(4)))\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "14");
}

#[test]
fn check_fails_with_a_diff_and_update_rewrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("t.md");
    std::fs::write(&p, "Some prose.\n\n>>> 1 + 1\n3\n\n>>> print('hi')\nhi\n").expect("write");
    let path = p.to_str().expect("utf8");
    let out = rask(&["check", path]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("- 3") && err.contains("+ 2"), "{}", err);
    let up = rask(&["check", "--update", path]);
    assert!(up.status.success());
    let fixed = std::fs::read_to_string(&p).expect("read");
    assert!(fixed.contains(">>> 1 + 1\n2\n"), "{}", fixed);
    assert!(fixed.starts_with("Some prose."));
    assert!(rask(&["check", path]).status.success());
}

#[test]
fn save_writes_a_transcript_that_checks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("saved.md");
    let path = p.to_str().expect("utf8");
    let script = format!("xs = [3, 1, 2]\nsorted(xs)\n%save {}\n", path);
    // each line is its own entry when fed as a transcript
    let t = dir.path().join("in.md");
    let transcript: String = script.lines().map(|l| format!(">>> {}\n", l)).collect();
    std::fs::write(&t, transcript).expect("write");
    let out = rask(&["run", t.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let saved = std::fs::read_to_string(&p).expect("saved");
    assert!(saved.contains(">>> sorted(xs)\n[1, 2, 3]\n"), "{}", saved);
    assert!(rask(&["check", path]).status.success());
}

#[test]
fn a_file_read_in_this_session_can_be_rewritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("r.h5");
    let path = p.to_str().expect("utf8");
    let script = format!(
        "random_array(path=\"{p}\", n=1000)\nx = da.from_array(h5py.File(\"{p}\")[\"/x\"], chunks=100)\nprint(x.shape, x.sum().compute() > 0)\nrandom_array(path=\"{p}\", n=2000, seed=3)\ny = da.from_array(h5py.File(\"{p}\")[\"/x\"], chunks=100)\nprint(y.shape, y.sum().compute() > 0)\n",
        p = path
    );
    let out = rask_stdin(&[], &script);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "(1000,) True\n(2000,) True\n");
}
