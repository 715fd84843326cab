//! Partials for tree reductions that need more than one number per output element:
//! (count, sum, M2) for mean/var/std, merged with Chan et al.'s parallel formula so a
//! tree gives the one-pass result to ~1e-12; and (value, global index) for argmin/argmax.

use super::{chunk_nd, nd_chunk};
use crate::common::ndarr::{DType, NdArr};
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use ndarray::{ArrayD, IxDyn};
use std::sync::Arc;

/// The chunk as (rows, cols) f64 data: rows run over the kept axes, columns over the
/// reduced ones, both row-major. Returns (kept shape with 1 on reduced axes, rows, cols).
fn as_rows(a: &NdArr, axes: &[usize]) -> (Vec<usize>, Vec<f64>, usize, usize) {
    let nd = a.ndim();
    let kept: Vec<usize> = (0..nd).filter(|i| !axes.contains(i)).collect();
    let perm: Vec<usize> = kept.iter().chain(axes.iter()).copied().collect();
    let shape = a.shape().to_vec();
    let cols: usize = axes.iter().map(|&i| shape[i]).product();
    let rows: usize = kept.iter().map(|&i| shape[i]).product();
    let out_shape: Vec<usize> = (0..nd)
        .map(|i| if axes.contains(&i) { 1 } else { shape[i] })
        .collect();
    macro_rules! flat {
        ($x:expr, $conv:expr) => {{
            let v = $x.view().permuted_axes(IxDyn(&perm));
            v.iter().map($conv).collect::<Vec<f64>>()
        }};
    }
    let data = match a {
        NdArr::Bool(x) => flat!(x, |&b| b as u8 as f64),
        NdArr::I32(x) => flat!(x, |&v| v as f64),
        NdArr::I64(x) => flat!(x, |&v| v as f64),
        NdArr::F32(x) => flat!(x, |&v| v as f64),
        NdArr::F64(x) => flat!(x, |&v| v),
    };
    (out_shape, data, rows, cols)
}

fn f64_arr(shape: &[usize], v: Vec<f64>) -> Result<NdArr> {
    ArrayD::from_shape_vec(IxDyn(shape), v)
        .map(NdArr::F64)
        .map_err(|e| RaskError::runtime(format!("partial shape: {}", e)))
}

fn f64_vec(c: &Chunk) -> Result<&ArrayD<f64>> {
    match chunk_nd(c) {
        Some(NdArr::F64(a)) => Ok(a),
        _ => Err(RaskError::runtime(
            "reduction partial is not a float64 array",
        )),
    }
}

fn parts(c: &Chunk, n: usize) -> Result<&[Chunk]> {
    match c {
        Chunk::Tuple(v) if v.len() == n => Ok(v),
        _ => Err(RaskError::runtime("malformed reduction partial")),
    }
}

/// (count, sum, M2) over `axes`, kept dims of length 1. A mean needs no M2
/// (`with_m2` false: zeros, one pass over the data instead of two).
pub fn moment_partial(a: &NdArr, axes: &[usize], with_m2: bool) -> Result<Chunk> {
    let fast = match a {
        NdArr::Bool(x) => fast_moments(x, axes, |b| b as u8 as f64, with_m2),
        NdArr::I32(x) => fast_moments(x, axes, |v| v as f64, with_m2),
        NdArr::I64(x) => fast_moments(x, axes, |v| v as f64, with_m2),
        NdArr::F32(x) => fast_moments(x, axes, |v| v as f64, with_m2),
        NdArr::F64(x) => fast_moments(x, axes, |v| v, with_m2),
    };
    let shape: Vec<usize> = (0..a.ndim())
        .map(|i| if axes.contains(&i) { 1 } else { a.shape()[i] })
        .collect();
    let (cols, sums, m2s) = match fast {
        Some(r) => r,
        None => {
            let (_, data, rows, cols) = as_rows(a, axes);
            let mut sums = Vec::with_capacity(rows);
            let mut m2s = Vec::with_capacity(rows);
            for r in 0..rows {
                let (s, m2) = row_moments(&data[r * cols..(r + 1) * cols], |x| x, with_m2);
                sums.push(s);
                m2s.push(m2);
            }
            (cols, sums, m2s)
        }
    };
    let rows = sums.len();
    Ok(Chunk::Tuple(vec![
        nd_chunk(f64_arr(&shape, vec![cols as f64; rows])?),
        nd_chunk(f64_arr(&shape, sums)?),
        nd_chunk(f64_arr(&shape, m2s)?),
    ]))
}

/// The eight-lane sum of a row's values, fed piece by piece (every piece but the last a
/// multiple of 8 long) with the same lanes and tail, so the same bits: a fused chain
/// feeds its blocks as it makes them.
#[derive(Default)]
pub struct Sum8 {
    acc: [f64; 8],
    tail: [f64; 8],
    tail_len: usize,
}

