//! The projection a map_partitions function's columns push into the read, through a
//! sorted set_index: which columns the CSV reader is asked for, and the same results as
//! with every column.

use crate::frame::lazy::ops::FrameOp;
use crate::frame::lazy::LazyFrame;
use crate::graph::task::Graph;
use crate::session::session::{Origin, Session};
use std::sync::Arc;

/// The columns each CSV read under `name` parses (`None`: all of them), sorted.
fn read_columns(s: &Session, name: &str) -> Vec<Option<Vec<String>>> {
    let Some(f) = s.vars.get(name).and_then(|v| v.get::<Arc<LazyFrame>>()) else {
        panic!("{} is not a lazy frame", name)
    };
    let g = Graph::materialize(std::slice::from_ref(&f.layer));
    let mut cols: Vec<Option<Vec<String>>> = g
        .tasks
        .values()
        .filter_map(|t| match t.op.downcast() {
            Some(FrameOp::ReadCsv(b)) => Some(b.columns.clone()),
            _ => None,
        })
        .collect();
    cols.sort();
    cols.dedup();
    cols
}

fn run(s: &mut Session, code: &str) -> String {
    let r = s.run_entry(code, &Origin::default());
    assert!(r.error.is_none(), "{}: {}", code, r.error_text);
    r.output
}

#[test]
fn map_partitions_reads_only_the_columns_its_function_uses() {
    let dir = tempfile::tempdir().expect("tmp");
    let years = [
        (2000, ["1,1,5,2.5,3", "1,2,6,1.5,3", "2,1,5,4.0,2"]),
        (2001, ["3,1,5,1.0,4", "3,3,7,2.0,4", "4,2,7,3.0,1"]),
    ];
    for (yr, rows) in years {
        let rows = rows.map(|r| format!("{},{}", r, yr)).join("\n");
        let text = format!("hhno,logday,minfd,cq,memhh,styr\n{}\n", rows);
        std::fs::write(dir.path().join(format!("y_{}.csv", yr)), text).expect("write");
    }
    let mut s = Session::new();
    let pat = dir.path().join("y_*.csv");
    run(
        &mut s,
        &format!("df = dd.read_csv({:?})", pat.to_string_lossy()),
    );
    run(
        &mut s,
        "ix = df.set_index('styr', divisions=[2000, 2001, 2001])",
    );
    run(
        &mut s,
        "def per_capita(p): return p.groupby('minfd').cq.sum() / (p.drop_duplicates('hhno').memhh.sum() * 7)",
    );
    let all = vec![None];
    let cols = |c: &[&str]| vec![Some(c.iter().map(|x| x.to_string()).collect::<Vec<_>>())];

    // through the sorted set_index: the index column too, in the file's order
    run(&mut s, "a = ix.map_partitions(per_capita)");
    assert_eq!(
        read_columns(&s, "a"),
        cols(&["hhno", "minfd", "cq", "memhh", "styr"])
    );
    // straight over the read
    run(&mut s, "b = df.map_partitions(lambda p: p.cq.sum())");
    assert_eq!(read_columns(&s, "b"), cols(&["cq"]));
    // len reads no column: one int column keeps the rows
    run(&mut s, "n = ix.map_partitions(len)");
    assert_eq!(read_columns(&s, "n"), cols(&["hhno", "styr"]));
    // opaque: every column, as before
    run(
        &mut s,
        "c = ix.map_partitions(lambda p: per_capita(p.copy()))",
    );
    assert_eq!(read_columns(&s, "c"), all);
    run(&mut s, "d = ix.map_partitions(lambda p: p.sum())");
    assert_eq!(read_columns(&s, "d"), all);

    // the same results with and without the projection
    assert_eq!(run(&mut s, "a.compute()"), run(&mut s, "c.compute()"));
    assert_eq!(
        run(&mut s, "n.compute().tolist()"),
        run(
            &mut s,
            "ix.map_partitions(lambda p: len(p.copy())).compute().tolist()"
        )
    );
    assert_eq!(run(&mut s, "n.compute().tolist()"), "[3, 3]\n");
    assert_eq!(
        run(&mut s, "b.compute().tolist()"),
        run(
            &mut s,
            "df.map_partitions(lambda p: p.copy().cq.sum()).compute().tolist()"
        )
    );
}
