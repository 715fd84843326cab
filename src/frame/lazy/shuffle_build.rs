//! Graphs that move rows: set_index (sorted input sliced in place, anything else range-
//! shuffled through disk), hash shuffles for merges and group-apply, repartition.

use super::build::{blockwise, task};
use super::ops::{Arg, FrameOp};
use super::part::{Pandas, PartOp};
use super::quantiles::ColumnSummary;
use super::shuffle::{bucket_of, ShuffleBy, ShuffleOp};
use super::{FrameKind, LazyFrame, Origin};
use crate::common::shuffle_dir::ShuffleDir;
use crate::errors::{RaskError, Result};
use crate::frame::eager::PFrame;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Task};
use crate::value::args::Args;
use crate::value::pyops::cmp;
use crate::value::value::Value;
use polars::prelude::NamedFrom;
use std::sync::Arc;

fn new_frame(
    name: Arc<str>,
    tasks: Vec<(Key, Task)>,
    deps: Vec<Arc<Layer>>,
    n: usize,
    meta: Value,
    divisions: Option<Vec<Value>>,
) -> LazyFrame {
    LazyFrame {
        origin: None,
        layer: Layer::new(name.clone(), tasks, deps),
        name,
        npartitions: n,
        kind: super::build::kind_of(&meta),
        meta,
        divisions,
    }
}

/// Per partition: the summary of a column (min, max, counts and `k` + 1 samples; see
/// quantiles.rs), which set_index computes before it plans. CSV input is scanned for the
/// column's bytes only.
fn summaries(f: &LazyFrame, col: &str, k: usize) -> Result<LazyFrame> {
    let blocks: Option<Vec<crate::frame::csv::CsvBlock>> =
        super::project::project_read(f, &[col.to_string()]).map(|_| {
            (0..f.npartitions)
                .filter_map(|i| super::project::read_block(f, i))
                .collect()
        });
    Ok(match blocks {
        // straight from CSV files: scan the column's bytes
        Some(bs) if bs.len() == f.npartitions => {
            let name = layer_name("summary", &format!("{:?}|{}|{}", bs, col, k));
            let tasks = bs
                .into_iter()
                .enumerate()
                .map(|(i, b)| {
                    (
                        Key::new(&name, vec![i as u32]),
                        task(FrameOp::CsvSummary(b, col.to_string(), k), vec![]),
                    )
                })
                .collect();
            new_frame(name, tasks, vec![], f.npartitions, Value::None, None)
        }
        _ => blockwise(
            "summary",
            &[f],
            FrameOp::Part(PartOp::Summary(col.to_string(), k)),
            Some(Value::None),
        )?,
    })
}

/// What set_index was asked: exact `divisions`, a number of output partitions, or
/// `sorted` (the column is in order already: no shuffle).
#[derive(Clone, Debug, Default)]
pub struct SetIndexOpts {
    pub divisions: Option<Vec<Value>>,
    pub npartitions: Option<usize>,
    pub sorted: bool,
}

fn check_divisions(d: &[Value]) -> Result<()> {
    if d.len() < 2 {
        return Err(RaskError::value(
            "divisions need at least two values (the bounds of one partition)",
        ));
    }
    for w in d.windows(2) {
        if cmp(&w[0], &w[1])?.is_gt() {
            return Err(RaskError::value(format!(
                "divisions must be sorted: {} comes before {}",
                crate::value::display::repr(&w[0]),
                crate::value::display::repr(&w[1])
            )));
        }
    }
    for w in d[..d.len() - 1].windows(2) {
        if cmp(&w[0], &w[1])?.is_eq() {
            return Err(RaskError::value(format!(
                "divisions must be unique except for the last one (repeated {})",
                crate::value::display::repr(&w[0])
            )));
        }
    }
    Ok(())
}

