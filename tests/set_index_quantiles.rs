//! set_index without divisions on a column that is not in order (issue 16): divisions from
//! approximate quantiles, then the range shuffle. Checked against pandas (and Dask's own
//! divisions, shown) by the venv's Python on the output of rask under every scheduler:
//! the divisions are sorted, unique but the last, cover the column, there are no more
//! partitions than asked, each partition's index lies in its range, and the rows are
//! pandas' `set_index(col).sort_index()` (missing keys last).

mod common;
use common::*;

/// (name, frame expression in both languages, set_index arguments after the column,
/// the column, the partitions asked for).
const CASES: &[(&str, &str, &str, &str, usize)] = &[
    (
        "ints",
        r#"pd.DataFrame({"k": [(i * 7919) % 101 for i in range(500)], "v": list(range(500))})"#,
        "",
        "k",
        5,
    ),
    (
        "ints_npartitions",
        r#"pd.DataFrame({"k": [(i * 7919) % 1009 for i in range(700)], "v": list(range(700))})"#,
        ", npartitions=3, shuffle_method='disk'",
        "k",
        3,
    ),
    (
        "floats_with_nan",
        r#"pd.DataFrame({"k": [float((i * 37) % 53) / 4 if i % 11 else float("nan") for i in range(300)], "v": list(range(300))})"#,
        "",
        "k",
        4,
    ),
    (
        "strings",
        r#"pd.DataFrame({"k": [chr(97 + (i * 7) % 26) + str(i % 3) for i in range(200)], "v": list(range(200))})"#,
        "",
        "k",
        4,
    ),
    (
        "few_distinct",
        r#"pd.DataFrame({"k": [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 3, 3, 3], "v": list(range(16))})"#,
        "",
        "k",
        4,
    ),
    (
        "one_value",
        r#"pd.DataFrame({"k": [7] * 12, "v": list(range(12))})"#,
        ", npartitions=2",
        "k",
        2,
    ),
];

/// The CSV files the CSV cases read: keys out of order across files, a float column
/// with empty fields.
fn write_csvs(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).expect("dir");
    for f in 0..4 {
        let mut text = String::from("k,x,v\n");
        for i in 0..250 {
            let n = f * 250 + i;
            let x = if n % 13 == 0 {
                String::new()
            } else {
                format!("{}", ((n * 31) % 97) as f64 / 2.0)
            };
            text.push_str(&format!("{},{},{}\n", (n * 7919) % 613, x, n));
        }
        std::fs::write(dir.join(format!("part{}.csv", f)), text).expect("write");
    }
}

/// The rask script: per case a header line, the divisions, the number of partitions,
/// then each partition's index and `v`.
fn rask_script(sched: &str, csv: &str) -> String {
    let mut s = String::from("import pandas as pd\nimport dask.dataframe as dd\n");
    let show = |s: &mut String, name: &str, expr: &str| {
        s.push_str(&format!(
            "out = {}\nprint(\"== {}\")\nprint(list(out.divisions))\nprint(out.npartitions)\nfor i in range(out.npartitions):\n    p = out.get_partition(i).compute(scheduler=\"{}\")\n    print([list(p.index), list(p.v)])\n\n",
            expr, name, sched
        ));
    };
    for (name, frame, args, col, _) in CASES {
        show(
            &mut s,
            name,
            &format!(
                "dd.from_pandas({}, npartitions=4).set_index(\"{}\"{})",
                frame, col, args
            ),
        );
    }
    show(
        &mut s,
        "csv_ints",
        &format!("dd.read_csv(\"{}/*.csv\").set_index(\"k\")", csv),
    );
    show(
        &mut s,
        "csv_floats",
        &format!(
            "dd.read_csv(\"{}/*.csv\").set_index(\"x\", npartitions=3)",
            csv
        ),
    );
    s
}

