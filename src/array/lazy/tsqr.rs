//! TSQR: the QR of a tall-and-skinny array chunked along rows only, as a tree of local
//! QRs (Demmel et al.; Dask's `tsqr`). Each row block is factored; the R factors are
//! stacked four at a time and factored again up to one root R. Q comes back down the
//! tree: each node's Householder reflectors are applied to its rows of the product above
//! it, so no explicit local Q is ever formed. The SVD of such an array is the SVD of the
//! small root R, pushed down the same way.

use super::{fmt_tuple, key_of, task, LazyArray};
use crate::array::ops::linalg::LinalgOp;
use crate::array::ops::ArrayOp;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::key::{layer_name, Key};
use crate::graph::task::Layer;
use std::sync::Arc;

/// R factors stacked per tree node.
const FAN_IN: usize = 4;

fn op(o: LinalgOp) -> ArrayOp {
    ArrayOp::Linalg(o)
}

/// The rechunk that makes `x` usable by TSQR (one chunk across the columns).
fn tsqr_hint(x: &LazyArray) -> String {
    let rows = x
        .chunks
        .first()
        .and_then(|c| c.first())
        .copied()
        .unwrap_or(0);
    let cols = x.shape.get(1).copied().unwrap_or(0);
    format!(
        "rechunk to one chunk across the columns: x.rechunk({{1: -1}}) or x.rechunk(({}, {}))",
        rows.max(1),
        cols
    )
}

/// Check that `x` is 2-d with a single column of blocks.
pub fn check_tall_skinny(x: &LazyArray, ctx: &str) -> Result<()> {
    if x.ndim() != 2 {
        return Err(RaskError::value(format!(
            "{}: expected a 2-d array, got shape {}",
            ctx,
            fmt_tuple(&x.shape)
        )));
    }
    if x.chunks[1].len() != 1 {
        return Err(RaskError::value(format!(
            "{} needs a tall-and-skinny array chunked along rows only, got chunks {} for shape {} ({} chunks across the columns)",
            ctx,
            fmt_tuple(&x.chunksize()),
            fmt_tuple(&x.shape),
            x.chunks[1].len()
        ))
        .with_hint(tsqr_hint(x)));
    }
    Ok(())
}

struct Node {
    key: Key,
    /// Rows of this node's R (the rows it contributes to its parent's stack).
    k: usize,
    /// (parent node index in the next level, row offset in the parent's stack)
    parent: Option<(usize, usize)>,
}

/// The factor tree of a TSQR: levels of nodes, leaves first.
struct Tree {
    levels: Vec<Vec<Node>>,
    layers: Vec<Arc<Layer>>,
    token: String,
    x: LazyArray,
}

impl Tree {
    fn root(&self) -> &Node {
        &self.levels[self.levels.len() - 1][0]
    }
    /// Columns of Q (rows of R): min(m, n).
    fn k(&self) -> usize {
        self.root().k
    }
    fn top_layer(&self) -> Arc<Layer> {
        self.layers[self.layers.len() - 1].clone()
    }
}

/// Build the factor tree (the upward pass).
fn tree(x: &LazyArray, ctx: &str) -> Result<Tree> {
    check_tall_skinny(x, ctx)?;
    let x = if x.dtype == DType::F64 {
        x.clone()
    } else {
        super::elementwise::astype(x, DType::F64)
    };
    let n = x.shape[1];
    let token = format!("{}|{:?}", x.name, x.chunks);
    let leaf_name = layer_name("qr", &token);
    let mut tasks = Vec::new();
    let mut level = Vec::new();
    for (i, &rows) in x.chunks[0].iter().enumerate() {
        let key = key_of(&leaf_name, &[i]);
        tasks.push((
            key.clone(),
            task(op(LinalgOp::QrNode), vec![x.key(&[i, 0])]),
        ));
        level.push(Node {
            key,
            k: rows.min(n),
            parent: None,
        });
    }
    let mut layers = vec![Layer::new(leaf_name, tasks, vec![x.layer.clone()])];
    let mut levels = vec![];
    while level.len() > 1 {
        let name = layer_name("qr-stack", &format!("{}|{}", levels.len(), token));
        let mut tasks = Vec::new();
        let mut up = Vec::new();
        for (g, group) in level.chunks_mut(FAN_IN).enumerate() {
            let key = key_of(&name, &[g]);
            let mut offset = 0;
            for node in group.iter_mut() {
                node.parent = Some((g, offset));
                offset += node.k;
            }
            let deps = group.iter().map(|c| c.key.clone()).collect();
            tasks.push((key.clone(), task(op(LinalgOp::QrNode), deps)));
            up.push(Node {
                key,
                k: offset.min(n),
                parent: None,
            });
        }
        let below = layers[layers.len() - 1].clone();
        layers.push(Layer::new(name, tasks, vec![below]));
        levels.push(level);
        level = up;
    }
    levels.push(level);
    Ok(Tree {
        levels,
        layers,
        token,
        x,
    })
}

