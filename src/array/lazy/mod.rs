//! The lazy chunked array: a graph layer plus the metadata needed to build on it
//! (shape, chunk sizes per axis, dtype) without computing anything. Each operation adds
//! a layer of tasks named `prefix-token`, the token hashing everything that determines
//! the result, so the same expression gives the same keys every time (Dask's tokenize).

pub mod assemble;
pub mod chunks;
pub mod contract;
pub mod creation;
pub mod elementwise;
pub mod factor;
pub mod join;
pub mod lstsq;
pub mod lu;
#[cfg(test)]
mod numeric_tests;
pub mod rechunk;
pub mod reduction;
pub mod reshape;
pub mod slicing;
pub mod tsqr;

use super::ops::ArrayOp;
use crate::common::ndarr::DType;
use crate::errors::{RaskError, Result};
use crate::graph::key::{layer_name, Key};
use crate::graph::task::{Layer, Op, Task};
use crate::value::value::Value;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct LazyArray {
    pub layer: Arc<Layer>,
    /// The name of the keys holding this array's chunks: `(name, i, j, …)`.
    pub name: Arc<str>,
    pub shape: Vec<usize>,
    /// Chunk sizes along each axis, as Dask's `.chunks`.
    pub chunks: Vec<Vec<usize>>,
    pub dtype: DType,
}

/// `(5,)`, `(2, 3)`, `()` — Python's tuple display.
pub use crate::common::format::shape_str as fmt_tuple;

/// Every index of a grid with `nb` blocks per axis, row-major.
pub fn grid_indices(nb: &[usize]) -> Vec<Vec<usize>> {
    let total: usize = nb.iter().product();
    let mut out = Vec::with_capacity(total);
    if total == 0 {
        return out;
    }
    let mut idx = vec![0usize; nb.len()];
    loop {
        out.push(idx.clone());
        let mut ax = nb.len();
        loop {
            if ax == 0 {
                return out;
            }
            ax -= 1;
            idx[ax] += 1;
            if idx[ax] < nb[ax] {
                break;
            }
            idx[ax] = 0;
        }
    }
}

pub(crate) fn key_of(name: &Arc<str>, idx: &[usize]) -> Key {
    Key::new(name, idx.iter().map(|&i| i as u32).collect())
}

pub(crate) fn task(op: ArrayOp, deps: Vec<Key>) -> Task {
    Task {
        op: Op::new(op),
        deps,
    }
}

/// Shape and chunk description for tokens.
pub(crate) fn describe_chunks(chunks: &[Vec<usize>]) -> String {
    format!("{:?}", chunks)
}

impl LazyArray {
    /// A new array whose layer holds `tasks` on top of `deps`.
    pub(crate) fn build(
        prefix: &str,
        description: &str,
        shape: Vec<usize>,
        chunks: Vec<Vec<usize>>,
        dtype: DType,
        make: impl FnOnce(&Arc<str>) -> Vec<(Key, Task)>,
        deps: Vec<Arc<Layer>>,
    ) -> LazyArray {
        let name = layer_name(prefix, description);
        let tasks = make(&name);
        LazyArray {
            layer: Layer::new(name.clone(), tasks, deps),
            name,
            shape,
            chunks,
            dtype,
        }
    }

    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    pub fn numblocks(&self) -> Vec<usize> {
        self.chunks.iter().map(|c| c.len()).collect()
    }
    pub fn npartitions(&self) -> usize {
        self.numblocks().iter().product()
    }
    /// The largest chunk along each axis (Dask's `chunksize`).
    pub fn chunksize(&self) -> Vec<usize> {
        self.chunks
            .iter()
            .map(|c| c.iter().copied().max().unwrap_or(0))
            .collect()
    }
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
    pub fn nbytes(&self) -> usize {
        self.size() * self.dtype.itemsize()
    }
    pub fn key(&self, idx: &[usize]) -> Key {
        key_of(&self.name, idx)
    }
    /// The shape of block `idx`.
    pub fn block_shape(&self, idx: &[usize]) -> Vec<usize> {
        idx.iter().zip(&self.chunks).map(|(&i, c)| c[i]).collect()
    }