/// The checker, in the venv's Python: reads rask's output from a file.
fn checker(out_path: &str, csv: &str) -> String {
    let mut cases = String::from("CASES = [\n");
    for (name, frame, args, col, n) in CASES {
        cases.push_str(&format!(
            "    ({:?}, lambda: {}, {:?}, {:?}, {}),\n",
            name, frame, args, col, n
        ));
    }
    cases.push_str(&format!(
        "    ('csv_ints', lambda: pd.concat([pd.read_csv(f) for f in sorted(glob.glob('{0}/*.csv'))], ignore_index=True), '', 'k', 4),\n    ('csv_floats', lambda: pd.concat([pd.read_csv(f) for f in sorted(glob.glob('{0}/*.csv'))], ignore_index=True), ', npartitions=3', 'x', 3),\n]\n",
        csv
    ));
    format!(
        r#"import glob, math
import pandas as pd
import dask
import dask.dataframe as dd
{cases}
nan = float("nan")
text = open({out:?}).read()
blocks = {{}}
for chunk in text.split("== ")[1:]:
    lines = chunk.strip().splitlines()
    blocks[lines[0]] = lines[1:]

def missing(x):
    return isinstance(x, float) and math.isnan(x)

for name, make, args, col, asked in CASES:
    lines = blocks[name]
    divs = eval(lines[0])
    n = int(lines[1])
    parts = [eval(l) for l in lines[2:]]
    assert len(parts) == n, (name, n, len(parts))
    assert len(divs) == n + 1, (name, divs, n)
    assert n <= asked, (name, n, asked)
    assert all(a < b for a, b in zip(divs[:-2], divs[1:-1])), (name, divs)
    assert divs[-2] <= divs[-1], (name, divs)
    pdf = make()
    keys = [k for k in pdf[col] if not missing(k)]
    assert divs[0] == min(keys) and divs[-1] == max(keys), (name, divs, min(keys), max(keys))
    rows = []
    for i, (ix, v) in enumerate(parts):
        for k in ix:
            if missing(k):
                assert i == n - 1, (name, "a missing key outside the last partition", i)
                continue
            hi_ok = k <= divs[i + 1] if i == n - 1 else k < divs[i + 1]
            assert divs[i] <= k and hi_ok, (name, i, k, divs[i], divs[i + 1])
        present = [k for k in ix if not missing(k)]
        assert present == sorted(present), (name, i, "partition not sorted")
        assert all(missing(k) for k in ix[len(present):]), (name, i, "missing keys not last")
        rows += list(zip(ix, v))
    want = pdf.set_index(col).sort_index(kind="stable", na_position="last")
    want_rows = list(zip(want.index, want.v))
    same = lambda a, b: (missing(a) and missing(b)) or a == b
    assert len(rows) == len(want_rows), (name, len(rows), len(want_rows))
    assert all(same(a[0], b[0]) and a[1] == b[1] for a, b in zip(rows, want_rows)), (name, rows[:10], want_rows[:10])
    ddf = dd.from_pandas(pdf, npartitions=4)
    dask_divs = list(eval("ddf.set_index(col" + args.replace("shuffle_method='disk'", "") + ")").divisions)
    print(name, "ok", n, "partitions; rask", divs if len(divs) < 8 else divs[:3] + ["..."], "dask", dask_divs if len(dask_divs) < 8 else dask_divs[:3] + ["..."])
"#,
        cases = cases,
        out = out_path
    )
}

#[test]
fn set_index_without_divisions_matches_pandas_under_every_scheduler() {
    let tmp = tempfile::tempdir().expect("tmp");
    let csv = tmp.path().join("csv");
    write_csvs(&csv);
    let csv = csv.display().to_string();
    for sched in ["sync", "threads", "processes"] {
        let out = rask_ok(&rask_script(sched, &csv));
        let out_path = tmp.path().join(format!("{}.txt", sched));
        std::fs::write(&out_path, &out).expect("write");
        let report = venv_python(&checker(&out_path.display().to_string(), &csv));
        assert_eq!(
            report.lines().filter(|l| l.contains(" ok ")).count(),
            CASES.len() + 2,
            "{}: {}",
            sched,
            report
        );
        if sched == "sync" {
            eprintln!("{}", report);
        }
    }
}

#[test]
fn few_distinct_values_give_dasks_divisions() {
    // Dask 2026.8.0: (1, 2, 3) in two partitions, whatever npartitions asks
    let out = rask_ok(
        r#"import pandas as pd
import dask.dataframe as dd
d = dd.from_pandas(pd.DataFrame({"k": [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 1, 3, 3, 3], "v": list(range(16))}), npartitions=4)
print(d.set_index("k").divisions, d.set_index("k", npartitions=2).divisions)
"#,
    );
    assert_eq!(out.trim(), "(1, 2, 3) (1, 2, 3)");
}

