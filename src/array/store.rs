//! Writing a lazy array into HDF5, as Dask does: `da.to_hdf5(path, "/x", x)` (or a dict
//! of datapaths and arrays), `x.to_hdf5(path, "/x")`, `da.store(sources, targets)` and
//! `x.store(target)` into `h5py` datasets. The datasets are made first (chunked like the
//! array unless `chunks=` says otherwise; gzip and shuffle as h5py takes them); then one
//! task per block writes it where it belongs. Writes run in the session's process
//! (`TaskOp::in_client`), one at a time under the HDF5 library's lock, while the blocks
//! are computed on any scheduler.

use super::lazy::factor::offsets;
use super::lazy::{grid_indices, LazyArray};
use super::ops::chunk_nd;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task, TaskOp};
use crate::graph::wire;
use crate::io::h5_write::{self, Layout};
use crate::io::hdf5::{self as h5, H5Dataset};
use crate::scheduler::ComputeOptions;
use crate::value::args::Args;
use crate::value::value::Value;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// `da.<name>` this module answers.
pub const FUNCTIONS: &[&str] = &["to_hdf5", "store"];
/// `x.<name>` this module answers.
pub const METHODS: &[&str] = &["to_hdf5", "store"];

const TAG: &str = "array-store";

/// Write one block into an HDF5 dataset with its first element at `start`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoreH5 {
    path: String,
    dataset: String,
    start: Vec<usize>,
}

impl TaskOp for StoreH5 {
    fn label(&self) -> String {
        "store".into()
    }
    fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        let block = inputs
            .first()
            .and_then(|c| chunk_nd(c))
            .ok_or_else(|| RaskError::runtime("a store task lacks its array block"))?;
        h5_write::write_block(&self.path, &self.dataset, &self.start, block)?;
        Ok(Chunk::Value(Value::None))
    }
    fn tag(&self) -> &'static str {
        TAG
    }
    fn encode(&self) -> Result<Vec<u8>> {
        wire::encode_with(self)
    }
    fn in_client(&self) -> bool {
        true
    }
}

/// Let this process decode store ops (they run in the client, but a graph is a graph).
pub fn register() {
    wire::register_op(TAG, wire::decode_with::<StoreH5>);
}

/// A layer of tasks writing every block of `x` into `dataset` of `path`, the block at
/// index `i` landing at `region + the block's offset`.
fn store_layer(
    x: &LazyArray,
    path: &str,
    dataset: &str,
    region: &[usize],
) -> (Arc<Layer>, Vec<Key>) {
    let name = layer_name(
        "store",
        &format!("{}|{}|{}|{:?}", x.name, path, dataset, region),
    );
    let offs: Vec<Vec<usize>> = x.chunks.iter().map(|c| offsets(c)).collect();
    let mut tasks = Vec::new();
    for idx in grid_indices(&x.numblocks()) {
        let start: Vec<usize> = idx
            .iter()
            .enumerate()
            .map(|(d, &i)| region.get(d).copied().unwrap_or(0) + offs[d][i])
            .collect();
        let key = Key::new(&name, idx.iter().map(|&i| i as u32).collect());
        let op = Op::new(StoreH5 {
            path: path.to_string(),
            dataset: dataset.to_string(),
            start,
        });
        tasks.push((
            key,
            Task {
                op,
                deps: vec![x.key(&idx)],
            },
        ));
    }
    let keys = tasks.iter().map(|(k, _)| k.clone()).collect();
    (Layer::new(name, tasks, vec![x.layer.clone()]), keys)
}

/// Compute every store layer in one graph (shared inputs are computed once).
fn run(stores: Vec<(Arc<Layer>, Vec<Key>)>, opts: &ComputeOptions) -> Result<Value> {
    let layers: Vec<Arc<Layer>> = stores.iter().map(|(l, _)| l.clone()).collect();
    let keys: Vec<Key> = stores.into_iter().flat_map(|(_, k)| k).collect();
    if !keys.is_empty() {
        crate::scheduler::compute(&layers, &keys, opts)?;
    }
    Ok(Value::None)
}

fn lazy_array(v: &Value, what: &str) -> Result<Arc<LazyArray>> {
    match v {
        __v if let Some(a) = __v.get::<Arc<LazyArray>>() => Ok(a.clone()),
        other => Err(RaskError::type_(format!(
            "{} must be a dask array, not {}",
            what,
            other.type_name()
        ))
        .with_hint("make one with da.from_array(...)")),
    }
}