/// set_index's checks, and the graph that scans the column (computed before the rest of
/// set_index is planned, by `set_index`).
pub fn set_index_scan(f: &LazyFrame, col: &str, opts: &SetIndexOpts) -> Result<LazyFrame> {
    let m = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => m.clone(),
        _ => return Err(RaskError::type_("set_index needs a frame")),
    };
    m.column(col)?;
    if let Some(d) = &opts.divisions {
        check_divisions(d)?;
    }
    if opts.sorted && opts.npartitions.is_some() {
        return Err(RaskError::value(
            "set_index: npartitions= with sorted=True is not supported (as in Dask): call repartition afterwards",
        ));
    }
    // exact divisions need only each partition's min and max
    let k = match opts.divisions {
        Some(_) => 0,
        None => super::quantiles::samples_for(opts.npartitions.unwrap_or(f.npartitions)),
    };
    summaries(f, col, k)
}

fn repr(v: &Value) -> String {
    crate::value::display::repr(v)
}

/// set_index of `f` by `col` given each partition's summary of it (from `set_index_scan`):
/// input in order is sliced in place, anything else range-shuffled on divisions that are
/// given or cut from the summaries' quantiles.
pub fn set_index(
    f: &LazyFrame,
    col: &str,
    opts: &SetIndexOpts,
    scans: &[ColumnSummary],
) -> Result<LazyFrame> {
    let m = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => m.clone(),
        _ => return Err(RaskError::type_("set_index needs a frame")),
    };
    let nonempty: Vec<(usize, &ColumnSummary)> = scans
        .iter()
        .enumerate()
        .filter(|(_, s)| s.count > 0)
        .collect();
    let missing: i64 = scans.iter().map(|s| s.missing).sum();
    // in order when each partition starts at or after the previous one's end (blocks of
    // one file may share a value: the outputs gather from every input that overlaps)
    let mut overlap = None;
    for w in nonempty.windows(2) {
        if cmp(&w[0].1.max, &w[1].1.min)?.is_gt() {
            overlap = Some((w[0], w[1]));
            break;
        }
    }
    if opts.sorted {
        if let Some(((i, a), (j, b))) = overlap {
            return Err(RaskError::value(format!(
                "'{}' is not sorted across partitions, as sorted=True says: partition {} holds {} .. {} and partition {} holds {} .. {}",
                col, i, repr(&a.min), repr(&a.max), j, repr(&b.min), repr(&b.max)
            ))
            .with_hint("drop sorted=True to sort the data (a shuffle), or give divisions=[...]"));
        }
    }
    // missing keys go to the end of the last partition, as pandas sorts them: a shuffle
    let sorted = overlap.is_none() && missing == 0;
    let divisions = match &opts.divisions {
        Some(d) => {
            if let (Some(lo), Some(hi)) = (nonempty.first(), nonempty.last()) {
                let lo = nonempty
                    .iter()
                    .map(|x| &x.1.min)
                    .try_fold(&lo.1.min, |a, b| {
                        cmp(a, b).map(|o| if o.is_gt() { b } else { a })
                    })?;
                let hi = nonempty
                    .iter()
                    .map(|x| &x.1.max)
                    .try_fold(&hi.1.max, |a, b| {
                        cmp(a, b).map(|o| if o.is_lt() { b } else { a })
                    })?;
                if cmp(lo, &d[0])?.is_lt() || cmp(hi, &d[d.len() - 1])?.is_gt() {
                    return Err(RaskError::value(format!(
                        "divisions {} .. {} do not cover the data: '{}' runs from {} to {}",
                        repr(&d[0]),
                        repr(&d[d.len() - 1]),
                        col,
                        repr(lo),
                        repr(hi)
                    )));
                }
            }
            d.clone()
        }
        None if sorted
            && !nonempty.is_empty()
            && opts.npartitions.is_none_or(|n| n == f.npartitions) =>
        {
            // each distinct start opens a partition; the last end closes the last one
            let mut d: Vec<Value> = nonempty.iter().map(|x| x.1.min.clone()).collect();
            d.dedup_by(|a, b| crate::value::pyops::eq(a, b));
            d.push(nonempty[nonempty.len() - 1].1.max.clone());
            d
        }
        None => {
            let nout = opts.npartitions.unwrap_or(f.npartitions);
            match super::quantiles::divisions(scans, nout)? {
                Some(d) => d,
                None => return without_values(f, col),
            }
        }
    };
    let nout = divisions.len() - 1;
    let meta_out = Value::obj(Arc::new(crate::frame::eager::frame_methods::set_index(
        &m, col,
    )?));
    if sorted {
        let ranges = nonempty
            .iter()
            .map(|(i, s)| (*i, s.min.clone(), s.max.clone()))
            .collect();
        return sorted_ranges(f, col, divisions, ranges);
    }
    // check coverage row by row while splitting; rows outside fail with the value
    let by = ShuffleBy::Range {
        column: col.to_string(),
        divisions: divisions.clone(),
    };
    let mut out = shuffle(f, by, nout, Some(col.to_string()))?;
    out.meta = meta_out;
    out.divisions = Some(divisions);
    let _ = bucket_of;
    Ok(out)
}