#[test]
fn sorted_true_on_unsorted_data_names_the_overlap() {
    let out = rask(&[
        "-c",
        r#"import pandas as pd
import dask.dataframe as dd
d = dd.from_pandas(pd.DataFrame({"k": list("qwertyuiopasdfghjklzxcvbnm"), "v": list(range(26))}), npartitions=4)
d.set_index("k", sorted=True)
"#,
    ]);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("'k' is not sorted across partitions, as sorted=True says: partition 0 holds 'e' .. 'y' and partition 1 holds 'a' .. 's'"),
        "{}",
        err
    );
    assert!(err.contains("drop sorted=True"), "{}", err);
    assert!(!err.contains("1974"), "{}", err);
}

#[test]
fn sorted_true_on_sorted_data_needs_no_shuffle() {
    let out = rask_ok(
        r#"import pandas as pd
import dask.dataframe as dd
d = dd.from_pandas(pd.DataFrame({"k": [1, 2, 2, 5, 6, 9, 10, 12], "v": list(range(8))}), npartitions=4)
s = d.set_index("k", sorted=True)
print(s.divisions, s.map_partitions(len).compute().tolist())
"#,
    );
    assert_eq!(out.trim(), "(1, 2, 6, 10, 12) [1, 3, 2, 2]");
}

#[test]
fn sorted_true_with_npartitions_is_refused_as_dask_does() {
    let out = rask(&[
        "-c",
        r#"import pandas as pd
import dask.dataframe as dd
dd.from_pandas(pd.DataFrame({"k": [3, 1, 2]}), npartitions=2).set_index("k", sorted=True, npartitions=2)
"#,
    ]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("npartitions= with sorted=True is not supported"),
        "{}",
        text(&out.stderr)
    );
}

/// Every column kind through the shuffle's files (numbers as narrow bytes, with missing
/// values, negative and near-extreme integers, floats with NaN, text): the whole frame
/// after `set_index` equals pandas' `set_index(...).sort_index()`, read from the same
/// CSVs, as pandas writes it, under every scheduler.
#[test]
fn every_column_kind_survives_the_shuffle_as_pandas_has_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("kinds");
    std::fs::create_dir_all(&dir).expect("dir");
    for f in 0..3 {
        let mut text = String::from("k,small,wide,neg,gap,x,name\n");
        for i in 0..400i64 {
            let n = f * 400 + i;
            let wide = if n % 2 == 0 {
                4_000_000_000_000_000_000i64 - n
            } else {
                -4_000_000_000_000_000_000i64 + n
            };
            let gap = if n % 7 == 0 {
                String::new()
            } else {
                format!("{}", (n * 13) % 300 - 150)
            };
            let x = match n % 9 {
                0 => String::new(),
                1 => "nan".into(),
                _ => format!("{}", ((n * 31) % 97) as f64 / 8.0 - 5.0),
            };
            text.push_str(&format!(
                "{},{},{},{},{},{},{}\n",
                (n * 7919) % 509,
                n % 5,
                wide,
                -(n * 3) - 70000,
                gap,
                x,
                ["a", "bb", "", "d e"][(n % 4) as usize]
            ));
        }
        std::fs::write(dir.join(format!("p{}.csv", f)), text).expect("write");
    }
    let glob = format!("{}/*.csv", dir.display());
    let want = venv_python(&format!(
        "import glob, pandas as pd\nf = pd.concat([pd.read_csv(p) for p in sorted(glob.glob({:?}))], ignore_index=True)\nprint(f.set_index('k').sort_index(kind='stable').to_csv(), end='')\n",
        glob
    ));
    assert!(want.lines().count() > 1000, "{}", want);
    for sched in ["sync", "threads", "processes"] {
        let got = rask_ok(&format!(
            "import dask.dataframe as dd\nd = dd.read_csv({:?}).set_index('k')\nprint(d.npartitions > 1)\nprint(d.compute(scheduler={:?}).to_csv(), end='')\n",
            glob, sched
        ));
        let (first, rest) = got.split_once('\n').expect("lines");
        assert_eq!(first, "True", "{}", sched);
        assert!(
            rest == want,
            "{}: rask and pandas differ; first lines:\n{}\n---\n{}",
            sched,
            rest.lines().take(5).collect::<Vec<_>>().join("\n"),
            want.lines().take(5).collect::<Vec<_>>().join("\n")
        );
    }
}
