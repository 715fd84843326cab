//! CSV and JSON text against pandas 3, Polars and DuckDB (from the venv
//! scripts/setup.sh makes), and compressed text files against Python's gzip, bz2 and
//! lzma and the zstd command: what rask writes (`to_csv`, `to_json`, `to_textfiles`)
//! they read with the same values, byte for byte pandas' text where pandas writes the
//! same frame; what pandas writes, rask's `read_json` reads with pandas' values. A bad
//! JSON line is an error naming the file and the line. Without the venv the test fails.

mod common;

use common::*;

/// The same frame in rask and pandas (the constructor is the same Python).
const FRAME: &str = r#"df = pd.DataFrame({"x": [1.5, None, 0.1, 1e20, -2.0, 1/3, 123456789.125, 1e-7], "s": ["a,b", 'say "hi"', None, "plain", "", "two\nlines", "a/b", "z"], "b": [True, False, True, True, False, False, True, False], "i": [1, 2, 3, 4, 5, 6, 7, 8]})
named = df.set_index("i")
"#;

/// Python that reads the file(s) into one frame with a tool, by extension.
const READERS: &str = r#"
import glob, io, subprocess, gzip, bz2, lzma, math
import pandas as pd, polars as pl, duckdb
def raw(p):
    if p.endswith(".gz"): return gzip.open(p).read()
    if p.endswith(".bz2"): return bz2.open(p).read()
    if p.endswith(".xz"): return lzma.open(p).read()
    if p.endswith(".zst"): return subprocess.run(["zstd", "-dc", p], check=True, capture_output=True).stdout
    return open(p, "rb").read()
def files(pat): 
    fs = sorted(glob.glob(pat), key=lambda f: int(f.split("/")[-1].split(".")[0]) if f.split("/")[-1].split(".")[0].isdigit() else 0)
    assert fs, pat
    return fs
def same(a, b, what):
    assert len(a) == len(b), (what, a, b)
    for x, y in zip(a, b):
        if isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y): continue
        if x is None and isinstance(y, float) and math.isnan(y): continue
        if y is None and isinstance(x, float) and math.isnan(x): continue
        assert x == y, (what, a, b)
"#;

#[test]
fn lazy_to_csv_is_read_by_pandas_polars_and_duckdb() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let code = format!(
        "{}ddf = dd.from_pandas(df, npartitions=3)\n\
         print(ddf.to_csv('{d}/plain/*.csv'))\n\
         print(dd.from_pandas(named, npartitions=2).to_csv('{d}/named/*.csv'))\n\
         print(ddf.to_csv('{d}/one.csv', single_file=True))\n\
         for ext in ['gz', 'bz2', 'xz', 'zst']:\n    ddf.to_csv('{d}/' + ext + '/*.csv.' + ext)\n\
         ddf.to_csv('{d}/byname/*.csv', compression='bz2')\n\
         dd.from_pandas(named, npartitions=2).to_csv('{d}/one.csv.zst', single_file=True)\n\
         ddf.to_csv('{d}/semi/*.csv', sep=';', index=False)\n",
        FRAME
    );
    let out = rask_ok(&code);
    assert_eq!(
        out.lines().next().unwrap_or(""),
        format!("['{d}/plain/0.csv', '{d}/plain/1.csv', '{d}/plain/2.csv']")
    );
    assert!(out.contains(&format!("['{d}/one.csv']")), "{}", out);
    let check = format!("{READERS}{FRAME}") + &r#"
