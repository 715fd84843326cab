//! The `db` namespace and bag methods as the session calls them: argument checking,
//! building the lazy graph, the eager `take` and `to_textfiles`, and the help table.

use super::lazy::{BagKind, LazyBag};
use super::ops::KeyFn;
use super::read::{expand_glob, plan_sources, Compression, DEFAULT_BLOCKSIZE};
use super::reduce::Reduction;
use crate::common::callable::{Callable, Globals};
use crate::errors::{RaskError, Result};
use crate::scheduler::ComputeOptions;
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::registry::Registry;
use crate::value::value::Value;
use std::sync::{Arc, OnceLock};

/// What bag methods need from the session: its names (to capture the globals a lambda
/// reads), its compute defaults (for the eager `take`), and where output goes.
pub struct Ctx<'a> {
    pub globals: Globals<'a>,
    pub opts: &'a ComputeOptions,
    pub out: &'a mut String,
}

/// A bag method as a registry entry runs it (`session::registry`).
pub type Run = fn(&Arc<LazyBag>, &Args, &mut Ctx) -> Result<Value>;

/// Bag methods whose code lives in a folder above bags (frame's `to_dataframe`): bag
/// code may not name it, so that folder's table is registered when a session starts.
static CONVERSIONS: OnceLock<&'static Registry<Run, ()>> = OnceLock::new();

/// Register the bag methods another folder provides (once; later calls are ignored).
pub fn register_conversions(r: &'static Registry<Run, ()>) {
    let _ = CONVERSIONS.set(r);
}

/// The bag methods other folders registered.
pub fn conversions() -> Option<&'static Registry<Run, ()>> {
    CONVERSIONS.get().copied()
}

fn is_method(name: &str) -> bool {
    METHODS.contains(&name) || conversions().and_then(|r| r.get(name)).is_some()
}

/// Bag methods, for completion and "did you mean".
pub const METHODS: &[&str] = &[
    "map",
    "starmap",
    "filter",
    "pluck",
    "flatten",
    "frequencies",
    "take",
    "count",
    "sum",
    "min",
    "max",
    "mean",
    "distinct",
    "topk",
    "fold",
    "foldby",
    "groupby",
    "to_textfiles",
    "compute",
    "visualize",
    "keys",
    "persist",
    "npartitions",
];

fn bag(b: LazyBag) -> Value {
    Value::obj(Arc::new(b))
}

/// `db.<name>(...)`.
pub fn call(name: &str, args: &Args) -> Result<Value> {
    match name {
        "read_text" => read_text(args),
        "from_sequence" => from_sequence(args),
        "range" => range(args),
        other => {
            let mut e = RaskError::name(format!("module 'db' has no function '{}'", other));
            if let Some(c) = crate::errors::closest(other, ["read_text", "from_sequence", "range"])
            {
                e = e.with_hint(format!("did you mean db.{}?", c));
            }
            Err(e)
        }
    }
}

fn read_text(args: &Args) -> Result<Value> {
    args.check(&["urlpath", "blocksize", "compression", "encoding"])?;
    let paths = match args.req(0, "urlpath")? {
        Value::Str(p) => expand_glob(p)?,
        __s if let Some(items) = __s.seq() => {
            let mut all = Vec::new();
            for it in items.iter() {
                match it {
                    Value::Str(p) => all.extend(expand_glob(p)?),
                    other => return Err(args.type_err(0, "urlpath", "str or list of str", other)),
                }
            }
            all
        }
        other => return Err(args.type_err(0, "urlpath", "str or list of str", other)),
    };
    let blocksize = match args.get(1, "blocksize") {
        None => Some(DEFAULT_BLOCKSIZE),
        Some(Value::None) => None,
        Some(Value::Int(n)) if *n > 0 => Some(*n as u64),
        Some(Value::Str(s)) => Some(parse_size(s).ok_or_else(|| {
            args.value_err(
                1,
                "blocksize",
                format!("cannot read the size '{}' (e.g. \"64MB\")", s),
            )
        })?),
        Some(other) => {
            return Err(args.type_err(
                1,
                "blocksize",
                "a positive int, a size such as \"64MB\", or None",
                other,
            ))
        }
    };
    let compression = match args.str_opt(2, "compression")? {
        None => None,
        Some(c) if c == "infer" => None,
        Some(c) => Some(Compression::parse(&c).ok_or_else(|| {
            args.value_err(
                2,
                "compression",
                format!(
                    "unknown compression '{}': use \"infer\", \"gzip\", \"bz2\" or None",
                    c
                ),
            )
        })?),
    };
    if let Some(enc) = args.str_opt(3, "encoding")? {
        let e = enc.to_ascii_lowercase().replace('_', "-");
        if e != "utf-8" && e != "utf8" && e != "ascii" {
            return Err(args.value_err(
                3,
                "encoding",
                format!("only UTF-8 text is read, not '{}'", enc),
            ));
        }
    }
    let srcs = plan_sources(&paths, compression, blocksize)?;
    Ok(bag(LazyBag::from_ops(
        "read-text",
        srcs.into_iter().map(super::ops::BagOp::ReadText).collect(),
    )))
}

