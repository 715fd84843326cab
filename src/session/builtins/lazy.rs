//! What every lazy value can do, whatever its collection: compute, visualize, keys.

use crate::array::lazy::LazyArray;
use crate::bag::lazy::LazyBag;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::frame::lazy::LazyFrame;
use crate::graph::chunk::Chunk;
use crate::graph::key::Key;
use crate::graph::task::Layer;
use crate::scheduler::{ComputeOptions, SchedulerKind};
use crate::session::runtime::Frame;
use crate::session::session::Session;
use crate::value::args::Args;
use crate::value::value::Value;
use std::sync::Arc;

/// Methods handled here for every lazy collection.
pub const GENERIC_METHODS: &[&str] = &["compute", "visualize", "keys", "__dask_keys__", "persist"];

/// The graph roots and output keys of a lazy value, or None for an eager one.
pub fn graph_of(v: &Value) -> Option<(Arc<Layer>, Vec<Key>)> {
    match v {
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => {
            Some((a.layer.clone(), a.output_keys()))
        }
        __v if let Some(b) = __v.get::<Arc<LazyBag>>() => Some((b.layer.clone(), b.output_keys())),
        __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => {
            Some((f.layer.clone(), f.output_keys()))
        }
        _ => None,
    }
}

/// The keywords `compute` takes.
const COMPUTE_KW: &[&str] = &["scheduler", "get", "progress", "num_workers"];

/// Read `scheduler=`, `get=`, `progress=`, `num_workers=` over the session defaults.
pub fn compute_options(base: &ComputeOptions, args: &Args) -> Result<ComputeOptions> {
    let mut o = base.clone();
    // the 2016 spelling: compute(get=dask.get), dask.threaded.get, dask.multiprocessing.get
    for kw in ["get", "scheduler"] {
        if let Some(f) = args.kw(kw).filter(|v| matches!(v, Value::Func(_))) {
            o.scheduler = super::modules::dask::scheduler_arg(f).map_err(|e| {
                match args.span_of(usize::MAX, kw) {
                    Some(sp) => e.with_span(sp),
                    None => e,
                }
            })?;
        }
    }
    if let Some(g) = args.kw("get").filter(|v| !matches!(v, Value::Func(_))) {
        return Err(args.type_err(
            usize::MAX,
            "get",
            "dask.get, dask.threaded.get or dask.multiprocessing.get",
            g,
        ));
    }
    if let Some(s) = args
        .kw("scheduler")
        .filter(|v| !matches!(v, Value::Func(_)))
    {
        match s {
            Value::Str(name) => {
                o.scheduler = SchedulerKind::parse(name).ok_or_else(|| {
                    let e = RaskError::value(format!(
                        "unknown scheduler '{}': use \"sync\", \"threads\" or \"processes\"",
                        name
                    ));
                    match args.span_of(usize::MAX, "scheduler") {
                        Some(sp) => e.with_span(sp),
                        None => e,
                    }
                })?;
            }
            other => return Err(args.type_err(usize::MAX, "scheduler", "str", other)),
        }
    }
    if let Some(p) = args.kw("progress") {
        o.progress = Some(p.truthy());
    }
    if let Some(n) = args.int_opt(usize::MAX, "num_workers")? {
        if n < 1 {
            return Err(args.value_err(
                usize::MAX,
                "num_workers",
                "num_workers must be at least 1",
            ));
        }
        let cap = max_workers();
        if n as u64 > cap as u64 {
            return Err(args
                .value_err(
                    usize::MAX,
                    "num_workers",
                    format!("num_workers={} is more than the limit of {}", n, cap),
                )
                .with_hint("the limit is 4 per core; set RASK_MAX_WORKERS to change it"));
        }
        o.num_workers = Some(n as usize);
    }
    Ok(o)
}

impl Session {
    /// Compute several values in one shared graph; eager values pass through unchanged.
    pub fn compute_values(
        &mut self,
        values: &[Value],
        opts: Option<&ComputeOptions>,
    ) -> Result<Vec<Value>> {
        let opts = opts.cloned().unwrap_or_else(|| self.opts.clone());
        let mut roots = Vec::new();
        let mut keys = Vec::new();
        // how many of the results each value has (in order, one after another)
        let mut counts = Vec::new();
        for v in values {
            if let Some((layer, ks)) = graph_of(v) {
                roots.push(layer);
                counts.push(ks.len());
                keys.extend(ks);
            } else {
                counts.push(0);
            }
        }
        let results = if keys.is_empty() {
            Vec::new()
        } else {
            crate::scheduler::compute(&roots, &keys, &opts)?
        };
        // each value takes its own results, so a one-chunk array can be moved out of its
        // result rather than copied (the 8 MB of an x.T @ x, twice before)
        let mut results = results.into_iter();
        let mut out = Vec::with_capacity(values.len());
        for (v, n) in values.iter().zip(counts) {
            let mine: Vec<Arc<Chunk>> = results.by_ref().take(n).collect();
            match v {
                __v if let Some(a) = __v.get::<Arc<LazyArray>>() => {
                    let arr = a.assemble_owned(mine)?;
                    out.push(crate::array::convert::into_value(arr));
                }
                __v if let Some(b) = __v.get::<Arc<LazyBag>>() => out.push(b.assemble(&mine)?),
                __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => out.push(f.assemble(&mine)?),
                other => out.push(other.clone()),
            }
        }
        Ok(out)
    }
}

