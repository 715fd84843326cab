//! Every script in examples/ runs to completion (they check themselves with `assert`).

mod common;
use common::*;

#[test]
fn examples_run() {
    let files = files_in(&root().join("examples"), "rask");
    assert!(!files.is_empty(), "no examples found");
    let mut failures = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(root())
            .unwrap_or(f)
            .to_string_lossy()
            .to_string();
        let out = rask(&["run", &rel]);
        if !out.status.success() {
            failures.push(format!(
                "{}:\n{}{}",
                rel,
                text(&out.stdout),
                text(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
