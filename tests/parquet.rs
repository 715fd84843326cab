//! Parquet against the tools that write and read it (from the venv scripts/setup.sh
//! makes): files pyarrow, pandas, Polars, DuckDB and Dask write read in rask with the
//! values, dtypes, nulls and index pandas shows; files rask writes read back in pandas,
//! pyarrow, Polars, DuckDB and Dask the same. Filters prune row groups, divisions come
//! from statistics, hive directories become columns, projections reach the reader, and
//! broken files are errors naming them. Without the venv the tests fail.

mod common;

use common::*;
use rask::frame::lazy::ops::FrameOp;
use rask::frame::lazy::LazyFrame;
use rask::graph::task::Graph;
use rask::session::session::{Origin, Session};
use std::sync::Arc;

/// A frame described the same way in rask and pandas: length, columns, index name,
/// dtypes (pandas 3's `str` is rask's `object`), values with nulls as None, the index.
const SHOW: &str = "def show(f):
    print(len(f), list(f.columns), f.index.name)
    print([{'str': 'object'}.get(str(f[c].dtype), str(f[c].dtype)) for c in f.columns])
    for c in f.columns:
        print(c, [None if v is None or v != v else v for v in f[c].tolist()])
    print(f.index.tolist())
";

/// The files other tools write, into `d`.
fn write_fixtures(d: &str) {
    venv_python(&format!(
        "import pandas as pd, pyarrow as pa, pyarrow.parquet as pq, polars as pl, duckdb, numpy as np, dask.dataframe as dd, os
d = '{d}'
df = pd.DataFrame({{'id': [5, 6, 7, 8, 9, 10, 11, 12, 13, 14], 'x': [1.5, None, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 's': ['a', 'b', None, 'd', 'e', 'f', 'g', 'h', 'i', 'j'], 'b': [True, False] * 5}}).set_index('id')
df.to_parquet(f'{{d}}/pd_named.parquet', row_group_size=3)
pd.DataFrame({{'x': [1, 2, 3]}}).to_parquet(f'{{d}}/pd_default.parquet')
pd.DataFrame({{'x': [1, 2, 3]}}, index=[10, 20, 30]).to_parquet(f'{{d}}/pd_unnamed.parquet')
pd.DataFrame({{'x': [1.0, 2.0]}}, index=pd.RangeIndex(0, 2, name='r')).to_parquet(f'{{d}}/pd_range.parquet')
pq.write_table(pa.table({{'a': pa.array([1, 2, None], pa.int64()), 'f': [0.5, None, 2.5], 't': ['x', None, 'z']}}), f'{{d}}/pa.parquet')
pl.DataFrame({{'a': [1, 2, 3], 's': ['p', None, 'r'], 'f': [1.0, None, 3.0]}}).write_parquet(f'{{d}}/pl.parquet')
duckdb.sql(f\"COPY (SELECT range AS i, CAST(range * 2 AS DOUBLE) AS y, 'v' || range AS s FROM range(5)) TO '{{d}}/duck.parquet' (FORMAT parquet)\")
duckdb.sql(f\"COPY (SELECT range AS i, range * 2.5 AS dec FROM range(3)) TO '{{d}}/decimal.parquet' (FORMAT parquet)\")
import datetime
pq.write_table(pa.table({{'i': [1, 2], 'paris': pa.array([datetime.datetime(2020, 1, 1), None], pa.timestamp('us', tz='Europe/Paris')), 'tod': pa.array([datetime.time(1, 2), None], pa.time64('us'))}}), f'{{d}}/unheld.parquet')
dd.from_pandas(pd.DataFrame({{'k': range(20), 'v': np.arange(20) * 0.5}}).set_index('k'), npartitions=3).to_parquet(f'{{d}}/dask_out')
for y, m, vs in [(2020, 'a', [1, 2]), (2021, 'b', [3, 4]), (2021, 'c', [5, 6])]:
    os.makedirs(f'{{d}}/hive/year={{y}}/m={{m}}', exist_ok=True)
    pd.DataFrame({{'v': vs}}).to_parquet(f'{{d}}/hive/year={{y}}/m={{m}}/p.parquet')
"
    ));
}

const FILES: &[&str] = &[
    "pd_named.parquet",
    "pd_default.parquet",
    "pd_unnamed.parquet",
    "pd_range.parquet",
    "pl.parquet",
    "duck.parquet",
    "dask_out",
];

#[test]
fn files_pyarrow_pandas_polars_duckdb_dask_write_read_the_same_in_rask() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_fixtures(&d);
    let mut py = format!("import pandas as pd\n{}", SHOW);
    let mut rk = SHOW.to_string();
    for f in FILES {
        // eager and lazy in rask: the same frame pandas reads
        py.push_str(&format!(
            "f = pd.read_parquet('{}/{}')\nshow(f)\nshow(f)\n",
            d, f
        ));
        rk.push_str(&format!("show(pd.read_parquet('{}/{}'))\n", d, f));
        rk.push_str(&format!("show(dd.read_parquet('{}/{}').compute())\n", d, f));
    }
    let want = venv_python(&py);
    assert_eq!(rask_ok(&rk), want);

    // pyarrow's nullable int64 stays int64 with its null (pyarrow's own values)
    let want = venv_python(&format!(
        "import pyarrow.parquet as pq\nt = pq.read_table('{}/pa.parquet')\nfor c in t.column_names: print(c, t.column(c).to_pylist())",
        d
    ));
    let got = rask_ok(&format!(
        "f = dd.read_parquet('{}/pa.parquet').compute()\nfor c in f.columns: print(c, [None if v is None or v != v else v for v in f[c].tolist()])",
        d
    ));
    assert_eq!(got, want);
}

#[test]
fn rask_writes_parquet_that_pandas_pyarrow_polars_duckdb_dask_read_the_same() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let frames = [
        ("lazy_plain", "dd.from_pandas(pdf, npartitions=2)"),
        (
            "lazy_named",
            "dd.from_pandas(pdf, npartitions=3).set_index('k')",
        ),
        ("lazy_csv", "dd.read_csv(csvp)"),
    ];
    std::fs::write(format!("{}/c.csv", d), "a,b\n1,x\n2,\n3,z\n").expect("csv");
    let mut rk = format!(
        "{}pdf = pd.DataFrame({{'k': [1, 2, 3, 4, 5, 6], 'x': [1.5, None, 3.0, 4.0, 5.0, 6.0], 's': ['a', None, 'c', 'd', 'e', 'f'], 'b': [True, False, True, True, False, True]}})\ncsvp = '{}/c.csv'\n",
        SHOW, d
    );
    for (name, expr) in frames {
        rk.push_str(&format!(
            "f = {}\nf.to_parquet('{}/{}')\nshow(f.compute())\n",
            expr, d, name
        ));
    }
    rk.push_str(&format!(
        "pdf.to_parquet('{0}/eager.parquet')\nshow(pdf)\npdf.set_index('k').to_parquet('{0}/eager_named.parquet')\nshow(pdf.set_index('k'))\n",
        d
    ));
    let want = rask_ok(&rk);
    let names = [
        "lazy_plain",
        "lazy_named",
        "lazy_csv",
        "eager.parquet",
        "eager_named.parquet",
    ];
    // pandas and Dask restore the same frames (index included)
    let mut py = format!("import pandas as pd, dask.dataframe as dd\n{}", SHOW);
    for n in names {
        py.push_str(&format!("show(pd.read_parquet('{}/{}'))\n", d, n));
    }
    assert_eq!(venv_python(&py), want);
    let mut py = format!("import dask.dataframe as dd\n{}", SHOW);
    for n in names {
        py.push_str(&format!("show(dd.read_parquet('{}/{}').compute())\n", d, n));
    }
    assert_eq!(venv_python(&py), want);
    assert_eq!(
        venv_python(&format!(
            "import dask.dataframe as dd\nprint(dd.read_parquet('{}/lazy_named', calculate_divisions=True).divisions)",
            d
        )),
        "(1, 3, 5, 6)\n"
    );
    // pyarrow, Polars and DuckDB see the same columns, values and nulls
    let got = venv_python(&format!(
        "import pyarrow.parquet as pq, polars as pl, duckdb
d = '{d}'
t = pq.read_table(f'{{d}}/lazy_named')
print(t.column_names, str(t.schema.field('x').type), t.column('s').to_pylist(), t.column('k').to_pylist())
print(pl.read_parquet(f'{{d}}/lazy_named/*.parquet').sort('k').rows())
print(duckdb.sql(f\"select count(*), count(x), sum(x), count(s) from '{{d}}/lazy_plain/*.parquet'\").fetchall())
print(pl.read_parquet(f'{{d}}/eager.parquet').rows())
"
    ));
    assert_eq!(
        got,
        "['x', 's', 'b', 'k'] double ['a', None, 'c', 'd', 'e', 'f'] [1, 2, 3, 4, 5, 6]\n\
         [(1.5, 'a', True, 1), (None, None, False, 2), (3.0, 'c', True, 3), (4.0, 'd', True, 4), (5.0, 'e', False, 5), (6.0, 'f', True, 6)]\n\
         [(6, 5, 19.5, 5)]\n\
         [(1, 1.5, 'a', True), (2, None, None, False), (3, 3.0, 'c', True), (4, 4.0, 'd', True), (5, 5.0, 'e', False), (6, 6.0, 'f', True)]\n"
    );
    // one file a partition, Dask's names
    let mut parts: Vec<String> = std::fs::read_dir(format!("{}/lazy_named", d))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    parts.sort();
    assert_eq!(
        parts,
        ["part.0.parquet", "part.1.parquet", "part.2.parquet"]
    );
}

#[test]
fn filters_prune_row_groups_and_rows_and_divisions_come_from_statistics() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_fixtures(&d);
    let want = venv_python(&format!(
        "import dask.dataframe as dd, pandas as pd
d = '{d}'
print(dd.read_parquet(f'{{d}}/dask_out', calculate_divisions=True).divisions)
f = pd.read_parquet(f'{{d}}/pd_named.parquet', filters=[('x', '>', 6)])
print(f.x.tolist())
f = pd.read_parquet(f'{{d}}/pd_named.parquet', filters=[[('x', '<', 2)], [('s', 'in', ['h', 'j'])]])
print(f.s.tolist())
"
    ));
    let got = rask_ok(&format!(
        "d = '{d}'
print(dd.read_parquet(d + '/dask_out').divisions)
f = dd.read_parquet(d + '/pd_named.parquet', filters=[('x', '>', 6)]).compute()
print(f.x.tolist())
f = pd.read_parquet(d + '/pd_named.parquet', filters=[[('x', '<', 2)], [('s', 'in', ['h', 'j'])]])
print(f.s.tolist())
"
    ));
    assert_eq!(got, want);
    // the rows kept keep their index labels (pandas renumbers a filtered RangeIndex)
    let got = rask_ok(&format!(
        "f = pd.read_parquet('{d}/pd_named.parquet', filters=[[('x', '<', 2)], [('s', 'in', ['h', 'j'])]])\nprint(f.index.name, f.index.tolist())"
    ));
    assert_eq!(got, "id [5, 12, 14]\n");
    // row groups of 3 rows: one partition each, divisions from the index statistics;
    // x > 6 rules out the first two row groups
    let got = rask_ok(&format!(
        "d = '{d}'
df = dd.read_parquet(d + '/pd_named.parquet', split_row_groups=True)
print(df.npartitions, df.divisions)
f = dd.read_parquet(d + '/pd_named.parquet', split_row_groups=True, filters=[('x', '>', 6)])
print(f.npartitions, f.divisions, len(f))
print(dd.read_parquet(d + '/pd_named.parquet', split_row_groups=True, filters=[('x', '>', 100)]).npartitions)
print(dd.read_parquet(d + '/pd_named.parquet').npartitions)
print(df.loc[9:10].compute().x.tolist())
"
    ));
    assert_eq!(
        got,
        "4 (5, 8, 11, 14, 14)\n2 (11, 14, 14) 4\n1\n1\n[5.0, 6.0]\n"
    );
}

#[test]
fn hive_directories_become_columns_and_filter_whole_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_fixtures(&d);
    let got = rask_ok(&format!(
        "d = '{d}'
h = dd.read_parquet(d + '/hive')
print(h.npartitions, list(h.columns), [str(t) for t in h.dtypes.tolist()])
f = h.compute()
print(f.v.tolist(), f.year.tolist(), [str(m) for m in f.m.tolist()])
g = dd.read_parquet(d + '/hive', filters=[('year', '==', 2021), ('m', '!=', 'b')])
print(g.npartitions, g.compute().v.tolist())
print(dd.read_parquet(d + '/hive', columns=['m']).compute().m.tolist())
print(h.groupby('year').v.sum().compute().tolist())
"
    ));
    assert_eq!(
        got,
        "3 ['v', 'year', 'm'] ['int64', 'int64', 'category']\n\
         [1, 2, 3, 4, 5, 6] [2020, 2020, 2021, 2021, 2021, 2021] ['a', 'a', 'b', 'b', 'c', 'c']\n\
         1 [5, 6]\n['a', 'a', 'b', 'b', 'c', 'c']\n[3, 18]\n"
    );
    // pandas agrees on the values
    let want = venv_python(&format!(
        "import pandas as pd\nf = pd.read_parquet('{d}/hive')\nprint(f.v.tolist(), f.year.astype(int).tolist(), f.m.astype(str).tolist())"
    ));
    assert_eq!(
        want,
        "[1, 2, 3, 4, 5, 6] [2020, 2020, 2021, 2021, 2021, 2021] ['a', 'a', 'b', 'b', 'c', 'c']\n"
    );
}

/// The columns each Parquet read under `name` reads, sorted.
fn read_columns(s: &Session, name: &str) -> Vec<Vec<String>> {
    let Some(f) = s.vars.get(name).and_then(|v| v.get::<Arc<LazyFrame>>()) else {
        panic!("{} is not a lazy frame", name)
    };
    let g = Graph::materialize(std::slice::from_ref(&f.layer));
    let mut cols: Vec<Vec<String>> = g
        .tasks
        .values()
        .filter_map(|t| match t.op.downcast() {
            Some(FrameOp::ReadParquet(p)) => Some(p.columns.clone()),
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
fn projections_reach_the_parquet_reader() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_fixtures(&d);
    let mut s = Session::new();
    run(
        &mut s,
        &format!(
            "df = dd.read_parquet('{}/pd_named.parquet', split_row_groups=True)",
            d
        ),
    );
    assert_eq!(read_columns(&s, "df"), [["x", "s", "b"]]);
    run(&mut s, "a = df[['x']]");
    assert_eq!(read_columns(&s, "a"), [["x"]]);
    run(&mut s, "g = df.groupby('b').x.sum()");
    assert_eq!(read_columns(&s, "g"), [["b", "x"]]);
    run(&mut s, "m = df.map_partitions(lambda p: p.x * 2)");
    assert_eq!(read_columns(&s, "m"), [["x"]]);
    assert_eq!(run(&mut s, "print(a.x.sum().compute())"), "53.5\n");
    assert_eq!(run(&mut s, "print(g.compute().tolist())"), "[28.0, 25.5]\n");
    assert_eq!(run(&mut s, "print(m.sum().compute())"), "107.0\n");
    // columns= and a later projection: the index still comes from the file
    run(
        &mut s,
        &format!(
            "c = dd.read_parquet('{}/pd_named.parquet', columns=['s', 'x'])[['x']]",
            d
        ),
    );
    assert_eq!(read_columns(&s, "c"), [["x"]]);
    assert_eq!(
        run(&mut s, "print(c.compute().index.tolist()[:3])"),
        "[5, 6, 7]\n"
    );
    // a column rask cannot hold is never read when projected away
    run(
        &mut s,
        &format!(
            "k = dd.read_parquet('{}/decimal.parquet', columns=['i'])",
            d
        ),
    );
    assert_eq!(run(&mut s, "print(k.i.sum().compute())"), "3\n");
}

#[test]
fn broken_parquet_files_are_errors_naming_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_fixtures(&d);
    let whole = std::fs::read(format!("{}/pd_named.parquet", d)).expect("read");
    std::fs::write(format!("{}/cut.parquet", d), &whole[..whole.len() - 20]).expect("write");
    std::fs::write(format!("{}/text.parquet", d), "a,b\n1,2\n").expect("write");
    let cases = [
        (
            format!("dd.read_parquet('{}/cut.parquet')", d),
            vec![format!("'{}/cut.parquet'", d)],
        ),
        (
            format!("pd.read_parquet('{}/text.parquet')", d),
            vec![format!("'{}/text.parquet'", d)],
        ),
        (
            format!("dd.read_parquet('{}/pa.parquet', columns=['a', 'nope'])", d),
            vec!["'nope'".to_string(), format!("'{}/pa.parquet'", d)],
        ),
        (
            format!("dd.read_parquet('{}/unheld.parquet')", d),
            vec![
                "'paris'".to_string(),
                "Europe/Paris".to_string(),
                format!("'{}/unheld.parquet'", d),
            ],
        ),
        (
            format!("dd.read_parquet('{}/unheld.parquet', columns=['tod'])", d),
            vec!["'tod'".to_string(), "Time64".to_string()],
        ),
        (
            format!(
                "dd.read_parquet('{}/pa.parquet', filters=[('zz', '>', 1)])",
                d
            ),
            vec!["'zz'".to_string()],
        ),
        (
            format!("dd.read_parquet('{}/missing.parquet')", d),
            vec![format!("'{}/missing.parquet'", d)],
        ),
    ];
    for (code, wants) in cases {
        let out = rask(&["-c", &code]);
        let err = text(&out.stderr);
        assert!(!out.status.success(), "{} succeeded", code);
        assert!(
            !err.contains("InternalError") && !err.contains("panicked"),
            "{}",
            err
        );
        for w in wants {
            assert!(err.contains(&w), "{}: {} not in\n{}", code, w, err);
        }
    }
}

/// Files with timestamp (ns, ms and us; one column in UTC), date and decimal columns,
/// each with a null, as pyarrow, pandas, Polars and DuckDB write them.
fn write_temporal(d: &str) {
    venv_python(&format!(
        "import pandas as pd, pyarrow as pa, pyarrow.parquet as pq, polars as pl, duckdb, datetime as dt, decimal
d = '{d}'
D = decimal.Decimal
pq.write_table(pa.table({{
    'k': [1, 2, 3, 4],
    'ns': pa.array([dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2, 12, 30, 0, 500000), None, dt.datetime(2020, 1, 3)], pa.timestamp('ns')),
    'ms': pa.array([dt.datetime(2020, 1, 2), None, dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2)], pa.timestamp('ms')),
    'tz': pa.array([dt.datetime(2020, 1, 1, 5), dt.datetime(2020, 1, 2), None, dt.datetime(2020, 1, 1, 5)], pa.timestamp('us', tz='UTC')),
    'd': pa.array([dt.date(2020, 1, 1), None, dt.date(2021, 2, 3), dt.date(2020, 1, 1)], pa.date32()),
    'dec': pa.array([D('1.50'), D('-2.25'), None, D('10.00')], pa.decimal128(10, 2)),
}}), f'{{d}}/pa_t.parquet', row_group_size=2)
pd.DataFrame({{
    'k': [1, 2, 3, 4],
    'ns': pd.Series(pd.to_datetime(['2020-01-01', '2020-01-02 12:30:00.5', None, '2020-01-03'], format='ISO8601')).astype('datetime64[ns]'),
    'us': pd.Series(pd.to_datetime(['2020-01-01', '2020-01-02', None, '2020-01-03'])).astype('datetime64[us]'),
    'tz': pd.Series(pd.to_datetime(['2020-01-01 05:00', '2020-01-02 00:00', None, '2020-01-01 05:00'], format='ISO8601')).dt.tz_localize('UTC'),
    'd': [dt.date(2020, 1, 1), None, dt.date(2021, 2, 3), dt.date(2020, 1, 1)],
    'dec': [D('1.50'), D('-2.25'), None, D('10.00')],
}}).to_parquet(f'{{d}}/pd_t.parquet', row_group_size=2)
pl.DataFrame({{
    'k': [1, 2, 3, 4],
    'us': [dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 2, 0, 0, 0, 1), None, dt.datetime(2020, 1, 3)],
    'tz': pl.Series([dt.datetime(2020, 1, 1, 5), None, dt.datetime(2020, 1, 2), dt.datetime(2020, 1, 1, 5)]).dt.replace_time_zone('UTC'),
    'd': [dt.date(2020, 1, 1), None, dt.date(2021, 2, 3), dt.date(2020, 1, 1)],
    'dec': pl.Series([D('1.50'), D('-2.25'), None, D('10.00')], dtype=pl.Decimal(10, 2)),
}}).write_parquet(f'{{d}}/pl_t.parquet')
duckdb.sql(\"SET TimeZone = 'UTC'\")
duckdb.sql(f\"\"\"COPY (SELECT * FROM (VALUES
 (1, TIMESTAMP '2020-01-01 00:00:00', TIMESTAMPTZ '2020-01-01 05:00:00+00', DATE '2020-01-01', 1.50::DECIMAL(10,2)),
 (2, TIMESTAMP '2020-01-02 12:30:00.25', NULL, NULL, -2.25::DECIMAL(10,2)),
 (3, NULL, TIMESTAMPTZ '2020-01-02 00:00:00+00', DATE '2021-02-03', NULL),
 (4, TIMESTAMP '2020-01-03 00:00:00', TIMESTAMPTZ '2020-01-01 05:00:00+00', DATE '2020-01-01', 10.00::DECIMAL(10,2))
) t(k, ts, tz, d, dec) ORDER BY k) TO '{{d}}/duck_t.parquet' (FORMAT parquet)\"\"\")
"
    ));
}