/// `compute`, `persist`, `visualize` and `keys` of any lazy value.
pub fn lazy_method(fr: &mut Frame, recv: &Value, name: &str, args: Args) -> Result<Value> {
    match name {
        "compute" | "persist" => {
            args.check(COMPUTE_KW)?;
            let opts = compute_options(&fr.opts(), &args)?;
            let mut v = fr.compute(std::slice::from_ref(recv), Some(&opts))?;
            let r = v.remove(0);
            if name == "persist" {
                if let Some(a) = r.get::<Arc<NdArr>>() {
                    // keep the chunking of the original
                    if let Some(orig) = recv.get::<Arc<LazyArray>>() {
                        let chunks = Value::tuple(
                            orig.chunks
                                .iter()
                                .map(|c| {
                                    Value::tuple(c.iter().map(|&n| Value::Int(n as i64)).collect())
                                })
                                .collect(),
                        );
                        let mut fa = Args::new("da.from_array", vec![Value::obj(a.clone())]);
                        fa.kw.push(("chunks".into(), chunks));
                        return crate::array::da_api::call("from_array", &fa);
                    }
                }
            }
            Ok(r)
        }
        "visualize" => {
            args.check(&["filename"])?;
            let filename = args.str_opt(0, "filename")?;
            let (layer, keys) =
                graph_of(recv).ok_or_else(|| RaskError::type_("visualize() needs a lazy value"))?;
            show_graph(fr, &[layer], &keys, filename.as_deref())
        }
        "keys" | "__dask_keys__" => match recv {
            __v if let Some(a) = __v.get::<Arc<LazyArray>>() => Ok(a.keys_value()),
            __v if let Some(b) = __v.get::<Arc<LazyBag>>() => Ok(b.keys_value()),
            __v if let Some(f) = __v.get::<Arc<LazyFrame>>() => Ok(f.keys_value()),
            _ => Err(RaskError::type_("keys() needs a lazy value")),
        },
        other => Err(RaskError::name(format!("no method '{}'", other))),
    }
}

/// `compute(a, b, scheduler=...)`: one graph, a tuple of results.
pub fn compute_builtin(fr: &mut Frame, args: Args) -> Result<Value> {
    for (k, _) in &args.kw {
        if !COMPUTE_KW.contains(&k.as_str()) {
            return Err(RaskError::type_(format!(
                "compute() got an unexpected keyword argument '{}'",
                k
            )));
        }
    }
    let opts = compute_options(&fr.opts(), &args)?;
    let vals = fr.compute(&args.pos, Some(&opts))?;
    Ok(Value::tuple(vals))
}

/// `visualize(a, b, filename=...)`: draw the graphs of several values together.
pub fn visualize_builtin(fr: &mut Frame, args: Args) -> Result<Value> {
    let filename = args.kw("filename").map(|v| match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(args.type_err(usize::MAX, "filename", "str", other)),
    });
    let filename = match filename {
        Some(r) => Some(r?),
        None => None,
    };
    let mut roots = Vec::new();
    let mut keys = Vec::new();
    for v in &args.pos {
        let (l, k) = graph_of(v).ok_or_else(|| {
            RaskError::type_(format!(
                "visualize() needs lazy values, not {}",
                v.type_name()
            ))
        })?;
        roots.push(l);
        keys.extend(k);
    }
    show_graph(fr, &roots, &keys, filename.as_deref())
}

/// Draw a graph: into the file named, else as text, and in a notebook as an inline
/// SVG picture (laid out here, no Graphviz).
fn show_graph(
    fr: &mut Frame,
    roots: &[Arc<crate::graph::task::Layer>],
    keys: &[crate::graph::key::Key],
    filename: Option<&str>,
) -> Result<Value> {
    if filename.is_none() && fr.renders_rich() {
        let (text, svg) = crate::graph::visualize::drawings(roots, keys)?;
        fr.display(&text, &[("image/svg+xml".to_string(), svg)]);
        return Ok(Value::None);
    }
    let text = crate::graph::visualize(roots, keys, filename)?;
    fr.display(&text, &[]);
    Ok(Value::None)
}

/// The most workers a compute may ask for: `RASK_MAX_WORKERS`, else 4 per core (Dask
/// starts one per core; more only adds threads or processes that wait on each other).
pub fn max_workers() -> usize {
    std::env::var("RASK_MAX_WORKERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n >= 1)
        .unwrap_or_else(|| {
            4 * std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .max(1)
        })
}
