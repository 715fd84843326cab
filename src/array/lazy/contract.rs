//! Contractions: tensordot as blockwise products over pairs of chunks, then a sum over
//! the contracted block axes; dot and `@` in terms of it.

use super::chunks::common;
use super::elementwise::blockwise2;
use super::rechunk::rechunk;
use super::{fmt_tuple, grid_indices, key_of, task, LazyArray};
use crate::array::kernels;
use crate::array::ops::ArrayOp;
use crate::errors::{RaskError, Result};
use crate::graph::key::layer_name;
use crate::graph::task::Layer;
use crate::syntax::ast::BinOp;

/// Contracted block products summed this many at a time (a tree over the contracted axis).
const SUM_FAN_IN: usize = 4;

/// Products per running sum: each product after a chain's first adds itself into the
/// chain's buffer as it is multiplied (the syrk and gemm kernels read and add the sums
/// they store anyway), so a chain of three needs one product buffer and no additions
/// instead of three buffers and two additions. Chains stay short, so the products keep
/// their parallelism.
const CHAIN_LEN: usize = 3;

/// How many products each running sum of `n` takes, in order: at most `CHAIN_LEN`,
/// lengths differing by one at most, and an even number of chains (at least two), so the
/// chains pair up on two workers instead of leaving one alone at the end.
fn chain_lengths(n: usize) -> Vec<usize> {
    let mut c = n.div_ceil(CHAIN_LEN).max(2);
    c += c % 2;
    let c = c.min(n).max(1);
    (0..c).map(|i| n / c + usize::from(i < n % c)).collect()
}

/// `x` when `a` is `x.T` for a 2-d `x`: products then read x's blocks with swapped
/// strides instead of transposed copies (`x.T @ x` costs no transposes).
fn untransposed(a: &LazyArray) -> Option<LazyArray> {
    if a.ndim() != 2 || a.layer.deps.len() != 1 {
        return None;
    }
    let mut name: Option<std::sync::Arc<str>> = None;
    for (_, t) in &a.layer.tasks {
        match (t.op.downcast(), t.deps.as_slice()) {
            (Some(ArrayOp::Transpose { axes }), [k]) if axes == &[1, 0] => match &name {
                Some(n) if *n != k.name => return None,
                Some(_) => {}
                None => name = Some(k.name.clone()),
            },
            _ => return None,
        }
    }
    Some(LazyArray {
        layer: a.layer.deps[0].clone(),
        name: name?,
        shape: vec![a.shape[1], a.shape[0]],
        chunks: vec![a.chunks[1].clone(), a.chunks[0].clone()],
        dtype: a.dtype,
    })
}