/// `da.to_hdf5` and `da.store`.
pub fn call(name: &str, args: &Args, opts: &ComputeOptions) -> Result<Value> {
    match name {
        "to_hdf5" => to_hdf5(args, opts),
        _ => store(args, opts),
    }
}

/// `x.to_hdf5(filename, datapath, **kwargs)` and `x.store(target, **kwargs)`: the
/// receiver goes in as the `x` (or `sources`) keyword, so the caller's own arguments keep
/// their positions and spans whether they came by position or by name.
pub fn method(x: &Arc<LazyArray>, name: &str, args: &Args, opts: &ComputeOptions) -> Result<Value> {
    let mut full = args.clone();
    let own = if name == "to_hdf5" { "x" } else { "sources" };
    if full.kw.iter().any(|(k, _)| k == own) {
        return Err(RaskError::type_(format!(
            "Array.{}() got an unexpected keyword argument '{}' (the array is the receiver)",
            name, own
        )));
    }
    if name == "store" {
        if full.pos.len() > 1 {
            return Err(RaskError::type_(format!(
                "Array.store() takes 1 positional argument (the target) but {} were given",
                full.pos.len()
            )));
        }
        // `targets` is da.store's second parameter: the one positional becomes it by name
        if let Some(t) = full.pos.pop() {
            let span = full.pos_spans.pop();
            if let Some(sp) = span.filter(|_| full.kw_spans.len() == full.kw.len()) {
                full.kw_spans.push(sp);
            }
            full.kw.push(("targets".into(), t));
        }
    }
    full.kw.push((own.into(), Value::obj(x.clone())));
    if name == "to_hdf5" {
        to_hdf5(&full, opts)
    } else {
        store(&full, opts)
    }
}

/// `da.to_hdf5(filename, datapath, x, chunks=True, compression=None,
/// compression_opts=None, shuffle=False)` or `da.to_hdf5(filename, {datapath: x, ...})`.
fn to_hdf5(args: &Args, opts: &ComputeOptions) -> Result<Value> {
    args.check(&[
        "filename",
        "datapath",
        "x",
        "chunks",
        "compression",
        "compression_opts",
        "shuffle",
    ])?;
    let path = args.str(0, "filename")?;
    let pairs: Vec<(String, Arc<LazyArray>)> = match args.req(1, "datapath")? {
        Value::Dict(d) => d
            .read()
            .iter()
            .map(|(k, v)| match k {
                Value::Str(s) => Ok((s.to_string(), lazy_array(v, "each value of the dict")?)),
                other => Err(RaskError::type_(format!(
                    "to_hdf5(): datapaths must be strings, not {}",
                    other.type_name()
                ))),
            })
            .collect::<Result<_>>()?,
        Value::Str(s) => vec![(s.to_string(), lazy_array(args.req(2, "x")?, "x")?)],
        other => return Err(args.type_err(1, "datapath", "a string or a dict", other)),
    };
    let gzip = match args.kw("compression") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) if &**s == "gzip" => Some(args.int_or(99, "compression_opts", 4)?),
        Some(Value::Int(level)) => Some(*level),
        Some(v) => {
            return Err(RaskError::value(format!("unsupported compression {:?}", v))
                .with_hint("rask writes compression=\"gzip\" (levels 0-9)"))
        }
    };
    if let Some(l) = gzip {
        if !(0..=9).contains(&l) {
            return Err(RaskError::value(
                "gzip level (compression_opts) must be 0-9",
            ));
        }
    }
    let shuffle = args.bool_or(99, "shuffle", false)?;
    let chunks_arg = args.kw("chunks").cloned();
    h5_write::ensure_file(&path)?;
    let mut stores = Vec::new();
    for (dp, x) in &pairs {
        let name = format!("/{}", dp.trim_start_matches('/'));
        // Dask: chunks=True stores the array's own (first) chunk shape
        let chunks = match &chunks_arg {
            None | Some(Value::Bool(true)) => {
                let c: Vec<usize> = x
                    .chunks
                    .iter()
                    .map(|c| c.first().copied().unwrap_or(1).max(1))
                    .collect();
                (!c.is_empty()).then_some(c)
            }
            Some(Value::None) | Some(Value::Bool(false)) => None,
            Some(v) => Some(dims(v)?),
        };
        let layout = Layout {
            chunks,
            gzip: gzip.map(|l| l as u8),
            shuffle,
        };
        require_dataset(&path, &name, x, &layout)?;
        stores.push(store_layer(x, &path, &name, &[]));
    }
    run(stores, opts)
}