/// `"64MB"`, `"1 GiB"`, `"1000"` in bytes.
fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim().to_ascii_lowercase();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult: f64 = match unit.trim() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "kib" => 1024.0,
        "mib" => 1048576.0,
        "gib" => 1073741824.0,
        _ => return None,
    };
    let v = (n * mult) as u64;
    (v > 0).then_some(v)
}

fn from_sequence(args: &Args) -> Result<Value> {
    args.check(&["seq", "partition_size", "npartitions"])?;
    let seq = args.req(0, "seq")?;
    // a range stays a range: each partition makes its own integers when it runs
    if let Value::Range(a, b, s) = seq {
        let n = crate::value::value::range_len(*a, *b, *s)?;
        let size = partition_size(args, n)?;
        let parts: Vec<(i64, usize)> = (0..n.div_ceil(size).max(1))
            .map(|i| {
                (
                    a + (i * size) as i64 * s,
                    size.min(n.saturating_sub(i * size)),
                )
            })
            .collect();
        return Ok(bag(LazyBag::from_ranges("from_sequence", *s, &parts)));
    }
    let items: Vec<Value> = match seq {
        __s if let Some(x) = __s.seq() => x.to_vec(),
        Value::Range(a, b, s) => crate::value::value::range_items(*a, *b, *s)?
            .into_iter()
            .map(Value::Int)
            .collect(),
        Value::Str(s) => s.chars().map(|c| Value::str(&c.to_string())).collect(),
        Value::Dict(d) => d.read().iter().map(|(k, _)| k.clone()).collect(),
        other => return Err(args.type_err(0, "seq", "a list, tuple or range", other)),
    };
    let size = partition_size(args, items.len())?;
    Ok(bag(LazyBag::from_sequence(items, size)))
}

/// `partition_size=` or `npartitions=` of `from_sequence` over `n` items, or Dask's default.
fn partition_size(args: &Args, n: usize) -> Result<usize> {
    Ok(
        match (
            args.int_opt(1, "partition_size")?,
            args.int_opt(2, "npartitions")?,
        ) {
            (Some(p), _) if p < 1 => {
                return Err(args.value_err(
                    1,
                    "partition_size",
                    "partition_size must be at least 1",
                ))
            }
            (_, Some(k)) if k < 1 => {
                return Err(args.value_err(2, "npartitions", "npartitions must be at least 1"))
            }
            (Some(p), _) => p as usize,
            (None, Some(k)) => n.div_ceil(k as usize).max(1),
            // Dask's default: one item a partition up to 100 items, then about sqrt(n) / 10
            (None, None) if n <= 100 => 1,
            (None, None) => ((n as f64).sqrt() / 10.0).ceil().max(1.0) as usize,
        },
    )
}

/// `db.range(n, npartitions)`: the integers 0..n, as Dask cuts them: `n // npartitions`
/// a partition, the last one running to n.
fn range(args: &Args) -> Result<Value> {
    args.check(&["n", "npartitions"])?;
    let n = args.int(0, "n")?;
    let k = args.int(1, "npartitions")?;
    if k < 1 {
        return Err(args.value_err(1, "npartitions", "npartitions must be at least 1"));
    }
    let n = n.max(0) as usize;
    let k = k as usize;
    let size = (n / k).max(1);
    let mut parts: Vec<(i64, usize)> = (0..k)
        .map(|i| i * size)
        .take_while(|&j| j < n)
        .map(|j| (j as i64, size.min(n - j)))
        .collect();
    if let Some(last) = parts.last_mut() {
        last.1 = n - last.0 as usize;
    } else {
        parts.push((0, 0));
    }
    Ok(bag(LazyBag::from_ranges("range", 1, &parts)))
}