/// set_index by a column with no value (no rows, or every key missing): one partition,
/// its divisions unknown.
fn without_values(f: &LazyFrame, col: &str) -> Result<LazyFrame> {
    let meta_out = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => Value::obj(Arc::new(
            crate::frame::eager::frame_methods::set_index(m, col)?,
        )),
        _ => return Err(RaskError::type_("set_index needs a frame")),
    };
    let one = repartition(f, 1)?;
    let mut out = blockwise(
        "set-index",
        &[&one],
        FrameOp::SetIndexSorted(col.to_string()),
        Some(meta_out),
    )?;
    out.divisions = None;
    Ok(out)
}

/// set_index on input already in order: no shuffle, each output range takes the rows of
/// the inputs that overlap it. `ranges`: the input partitions that hold rows, with their
/// (min, max) of `col`.
fn sorted_ranges(
    f: &LazyFrame,
    col: &str,
    divisions: Vec<Value>,
    ranges: Vec<(usize, Value, Value)>,
) -> Result<LazyFrame> {
    let meta_out = match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => Value::obj(Arc::new(
            crate::frame::eager::frame_methods::set_index(m, col)?,
        )),
        _ => return Err(RaskError::type_("set_index needs a frame")),
    };
    let nout = divisions.len() - 1;
    let si = blockwise(
        "set-index",
        &[f],
        FrameOp::SetIndexSorted(col.to_string()),
        Some(meta_out.clone()),
    )?;
    let name = layer_name("set-index-ranges", &format!("{}|{:?}", si.name, divisions));
    let mut tasks = Vec::new();
    for j in 0..nout {
        let (lo, hi) = (&divisions[j], &divisions[j + 1]);
        let last = j == nout - 1;
        let deps: Vec<Key> = ranges
            .iter()
            .filter(|(_, mn, mx)| {
                let below = if last {
                    cmp(mn, hi).map(|o| o.is_gt()).unwrap_or(true)
                } else {
                    cmp(mn, hi).map(|o| o.is_ge()).unwrap_or(true)
                };
                let above = cmp(mx, lo).map(|o| o.is_lt()).unwrap_or(true);
                !below && !above
            })
            .map(|(i, _, _)| si.key(*i))
            .collect();
        let op = if deps.is_empty() {
            FrameOp::Data(meta_out.clone())
        } else {
            FrameOp::Part(PartOp::RangeGather {
                lo: lo.clone(),
                hi: hi.clone(),
                last,
            })
        };
        tasks.push((Key::new(&name, vec![j as u32]), task(op, deps)));
    }
    let mut out = new_frame(
        name.clone(),
        tasks,
        vec![si.layer.clone()],
        nout,
        meta_out,
        Some(divisions.clone()),
    );
    out.origin = Some(Arc::new(Origin::SortedSetIndex {
        output: name,
        input: f.clone(),
        col: col.to_string(),
        divisions,
        ranges,
    }));
    Ok(out)
}