/// h5py's `require_dataset`: make the dataset, or check the one there fits.
fn require_dataset(path: &str, name: &str, x: &LazyArray, layout: &Layout) -> Result<()> {
    let existing = h5::open(path).and_then(|f| f.dataset(name)).ok();
    match existing {
        None => h5_write::create_dataset(path, name, &x.shape, x.dtype, layout, None),
        Some(d) if d.shape != x.shape => Err(RaskError::type_(format!(
            "Shapes do not match (existing {} vs new {}) for dataset '{}' in '{}'",
            crate::common::format::shape_str(&d.shape),
            crate::common::format::shape_str(&x.shape),
            name,
            path
        ))),
        Some(_) => Ok(()),
    }
}

fn dims(v: &Value) -> Result<Vec<usize>> {
    let one = |x: &Value| match x {
        Value::Int(i) if *i > 0 => Ok(*i as usize),
        other => Err(RaskError::type_(format!(
            "chunks must hold positive ints, not {}",
            crate::value::display::repr(other)
        ))),
    };
    match v.seq() {
        Some(t) => t.iter().map(one).collect(),
        None => Ok(vec![one(v)?]),
    }
}

/// `da.store(sources, targets, lock=True, regions=None, compute=True)`: sources are dask
/// arrays, targets h5py datasets of the same shapes (one or a list of each).
fn store(args: &Args, opts: &ComputeOptions) -> Result<Value> {
    args.check(&[
        "sources",
        "targets",
        "lock",
        "regions",
        "compute",
        "return_stored",
    ])?;
    let many = |v: &Value| -> Vec<Value> {
        match v {
            Value::List(_) | Value::Tuple(_) => v.seq().map(|s| s.to_vec()).unwrap_or_default(),
            other => vec![other.clone()],
        }
    };
    let sources = many(args.req(0, "sources")?);
    let targets = many(args.req(1, "targets")?);
    if sources.len() != targets.len() {
        return Err(RaskError::value(format!(
            "Different number of sources [{}] and targets [{}]",
            sources.len(),
            targets.len()
        )));
    }
    if !args.bool_or(4, "compute", true)? {
        return Err(args
            .value_err(4, "compute", "rask stores when called")
            .with_hint("leave compute=True; the blocks are computed in parallel as usual"));
    }
    if args.bool_or(5, "return_stored", false)? {
        return Err(args
            .value_err(5, "return_stored", "return_stored=True is not offered")
            .with_hint("read the stored data back with da.from_array(h5py.File(path)[name])"));
    }
    if !matches!(args.get(3, "regions"), None | Some(Value::None)) {
        return Err(args
            .value_err(
                3,
                "regions",
                "rask has no slice objects to give regions with",
            )
            .with_hint("store into a dataset of the array's shape, or concatenate first"));
    }
    let mut stores = Vec::new();
    for (s, t) in sources.iter().zip(&targets) {
        let x = lazy_array(s, "each source")?;
        let d: Arc<H5Dataset> = match t {
            __v if let Some(d) = __v.get::<Arc<H5Dataset>>() => d.clone(),
            other => {
                return Err(RaskError::type_(format!(
                    "da.store writes into h5py datasets, not {}",
                    other.type_name()
                ))
                .with_hint("f = h5py.File(path, 'a'); d = f.create_dataset('/x', shape=x.shape, dtype=x.dtype)"))
            }
        };
        if d.shape != x.shape {
            return Err(RaskError::value(format!(
                "cannot store an array of shape {} into dataset '{}' of shape {} in '{}'",
                crate::common::format::shape_str(&x.shape),
                d.dataset,
                crate::common::format::shape_str(&d.shape),
                d.path
            )));
        }
        stores.push(store_layer(&x, &d.path, &d.dataset, &vec![0; x.ndim()]));
    }
    run(stores, opts)
}