    /// All chunk keys in row-major order.
    pub fn output_keys(&self) -> Vec<Key> {
        grid_indices(&self.numblocks())
            .iter()
            .map(|i| self.key(i))
            .collect()
    }

    /// `Array<shape=(25,), dtype=int64, chunks=(5,), tasks=10>`
    pub fn summary(&self) -> String {
        format!(
            "Array<shape={}, dtype={}, chunks={}, tasks={}>",
            fmt_tuple(&self.shape),
            self.dtype.name(),
            fmt_tuple(&self.chunksize()),
            self.layer.task_count()
        )
    }

    /// Dask's `__dask_keys__`: nested lists (one level per axis) of key tuples.
    pub fn keys_value(&self) -> Value {
        fn key_tuple(name: &Arc<str>, idx: &[usize]) -> Value {
            let mut v = vec![Value::Str(name.clone())];
            v.extend(idx.iter().map(|&i| Value::Int(i as i64)));
            Value::tuple(v)
        }
        fn nest(name: &Arc<str>, nb: &[usize], prefix: &mut Vec<usize>) -> Value {
            if prefix.len() == nb.len() {
                return key_tuple(name, prefix);
            }
            let n = nb[prefix.len()];
            let mut items = Vec::with_capacity(n);
            for i in 0..n {
                prefix.push(i);
                items.push(nest(name, nb, prefix));
                prefix.pop();
            }
            Value::list(items)
        }
        if self.ndim() == 0 {
            return Value::list(vec![key_tuple(&self.name, &[])]);
        }
        nest(&self.name, &self.numblocks(), &mut Vec::new())
    }

    /// `len(x)`: the length of the first axis.
    pub fn len(&self) -> Result<usize> {
        self.shape
            .first()
            .copied()
            .ok_or_else(|| RaskError::type_("len() of unsized object (a 0-d array)"))
    }

    pub fn is_empty(&self) -> bool {
        self.size() == 0
    }

    /// Normalize an axis argument (negative counts from the end).
    pub fn axis(&self, ax: i64, ctx: &str) -> Result<usize> {
        norm_axis(ax, self.ndim(), ctx)
    }
}

pub fn norm_axis(ax: i64, ndim: usize, ctx: &str) -> Result<usize> {
    let a = if ax < 0 { ax + ndim as i64 } else { ax };
    if a < 0 || a >= ndim as i64 {
        return Err(RaskError::index(format!(
            "{}: axis {} is out of bounds for an array of dimension {}",
            ctx, ax, ndim
        )));
    }
    Ok(a as usize)
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use crate::common::ndarr::NdArr;

    /// Compute `a` with the reference scheduler and glue it together.
    pub fn eval(a: &LazyArray) -> Result<NdArr> {
        let out = crate::scheduler::compute(
            std::slice::from_ref(&a.layer),
            &a.output_keys(),
            &Default::default(),
        )?;
        a.assemble(&out)
    }

    pub fn f64s(a: &NdArr) -> Vec<f64> {
        match a {
            NdArr::F64(x) => x.iter().copied().collect(),
            NdArr::F32(x) => x.iter().map(|&v| v as f64).collect(),
            NdArr::I64(x) => x.iter().map(|&v| v as f64).collect(),
            NdArr::I32(x) => x.iter().map(|&v| v as f64).collect(),
            NdArr::Bool(x) => x.iter().map(|&v| v as u8 as f64).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_and_tuples() {
        assert_eq!(
            grid_indices(&[2, 2]),
            vec![vec![0, 0], vec![0, 1], vec![1, 0], vec![1, 1]]
        );
        assert_eq!(grid_indices(&[]), vec![Vec::<usize>::new()]);
        assert_eq!(fmt_tuple(&[5]), "(5,)");
        assert_eq!(fmt_tuple(&[2, 3]), "(2, 3)");
        assert_eq!(fmt_tuple(&[]), "()");
    }
}