/// `f` (a sorted set_index) over only the columns `cols` of its output, and the index:
/// the projection goes into its input. `None` when `f` is no such frame or its input
/// cannot be projected.
pub fn project_set_index(f: &LazyFrame, cols: &[String]) -> Option<LazyFrame> {
    let Origin::SortedSetIndex {
        output,
        input,
        col,
        divisions,
        ranges,
    } = &**f.origin.as_ref()?;
    if *output != f.name {
        return None;
    }
    // the input's columns in its own order: the ones asked for and the index
    let keep: Vec<String> = input
        .columns()
        .into_iter()
        .filter(|c| c == col || cols.contains(c))
        .collect();
    let src = super::project::project(input, &keep)?;
    sorted_ranges(&src, col, divisions.clone(), ranges.clone()).ok()
}

/// Split every partition into `nout` files, then one task per output reads its files.
fn shuffle(f: &LazyFrame, by: ShuffleBy, nout: usize, index: Option<String>) -> Result<LazyFrame> {
    let dir = ShuffleDir::new()?;
    let split_name = layer_name("shuffle-split", &format!("{}|{:?}|{}", f.name, by, nout));
    let mut tasks = Vec::new();
    let split_keys: Vec<Key> = (0..f.npartitions)
        .map(|i| {
            let k = Key::new(&split_name, vec![i as u32]);
            tasks.push((
                k.clone(),
                task(
                    FrameOp::Shuffle(ShuffleOp::Split {
                        dir: dir.clone(),
                        part: i,
                        nout,
                        by: by.clone(),
                    }),
                    vec![f.key(i)],
                ),
            ));
            k
        })
        .collect();
    let name = layer_name(
        "shuffle",
        &format!("{}|{:?}|{}|{:?}", f.name, by, nout, index),
    );
    for j in 0..nout {
        tasks.push((
            Key::new(&name, vec![j as u32]),
            task(
                FrameOp::Shuffle(ShuffleOp::Collect {
                    dir: dir.clone(),
                    bucket: j,
                    nin: f.npartitions,
                    index: index.clone(),
                    meta: f.meta.clone(),
                }),
                split_keys.clone(),
            ),
        ));
    }
    Ok(new_frame(
        name,
        tasks,
        vec![f.layer.clone()],
        nout,
        f.meta.clone(),
        None,
    ))
}

pub fn hash_shuffle(f: &LazyFrame, keys: &[String], nout: usize) -> Result<LazyFrame> {
    shuffle(f, ShuffleBy::Hash(keys.to_vec()), nout.max(1), None)
}

fn str_list(v: &Value) -> Result<Vec<String>> {
    crate::frame::eager::frame_methods::key_list(v)
}