/// `b.name` without a call.
pub fn attr(b: &Arc<LazyBag>, name: &str) -> Result<Value> {
    match name {
        "npartitions" => Ok(Value::Int(b.npartitions as i64)),
        "name" => Ok(Value::Str(b.name.clone())),
        n if is_method(n) => Ok(crate::value::interp::bound(&Value::obj(b.clone()), n)),
        other => Err(no_method(b, other)),
    }
}

fn no_method(b: &LazyBag, name: &str) -> RaskError {
    let what = if b.kind == BagKind::Item {
        "Item"
    } else {
        "Bag"
    };
    let mut e = RaskError::name(format!("'{}' object has no attribute '{}'", what, name));
    let more = conversions().into_iter().flat_map(|r| r.names());
    if let Some(c) = crate::errors::closest(name, METHODS.iter().copied().chain(more)) {
        e = e.with_hint(format!("did you mean '{}'?", c));
    }
    e
}

fn key_fn(v: &Value, args: &Args, i: usize, pname: &str, ctx: &Ctx) -> Result<KeyFn> {
    match v {
        Value::Func(_) => Ok(KeyFn::Func(Callable::new(
            v,
            1,
            ctx.globals,
            &format!("{}()'s {}", args.fname, pname),
        )?)),
        Value::Str(_) | Value::Int(_) | Value::List(_) => Ok(KeyFn::Field(v.clone())),
        other => Err(args.type_err(i, pname, "a function, a field name or an index", other)),
    }
}

fn func(args: &Args, i: usize, pname: &str, arity: usize, ctx: &Ctx) -> Result<Callable> {
    let v = args.req(i, pname)?;
    Callable::new(
        v,
        arity,
        ctx.globals,
        &format!("{}()'s {}", args.fname, pname),
    )
    .map_err(|e| match args.span_of(i, pname) {
        Some(s) => e.or_span(s),
        None => e,
    })
}

fn opt_func(
    args: &Args,
    i: usize,
    pname: &str,
    arity: usize,
    ctx: &Ctx,
) -> Result<Option<Callable>> {
    match args.get(i, pname) {
        None | Some(Value::None) => Ok(None),
        Some(_) => func(args, i, pname, arity, ctx).map(Some),
    }
}