impl Sum8 {
    pub fn feed<T: Copy>(&mut self, s: &[T], g: impl Fn(T) -> f64) {
        let mut acc = self.acc;
        let mut it = s.chunks_exact(8);
        for c in it.by_ref() {
            for k in 0..8 {
                acc[k] += g(c[k]);
            }
        }
        self.acc = acc;
        for &x in it.remainder() {
            if self.tail_len < 8 {
                self.tail[self.tail_len] = g(x);
                self.tail_len += 1;
            }
        }
    }

    pub fn finish(&self) -> f64 {
        let tail: f64 = self.tail[..self.tail_len].iter().sum();
        self.acc.iter().sum::<f64>() + tail
    }
}

/// (count, sum, M2) of `n` values summed with `Sum8` (`m2` 0 for a mean) as the partial
/// `moment_partial` makes for a chunk reduced over all its `ndim` axes.
pub fn moment_partial_whole(ndim: usize, n: usize, sum: f64, m2: f64) -> Result<Chunk> {
    let shape = vec![1usize; ndim];
    Ok(Chunk::Tuple(vec![
        nd_chunk(f64_arr(&shape, vec![n as f64])?),
        nd_chunk(f64_arr(&shape, vec![sum])?),
        nd_chunk(f64_arr(&shape, vec![m2])?),
    ]))
}

/// (sum, M2) of one contiguous row, two passes, eight accumulators (fast and accurate).
fn row_moments<T: Copy>(row: &[T], f: impl Fn(T) -> f64 + Copy, with_m2: bool) -> (f64, f64) {
    fn sum8<T: Copy>(row: &[T], g: impl Fn(T) -> f64) -> f64 {
        let mut s = Sum8::default();
        s.feed(row, g);
        s.finish()
    }
    if row.is_empty() {
        return (0.0, 0.0);
    }
    let s = sum8(row, f);
    if !with_m2 {
        return (s, 0.0);
    }
    let mean = s / row.len() as f64;
    let m2 = sum8(row, |x| {
        let d = f(x) - mean;
        d * d
    });
    (s, m2)
}

/// Without copying, when the chunk is contiguous row-major and the reduced axes are its
/// last axes (contiguous rows) or its first ones (accumulate along columns). Returns
/// (count per output element, sums, M2s).
#[allow(clippy::type_complexity)]
fn fast_moments<T: Copy>(
    x: &ArrayD<T>,
    axes: &[usize],
    f: impl Fn(T) -> f64 + Copy,
    with_m2: bool,
) -> Option<(usize, Vec<f64>, Vec<f64>)> {
    let s = x.as_slice()?;
    let nd = x.ndim();
    let k = axes.len();
    let shape = x.shape();
    if s.is_empty() || k == 0 {
        return None;
    }
    if axes.iter().copied().eq(nd - k..nd) {
        let cols: usize = shape[nd - k..].iter().product();
        let (sums, m2s) = s
            .chunks_exact(cols)
            .map(|r| row_moments(r, f, with_m2))
            .unzip();
        return Some((cols, sums, m2s));
    }
    if axes.iter().copied().eq(0..k) {
        let m: usize = shape[..k].iter().product();
        let kk: usize = shape[k..].iter().product();
        let mut sums = vec![0.0; kk];
        for r in s.chunks_exact(kk) {
            for (acc, &v) in sums.iter_mut().zip(r) {
                *acc += f(v);
            }
        }
        let mut m2s = vec![0.0; kk];
        if !with_m2 {
            return Some((m, sums, m2s));
        }
        let means: Vec<f64> = sums.iter().map(|v| v / m as f64).collect();
        for r in s.chunks_exact(kk) {
            for ((acc, &v), mu) in m2s.iter_mut().zip(r).zip(&means) {
                let d = f(v) - mu;
                *acc += d * d;
            }
        }
        return Some((m, sums, m2s));
    }
    None
}