D = '{D}'
want = df.to_csv().encode()
# one file: pandas' text byte for byte; parts: pandas' text of the same rows
assert raw(D + '/one.csv') == want, raw(D + '/one.csv')
assert raw(D + '/one.csv.zst') == named.to_csv().encode(), raw(D + '/one.csv.zst')
for sub in ['plain', 'gz', 'bz2', 'xz', 'zst', 'byname']:
    fs = files(D + '/' + sub + '/*')
    assert len(fs) == 3, fs
    # compression='bz2' by name: the files keep their .csv name
    rd = (lambda f: bz2.open(f).read()) if sub == 'byname' else raw
    body = b''.join(rd(f).split(b'\n', 1)[1] for f in fs)
    assert rd(fs[0]).split(b'\n', 1)[0] + b'\n' + body == want, (sub, body)
    if sub in ('zst', 'byname'):
        continue
    back = pd.concat([pd.read_csv(f, index_col=0) for f in fs])
    pd.testing.assert_frame_equal(back, pd.read_csv(io.StringIO(df.to_csv()), index_col=0))
back = pd.concat([pd.read_csv(f, index_col=0) for f in files(D + '/named/*')])
pd.testing.assert_frame_equal(back, pd.read_csv(io.StringIO(named.to_csv()), index_col=0))
assert back.index.name == 'i'
# Polars and DuckDB read the same values
p = pl.concat([pl.read_csv(f) for f in files(D + '/plain/*')])
same(p['x'].to_list(), df['x'].tolist(), 'polars x')
same(p['b'].to_list(), df['b'].tolist(), 'polars b')
same(p['i'].to_list(), df['i'].tolist(), 'polars i')
same(p['s'].to_list(), [None if v in (None, '') else v for v in df['s'].tolist()], 'polars s')
rows = duckdb.sql("select x, s, b, i from read_csv('" + D + "/plain/*.csv', header=true) order by i").fetchall()
same([r[0] for r in rows], df['x'].tolist(), 'duckdb x')
same([r[1] for r in rows], [None if v in (None, '') else v for v in df['s'].tolist()], 'duckdb s')
same([r[2] for r in rows], df['b'].tolist(), 'duckdb b')
semi = pd.concat([pd.read_csv(f, sep=';') for f in files(D + '/semi/*')], ignore_index=True)
pd.testing.assert_frame_equal(semi, pd.read_csv(io.StringIO(df.to_csv(sep=';', index=False)), sep=';'))
print('ok')
"#.replace("{D}", &d);
    assert_eq!(venv_python(&check), "ok\n");
}

#[test]
fn eager_to_csv_and_to_json_text_is_pandas_text() {
    let calls = [
        "df.to_csv()",
        "named.to_csv()",
        "df.to_csv(index=False)",
        "df.to_csv(sep=';', header=False)",
        "df.to_csv(na_rep='NA', float_format='%.2f')",
        "named.to_csv(columns=['b', 'x'], index_label='key', sep=';')",
        "df.to_csv(columns='s', index=False, na_rep='-')",
        "named.to_csv(float_format='%.3e', header=False)",
        "df.to_json()",
        "df.to_json(orient='records')",
        "df.to_json(orient='records', lines=True)",
        "df.to_json(orient='index')",
        "df.to_json(orient='split')",
        "df.to_json(orient='values')",
        "named.to_json()",
        "named.to_json(orient='records', lines=True)",
        "pd.DataFrame({'a': [''], 'b': [1]}).to_csv(index=False)",
        "pd.DataFrame({'a': ['']}).to_csv(index=False)",
        "pd.DataFrame({'v': [1e16, 1.0000000000000002e16, 1e-15, 1e-16, 0.12345678915, 5e-324, 2.5e-11, 1e300]}).to_json(orient='values')",
        "pd.DataFrame({'v': [1e16, 1e-5, 1.5e-5, 0.1 + 0.2, 100.0, 2.5e-300]}).to_csv()",
        "pd.DataFrame({'u': ['é\\u2028😀\\x01\\x7f\\\\/']}).to_json()",
    ];
    let mut code = String::from(FRAME);
    for c in calls {
        code.push_str(&format!("print(repr({}))\n", c));
    }
    let want = venv_python(&format!("import pandas as pd\n{}", code));
    let got = rask_ok(&code);
    for ((w, g), c) in want.lines().zip(got.lines()).zip(calls) {
        assert_eq!(g, w, "{}", c);
    }
    assert_eq!(got.lines().count(), want.lines().count(), "{}", got);

    // with a path the file is written (compressed by extension) and None returned
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let out = rask_ok(&format!(
        "{FRAME}print(df.to_csv('{d}/e.csv.gz'))\nnamed.to_json('{d}/e.json.xz', orient='records', lines=True)\n"
    ));
    assert_eq!(out, "None\n");
    let check = venv_python(&format!(
        "{READERS}{FRAME}\nassert raw('{d}/e.csv.gz') == df.to_csv().encode()\n\
         assert raw('{d}/e.json.xz') == named.to_json(orient='records', lines=True).encode()\nprint('ok')\n"
    ));
    assert_eq!(check, "ok\n");
}