const TEMPORAL: &[&str] = &["pa_t", "pd_t", "pl_t", "duck_t"];

/// A frame with datetime, date and decimal columns as pandas prints it: dtypes, each
/// column, each column beside `k`, elements, reductions, nulls. `lz` computes a lazy
/// result (rask's `dd`) or passes an eager one through (pandas).
const SHOW_T: &str = "def show_t(f, lz):
    print(lz(f).dtypes)
    for c in list(f.columns)[1:]:
        s = f[c]
        print(lz(s))
        print(lz(f[['k', c]]))
        print(lz(s).tolist())
        print(repr(lz(s.min())), repr(lz(s.max())), lz(s.count()), lz(s.nunique()))
        e = lz(s)
        print(repr(e[0]), repr(e[2]), lz(s.isnull()).tolist(), lz(s.notnull()).tolist())
    print(f.head(2)[list(f.columns)[:3]])
";

#[test]
fn datetime_date_and_decimal_columns_read_print_and_reduce_as_pandas_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_temporal(&d);
    let mut py = format!("import pandas as pd\n{}def lz(x):\n    return x\n", SHOW_T);
    let mut rk = format!(
        "{}def lz(x):\n    return x\ndef comp(x):\n    return x.compute()\n",
        SHOW_T
    );
    for f in TEMPORAL {
        py.push_str(&format!(
            "f = pd.read_parquet('{d}/{f}.parquet')\nshow_t(f, lz)\nshow_t(f, lz)\n"
        ));
        rk.push_str(&format!(
            "show_t(pd.read_parquet('{d}/{f}.parquet'), lz)\nshow_t(dd.read_parquet('{d}/{f}.parquet'), comp)\n"
        ));
    }
    let want = venv_python(&py);
    // the expectation holds what the test is about
    for w in [
        "datetime64[ns]",
        "datetime64[us, UTC]",
        "2020-01-02 12:30:00.500",
        "NaT",
        "Timestamp('2020-01-01 05:00:00+0000', tz='UTC')",
        "datetime.date(2021, 2, 3)",
        "Decimal('-2.25')",
    ] {
        assert!(want.contains(w), "{} not in pandas' output:\n{}", w, want);
    }
    assert_eq!(rask_ok(&rk), want);
}