/// Merge (count, sum, M2) partials of equal shapes, elementwise.
pub fn moment_combine(inputs: &[Arc<Chunk>]) -> Result<Chunk> {
    let first = parts(
        inputs
            .first()
            .ok_or_else(|| RaskError::runtime("no partials"))?,
        3,
    )?;
    let mut n = f64_vec(&first[0])?.clone();
    let mut s = f64_vec(&first[1])?.clone();
    let mut m2 = f64_vec(&first[2])?.clone();
    for c in &inputs[1..] {
        let p = parts(c, 3)?;
        let (nb, sb, m2b) = (f64_vec(&p[0])?, f64_vec(&p[1])?, f64_vec(&p[2])?);
        if nb.shape() != n.shape() {
            return Err(RaskError::runtime("reduction partials of different shapes"));
        }
        ndarray::Zip::from(&mut n)
            .and(&mut s)
            .and(&mut m2)
            .and(nb)
            .and(sb)
            .and(m2b)
            .for_each(|na, sa, m2a, &nbv, &sbv, &m2bv| {
                if nbv == 0.0 {
                    return;
                }
                if *na == 0.0 {
                    (*na, *sa, *m2a) = (nbv, sbv, m2bv);
                    return;
                }
                let delta = sbv / nbv - *sa / *na;
                let tot = *na + nbv;
                *m2a += m2bv + delta * delta * *na * nbv / tot;
                *na = tot;
                *sa += sbv;
            });
    }
    Ok(Chunk::Tuple(vec![
        nd_chunk(NdArr::F64(n)),
        nd_chunk(NdArr::F64(s)),
        nd_chunk(NdArr::F64(m2)),
    ]))
}

/// Which statistic to take from merged moments.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Moment {
    Mean,
    Var(u32),
    Std(u32),
}

pub fn moment_finish(merged: &Chunk, m: Moment, dtype: DType) -> Result<NdArr> {
    let p = parts(merged, 3)?;
    let (n, s, m2) = (f64_vec(&p[0])?, f64_vec(&p[1])?, f64_vec(&p[2])?);
    let out: ArrayD<f64> = match m {
        Moment::Mean => s / n,
        Moment::Var(ddof) => ndarray::Zip::from(m2)
            .and(n)
            .map_collect(|&m2, &n| m2 / (n - ddof as f64).max(0.0)),
        Moment::Std(ddof) => ndarray::Zip::from(m2)
            .and(n)
            .map_collect(|&m2, &n| (m2 / (n - ddof as f64).max(0.0)).sqrt()),
    };
    Ok(match dtype {
        DType::F32 => NdArr::F32(out.mapv(|x| x as f32)),
        _ => NdArr::F64(out),
    })
}

/// (best value, global flat index) over `axes`. `offsets[k]` is the chunk's start along
/// `axes[k]` and `strides[k]` that axis' stride in the flattened reduced index.
pub fn arg_partial(
    a: &NdArr,
    axes: &[usize],
    offsets: &[usize],
    strides: &[usize],
    min: bool,
) -> Result<Chunk> {
    let (shape, data, rows, cols) = as_rows(a, axes);
    if cols == 0 {
        return Err(RaskError::value(format!(
            "attempt to get arg{} of an empty sequence",
            if min { "min" } else { "max" }
        )));
    }
    // Global flat index of each column (reduced position), row-major over `axes`.
    let dims: Vec<usize> = axes.iter().map(|&i| a.shape()[i]).collect();
    let mut gidx = Vec::with_capacity(cols);
    for c in 0..cols {
        let mut rem = c;
        let mut g = 0usize;
        for k in (0..dims.len()).rev() {
            let local = rem % dims[k];
            rem /= dims[k];
            g += (offsets[k] + local) * strides[k];
        }
        gidx.push(g as i64);
    }
    let mut vals = Vec::with_capacity(rows);
    let mut idxs = Vec::with_capacity(rows);
    for r in 0..rows {
        let row = &data[r * cols..(r + 1) * cols];
        let mut best = 0usize;
        for (j, &x) in row.iter().enumerate().skip(1) {
            if better(x, row[best], min) {
                best = j;
            }
        }
        vals.push(row[best]);
        idxs.push(gidx[best]);
    }
    Ok(Chunk::Tuple(vec![
        nd_chunk(f64_arr(&shape, vals)?),
        nd_chunk(NdArr::I64(
            ArrayD::from_shape_vec(IxDyn(&shape), idxs)
                .map_err(|e| RaskError::runtime(format!("partial shape: {}", e)))?,
        )),
    ]))
}

/// Does `x` (seen later) beat `cur`? The first NaN wins, as in NumPy.
fn better(x: f64, cur: f64, min: bool) -> bool {
    if cur.is_nan() {
        return false;
    }
    if x.is_nan() {
        return true;
    }
    if min {
        x < cur
    } else {
        x > cur
    }
}