/// Dask's `name_function` names each partition's file; the CSV options apply per file;
/// the files are byte for byte what Dask writes for the same frame.
#[test]
fn lazy_to_csv_name_function_and_options_write_what_dask_writes() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let call = "ddf.to_csv('{D}/{W}/part-*.csv', name_function=lambda i: f'{i:03d}', na_rep='NA', float_format='%.3f', columns=['s', 'x'], index_label='row')";
    let out = rask_ok(
        &(FRAME.to_string()
            + "ddf = dd.from_pandas(df, npartitions=2)
print(sorted(p.split('/')[-1] for p in "
            + &call.replace("{D}", &d).replace("{W}", "rask")
            + "))
"),
    );
    assert_eq!(
        out,
        "['part-000.csv', 'part-001.csv']
"
    );
    let check = venv_python(
        &(format!("{READERS}{FRAME}import dask.dataframe as dd
ddf = dd.from_pandas(df, npartitions=2)
")
            + "names = sorted(p.split('/')[-1] for p in "
            + &call.replace("{D}", &d).replace("{W}", "dask")
            + ")
assert names == ['part-000.csv', 'part-001.csv'], names
"
            + &format!(
                "for n in names:
    assert raw('{d}/rask/' + n) == raw('{d}/dask/' + n), (n, raw('{d}/rask/' + n), raw('{d}/dask/' + n))
print('ok')
"
            )),
    );
    assert_eq!(check, "ok\n");
    let bad = rask(&[
        "-c",
        &format!(
            "{FRAME}dd.from_pandas(df, npartitions=2).to_csv('{d}/x.csv', name_function=lambda i: str(i))"
        ),
    ]);
    assert!(
        text(&bad.stderr).contains("name_function needs a '*' in the path"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn lazy_to_json_files_are_pandas_text_per_partition() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let out = rask_ok(
        &(FRAME.to_string()
            + &r#"
ddf = dd.from_pandas(df, npartitions=2)
print(ddf.to_json('{D}/j/*.json'))
_ = ddf.to_json('{D}/z/*.jsonl.zst')
_ = ddf.to_json('{D}/r/*.json', orient='records', lines=False)
"#
            .replace("{D}", &d)),
    );
    assert_eq!(out, format!("['{d}/j/0.json', '{d}/j/1.json']\n"));
    let check = venv_python(&(format!("{READERS}{FRAME}") + &r#"
D = '{D}'
for sub in ['j', 'z']:
    fs = files(D + '/' + sub + '/*')
    assert b''.join(raw(f) for f in fs) == df.to_json(orient='records', lines=True).encode(), sub
fs = files(D + '/r/*')
assert raw(fs[0]) == df.iloc[:4].to_json(orient='records').encode(), raw(fs[0])
back = pd.concat([pd.read_json(f, lines=True) for f in files(D + '/j/*')], ignore_index=True)
pd.testing.assert_frame_equal(back, pd.read_json(io.StringIO(df.to_json(orient='records', lines=True)), lines=True))
print('ok')
"#.replace("{D}", &d)));
    assert_eq!(check, "ok\n");
}

#[test]
fn pandas_json_lines_read_by_read_json_with_pandas_values() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    // pandas writes (zstd through the command: the venv has no zstandard)
    let want = venv_python(&(READERS.to_string() + &r#"
D = '{D}'
a = pd.DataFrame({'n': [1, 2, 3], 'f': [0.5, None, 2.25], 's': ['x', None, 'y,z'], 'b': [True, False, True], 'm': [1, None, 3]})
b = pd.DataFrame({'n': [4, 5], 'f': [1.0, 3.5], 's': ['w', 'v'], 'b': [False, False], 'm': [5, 6]})
a.to_json(D + '/p0.jsonl', orient='records', lines=True)
b.to_json(D + '/p1.jsonl', orient='records', lines=True)
for ext in ['gz', 'bz2', 'xz']:
    a.to_json(D + '/c0.jsonl.' + ext, orient='records', lines=True)
    b.to_json(D + '/c1.jsonl.' + ext, orient='records', lines=True)
subprocess.run(['zstd', '-q', '-f', D + '/p0.jsonl', '-o', D + '/c0.jsonl.zst'], check=True)
subprocess.run(['zstd', '-q', '-f', D + '/p1.jsonl', '-o', D + '/c1.jsonl.zst'], check=True)
a.to_json(D + '/arr.json', orient='records')
whole = pd.concat([pd.read_json(D + '/p0.jsonl', lines=True), pd.read_json(D + '/p1.jsonl', lines=True)], ignore_index=True)
print(whole.to_csv(index=False), end='')
# rask names pandas 3's str dtype 'object', as its frames print everywhere
print([t.replace('str', 'object') for t in whole.dtypes.astype(str).tolist()])
print(pd.read_json(D + '/arr.json').to_csv(index=False), end='')
"#.replace("{D}", &d)));
    let mut code = format!("D = '{d}'\n");
    for pat in [
        "p*.jsonl",
        "c*.jsonl.gz",
        "c*.jsonl.bz2",
        "c*.jsonl.xz",
        "c*.jsonl.zst",
    ] {
        code.push_str(&format!(
            "r = dd.read_json(D + '/{pat}')\nassert r.npartitions == 2\nw = r.compute()\nprint(w.to_csv(index=False), end='')\nprint([str(t) for t in w.dtypes])\nprint(pd.read_json(D + '/arr.json').to_csv(index=False), end='')\n"
        ));
    }
    // blocks of plain files, compression= by name, and pd.read_json lines
    code.push_str(
        "r = dd.read_json(D + '/p*.jsonl', blocksize=40)\nassert r.npartitions > 2, r.npartitions\n\
         print(r.compute().to_csv(index=False), end='')\n\
         print(pd.concat([pd.read_json(D + '/p0.jsonl', lines=True), pd.read_json(D + '/c1.jsonl.gz', lines=True, compression='gzip')]).to_csv(index=False), end='')\n",
    );
    let got = rask_ok(&code);
    let mut expect = want.repeat(5);
    let rows = want.split('[').next().unwrap_or("");
    expect.push_str(rows);
    expect.push_str(rows);
    assert_eq!(got, expect);
}

#[test]
fn bag_text_files_in_every_compression() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let out = rask_ok(
        &r#"
b = db.from_sequence(['alpha', 'beta', 'gamma', 'delta é'], npartitions=2)
for ext in ['txt', 'txt.gz', 'txt.bz2', 'txt.xz', 'txt.zst']:
    print(b.to_textfiles('{D}/' + ext.replace('.', '_') + '/*.' + ext))
    print(db.read_text('{D}/' + ext.replace('.', '_') + '/*.' + ext).compute())
print(b.to_textfiles('{D}/named/*.data', compression='xz'))
print(db.read_text('{D}/named/*.data', compression='xz').compute())
"#
        .replace("{D}", &d),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 12, "{}", out);
    for (i, ext) in ["txt", "txt.gz", "txt.bz2", "txt.xz", "txt.zst"]
        .iter()
        .enumerate()
    {
        let sub = ext.replace('.', "_");
        assert_eq!(
            lines[2 * i],
            format!("['{d}/{sub}/0.{ext}', '{d}/{sub}/1.{ext}']")
        );
        assert_eq!(
            lines[2 * i + 1],
            "['alpha\\n', 'beta', 'gamma\\n', 'delta é']"
        );
    }
    assert_eq!(lines[11], "['alpha\\n', 'beta', 'gamma\\n', 'delta é']");
    let check = venv_python(&(READERS.to_string() + &r#"
D = '{D}'
for ext in ['txt', 'txt.gz', 'txt.bz2', 'txt.xz', 'txt.zst']:
    fs = files(D + '/' + ext.replace('.', '_') + '/*')
    assert [raw(f) for f in fs] == [b'alpha\nbeta', 'gamma\ndelta é'.encode()], (ext, [raw(f) for f in fs])
assert lzma.open(D + '/named/0.data').read() == b'alpha\nbeta'
print('ok')
"#.replace("{D}", &d)));
    assert_eq!(check, "ok\n");
}

#[test]
fn a_bad_json_line_names_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("bad.jsonl");
    std::fs::write(&p, "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3,}\n").expect("write");
    let p = p.display().to_string();
    for code in [
        format!("dd.read_json('{p}').compute()"),
        format!("pd.read_json('{p}', lines=True)"),
    ] {
        let out = rask(&["-c", &code]);
        assert!(!out.status.success());
        let err = text(&out.stderr);
        assert!(err.contains(&format!("{p}, line 3")), "{}", err);
        assert!(err.contains("malformed JSON"), "{}", err);
    }
    let q = dir.path().join("list.jsonl");
    std::fs::write(&q, "{\"a\": 1}\n[1, 2]\n").expect("write");
    let out = rask(&[
        "-c",
        &format!("pd.read_json('{}', lines=True)", q.display()),
    ]);
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}, line 2", q.display())), "{}", err);
    let out = rask(&["-c", "dd.read_json('/nonexistent/x*.jsonl')"]);
    assert!(text(&out.stderr).contains("/nonexistent/x*.jsonl"));
}

/// `dd.read_json(meta=...)`: the columns and dtypes given (a dict or an empty frame)
/// instead of those of the first lines; a column the first file lacks comes from later
/// files, missing values are NaN. The printed frame is pandas' for the same records
/// conformed to the meta.
#[test]
fn read_json_meta_gives_the_columns_and_dtypes() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    std::fs::write(
        format!("{d}/0.json"),
        "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2, \"b\": \"y\"}\n",
    )
    .expect("write");
    std::fs::write(
        format!("{d}/1.json"),
        "{\"a\": 3, \"b\": \"z\", \"c\": 1.5}\n{\"a\": 4}\n",
    )
    .expect("write");
    let got = rask_ok(&format!(
        "df = dd.read_json('{d}/*.json', meta={{'a': 'float64', 'b': 'object', 'c': 'float64'}})\n\
         print(df.dtypes.to_dict())\nprint(df.compute())\n\
         print(dd.read_json('{d}/*.json', meta=pd.DataFrame({{'a': [1], 'c': [0.5]}})).compute())\n"
    ));
    let want = venv_python(&format!(
        "import pandas as pd, glob\n\
         raw = pd.concat([pd.read_json(f, lines=True) for f in sorted(glob.glob('{d}/*.json'))], ignore_index=True)\n\
         a = raw.reindex(columns=['a', 'b', 'c']).astype({{'a': 'float64', 'b': 'object', 'c': 'float64'}})\n\
         print({{k: str(v) for k, v in a.dtypes.items()}})\nprint(a)\nprint(raw.reindex(columns=['a', 'c']))\n"
    ));
    assert_eq!(got, want);
}
