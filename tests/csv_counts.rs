//! `groupby(col).size()` and `col.value_counts()` of an int64 or text column read with
//! `dd.read_csv` count the keys straight from the CSV bytes (src/frame/csv_keys.rs). The
//! answers must be the frame path's (`df.copy()` is no plain read, so polars parses it),
//! printed alike, under every scheduler, and pandas' on the same files — with rask's one
//! known difference taken out of pandas' side: value_counts orders equal counts by key
//! (pandas by first appearance). An int column with blanks is float64, as in pandas. Cases: quotes, CRLF, empty fields, a float in an int column, a
//! header-only file, blank lines, files cut into blocks mid-line. A bad value past the
//! schema sample is an error naming the file, line and column.

mod common;
use common::*;

/// `print` lines of (key, count) pairs of both workloads in rask, one line per scheduler
/// and per path (the byte counter, then the frame path through `df.copy()`).
fn rask_pairs(glob: &str, col: &str, blocksize: Option<u64>) -> Vec<String> {
    let bs = blocksize.map_or(String::new(), |b| format!(", blocksize={}", b));
    let mut code = format!("df = dd.read_csv(\"{}\"{})\n", glob, bs);
    for sched in ["sync", "threads", "processes"] {
        for src in ["df", "df.copy()"] {
            code.push_str(&format!(
                "r = {src}.groupby(\"{col}\").size().compute(scheduler=\"{sched}\")\n\
                 print(list(zip(list(r.index), list(r))))\n\
                 r = {src}.{col}.value_counts().compute(scheduler=\"{sched}\")\n\
                 print(list(zip(list(r.index), list(r))))\n"
            ));
        }
    }
    rask_ok(&code).lines().map(str::to_string).collect()
}

/// pandas' two answers on the same files, as rask prints them: equal counts of
/// value_counts ordered by key.
fn pandas_pairs(glob: &str, col: &str) -> Vec<String> {
    let code = format!(
        "import glob, pandas as pd\n\
         df = pd.concat([pd.read_csv(f) for f in sorted(glob.glob({glob:?}))])\n\
         def pairs(r): return [(k, int(v)) for k, v in zip(list(r.index), list(r))]\n\
         print(pairs(df.groupby({col:?}).size()))\n\
         print(sorted(pairs(df[{col:?}].value_counts()), key=lambda kv: (-kv[1], kv[0])))\n"
    );
    venv_python(&code).lines().map(str::to_string).collect()
}