pub fn arg_combine(inputs: &[Arc<Chunk>], min: bool) -> Result<Chunk> {
    let first = parts(
        inputs
            .first()
            .ok_or_else(|| RaskError::runtime("no partials"))?,
        2,
    )?;
    let mut v = f64_vec(&first[0])?.clone();
    let mut ix = match chunk_nd(&first[1]) {
        Some(NdArr::I64(a)) => a.clone(),
        _ => return Err(RaskError::runtime("malformed arg partial")),
    };
    for c in &inputs[1..] {
        let p = parts(c, 2)?;
        let vb = f64_vec(&p[0])?;
        let ib = match chunk_nd(&p[1]) {
            Some(NdArr::I64(a)) => a,
            _ => return Err(RaskError::runtime("malformed arg partial")),
        };
        if vb.shape() != v.shape() {
            return Err(RaskError::runtime("arg partials of different shapes"));
        }
        for ((va, ia), (&xb, &jb)) in v
            .iter_mut()
            .zip(ix.iter_mut())
            .zip(vb.iter().zip(ib.iter()))
        {
            let take = if better(xb, *va, min) {
                true
            } else {
                // Equal values (or both NaN): the lower global index wins.
                (xb == *va || (xb.is_nan() && va.is_nan())) && jb < *ia
            };
            if take {
                *va = xb;
                *ia = jb;
            }
        }
    }
    Ok(Chunk::Tuple(vec![
        nd_chunk(NdArr::F64(v)),
        nd_chunk(NdArr::I64(ix)),
    ]))
}

pub fn arg_finish(merged: &Chunk) -> Result<NdArr> {
    match parts(merged, 2)?.get(1).and_then(chunk_nd) {
        Some(a @ NdArr::I64(_)) => Ok(a.clone()),
        _ => Err(RaskError::runtime("malformed arg partial")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: Vec<f64>, shape: &[usize]) -> NdArr {
        NdArr::F64(ArrayD::from_shape_vec(IxDyn(shape), v).unwrap())
    }

    #[test]
    fn chan_merge_matches_one_pass() {
        let xs: Vec<f64> = (0..100).map(|i| 1e6 + (i as f64 * 0.37).sin()).collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        let parts: Vec<Arc<Chunk>> = xs
            .chunks(13)
            .map(|c| Arc::new(moment_partial(&f(c.to_vec(), &[c.len()]), &[0], true).unwrap()))
            .collect();
        let merged = moment_combine(&parts).unwrap();
        let v = match moment_finish(&merged, Moment::Var(0), DType::F64).unwrap() {
            NdArr::F64(a) => a.iter().copied().next().unwrap(),
            _ => panic!(),
        };
        assert!(((v - var) / var).abs() < 1e-10, "{} vs {}", v, var);
    }

    #[test]
    fn fast_and_general_paths_agree() {
        let v: Vec<f64> = (0..60).map(|i| ((i * 37) % 11) as f64 * 0.5).collect();
        let a = f(v, &[3, 4, 5]);
        for axes in [
            vec![0],
            vec![2],
            vec![1, 2],
            vec![0, 1],
            vec![1],
            vec![0, 2],
        ] {
            let p = moment_partial(&a, &axes, true).unwrap();
            let (shape, data, rows, cols) = as_rows(&a, &axes);
            let got = moment_finish(&p, Moment::Var(0), DType::F64).unwrap();
            assert_eq!(got.shape(), shape.as_slice());
            let got = match got {
                NdArr::F64(x) => x.iter().copied().collect::<Vec<_>>(),
                _ => panic!(),
            };
            for r in 0..rows {
                let row = &data[r * cols..(r + 1) * cols];
                let m = row.iter().sum::<f64>() / cols as f64;
                let var = row.iter().map(|x| (x - m).powi(2)).sum::<f64>() / cols as f64;
                assert!((got[r] - var).abs() < 1e-12, "axes {:?}", axes);
            }
        }
    }

    #[test]
    fn moments_along_one_axis() {
        // [[1,2],[3,4]] along axis 0: sums [4,6]
        let p = moment_partial(&f(vec![1., 2., 3., 4.], &[2, 2]), &[0], false).unwrap();
        let m = moment_finish(&p, Moment::Mean, DType::F64).unwrap();
        assert_eq!(m.shape(), &[1, 2]);
        match m {
            NdArr::F64(a) => assert_eq!(a.iter().copied().collect::<Vec<_>>(), vec![2., 3.]),
            _ => panic!(),
        }
    }

    #[test]
    fn argmin_global_index_and_ties() {
        let a = arg_partial(&f(vec![5., 1., 1.], &[3]), &[0], &[10], &[1], true).unwrap();
        let b = arg_partial(&f(vec![1., 0.5], &[2]), &[0], &[0], &[1], true).unwrap();
        let c = arg_partial(&f(vec![1., 1.], &[2]), &[0], &[0], &[1], true).unwrap();
        let r =
            arg_finish(&arg_combine(&[Arc::new(a.clone()), Arc::new(b)], true).unwrap()).unwrap();
        match r {
            NdArr::I64(x) => assert_eq!(x.iter().copied().collect::<Vec<_>>(), vec![1]),
            _ => panic!(),
        }
        let r = arg_finish(&arg_combine(&[Arc::new(a), Arc::new(c)], true).unwrap()).unwrap();
        match r {
            NdArr::I64(x) => assert_eq!(x.iter().copied().collect::<Vec<_>>(), vec![0]),
            _ => panic!(),
        }
    }
}
