//! A merge of frames with many partitions shuffles through one file per input partition
//! (issue 15: it used to write one per partition and bucket, 2 x 300 x 300 files here),
//! and gives the eager merge's answer under every scheduler.

mod common;
use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

const SCRIPT: &str = r#"n = 60000
left = pd.DataFrame({"k": [(i * 7919) % n for i in range(n)], "a": list(range(n))})
right = pd.DataFrame({"k": list(range(0, n, 2)), "b": [i * 3 for i in range(0, n, 2)]})
l = dd.from_pandas(left, npartitions=300)
r = dd.from_pandas(right, npartitions=300)
out = dd.merge(l, r, on="k").compute(scheduler=SCHED)
print(len(out), out.a.sum(), out.b.sum(), sorted(out.k)[:3])
e = pd.merge(left, right, on="k")
print(len(e), e.a.sum(), e.b.sum(), sorted(e.k)[:3])
"#;

/// Files under `dir` (recursively).
fn count_files(dir: &std::path::Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                count_files(&p)
            } else {
                1
            }
        })
        .sum()
}

#[test]
fn merge_of_300_partitions_is_linear_in_files_and_right() {
    for sched in ["sync", "threads", "processes"] {
        let tmp = tempfile::tempdir().expect("tmp");
        let code = SCRIPT.replace("SCHED", &format!("'{}'", sched));
        let mut child = Command::new(env!("CARGO_BIN_EXE_rask"))
            .args(["-c", &code])
            .env("TMPDIR", tmp.path())
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // the shuffle's files live until the process ends: watch the most there are
        let mut most = 0;
        while child.try_wait().expect("wait").is_none() {
            most = most.max(count_files(tmp.path()));
            std::thread::sleep(Duration::from_millis(5));
        }
        let out = child.wait_with_output().expect("output");
        let so = text(&out.stdout);
        assert!(out.status.success(), "{}: {}", sched, text(&out.stderr));
        let lines: Vec<&str> = so.lines().collect();
        assert_eq!(lines.len(), 2, "{}", so);
        assert_eq!(
            lines[0], lines[1],
            "{}: lazy merge differs from the eager one",
            sched
        );
        assert_eq!(lines[0], "30000 899970000 2699910000 [0, 2, 4]");
        assert!(most > 0, "{}: the shuffle files were never seen", sched);
        assert!(
            most <= 2 * 300 + 10,
            "{}: {} shuffle files at once",
            sched,
            most
        );
        assert_eq!(
            count_files(tmp.path()),
            0,
            "{}: shuffle files left behind",
            sched
        );
    }
}