/// `dd.merge(left, right, ...)`: a pandas (or one-partition) right side is joined to
/// every partition; frames with the same known divisions join partition by partition on
/// the index; anything else is hash-shuffled on the keys first.
pub fn merge(f: &LazyFrame, right: &Value, args: &Args) -> Result<LazyFrame> {
    let mut kw: Vec<(String, Arg)> = args
        .kw
        .iter()
        .map(|(k, v)| (k.clone(), Arg::Val(v.clone())))
        .collect();
    let li = args.bool_or(99, "left_index", false)?;
    let ri = args.bool_or(99, "right_index", false)?;
    match right {
        __v if let Some(_) = __v.get::<Arc<PFrame>>() => {
            let op = FrameOp::Call {
                recv: Arg::Dep(0),
                method: Pandas::Merge,
                args: vec![Arg::Val(right.clone())],
                kw,
            };
            let mut out = blockwise("merge", &[f], op, None)?;
            if !(li && ri) {
                out.divisions = None;
            }
            Ok(out)
        }
        __v if let Some(r) = __v.get::<Arc<LazyFrame>>() => {
            let aligned = li
                && ri
                && f.divisions.is_some()
                && f.divisions.as_ref().map(|d| d.len()) == r.divisions.as_ref().map(|d| d.len())
                && {
                    let (a, b) = (
                        f.divisions.as_deref().unwrap_or(&[]),
                        r.divisions.as_deref().unwrap_or(&[]),
                    );
                    a.iter().zip(b).all(|(x, y)| crate::value::pyops::eq(x, y))
                };
            let (l2, r2) = if aligned || r.npartitions == 1 && f.npartitions == 1 {
                (f.clone(), (**r).clone())
            } else {
                let lkeys: Vec<String> = if li {
                    vec![index_key(f)?]
                } else {
                    args.kw("left_on")
                        .or(args.kw("on"))
                        .map(str_list)
                        .transpose()?
                        .unwrap_or_else(|| common(f, r))
                };
                let rkeys: Vec<String> = if ri {
                    vec![index_key(r)?]
                } else {
                    args.kw("right_on")
                        .or(args.kw("on"))
                        .map(str_list)
                        .transpose()?
                        .unwrap_or_else(|| common(f, r))
                };
                if lkeys.is_empty() {
                    return Err(RaskError::value(
                        "merge: no common columns to join on; give on= or left_on=/right_on=",
                    ));
                }
                let n = f.npartitions.max(r.npartitions);
                (hash_shuffle(f, &lkeys, n)?, hash_shuffle(r, &rkeys, n)?)
            };
            kw.retain(|(k, _)| k != "npartitions" && k != "shuffle");
            let op = FrameOp::Call {
                recv: Arg::Dep(0),
                method: Pandas::Merge,
                args: vec![Arg::Dep(1)],
                kw,
            };
            let mut out = blockwise("merge", &[&l2, &r2], op, None)?;
            if !aligned {
                out.divisions = None;
            }
            Ok(out)
        }
        other => Err(args.type_err(0, "right", "a frame", other)),
    }
}

fn index_key(f: &LazyFrame) -> Result<String> {
    match &f.meta {
        __v if let Some(m) = __v.get::<Arc<PFrame>>() => m.index_name().ok_or_else(|| {
            RaskError::value("merge on the index: this frame has no named index (set_index first)")
        }),
        _ => Err(RaskError::type_("merge needs frames")),
    }
}

fn common(a: &LazyFrame, b: &LazyFrame) -> Vec<String> {
    let bc = b.columns();
    a.columns().into_iter().filter(|c| bc.contains(c)).collect()
}

/// Fewer partitions: consecutive partitions stacked; more: not needed by the tutorial,
/// so more partitions than there are means splitting rows evenly within each.
pub fn repartition(f: &LazyFrame, k: usize) -> Result<LazyFrame> {
    let n = f.npartitions;
    let name = layer_name("repartition", &format!("{}|{}", f.name, k));
    let mut tasks = Vec::new();
    if k <= n {
        for j in 0..k {
            let lo = j * n / k;
            let hi = (j + 1) * n / k;
            let deps: Vec<Key> = (lo..hi).map(|i| f.key(i)).collect();
            tasks.push((Key::new(&name, vec![j as u32]), task(FrameOp::Concat, deps)));
        }
        let divisions = f.divisions.as_ref().map(|d| {
            let mut v: Vec<Value> = (0..k).map(|j| d[j * n / k].clone()).collect();
            v.push(d[n].clone());
            v
        });
        return Ok(new_frame(
            name,
            tasks,
            vec![f.layer.clone()],
            k,
            f.meta.clone(),
            divisions,
        ));
    }
    // split each partition into pieces
    let per = k.div_ceil(n);
    let mut j = 0;
    for i in 0..n {
        for p in 0..per {
            tasks.push((
                Key::new(&name, vec![j as u32]),
                task(
                    FrameOp::Part(PartOp::Piece {
                        piece: p,
                        pieces: per,
                    }),
                    vec![f.key(i)],
                ),
            ));
            j += 1;
        }
    }
    Ok(new_frame(
        name,
        tasks,
        vec![f.layer.clone()],
        j,
        f.meta.clone(),
        None,
    ))
}