/// `b.name(args)`. `ctx.globals` resolves the session names the functions passed in
/// read; they are captured into the graph.
pub fn method(b: &Arc<LazyBag>, name: &str, args: &Args, ctx: &mut Ctx) -> Result<Value> {
    if b.kind == BagKind::Item {
        return Err(RaskError::name(format!(
            "a reduction's result (Item) has no method '{}'",
            name
        ))
        .with_hint("compute() it first, e.g. b.count().compute()"));
    }
    let red = |r: Reduction| Ok(bag(b.reduction(r)));
    match name {
        "map" | "starmap" => {
            args.check(&["func"])?;
            Ok(bag(b.map(func(args, 0, "func", 1, ctx)?)))
        }
        "filter" => {
            args.check(&["predicate"])?;
            Ok(bag(b.filter(func(args, 0, "predicate", 1, ctx)?)))
        }
        "pluck" => {
            args.check(&["key", "default"])?;
            let key = args.req(0, "key")?.clone();
            if !matches!(key, Value::Str(_) | Value::Int(_) | Value::List(_)) {
                return Err(args.type_err(
                    0,
                    "key",
                    "a field name, an index or a list of them",
                    &key,
                ));
            }
            Ok(bag(b.pluck(key, args.get(1, "default").cloned())))
        }
        "flatten" => {
            args.check(&[])?;
            Ok(bag(b.flatten()))
        }
        "count" | "sum" | "min" | "max" | "mean" => {
            args.check(&["split_every"])?;
            red(match name {
                "count" => Reduction::Count,
                "sum" => Reduction::Sum,
                "min" => Reduction::Min,
                "max" => Reduction::Max,
                _ => Reduction::Mean,
            })
        }
        "frequencies" => {
            args.check(&["split_every", "sort"])?;
            red(Reduction::Frequencies {
                sort: args.bool_or(1, "sort", false)?,
            })
        }
        "distinct" => {
            args.check(&["key"])?;
            let key = match args.get(0, "key") {
                None | Some(Value::None) => None,
                Some(v) => Some(key_fn(v, args, 0, "key", ctx)?),
            };
            red(Reduction::Distinct { key })
        }
        "topk" => {
            args.check(&["k", "key", "split_every"])?;
            let k = args.int(0, "k")?;
            if k < 0 {
                return Err(args.value_err(0, "k", "k must be >= 0"));
            }
            let key = match args.get(1, "key") {
                None | Some(Value::None) => None,
                Some(v) => Some(key_fn(v, args, 1, "key", ctx)?),
            };
            red(Reduction::TopK { k: k as usize, key })
        }
        "fold" => {
            args.check(&["binop", "combine", "initial", "split_every"])?;
            red(Reduction::Fold {
                binop: func(args, 0, "binop", 2, ctx)?,
                combine: opt_func(args, 1, "combine", 2, ctx)?,
                initial: args.get(2, "initial").cloned(),
            })
        }
        "foldby" => {
            args.check(&[
                "key",
                "binop",
                "initial",
                "combine",
                "combine_initial",
                "split_every",
            ])?;
            let key = key_fn(args.req(0, "key")?, args, 0, "key", ctx)?;
            red(Reduction::FoldBy {
                key,
                binop: func(args, 1, "binop", 2, ctx)?,
                initial: args.get(2, "initial").cloned(),
                combine: opt_func(args, 3, "combine", 2, ctx)?,
                combine_initial: args.get(4, "combine_initial").cloned(),
            })
        }
        "groupby" => {
            args.check(&["grouper", "npartitions", "method", "shuffle"])?;
            let key = key_fn(args.req(0, "grouper")?, args, 0, "grouper", ctx)?;
            let n = match args.int_opt(1, "npartitions")? {
                Some(k) if k < 1 => {
                    return Err(args.value_err(1, "npartitions", "npartitions must be at least 1"))
                }
                Some(k) => k as usize,
                None => b.npartitions,
            };
            Ok(bag(b.groupby(key, n)?))
        }
        "take" => {
            args.check(&["k", "npartitions", "compute", "warn"])?;
            let k = args.int(0, "k")?;
            if k < 0 {
                return Err(args.value_err(0, "k", "k must be >= 0"));
            }
            let np = args.int_opt(1, "npartitions")?;
            let warn = args.bool_or(3, "warn", true)?;
            super::take::take(b, k as usize, np, warn, ctx.opts, ctx.out)
        }
        "to_textfiles" => {
            args.check(&["path", "name_function", "compression", "compute"])?;
            let path = args.str(0, "path")?;
            let paths = text_paths(&path, b.npartitions);
            if let Some(v) = args
                .get(1, "name_function")
                .filter(|v| !matches!(v, Value::None))
            {
                return Err(args.type_err(1, "name_function", "None (use * in the path)", v));
            }
            let c = match args.get(2, "compression") {
                None => None,
                Some(Value::Str(s)) if &**s == "infer" => None,
                v => Some(super::write::compression_arg(v, &path)?),
            };
            let w = b.write_text(&paths, c);
            let r = crate::scheduler::compute(
                std::slice::from_ref(&w.layer),
                &w.output_keys(),
                ctx.opts,
            )?;
            w.assemble(&r)
        }
        other => match conversions().and_then(|r| r.get(other)) {
            Some(m) => (m.run)(b, args, ctx),
            None => Err(no_method(b, other)),
        },
    }
}

/// `out/*.json` → `out/0.json`, `out/1.json`…; a path without `*` is a directory.
pub fn text_paths(path: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            if path.contains('*') {
                path.replacen('*', &i.to_string(), 1)
            } else {
                format!("{}/{}.part", path.trim_end_matches('/'), i)
            }
        })
        .collect()
}

