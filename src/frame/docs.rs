//! help() entries for the `dd` and `pd` namespaces and `.loc`; every example runs in
//! tests/help_examples.rs. Lazy frame methods carry their help in their registry
//! entries (`lazy/entries.rs`).

use crate::value::help::FnDoc;

macro_rules! doc {
    ($name:expr, $sig:expr, $sum:expr, $params:expr, $ex:expr, $out:expr) => {
        FnDoc {
            name: $name,
            signature: $sig,
            summary: $sum,
            params: $params,
            example: $ex,
            output: $out,
        }
    };
}

pub static DOCS: &[FnDoc] = &[
    doc!("dd.read_csv", "dd.read_csv(urlpath, blocksize=None, sep=\",\")",
        "A lazy frame over CSV files: one partition per file (files larger than blocksize are split at line ends); the schema is inferred from the start of every file.",
        &[("urlpath", "a path or glob such as \"data/nfs/NFS_*.csv\""), ("blocksize", "bytes per partition for large files, e.g. 64000000 or \"64MB\""), ("sep", "the field separator")],
        "create_synthetic_nfs(dest=\"data/help-nfs\", years=2, rows=100)\ndf = dd.read_csv(\"data/help-nfs/NFS_*.csv\")\ndf.npartitions", "{'dest': 'data/help-nfs', 'files': 2, 'rows': 200}\n2\n"),
    doc!("dd.read_parquet", "dd.read_parquet(path, columns=None, filters=None, index=None, split_row_groups=\"infer\")",
        "A lazy frame over Parquet files (from pyarrow, pandas, Polars, DuckDB, Dask): one partition per file (or per row group), planned from the footers alone; the pandas metadata restores the index, divisions come from its sorted row-group statistics, hive key=value directories become columns.",
        &[("path", "a file, a glob, or a directory (read recursively)"), ("columns", "read only these columns (later projections are pushed into the read too)"), ("filters", "[(col, op, value), ...] (all hold) or a list of such lists (any): row groups whose statistics rule them out are skipped, and rows are filtered"), ("index", "a column to become the index, or False for none (default: the stored pandas index)"), ("split_row_groups", "\"infer\" (a partition per file unless it is over 256 MiB), True (one per row group), False, or row groups per partition")],
        "pd.DataFrame({\"x\": [1, 2, 3], \"y\": [\"a\", \"b\", \"c\"]}).to_parquet(\"data/help-pq.parquet\")\ndd.read_parquet(\"data/help-pq.parquet\", columns=[\"x\"], filters=[(\"x\", \">\", 1)]).compute()", "   x\n0  2\n1  3\n"),
    doc!("pd.read_parquet", "pd.read_parquet(path, columns=None, filters=None, index=None)",
        "Read Parquet file(s) into an eager frame now (the same reader as dd.read_parquet).",
        &[("path", "a file, a glob or a directory"), ("columns", "only these columns"), ("filters", "[(col, op, value), ...]")],
        "pd.DataFrame({\"k\": [1, 2], \"v\": [0.5, 1.5]}).set_index(\"k\").to_parquet(\"data/help-pq2.parquet\")\npd.read_parquet(\"data/help-pq2.parquet\")", "     v\nk\n1  0.5\n2  1.5\n"),
    doc!("dd.from_pandas", "dd.from_pandas(data, npartitions=1)",
        "Split an eager frame or series into a lazy one with npartitions row ranges; divisions are known when the index is sorted.",
        &[("data", "a pd.DataFrame or pd.Series"), ("npartitions", "how many partitions")],
        "df = dd.from_pandas(pd.DataFrame({\"x\": range(10)}), npartitions=3)\ndf.divisions", "(0, 4, 8, 9)\n"),
    doc!("dd.merge", "dd.merge(left, right, on=None, left_on=None, right_on=None, left_index=False, right_index=False, how=\"inner\")",
        "Join two frames: a pandas right side joins every partition; frames with matching divisions join partition by partition on the index; otherwise both are hash-shuffled on the keys.",
        &[("on", "column name(s) in both"), ("how", "inner, left, right or outer")],
        "left = dd.from_pandas(pd.DataFrame({\"k\": [1, 2, 3], \"x\": [1, 2, 3]}), npartitions=2)\nright = pd.DataFrame({\"k\": [1, 3], \"y\": [\"a\", \"c\"]})\ndd.merge(left, right, on=\"k\").compute()", "   k  x  y\n0  1  1  a\n1  3  3  c\n"),
    doc!("pd.read_csv", "pd.read_csv(filepath, sep=\",\")",
        "Read a CSV file into an eager frame now.",
        &[("filepath", "the file"), ("sep", "the field separator")],
        "create_synthetic_nfs(dest=\"data/help-nfs1\", years=1, rows=10)\npd.read_csv(\"data/help-nfs1/food_mapping.csv\").columns", "{'dest': 'data/help-nfs1', 'files': 1, 'rows': 10}\n['minfd', 'minfddesc', 'majfd', 'majfddesc', 'Coded unit', 'fdgp', 'fd gp description']\n"),
    doc!("dd.read_json", "dd.read_json(url_path, orient=\"records\", lines=None, blocksize=None, compression=\"infer\", meta=None)",
        "A lazy frame over JSON-lines files (one record a line; lines=False reads each file as a JSON array of records): one partition per file, or per blocksize bytes of a plain file; .gz, .bz2, .xz and .zst decoded by extension. The columns come from meta= or else the first records of the first file; each partition is conformed to them (missing columns NaN, others left out).",
        &[("url_path", "a path, glob or list of them"), ("meta", "{\"col\": dtype, ...} or an empty frame: the columns and dtypes"), ("lines", "one record a line (default for orient=\"records\")"), ("blocksize", "bytes per partition of plain JSON-lines files"), ("compression", "\"infer\" (by extension), \"gzip\", \"bz2\", \"xz\", \"zstd\" or None")],
        "df = pd.DataFrame({\"a\": [1, 2, 3], \"b\": [\"x\", None, \"z\"]})\ndf.to_json(\"data/help-rj.jsonl.bz2\", orient=\"records\", lines=True)\ndd.read_json(\"data/help-rj.jsonl.bz2\").compute()", "   a    b\n0  1    x\n1  2  NaN\n2  3    z\n"),
    doc!("pd.read_json", "pd.read_json(path_or_buf, orient=None, lines=False, compression=\"infer\")",
        "Read a JSON file into an eager frame now: a JSON array of records, or with lines=True one record a line.",
        &[("path_or_buf", "the file"), ("lines", "one record a line"), ("compression", "\"infer\" (by extension), \"gzip\", \"bz2\", \"xz\", \"zstd\" or None")],
        "pd.DataFrame({\"a\": [1.5, None]}).to_json(\"data/help-pj.json\", orient=\"records\")\npd.read_json(\"data/help-pj.json\")", "     a\n0  1.5\n1  NaN\n"),
    doc!("pd.DataFrame.to_csv", "df.to_csv(path_or_buf=None, sep=\",\", na_rep=\"\", float_format=None, columns=None, header=True, index=True, index_label=None, compression=\"infer\")",
        "The frame as CSV text, as pandas writes it (index first, NaN as an empty field, quotes only where needed); with a path, the file is written (compressed by extension or compression=).",
        &[("path_or_buf", "a file path, or None for the text"), ("sep", "the field separator"), ("na_rep", "what a missing value is written as"), ("float_format", "a %-format for floats, such as \"%.2f\""), ("columns", "the columns to write, in this order"), ("header", "write the column names"), ("index", "write the index"), ("index_label", "the index column's header")],
        "print(pd.DataFrame({\"a\": [1.5, None], \"b\": [\"x,y\", \"z\"]}).to_csv(), end=\"\")", ",a,b\n0,1.5,\"x,y\"\n1,,z\n"),
    doc!("pd.DataFrame.to_json", "df.to_json(path_or_buf=None, orient=\"columns\", lines=False, compression=\"infer\")",
        "The frame as JSON text, as pandas writes it (NaN as null, floats to 10 decimals); with a path, the file is written.",
        &[("path_or_buf", "a file path, or None for the text"), ("orient", "\"columns\", \"records\", \"index\", \"split\" or \"values\""), ("lines", "one record a line (orient=\"records\" only)")],
        "pd.DataFrame({\"a\": [1, 2], \"b\": [0.5, None]}).to_json(orient=\"records\")", "'[{\"a\":1,\"b\":0.5},{\"a\":2,\"b\":null}]'\n"),
    doc!("pd.DataFrame", "pd.DataFrame(data)",
        "An eager frame from a dict of columns or a list of records.",
        &[("data", "{\"col\": [values], ...} or [{\"col\": value}, ...]")],
        "pd.DataFrame({\"a\": [1, 2], \"b\": [\"x\", \"y\"]})", "   a  b\n0  1  x\n1  2  y\n"),
    doc!("pd.Series", "pd.Series(data, index=None, name=None)",
        "An eager series from a list.",
        &[("data", "the values"), ("index", "labels, one per value"), ("name", "the series name")],
        "pd.Series([3, 1, 2], name=\"x\").sort_values()", "1    1\n2    2\n0    3\nName: x, dtype: int64\n"),
    doc!("DataFrame.loc", "df.loc[label] / df.loc[a:b]",
        "Rows by index label; a slice includes both ends. On a lazy frame with known divisions only the partitions that can hold the labels are read.",
        &[],
        "df = dd.from_pandas(pd.DataFrame({\"x\": range(10)}), npartitions=3)\ndf.loc[2:4].compute()", "   x\n2  2\n3  3\n4  4\n"),
];