pub fn tensordot(
    a: &LazyArray,
    b: &LazyArray,
    a_axes: &[usize],
    b_axes: &[usize],
) -> Result<LazyArray> {
    let valid = a_axes.len() == b_axes.len()
        && a_axes.iter().all(|&i| i < a.ndim())
        && b_axes.iter().all(|&j| j < b.ndim());
    if valid {
        let flip = |ax: &[usize]| ax.iter().map(|&i| 1 - i).collect::<Vec<_>>();
        // one free axis at most per 2-d operand, so the output's axis order is unchanged
        if let Some(x) = untransposed(a) {
            return tensordot(&x, b, &flip(a_axes), b_axes);
        }
        if let Some(y) = untransposed(b) {
            return tensordot(a, &y, a_axes, &flip(b_axes));
        }
    }
    if a_axes.len() != b_axes.len() {
        return Err(RaskError::value(format!(
            "tensordot: {} axes of the first array paired with {} of the second",
            a_axes.len(),
            b_axes.len()
        )));
    }
    for (&i, &j) in a_axes.iter().zip(b_axes) {
        if i >= a.ndim() || j >= b.ndim() {
            return Err(RaskError::index(format!(
                "tensordot: axis pair ({}, {}) is out of bounds for shapes {} and {}",
                i,
                j,
                fmt_tuple(&a.shape),
                fmt_tuple(&b.shape)
            )));
        }
        if a.shape[i] != b.shape[j] {
            return Err(RaskError::shape(format!(
                "shapes {} and {} not aligned: {} (dim {}) != {} (dim {})",
                fmt_tuple(&a.shape),
                fmt_tuple(&b.shape),
                a.shape[i],
                i,
                b.shape[j],
                j
            )));
        }
    }
    let mut ac = a.chunks.clone();
    let mut bc = b.chunks.clone();
    for (&i, &j) in a_axes.iter().zip(b_axes) {
        let c = common(&a.chunks[i], &b.chunks[j]);
        ac[i] = c.clone();
        bc[j] = c;
    }
    let a2 = rechunk(a, ac)?;
    let b2 = rechunk(b, bc)?;
    let a_free: Vec<usize> = (0..a.ndim()).filter(|i| !a_axes.contains(i)).collect();
    let b_free: Vec<usize> = (0..b.ndim()).filter(|i| !b_axes.contains(i)).collect();
    let mut shape = Vec::new();
    let mut chunks = Vec::new();
    for &i in &a_free {
        shape.push(a.shape[i]);
        chunks.push(a2.chunks[i].clone());
    }
    for &j in &b_free {
        shape.push(b.shape[j]);
        chunks.push(b2.chunks[j].clone());
    }
    let out_nb: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
    let k_nb: Vec<usize> = a_axes.iter().map(|&i| a2.chunks[i].len()).collect();
    let n_k: usize = k_nb.iter().product();
    let desc = format!("{}|{}|{:?}|{:?}", a2.name, b2.name, a_axes, b_axes);
    let op = ArrayOp::TensorDot {
        a_axes: a_axes.to_vec(),
        b_axes: b_axes.to_vec(),
    };
    let dtype = kernels::binary_dtype(BinOp::Mul, a.dtype, b.dtype);
    // Input block indices for output block `out` and contracted block combination `k`.
    let in_keys = |out: &[usize], k: &[usize]| {
        let mut ia = vec![0; a.ndim()];
        let mut ib = vec![0; b.ndim()];
        for (n, &i) in a_free.iter().enumerate() {
            ia[i] = out[n];
        }
        for (n, &j) in b_free.iter().enumerate() {
            ib[j] = out[a_free.len() + n];
        }
        for (n, (&i, &j)) in a_axes.iter().zip(b_axes).enumerate() {
            ia[i] = k[n];
            ib[j] = k[n];
        }
        vec![a2.key(&ia), b2.key(&ib)]
    };
    // x.T @ x: a product of a block with itself over the same axis is a Gram matrix
    let gram_axis = match (a_axes, b_axes) {
        ([i], [j]) if i == j && a.ndim() == 2 && b.ndim() == 2 => Some(*i),
        _ => None,
    };
    let product = |keys: Vec<crate::graph::key::Key>| match gram_axis {
        Some(axis) if keys[0] == keys[1] => task(ArrayOp::Gram { axis }, vec![keys[0].clone()]),
        _ => task(op.clone(), keys),
    };
    // the next product of a running sum: the sum so far, then the product's inputs
    let product_add =
        |sum: crate::graph::key::Key, keys: Vec<crate::graph::key::Key>| match gram_axis {
            Some(axis) if keys[0] == keys[1] => {
                task(ArrayOp::GramAdd { axis }, vec![sum, keys[0].clone()])
            }
            _ => task(
                ArrayOp::TensorDotAdd {
                    a_axes: a_axes.to_vec(),
                    b_axes: b_axes.to_vec(),
                },
                vec![sum, keys[0].clone(), keys[1].clone()],
            ),
        };
    let deps = vec![a2.layer.clone(), b2.layer.clone()];
    if n_k == 1 {
        let zeros = vec![0; k_nb.len()];
        return Ok(LazyArray::build(
            "tensordot",
            &desc,
            shape,
            chunks,
            dtype,
            |name| {
                grid_indices(&out_nb)
                    .into_iter()
                    .map(|o| (key_of(name, &o), product(in_keys(&o, &zeros))))
                    .collect()
            },
            deps,
        ));
    }
    // Products keyed (out…, k) in running sums (`chain_lengths`), then a tree of sums of
    // the chains per output block.
    let prod_name = layer_name("tensordot", &desc);
    let sum_name = layer_name("sum", &desc);
    let partial_name = layer_name("sum-partial", &desc);
    let mut prod_tasks = Vec::new();
    let mut sum_tasks = Vec::new();
    let combos = grid_indices(&k_nb);
    let lengths = chain_lengths(n_k);
    for o in grid_indices(&out_nb) {
        let mut parts = Vec::with_capacity(lengths.len());
        let mut flat = 0;
        for &len in &lengths {
            let mut sum: Option<crate::graph::key::Key> = None;
            for k in &combos[flat..flat + len] {
                let mut pidx = o.clone();
                pidx.push(flat);
                let pk = key_of(&prod_name, &pidx);
                let keys = in_keys(&o, k);
                let t = match sum {
                    None => product(keys),
                    Some(s) => product_add(s, keys),
                };
                prod_tasks.push((pk.clone(), t));
                sum = Some(pk);
                flat += 1;
            }
            parts.extend(sum);
        }
        let mut level = 0;
        while parts.len() > SUM_FAN_IN {
            let mut up = Vec::new();
            for (g, group) in parts.chunks(SUM_FAN_IN).enumerate() {
                let mut idx = o.clone();
                idx.extend([level, g]);
                let key = key_of(&partial_name, &idx);
                sum_tasks.push((key.clone(), task(ArrayOp::SumN, group.to_vec())));
                up.push(key);
            }
            parts = up;
            level += 1;
        }
        sum_tasks.push((key_of(&sum_name, &o), task(ArrayOp::SumN, parts)));
    }
    let prod = Layer::new(prod_name, prod_tasks, deps);
    Ok(LazyArray {
        layer: Layer::new(sum_name.clone(), sum_tasks, vec![prod]),
        name: sum_name,
        shape,
        chunks,
        dtype,
    })
}

