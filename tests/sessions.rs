//! Every saved session in sessions/ is replayed under every scheduler and must show
//! exactly its recorded outputs: the schedulers give identical results.

mod common;
use common::*;

fn check_all_under(scheduler: &str) {
    let files = session_files();
    assert!(!files.is_empty(), "no sessions found");
    let mut failures = Vec::new();
    for rel in &files {
        let out = rask(&["check", "--scheduler", scheduler, rel]);
        if !out.status.success() {
            failures.push(format!(
                "{} under {}:\n{}{}",
                rel,
                scheduler,
                text(&out.stdout),
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// One test per scheduler, run one after another: sessions write their own data files.
#[test]
fn sessions_replay_identically_under_every_scheduler() {
    for s in ["sync", "threads", "processes"] {
        check_all_under(s);
    }
    // the main job (scripts/tutorial.sh) runs each session with `rask run`: the errors a
    // session shows on purpose must not stop it
    for rel in session_files() {
        let out = rask(&["run", &rel]);
        assert!(
            out.status.success(),
            "rask run {}:\n{}",
            rel,
            text(&out.stderr)
        );
    }
}