/// `dd.from_pandas(frame, npartitions=k)`: row ranges; divisions when the index is sorted.
pub fn from_pandas(v: &Value, k: usize) -> Result<LazyFrame> {
    let (n, meta) = match v {
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
            (f.height(), Value::obj(Arc::new(f.empty_like())))
        }
        __v if let Some(s) = __v.get::<std::sync::Arc<crate::frame::eager::PSeries>>() => {
            (s.len(), Value::obj(Arc::new(s.empty_like())))
        }
        other => {
            return Err(RaskError::type_(format!(
                "from_pandas needs a pandas DataFrame or Series, not {}",
                other.type_name()
            )))
        }
    };
    let k = k.max(1).min(n.max(1));
    let chunk = n.div_ceil(k).max(1);
    let starts: Vec<usize> = (0..n).step_by(chunk).collect();
    let starts = if starts.is_empty() { vec![0] } else { starts };
    let name = layer_name("from_pandas", &format!("{:?}|{}", v, k));
    let mut tasks = Vec::new();
    let mut parts = Vec::new();
    for (j, &s) in starts.iter().enumerate() {
        let len = chunk.min(n - s);
        let part = match v {
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => {
                Value::obj(Arc::new(f.slice(s as i64, len)))
            }
            __v if let Some(x) = __v.get::<std::sync::Arc<crate::frame::eager::PSeries>>() => {
                Value::obj(Arc::new(x.slice(s as i64, len)))
            }
            _ => Value::None,
        };
        let part = with_positions(part, s)?;
        parts.push(part.clone());
        tasks.push((
            Key::new(&name, vec![j as u32]),
            task(FrameOp::Data(part), vec![]),
        ));
    }
    let index_of = |p: &Value| -> Option<polars::prelude::Series> {
        match p {
            __v if let Some(f) = __v.get::<Arc<PFrame>>() => Some(f.index_series()),
            __v if let Some(s) = __v.get::<std::sync::Arc<crate::frame::eager::PSeries>>() => {
                Some(s.index_series())
            }
            _ => None,
        }
    };
    // divisions when the whole index is sorted
    let full_index = match v {
        __v if let Some(f) = __v.get::<Arc<PFrame>>() => f.index_series(),
        __v if let Some(s) = __v.get::<std::sync::Arc<crate::frame::eager::PSeries>>() => {
            s.index_series()
        }
        _ => return Err(RaskError::runtime("from_pandas")),
    };
    let vals = crate::frame::eager::convert::series_values(&full_index)?;
    let sorted = vals
        .windows(2)
        .all(|w| cmp(&w[0], &w[1]).map(|o| o.is_le()).unwrap_or(false));
    let divisions = if sorted && n > 0 {
        let mut d: Vec<Value> = parts
            .iter()
            .filter_map(|p| {
                index_of(p).and_then(|s| crate::frame::eager::convert::cell(&s, 0).ok())
            })
            .collect();
        d.push(vals[n - 1].clone());
        Some(d)
    } else {
        None
    };
    Ok(new_frame(
        name,
        tasks,
        vec![],
        starts.len(),
        meta,
        divisions,
    ))
}

/// A slice of a frame with the default index keeps its row numbers as the index.
fn with_positions(v: Value, start: usize) -> Result<Value> {
    let pos = |len: usize| {
        polars::prelude::Series::new(
            polars::prelude::PlSmallStr::EMPTY,
            (start as i64..(start + len) as i64).collect::<Vec<i64>>(),
        )
    };
    Ok(match v {
        ref __v if let Some(f) = __v.get::<Arc<PFrame>>().filter(|f| f.index.is_none()) => {
            let h = f.height();
            Value::obj(Arc::new(PFrame {
                df: f.df.clone(),
                index: Some(pos(h)),
            }))
        }
        ref __v
            if let Some(s) = __v
                .get::<std::sync::Arc<crate::frame::eager::PSeries>>()
                .filter(|s| s.index.is_none()) =>
        {
            let h = s.len();
            Value::obj(Arc::new(crate::frame::eager::PSeries {
                s: s.s.clone(),
                index: Some(pos(h)),
            }))
        }
        o => o,
    })
}

pub fn kind_check(f: &LazyFrame) -> bool {
    f.kind == FrameKind::DataFrame
}