/// NumPy's `dot`: scalars multiply; otherwise the last axis of `a` with `b`'s only axis
/// (1-d) or its second-to-last.
pub fn dot(a: &LazyArray, b: &LazyArray) -> Result<LazyArray> {
    if a.ndim() == 0 || b.ndim() == 0 {
        let dtype = kernels::binary_dtype(BinOp::Mul, a.dtype, b.dtype);
        return blockwise2("mul", "", a, b, ArrayOp::Binary { op: BinOp::Mul }, dtype);
    }
    let bj = if b.ndim() == 1 { 0 } else { b.ndim() - 2 };
    tensordot(a, b, &[a.ndim() - 1], &[bj])
}

/// `a @ b` for 1-d and 2-d operands (the same as dot there).
pub fn matmul(a: &LazyArray, b: &LazyArray) -> Result<LazyArray> {
    if a.ndim() == 0 || b.ndim() == 0 {
        return Err(RaskError::value(
            "matmul: input operand does not have enough dimensions (a scalar operand is not allowed, use * instead)",
        ));
    }
    if a.ndim() > 2 || b.ndim() > 2 {
        return Err(RaskError::value(format!(
            "matmul of lazy arrays takes 1-d or 2-d operands, got shapes {} and {}; use da.tensordot for more dimensions",
            fmt_tuple(&a.shape),
            fmt_tuple(&b.shape)
        )));
    }
    let last = a.shape[a.ndim() - 1];
    let bj = if b.ndim() == 1 { 0 } else { b.ndim() - 2 };
    if last != b.shape[bj] {
        return Err(RaskError::shape(format!(
            "matmul: shapes {} and {} not aligned: {} (dim {}) != {} (dim {})",
            fmt_tuple(&a.shape),
            fmt_tuple(&b.shape),
            last,
            a.ndim() - 1,
            b.shape[bj],
            bj
        )));
    }
    dot(a, b)
}

