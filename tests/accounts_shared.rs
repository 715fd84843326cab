//! End to end on the tutorial's own accounts files (written by its accounts.py, not by
//! rask): counts, name frequencies, total amount per name and the first Alices'
//! transaction counts must match Dask's answers in ../shared/data/accounts/expected.json,
//! under every scheduler.

mod common;
use common::*;

fn shared() -> Option<std::path::PathBuf> {
    // beside the main checkout, or beside the worktrees' folder
    for rel in ["../shared/data/accounts", "../../shared/data/accounts"] {
        let p = root().join(rel);
        if p.join("expected.json").exists() {
            return Some(p);
        }
    }
    eprintln!("skipping: ../shared/data/accounts is not beside the repo");
    None
}

#[test]
fn tutorial_accounts_match_dask() {
    let Some(dir) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("json");
    let script = format!(
        r#"import json
js = db.read_text("{}/accounts.0[0-2].json.gz").map(json.loads)
print(js.count().compute())
print(js.pluck("transactions").flatten().count().compute())
print(json.dumps(dict(js.pluck("name").frequencies().compute())))
def total(tot, r): return tot + sum(t["amount"] for t in r["transactions"])
print(json.dumps(dict(js.foldby("name", total, 0, lambda a, b: a + b, 0).compute())))
print(json.dumps(list(js.filter(lambda r: r["name"] == "Alice").map(lambda d: len(d["transactions"])).take(5))))
"#,
        dir.display()
    );
    for sched in ["sync", "threads", "processes"] {
        let out = rask_stdin(&["--scheduler", sched], &script);
        assert!(out.status.success(), "{}: {}", sched, text(&out.stderr));
        let o = text(&out.stdout);
        let lines: Vec<&str> = o.lines().collect();
        assert_eq!(lines.len(), 6, "{}: {}", sched, o);
        let e = &expected;
        assert_eq!(lines[0].parse::<i64>().ok(), e["records"].as_i64(), "{}", o);
        assert_eq!(
            lines[1].parse::<i64>().ok(),
            e["transactions"].as_i64(),
            "{}",
            o
        );
        let freq: serde_json::Value = serde_json::from_str(lines[2]).expect("frequencies json");
        assert_eq!(freq, e["frequencies"], "{}", o);
        let totals: serde_json::Value = serde_json::from_str(lines[3]).expect("totals json");
        assert_eq!(totals, e["total_amount_by_name"], "{}", o);
        assert_eq!(
            lines[4],
            "UserWarning: Insufficient elements for `take`. 5 elements requested, only 3 elements available. Try passing larger `npartitions` to `take`.",
            "{}",
            o
        );
        let alices: serde_json::Value = serde_json::from_str(lines[5]).expect("alices json");
        assert_eq!(alices, e["first_five_alice_transaction_counts"], "{}", o);
    }
}