/// Every scheduler and both paths give pandas' answers.
fn check(glob: &str, col: &str, blocksize: Option<u64>) {
    let want = pandas_pairs(glob, col);
    let got = rask_pairs(glob, col, blocksize);
    assert_eq!(got.len(), 12, "{:?}", got);
    for (i, line) in got.iter().enumerate() {
        assert_eq!(line, &want[i % 2], "{} {:?} line {}", glob, blocksize, i);
    }
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn plain_crlf_empty_and_sparse_keys_match_pandas() {
    let d = tempfile::tempdir().expect("tmp");
    // distinct counts, so value_counts' order is pandas' whatever the tie rule
    let mut a = String::from("x,k,name\n");
    let mut b = String::from("x,k,name\r\n");
    let keys = [
        3i64,
        -4,
        70000,
        3,
        12,
        3,
        -4,
        12,
        3,
        123456789012,
        3,
        -4,
        70000,
        12,
        12,
    ];
    for (i, k) in keys.iter().enumerate() {
        a.push_str(&format!("{},{},n{}\n", i, k, i));
        b.push_str(&format!("{},{},n{}\r\n", i, k, i % 3));
    }
    // a missing key (dropped by both), and no newline after the last line
    a.push_str("99,,gone\n7,3,last");
    b.push_str("98,,gone\r\n");
    write(d.path(), "p1.csv", &a);
    write(d.path(), "p2.csv", &b);
    write(d.path(), "p3.csv", "x,k,name\n1,5,a\n2,5,b\n3,5,c\n\n");
    let glob = d.path().join("p*.csv").to_string_lossy().to_string();
    check(&glob, "k", None);
    // blocks of 23 bytes cut the files mid-line
    check(&glob, "k", Some(23));

    // a text key: counted by its bytes (CRLF, an empty field, UTF-8)
    let t = tempfile::tempdir().expect("tmp");
    let words = [
        "oat", "rye", "oat", "bête", "oat", "rye", "", "oat", "bête", "rye", "oat",
    ];
    let mut a = String::from("x,s\n");
    let mut b = String::from("x,s\r\n");
    for (i, w) in words.iter().enumerate() {
        a.push_str(&format!("{},{}\n", i, w));
        b.push_str(&format!("{},{}\r\n", i, w));
    }
    b.push_str("11,spelt\r\n");
    write(t.path(), "t1.csv", &a);
    write(t.path(), "t2.csv", &b);
    let glob = t.path().join("t*.csv").to_string_lossy().to_string();
    check(&glob, "s", None);
    check(&glob, "s", Some(19));
}

#[test]
fn data_polars_must_read_still_matches_pandas() {
    let d = tempfile::tempdir().expect("tmp");
    // quoted fields (a separator inside one, an escaped quote)
    write(
        d.path(),
        "q1.csv",
        "x,k,name\n1,5,\"a, b\"\n2,6,c\n3,5,\"say \"\"hi\"\"\"\n4,5,d\n",
    );
    // a blank line inside a file
    write(
        d.path(),
        "q3.csv",
        "x,k,name\n5,7,e\n\n6,6,f\n7,6,g\n8,6,h\n",
    );
    let glob = d.path().join("q*.csv").to_string_lossy().to_string();
    check(&glob, "k", None);
    check(&glob, "k", Some(17));

    // a header-only file beside others (its columns read as text, so a text key)
    let h = tempfile::tempdir().expect("tmp");
    write(h.path(), "h1.csv", "x,s\n1,rye\n2,oat\n3,oat\n");
    write(h.path(), "h2.csv", "x,s\n");
    write(h.path(), "h3.csv", "x,s\n4,oat\n");
    let glob = h.path().join("h*.csv").to_string_lossy().to_string();
    check(&glob, "s", None);

    // a float in the int column within the schema sample: the column is float64
    let f = tempfile::tempdir().expect("tmp");
    write(f.path(), "f1.csv", "x,k\n1,5\n2,5\n3,6\n4,6\n");
    write(f.path(), "f2.csv", "x,k\n1,5.5\n2,5\n");
    let glob = f.path().join("f*.csv").to_string_lossy().to_string();
    check(&glob, "k", None);
}

#[test]
fn a_float_past_the_schema_sample_names_file_line_and_column() {
    let d = tempfile::tempdir().expect("tmp");
    let mut csv = String::from("x,k\n");
    // more than the 64 KB the schema is inferred from
    for i in 0..20000 {
        csv.push_str(&format!("{},{}\n", i, i % 7));
    }
    csv.push_str("20000,2.5\n");
    write(d.path(), "big.csv", &csv);
    let glob = d.path().join("big.csv").to_string_lossy().to_string();
    for what in ["groupby(\"k\").size()", "k.value_counts()"] {
        let out = rask(&[
            "-c",
            &format!("dd.read_csv(\"{}\").{}.compute()", glob, what),
        ]);
        assert!(!out.status.success(), "{}", what);
        let err = text(&out.stderr) + &text(&out.stdout);
        assert!(
            err.contains("big.csv") && err.contains("line 20002") && err.contains("'k'"),
            "{}: {}",
            what,
            err
        );
    }
}

/// The 27 real survey years (8,338,857 rows): pandas' answers under every scheduler.
#[test]
fn real_survey_counts_match_pandas() {
    let src = root().join("../shared/data/NationalFoodSurvey");
    let src = if src.join("NFS_1974.zip").exists() {
        src
    } else {
        let up = root().join("../../shared/data/NationalFoodSurvey");
        if !up.join("NFS_1974.zip").exists() {
            eprintln!("skipping: ../shared/data/NationalFoodSurvey is not beside the repo");
            return;
        }
        up
    };
    let d = tempfile::tempdir().expect("tmp");
    rask_ok(&format!(
        "create_denormalized(src=\"{}\", dest=\"{}\")",
        src.display(),
        d.path().display()
    ));
    let glob = d.path().join("NFS_*.csv").to_string_lossy().to_string();
    let want = pandas_pairs(&glob, "minfd");
    let mut code = format!("df = dd.read_csv(\"{}\")\n", glob);
    for sched in ["sync", "threads", "processes"] {
        code.push_str(&format!(
            "r = df.groupby(\"minfd\").size().compute(scheduler=\"{sched}\")\n\
             print(list(zip(list(r.index), list(r))))\n\
             r = df.minfd.value_counts().compute(scheduler=\"{sched}\")\n\
             print(list(zip(list(r.index), list(r))))\n"
        ));
    }
    let got: Vec<String> = rask_ok(&code).lines().map(str::to_string).collect();
    assert_eq!(got.len(), 6);
    for (i, line) in got.iter().enumerate() {
        assert_eq!(line, &want[i % 2], "line {}", i);
    }
}