#[test]
fn datetime_columns_filter_group_and_sort_as_pandas_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_temporal(&d);
    // pyarrow's filters= take a Timestamp, rask's the text pandas reads as one too
    // the rows a lazy filter keeps are labelled within their row group (as in Dask):
    // lazily, `rows` shows the values only
    let ops = "def rows(x):
    print([x[c].tolist() for c in x.columns])
def ops(f, lz, show):
    show(lz(f[f.ns >= '2020-01-02'][['k', 'ns']]))
    show(lz(f[f.tz < '2020-01-02'][['k', 'tz']]))
    show(lz(f[f.ns == lz(f.ns.max())][['k', 'ns']]))
    show(lz(f[f.dec > 0][['k', 'dec']]))
    show(lz(f[f.d.notnull()][['k', 'd']]))
    print(lz(f.ns >= '2020-01-02').tolist(), lz(f.ns != '2020-01-01').tolist())
    print(lz(f.groupby('d').size()))
    print(lz(f.groupby('ns').k.count()))
    print(lz(f.groupby('tz').k.sum()))
    print(lz(f.groupby('k').ns.max()))
    print(lz(f.groupby('d').dec.count()))
";
    let mut py = format!(
        "import pandas as pd\n{}def lz(x):\n    return x\nTS = pd.Timestamp('2020-01-02')\nTZ = pd.Timestamp('2020-01-02', tz='UTC')\n",
        ops
    );
    let mut rk = format!(
        "{}def lz(x):\n    return x\ndef comp(x):\n    return x.compute()\nTS = '2020-01-02'\nTZ = '2020-01-02'\n",
        ops
    );
    // pandas' file: its RangeIndex labels the rows of each row group read lazily
    let p = format!("{d}/pd_t.parquet");
    let sorts = "print(f.sort_values('ns')[['k', 'ns']])\nprint(f.sort_values('d')[['k', 'd']])\nprint(f.set_index('ns').k)\n";
    // (pandas renumbers the rows a filter keeps: the values, not the index)
    let filters = format!(
        "x = pd.read_parquet('{p}', filters=[('ns', '>=', TS)])\nprint(x.k.tolist(), x.ns.tolist())\nx = pd.read_parquet('{p}', filters=[('tz', '<', TZ), ('d', '==', x.d.max())])\nprint(x.k.tolist(), x.tz.tolist())\n"
    );
    py.push_str(&format!(
        "f = pd.read_parquet('{p}')\nops(f, lz, print)\nops(f, lz, rows)\n{sorts}{filters}{filters}rows(f)\n"
    ));
    rk.push_str(&format!(
        "f = pd.read_parquet('{p}')\nops(f, lz, print)\nops(dd.read_parquet('{p}', split_row_groups=True), comp, rows)\n{sorts}{filters}{}",
        filters
            .replace("pd.read_parquet", "dd.read_parquet")
            .replace("])\n", "]).compute()\n")
    ));
    // through worker processes (the frame and its elements encoded and decoded)
    rk.push_str("rows(dd.from_pandas(f, npartitions=2).compute(scheduler='processes'))\n");
    let want = venv_python(&py);
    assert!(want.contains("2020-01-02 12:30:00.500"), "{}", want);
    assert_eq!(rask_ok(&rk), want);

    // what rask does not compute on these columns is a TypeError naming the dtype
    let cases = [
        ("f.ns + 1", "datetime64[ns]"),
        ("f.ns.sum()", "datetime64[ns]"),
        ("f.d.mean()", "datetime.date"),
        ("f.dec * 2", "decimal.Decimal"),
        ("f.tz.std()", "datetime64[us, UTC]"),
        ("f.groupby('k').ns.mean()", "datetime64[ns]"),
        ("g.ns.sum().compute()", "datetime64[ns]"),
        ("g.groupby('k').d.sum().compute()", "datetime.date"),
        ("f.d >= '2020-01-01'", "datetime.date"),
        ("f.ns.max() + 1", "Timestamp"),
        ("f.ns >= 'not a date'", "not a date"),
    ];
    for (code, want) in cases {
        let out = rask(&[
            "-c",
            &format!("f = pd.read_parquet('{p}')\ng = dd.read_parquet('{p}')\nprint({code})"),
        ]);
        let err = text(&out.stderr);
        assert!(
            !out.status.success(),
            "{} succeeded: {}",
            code,
            text(&out.stdout)
        );
        assert!(
            (err.contains("TypeError") || err.contains("ValueError"))
                && !err.contains("panicked")
                && !err.contains("InternalError"),
            "{}: {}",
            code,
            err
        );
        assert!(err.contains(want), "{}: {} not in {}", code, want, err);
    }
}