pub const DOCS: &[FnDoc] = &[
    FnDoc { name: "db.read_text", signature: "db.read_text(urlpath, blocksize=\"64MB\", compression=\"infer\", encoding=\"utf-8\")", summary: "A bag of the lines of text files (each keeps its newline): one partition per file, plain files cut into blocks on line boundaries; .gz, .bz2, .xz and .zst decoded in-process by extension.", params: &[("urlpath", "a path, a glob such as data/accounts.*.json.gz, or a list of them"), ("blocksize", "plain files larger than this are split; None keeps one partition per file"), ("compression", "\"infer\" (by extension), \"gzip\", \"bz2\", \"xz\", \"zstd\" or None")], example: "create_accounts_json(3, 200, 20, path=\"data/help-accounts\")\nlines = db.read_text(\"data/help-accounts/*.json.gz\")\nlines.npartitions", output: "3\n" },
    FnDoc { name: "db.from_sequence", signature: "db.from_sequence(seq, partition_size=None, npartitions=None)", summary: "A bag from a list: items cut into partitions in order.", params: &[("seq", "a list, tuple or range"), ("npartitions", "number of partitions"), ("partition_size", "items per partition")], example: "db.from_sequence(range(10), npartitions=2).map(lambda x: x * 2).compute()", output: "[0, 2, 4, 6, 8, 10, 12, 14, 16, 18]\n" },
    FnDoc { name: "Bag.map", signature: "b.map(func)", summary: "Apply a function to every record (a function of n parameters receives an n-tuple unpacked).", params: &[("func", "a lambda, def or builtin such as json.loads")], example: "db.from_sequence([1, 2, 3]).map(lambda x: x + 1).compute()", output: "[2, 3, 4]\n" },
    FnDoc { name: "Bag.starmap", signature: "b.starmap(func)", summary: "Apply a function of n parameters to n-tuple records.", params: &[("func", "a function of as many parameters as the tuples have items")], example: "db.from_sequence([(1, 2), (3, 4)]).starmap(lambda a, b: a * b).compute()", output: "[2, 12]\n" },
    FnDoc { name: "Bag.filter", signature: "b.filter(predicate)", summary: "Keep the records for which the predicate is true.", params: &[("predicate", "a function of one record")], example: "db.from_sequence(range(10)).filter(lambda x: x % 2 == 0).compute()", output: "[0, 2, 4, 6, 8]\n" },
    FnDoc { name: "Bag.pluck", signature: "b.pluck(key, default=...)", summary: "Select a field (or index) of every record; a list of keys gives tuples.", params: &[("key", "a field name, an index, or a list of them"), ("default", "used where the field is missing (else KeyError)")], example: "db.from_sequence([{'a': 1}, {'b': 2}]).pluck('a', default=0).compute()", output: "[1, 0]\n" },
    FnDoc { name: "Bag.flatten", signature: "b.flatten()", summary: "Concatenate the records, each a list, into one bag of their items.", params: &[], example: "db.from_sequence([[1, 2], [3]]).flatten().compute()", output: "[1, 2, 3]\n" },
    FnDoc { name: "Bag.frequencies", signature: "b.frequencies(sort=False)", summary: "(value, count) pairs, counted per partition then combined as a tree.", params: &[("sort", "largest count first")], example: "db.from_sequence(['a', 'b', 'a']).frequencies().compute()", output: "[('a', 2), ('b', 1)]\n" },
    FnDoc { name: "Bag.take", signature: "b.take(k, npartitions=None, warn=True)", summary: "The first k records as a tuple, computed now, reading only the partitions needed (a warning when fewer exist).", params: &[("k", "how many records"), ("npartitions", "read only the first n partitions; -1 reads all"), ("warn", "False hides the insufficient-elements warning")], example: "db.from_sequence(range(100), npartitions=10).take(3)", output: "(0, 1, 2)\n" },
    FnDoc { name: "Bag.count", signature: "b.count()", summary: "Number of records (lazy: compute() it).", params: &[], example: "db.from_sequence(range(7)).count().compute()", output: "7\n" },
    FnDoc { name: "Bag.sum", signature: "b.sum()", summary: "Sum of the records.", params: &[], example: "db.from_sequence(range(7)).sum().compute()", output: "21\n" },
    FnDoc { name: "Bag.min", signature: "b.min()", summary: "Smallest record.", params: &[], example: "db.from_sequence([3, 1, 2]).min().compute()", output: "1\n" },
    FnDoc { name: "Bag.max", signature: "b.max()", summary: "Largest record.", params: &[], example: "db.from_sequence([3, 1, 2]).max().compute()", output: "3\n" },
    FnDoc { name: "Bag.mean", signature: "b.mean()", summary: "Arithmetic mean of the records.", params: &[], example: "db.from_sequence([1, 2, 3, 4]).mean().compute()", output: "2.5\n" },
    FnDoc { name: "Bag.distinct", signature: "b.distinct(key=None)", summary: "The records without repeats (first occurrence kept).", params: &[("key", "compare by this field or function")], example: "db.from_sequence([1, 2, 1, 3, 2]).distinct().compute()", output: "[1, 2, 3]\n" },
    FnDoc { name: "Bag.topk", signature: "b.topk(k, key=None)", summary: "The k largest records, largest first.", params: &[("k", "how many"), ("key", "order by this field or function")], example: "db.from_sequence([5, 1, 9, 3]).topk(2).compute()", output: "[9, 5]\n" },
    FnDoc { name: "Bag.fold", signature: "b.fold(binop, combine=None, initial=...)", summary: "Reduce with a binary function per partition, then combine the partial results.", params: &[("binop", "f(accumulator, record)"), ("combine", "f(partial, partial); binop if omitted"), ("initial", "starting accumulator")], example: "db.from_sequence(range(5)).fold(lambda a, b: a + b, initial=0).compute()", output: "10\n" },
    FnDoc { name: "Bag.foldby", signature: "b.foldby(key, binop, initial=..., combine=None, combine_initial=...)", summary: "Group by key and reduce each group, per partition then combined: groupby without the shuffle.", params: &[("key", "a field name or function"), ("binop", "f(accumulator, record)"), ("initial", "each group's starting accumulator"), ("combine", "f(total, partial)"), ("combine_initial", "starting total")], example: "db.from_sequence(range(10)).foldby(lambda x: x % 2, lambda a, b: a + b, 0, lambda a, b: a + b, 0).compute()", output: "[(0, 20), (1, 25)]\n" },
    FnDoc { name: "Bag.groupby", signature: "b.groupby(grouper, npartitions=None)", summary: "(key, [records]) pairs: a shuffle through a temporary directory, so groups larger than memory work.", params: &[("grouper", "a field name or function"), ("npartitions", "partitions of the result (default: the input's)")], example: "db.from_sequence(['Alice', 'Bob', 'Dan']).groupby(len).compute()", output: "[(5, ['Alice']), (3, ['Bob', 'Dan'])]\n" },
    FnDoc { name: "Bag.to_textfiles", signature: "b.to_textfiles(path, compression=\"infer\")", summary: "Write each partition's strings to a file, one a line, compressed by extension (.gz, .bz2, .xz, .zst) or by compression=; returns the paths.", params: &[("path", "a name with * (replaced by the partition number) or a directory"), ("compression", "\"infer\" (by extension), \"gzip\", \"bz2\", \"xz\", \"zstd\" or None")], example: "db.from_sequence(['a', 'b', 'c'], npartitions=2).to_textfiles('data/help-text/*.txt')", output: "['data/help-text/0.txt', 'data/help-text/1.txt']\n" },
    FnDoc { name: "Bag.compute", signature: "b.compute(scheduler='threads', progress=None, num_workers=None)", summary: "Run the graph: a list of the records, or the value of a reduction.", params: &[("scheduler", "\"sync\", \"threads\" or \"processes\"")], example: "db.from_sequence([1, 2, 3]).map(lambda x: x * 10).compute(scheduler=\"sync\")", output: "[10, 20, 30]\n" },
    FnDoc { name: "Bag.visualize", signature: "b.visualize(filename=None)", summary: "Draw the task graph: text in the terminal, or a .dot/.svg/.png file.", params: &[("filename", "output file; the extension picks the format")], example: "db.from_sequence([1, 2, 3, 4], npartitions=2).sum().visualize()", output: "5 tasks in 3 layers, 1 output\n  from_sequence (2 tasks) -> sum-part (2) -> sum (1)\n'sum-7a1b77ce'  sum-aggregate\n├─ ('sum-part-7a1b77ce', 0)  sum-part\n│  └─ ('from_sequence-bed40a9f', 0)  from_sequence\n└─ ('sum-part-7a1b77ce', 1)  sum-part\n   └─ ('from_sequence-bed40a9f', 1)  from_sequence\n" },
    FnDoc { name: "Bag.keys", signature: "b.keys()", summary: "The task keys of the output partitions.", params: &[], example: "db.from_sequence([1, 2, 3, 4], npartitions=2).keys()", output: "[('from_sequence-bed40a9fc6c377cf4364aaa8e18424c5', 0), ('from_sequence-bed40a9fc6c377cf4364aaa8e18424c5', 1)]\n" },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::display::repr;

    fn run(v: &Value) -> Value {
        let Some(b) = v.get::<Arc<LazyBag>>() else {
            panic!("not a bag")
        };
        let out = crate::scheduler::compute(
            std::slice::from_ref(&b.layer),
            &b.output_keys(),
            &Default::default(),
        )
        .expect("compute");
        b.assemble(&out).expect("assemble")
    }

    #[test]
    fn from_sequence_partitions_as_dask() {
        let mk = |n: i64, kw: Vec<(&str, i64)>| {
            let mut a = Args::new("db.from_sequence", vec![Value::Range(0, n, 1)]);
            a.kw = kw
                .into_iter()
                .map(|(k, v)| (k.to_string(), Value::Int(v)))
                .collect();
            match from_sequence(&a).expect("ok") {
                ref __v if let Some(b) = __v.get::<Arc<LazyBag>>() => b.npartitions,
                _ => panic!(),
            }
        };
        assert_eq!(mk(10, vec![]), 10);
        assert_eq!(mk(1000, vec![]), 250);
        assert_eq!(mk(10, vec![("npartitions", 3)]), 3);
        assert_eq!(mk(10, vec![("partition_size", 4)]), 3);
    }

    #[test]
    fn methods_build_and_compute() {
        // user functions compile through the evaluator, which sits above this layer
        crate::session::register();
        let globals = |n: &str| if n == "k" { Some(Value::Int(2)) } else { None };
        let mut out = String::new();
        let opts = ComputeOptions::default();
        let mut ctx = Ctx {
            globals: &globals,
            opts: &opts,
            out: &mut out,
        };
        let mut a = Args::new("db.from_sequence", vec![Value::Range(0, 10, 1)]);
        a.kw.push(("npartitions".into(), Value::Int(3)));
        let Ok(b) = from_sequence(&a).expect("ok").into_obj::<Arc<LazyBag>>() else {
            panic!()
        };
        let f = crate::syntax::parse_expr("lambda x: x % k").expect("parse");
        let crate::syntax::ast::ExprKind::Lambda { params, body } = f.kind else {
            panic!()
        };
        let lam = Value::Func(Arc::new(crate::value::value::Function::User {
            name: "<lambda>".into(),
            params,
            body: crate::syntax::ast::Body::Expr(*body),
            source: Arc::from("lambda x: x % k"),
            captures: vec![],
        }));
        let g = method(
            &b,
            "groupby",
            &Args::new("Bag.groupby", vec![lam.clone()]),
            &mut ctx,
        )
        .expect("groupby");
        let Value::List(groups) = run(&g) else {
            panic!()
        };
        let mut got: Vec<String> = groups.read().iter().map(repr).collect();
        got.sort();
        assert_eq!(got, vec!["(0, [0, 2, 4, 6, 8])", "(1, [1, 3, 5, 7, 9])"]);
        let fr = method(
            &b,
            "frequencies",
            &Args::new("Bag.frequencies", vec![]),
            &mut ctx,
        )
        .expect("freq");
        let Some(fb) = fr.get::<Arc<LazyBag>>() else {
            panic!()
        };
        assert_eq!(fb.npartitions, 1);
        let e = method(&b, "mapp", &Args::new("Bag.mapp", vec![]), &mut ctx).expect_err("typo");
        assert_eq!(e.hint.as_deref(), Some("did you mean 'map'?"));
        let e = method(
            &b,
            "map",
            &Args::new("Bag.map", vec![Value::Int(1)]),
            &mut ctx,
        )
        .expect_err("not callable");
        assert!(e.message.contains("must be a function"), "{}", e.message);
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("64MB"), Some(64_000_000));
        assert_eq!(parse_size("1 KiB"), Some(1024));
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn text_paths_fill_the_star() {
        assert_eq!(text_paths("out/*.txt", 2), vec!["out/0.txt", "out/1.txt"]);
        assert_eq!(text_paths("out/", 1), vec!["out/0.part"]);
    }
}