#[cfg(test)]
mod tests {
    use super::super::creation::{arange, full};
    use super::*;
    use crate::array::kernels::Scalar;
    use crate::common::ndarr::DType;
    use crate::value::value::Value;

    #[test]
    fn tensordot_graph() {
        let a = full(
            "ones",
            vec![6, 4],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(2)),
        )
        .unwrap();
        let b = full(
            "ones",
            vec![4, 5],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(3)),
        )
        .unwrap();
        let c = dot(&a, &b).unwrap();
        assert_eq!(c.shape, vec![6, 5]);
        // contracted axis unified to (2, 1, 1): 3 products per output block.
        assert_eq!(c.chunks, vec![vec![2, 2, 2], vec![3, 2]]);
        assert_eq!(c.layer.tasks.len(), 6);
        // the 3 products run as two running sums (2 and 1 products) then one sum
        assert_eq!(c.layer.tasks[0].1.deps.len(), 2);
        assert!(c.name.starts_with("sum-"));
        // a transposed operand reads the original blocks; 10 contracted blocks sum as a tree
        let x = full(
            "ones",
            vec![20, 3],
            Scalar::Int(1),
            DType::F64,
            Some(&Value::Int(2)),
        )
        .unwrap();
        let xt = super::super::reshape::transpose(&x, &[1, 0]).unwrap();
        let g = dot(&xt, &x).unwrap();
        assert_eq!(g.shape, vec![3, 3]);
        let mats = crate::graph::task::Graph::materialize(std::slice::from_ref(&g.layer));
        // x has 2 column blocks: the 2 diagonal output blocks multiply a block by itself
        // (one input, the symmetric kernel), the 2 others pairs of blocks
        // Each output block's 10 products run as 4 running sums (3, 3, 2, 2 products): the
        // first of each a plain product, the others add into it.
        let count = |gram: bool, adds: bool| {
            mats.tasks
                .values()
                .filter(|t| match t.op.downcast() {
                    Some(ArrayOp::Gram { axis: 0 }) => gram && !adds && t.deps.len() == 1,
                    Some(ArrayOp::TensorDot { .. }) => !gram && !adds && t.deps.len() == 2,
                    Some(ArrayOp::GramAdd { axis: 0 }) => gram && adds && t.deps.len() == 2,
                    Some(ArrayOp::TensorDotAdd { .. }) => !gram && adds && t.deps.len() == 3,
                    _ => false,
                })
                .count()
        };
        assert_eq!((count(true, false), count(false, false)), (2 * 4, 2 * 4));
        assert_eq!((count(true, true), count(false, true)), (2 * 6, 2 * 6));
        assert!(!mats.tasks.keys().any(|k| k.name.starts_with("transpose-")));
        // 4 running sums per block need no partial sums: one sum of 4 per block
        assert!(!mats
            .tasks
            .keys()
            .any(|k| k.name.starts_with("sum-partial-")));
        assert!(mats
            .tasks
            .iter()
            .filter(|(k, _)| k.name.starts_with("sum-"))
            .all(|(_, t)| t.deps.len() == 4));
        let out = super::super::testutil::eval(&g).unwrap();
        assert!(super::super::testutil::f64s(&out)
            .iter()
            .all(|&v| v == 20.0));
        let v = arange(0.0, 5.0, 1.0, DType::F64, None).unwrap();
        let e = matmul(&a, &v).unwrap_err();
        assert!(
            e.message.contains("(6, 4)") && e.message.contains("(5,)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn running_sums_are_short_even_and_cover_every_product_in_order() {
        assert_eq!(chain_lengths(2), vec![1, 1]);
        assert_eq!(chain_lengths(3), vec![2, 1]);
        assert_eq!(chain_lengths(6), vec![3, 3]);
        assert_eq!(chain_lengths(7), vec![2, 2, 2, 1]);
        assert_eq!(chain_lengths(10), vec![3, 3, 2, 2]);
        for n in 2..=120 {
            let l = chain_lengths(n);
            assert_eq!(l.iter().sum::<usize>(), n, "n = {}", n);
            assert!(
                l.len() >= 2 && l.len().is_multiple_of(2),
                "n = {}: {:?}",
                n,
                l
            );
            assert!(l.iter().all(|&c| (1..=CHAIN_LEN).contains(&c)), "n = {}", n);
            assert!(l.windows(2).all(|w| w[0] >= w[1] && w[0] - w[1] <= 1));
        }
    }

    /// The running sums give the product of the whole arrays: a float product over the 15
    /// blocks two row chunkings (10 and 14) share, `x.T @ x` over 10 (the syrk kernel adding
    /// into its sum where AVX-512 runs), and a step through a copy of its sum (the processes
    /// scheduler's shared inputs) gives a handed-over step's bits.
    #[test]
    fn running_sums_equal_the_whole_product() {
        let normal = |cols: usize, rows_per_chunk: i64, seed: u64| {
            let chunks = Value::Tuple(std::sync::Arc::new(vec![
                Value::Int(rows_per_chunk),
                Value::Int(cols as i64),
            ]));
            let dist = crate::array::ops::Dist::Normal {
                loc: 0.5,
                scale: 2.0,
            };
            super::super::creation::random(dist, vec![95, cols], Some(&chunks), seed).unwrap()
        };
        let (x, y) = (normal(40, 10, 7), normal(9, 14, 8));
        let xn = super::super::testutil::eval(&x).unwrap();
        let yn = super::super::testutil::eval(&y).unwrap();
        let xt = super::super::reshape::transpose(&x, &[1, 0]).unwrap();
        for (lazy, want) in [
            (
                dot(&xt, &x).unwrap(),
                kernels::tensordot(&xn, &xn, &[0], &[0]).unwrap(),
            ),
            (
                tensordot(&x, &y, &[0], &[0]).unwrap(),
                kernels::tensordot(&xn, &yn, &[0], &[0]).unwrap(),
            ),
        ] {
            let got = super::super::testutil::f64s(&super::super::testutil::eval(&lazy).unwrap());
            let want = super::super::testutil::f64s(&want);
            assert_eq!(got.len(), want.len());
            let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for (g, w) in got.iter().zip(&want) {
                assert!((g - w).abs() <= 1e-12 * scale, "{} vs {}", g, w);
            }
        }
        // a step with its sum shared (copied first) gives the bits of a handed-over one
        use crate::graph::chunk::Chunk;
        use crate::graph::task::TaskOp;
        use std::sync::Arc;
        let blocks: Vec<Arc<Chunk>> = [&xn, &xn]
            .iter()
            .map(|a| Arc::new(crate::array::ops::nd_chunk((*a).clone())))
            .collect();
        let sum0 = Arc::new(ArrayOp::Gram { axis: 0 }.run(&blocks[..1]).unwrap());
        let step = ArrayOp::GramAdd { axis: 0 };
        let shared = step.run(&[sum0.clone(), blocks[1].clone()]).unwrap();
        let owned_in = Arc::new(ArrayOp::Gram { axis: 0 }.run(&blocks[..1]).unwrap());
        let handed = TaskOp::run_owned(&step, vec![owned_in, blocks[1].clone()]).unwrap();
        let bits = |c: &Chunk| match crate::array::ops::chunk_nd(c) {
            Some(crate::common::ndarr::NdArr::F64(a)) => {
                a.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            }
            _ => panic!("not a float block"),
        };
        assert_eq!(bits(&shared), bits(&handed));
        // and the shared sum was left as it was
        let twice = kernels::tensordot(&xn, &xn, &[0], &[0]).unwrap();
        let once = super::super::testutil::f64s(crate::array::ops::chunk_nd(&sum0).unwrap());
        assert!(once
            .iter()
            .zip(super::super::testutil::f64s(&twice))
            .all(|(a, b)| (a - b).abs() <= 1e-12 * b.abs().max(1.0)));
    }
}