#[test]
fn rask_writes_datetime_date_and_decimal_columns_pandas_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    write_temporal(&d);
    let show = "def show(f):
    print(f.dtypes)
    for c in f.columns:
        print(c, f[c].tolist())
";
    let mut rk = String::new();
    let mut py = format!("import pandas as pd\n{}", show);
    let mut back = format!("import pandas as pd\n{}", show);
    for f in TEMPORAL {
        rk.push_str(&format!(
            "pd.read_parquet('{d}/{f}.parquet').to_parquet('{d}/eager_{f}.parquet')\ndd.read_parquet('{d}/{f}.parquet', split_row_groups=True).to_parquet('{d}/lazy_{f}')\n"
        ));
        py.push_str(&format!(
            "show(pd.read_parquet('{d}/{f}.parquet'))\nshow(pd.read_parquet('{d}/{f}.parquet'))\n"
        ));
        back.push_str(&format!(
            "show(pd.read_parquet('{d}/eager_{f}.parquet'))\nshow(pd.read_parquet('{d}/lazy_{f}'))\n"
        ));
    }
    rask_ok(&rk);
    let want = venv_python(&py);
    assert!(want.contains("datetime64[us, UTC]"), "{}", want);
    assert_eq!(venv_python(&back), want);
}

/// `to_parquet(overwrite=True)` removes the old dataset first, as Dask does, so a write
/// with fewer partitions reads back alone (without it the old parts stay, as in Dask);
/// the working directory is never cleared.
#[test]
fn to_parquet_overwrite_replaces_the_old_dataset() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let out = rask_ok(&format!(
        "import pandas as pd\n\
         dd.from_pandas(pd.DataFrame({{'a': list(range(10))}}), npartitions=4).to_parquet('{d}/out')\n\
         small = dd.from_pandas(pd.DataFrame({{'a': [7, 8, 9]}}), npartitions=2)\n\
         small.to_parquet('{d}/out', overwrite=True)\n\
         print(sorted(dd.read_parquet('{d}/out').a.compute().tolist()))\n"
    ));
    assert_eq!(out, "[7, 8, 9]\n");
    let mut names: Vec<String> = std::fs::read_dir(format!("{d}/out"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["part.0.parquet", "part.1.parquet"]);
    // from inside the directory, clearing it is refused and nothing is removed
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_rask"))
        .current_dir(format!("{d}/out"))
        .args([
            "-c",
            "import pandas as pd\ndd.from_pandas(pd.DataFrame({'a': [1]}), npartitions=1).to_parquet('.', overwrite=True)",
        ])
        .output()
        .expect("rask");
    assert!(
        text(&bad.stderr).contains("Cannot clear the contents of the current working directory!"),
        "{}",
        text(&bad.stderr)
    );
    assert!(std::path::Path::new(&format!("{d}/out/part.1.parquet")).exists());
}