/// Push `top` (a raw K × c block under `top_key`) down the tree: returns the lazy array
/// Q·top, chunked along rows like x. `prefix` names the result layer.
fn back_propagate(
    t: &Tree,
    top_key: Key,
    top_layer: Arc<Layer>,
    cols: usize,
    prefix: &str,
) -> LazyArray {
    let nlev = t.levels.len();
    // parent level's apply keys (indexed by node), and the layer holding them
    let mut above: Vec<Key> = vec![top_key];
    let mut above_layer = top_layer;
    let mut result_name: Arc<str> = Arc::from("");
    for lev in (0..nlev).rev() {
        let last = lev == 0;
        let name = if last {
            layer_name(prefix, &format!("{}|{}", above[0], t.token))
        } else {
            layer_name("qr-q", &format!("{}|{}|{}", lev, above[0], t.token))
        };
        let mut tasks = Vec::new();
        let mut keys = Vec::new();
        for (i, node) in t.levels[lev].iter().enumerate() {
            let (parent, offset) = node.parent.unwrap_or((0, 0));
            let key = if last {
                key_of(&name, &[i, 0])
            } else {
                key_of(&name, &[i])
            };
            let o = LinalgOp::QrApply {
                offset,
                rows: node.k,
                last,
            };
            tasks.push((
                key.clone(),
                task(op(o), vec![node.key.clone(), above[parent].clone()]),
            ));
            keys.push(key);
        }
        above_layer = Layer::new(name.clone(), tasks, vec![above_layer, t.top_layer()]);
        above = keys;
        result_name = name;
    }
    LazyArray {
        layer: above_layer,
        name: result_name,
        shape: vec![t.x.shape[0], cols],
        chunks: vec![t.x.chunks[0].clone(), vec![cols]],
        dtype: DType::F64,
    }
}

/// A one-task layer `prefix-…` whose key has index `idx`, on `dep`.
fn single(
    prefix: &str,
    t: &Tree,
    extra: &str,
    idx: &[usize],
    o: LinalgOp,
    dep: Key,
    deps: Vec<Arc<Layer>>,
) -> (Arc<str>, Arc<Layer>) {
    let name = layer_name(prefix, &format!("{}|{}", extra, t.token));
    let key = key_of(&name, idx);
    let layer = Layer::new(name.clone(), vec![(key, task(op(o), vec![dep]))], deps);
    (name, layer)
}

/// `da.linalg.qr` of a tall-and-skinny array: (Q chunked like x, R in one block).
pub fn qr(x: &LazyArray) -> Result<(LazyArray, LazyArray)> {
    let t = tree(x, "da.linalg.qr()")?;
    let k = t.k();
    let n = t.x.shape[1];
    let eye_name = layer_name("eye", &format!("{}|eye{}", t.token, k));
    let eye_key = key_of(&eye_name, &[]);
    let eye = Layer::new(
        eye_name,
        vec![(
            eye_key.clone(),
            task(op(LinalgOp::Identity { n: k }), vec![]),
        )],
        vec![],
    );
    let q = back_propagate(&t, eye_key, eye, k, "qr-q");
    let (rname, rlayer) = single(
        "qr-r",
        &t,
        "r",
        &[0, 0],
        LinalgOp::QrR,
        t.root().key.clone(),
        vec![t.top_layer()],
    );
    let r = LazyArray {
        layer: rlayer,
        name: rname,
        shape: vec![k, n],
        chunks: vec![vec![k], vec![n]],
        dtype: DType::F64,
    };
    Ok((q, r))
}

/// `da.linalg.svd` of a tall-and-skinny array: (U chunked like x, s, Vt), with x = U·diag(s)·Vt
/// and signs fixed so that each row of Vt has its largest entry positive.
pub fn svd_tall(x: &LazyArray, ctx: &str) -> Result<(LazyArray, LazyArray, LazyArray)> {
    let t = tree(x, ctx)?;
    let k = t.k();
    let n = t.x.shape[1];
    let sv_name = layer_name("svd", &format!("{}|svd", t.token));
    let sv_key = key_of(&sv_name, &[]);
    let sv = Layer::new(
        sv_name,
        vec![(
            sv_key.clone(),
            task(op(LinalgOp::SvdSmall), vec![t.root().key.clone()]),
        )],
        vec![t.top_layer()],
    );
    let part = |index: usize, extra: &str, idx: &[usize]| {
        single(
            "svd",
            &t,
            extra,
            idx,
            LinalgOp::SvdPart { index },
            sv_key.clone(),
            vec![sv.clone()],
        )
    };
    let (uname, ulayer) = part(0, "u", &[]);
    let u = back_propagate(&t, key_of(&uname, &[]), ulayer, k, "svd-u");
    let (sname, slayer) = part(1, "s", &[0]);
    let s = LazyArray {
        layer: slayer,
        name: sname,
        shape: vec![k],
        chunks: vec![vec![k]],
        dtype: DType::F64,
    };
    let (vname, vlayer) = part(2, "vt", &[0, 0]);
    let vt = LazyArray {
        layer: vlayer,
        name: vname,
        shape: vec![k, n],
        chunks: vec![vec![k], vec![n]],
        dtype: DType::F64,
    };
    Ok((u, s, vt))
}
