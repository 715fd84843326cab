//! What one linear-algebra task does (the `ArrayOp::Linalg` family): TSQR nodes, blocked
//! Cholesky, triangular and LU steps. Intermediate factors travel as tuples of
//! column-major "raw" blocks (`Cm::into_raw`); the chunks of result arrays are ordinary
//! row-major arrays. Kernels live in `kernels::factor`.

use super::{chunk_nd, nd_chunk};
use crate::array::kernels::factor::{self, Cm, Raw};
use crate::array::kernels::tri_qr;
use crate::common::ndarr::NdArr;
use crate::errors::{RaskError, Result};
use crate::graph::chunk::Chunk;
use faer::reborrow::ReborrowMut;
use faer::{MatMut, MatRef};
use ndarray::{ArrayD, IxDyn};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum LinalgOp {
    /// A TSQR node: QR of one row block (array input) or of the stacked R factors of its
    /// children (tuple inputs). Yields (reflectors, coefficients, R).
    QrNode,
    /// Q of a TSQR node times rows `offset..offset+rows` of the product above it
    /// (input 1, raw), zero-padded below; `last` gives a row-major result chunk.
    QrApply {
        offset: usize,
        rows: usize,
        last: bool,
    },
    /// R of a TSQR root, as a result chunk.
    QrR,
    /// An n × n identity, raw (the top of Q's back-propagation).
    Identity { n: usize },
    /// Thin SVD of the root's R: (U raw, s, Vt), signs made unique.
    SvdSmall,
    /// Part `index` of an `SvdSmall` result: 0 U (raw), 1 s, 2 Vt (row-major).
    SvdPart { index: usize },
    /// Diagonal block of a left-looking Cholesky: A_kk − Σ L_kj·L_kjᵀ, factored.
    CholDiag { at: usize },
    /// Off-diagonal block: (A_ik − Σ L_ij·L_kjᵀ)·L_kk⁻ᵀ; inputs A_ik, L_kk, pairs.
    CholOff { at: usize },
    /// Block substitution: T_ii⁻¹·(b_i − Σ T_ij·x_j); inputs T_ii, b_i, pairs.
    TriBlock { lower: bool, at: usize },
    /// Partial-pivoting LU of a column panel: inputs are the panel's row blocks or the
    /// previous update's tuple. Yields (packed L\U, permutation).
    LuPanel { at: usize },
    /// Apply a panel to one trailing column panel: yields (U block, new trailing panel).
    LuUpdate { width: usize },
    /// Back substitution on the LU's U: inputs panel, update (y), pairs (update, x_j).
    LuBack { at: usize, vector: bool },
    /// Numerical rank of an R block (0-d int64).
    RankOf,
    /// Singular values of an R block, descending.
    SingularValues,
}

fn chunk(inputs: &[Arc<Chunk>], i: usize) -> Result<&Chunk> {
    inputs
        .get(i)
        .map(|c| &**c)
        .ok_or_else(|| RaskError::runtime(format!("linalg task: missing input {}", i)))
}

fn array(inputs: &[Arc<Chunk>], i: usize) -> Result<&NdArr> {
    match chunk_nd(chunk(inputs, i)?) {
        Some(a) => Ok(a),
        None => Err(RaskError::runtime(format!(
            "linalg task: input {} is not an array",
            i
        ))),
    }
}

fn item(c: &Chunk, index: usize) -> Result<&NdArr> {
    match c {
        Chunk::Tuple(v) => match v.get(index).and_then(chunk_nd) {
            Some(a) => Ok(a),
            _ => Err(RaskError::runtime("linalg task: malformed factor tuple")),
        },
        _ => Err(RaskError::runtime("linalg task: expected a factor tuple")),
    }
}

fn tuple(items: Vec<NdArr>) -> Chunk {
    Chunk::Tuple(items.into_iter().map(nd_chunk).collect())
}

fn cm(a: &NdArr) -> Result<Cm> {
    Cm::from_nd(a, "a block")
}

/// A panel given as the previous update's tuple (item 1) or as row blocks to stack.
fn panel(inputs: &[Arc<Chunk>], from: usize) -> Result<Cm> {
    match chunk(inputs, from)? {
        Chunk::Tuple(_) => Cm::from_raw(item(chunk(inputs, from)?, 1)?),
        _ => {
            let parts = (from..inputs.len())
                .map(|i| cm(array(inputs, i)?))
                .collect::<Result<Vec<_>>>()?;
            Ok(Cm::vstack(&parts))
        }
    }
}

fn vector(v: Vec<f64>) -> NdArr {
    let n = v.len();
    NdArr::F64(ArrayD::from_shape_vec(IxDyn(&[n]), v).unwrap_or_default())
}

/// b − Σ A_j·X_j over the (A_j, X_j) input pairs starting at `from`; `flip` transposes
/// the second factor (Cholesky's L·Lᵀ terms).
fn minus_products(b: &mut Cm, inputs: &[Arc<Chunk>], from: usize, t_second: bool) -> Result<()> {
    let mut i = from;
    while i + 1 < inputs.len() {
        let a = cm(array(inputs, i)?)?;
        let x = cm(array(inputs, i + 1)?)?;
        if t_second {
            factor::gemm(b, a.view(), x.view().transpose(), -1.0, true);
        } else {
            factor::gemm(b, a.view(), x.view(), -1.0, true);
        }
        i += 2;
    }
    Ok(())
}

fn qr_tuple(f: factor::Qr) -> Chunk {
    tuple(vec![
        f.factors.into_raw(),
        f.coeff.into_raw(),
        f.r.into_raw(),
    ])
}

/// QR of q ≥ 2 stacked n × n triangular R factors, merged one at a time into the first
/// (`tri_qr`). Yields (tails of the q − 1 merges side by side, their T factors, R, q): four
/// items, where a dense node has three.
fn merge_triangles(rs: &[Raw]) -> Chunk {
    let (n, q) = (rs[0].cols, rs.len());
    let mut acc = rs[0].to_cm();
    let mut v = Cm::zeros(n, n * (q - 1));
    let mut t = Cm::zeros(tri_qr::PANEL, n * (q - 1));
    for (m, r) in rs.iter().enumerate().skip(1) {
        let mut b = r.to_cm();
        let tm = tri_qr::factor_pair(&mut acc, &mut b);
        v.data[(m - 1) * n * n..m * n * n].copy_from_slice(&b.data);
        let tl = tm.data.len();
        t.data[(m - 1) * tl..m * tl].copy_from_slice(&tm.data);
    }
    let q = NdArr::I64(ArrayD::from_elem(IxDyn(&[]), q as i64));
    tuple(vec![v.into_raw(), t.into_raw(), acc.into_raw(), q])
}

/// Q·[top; 0] for a `merge_triangles` node: the merges undone last to first, each on the
/// running top block and its own child's rows (zero until then). Columns are independent,
/// so blocks of `COLS` of them run on the rayon pool (a fixed split: the same bits on any
/// number of threads); the tree's top has fewer tasks than cores.
fn apply_merged(node: &Chunk, top: MatRef<'_, f64>) -> Result<Cm> {
    const COLS: usize = 128;
    let v = Raw::of(item(node, 0)?)?;
    let t = Raw::of(item(node, 1)?)?;
    let n = v.rows;
    if n == 0 || v.cols % n != 0 || t.cols != v.cols || t.rows != tri_qr::PANEL || top.nrows() != n
    {
        return Err(RaskError::runtime("qr: malformed TSQR node"));
    }
    let q = v.cols / n + 1;
    let c = top.ncols();
    let mut out = Cm::zeros(q * n, c);
    if c == 0 {
        return Ok(out);
    }
    out.view_mut().subrows_mut(0, n).copy_from(top);
    let eye = Cm::is_identity(top);
    let (vv, tv) = (v.view(), t.view());
    out.data
        .par_chunks_mut(q * n * COLS)
        .enumerate()
        .for_each(|(bi, block)| {
            let w = block.len() / (q * n);
            let mut o = MatMut::from_column_major_slice_mut(block, q * n, w);
            for m in (1..q).rev() {
                let vm = vv.subcols((m - 1) * n, n);
                let tm = tv.subcols((m - 1) * n, n);
                let (head, rest) = o.rb_mut().split_at_row_mut(n);
                let cb = rest.subrows_mut((m - 1) * n, n);
                let eye_from = (eye && m == q - 1).then_some(bi * COLS);
                tri_qr::apply_pair(vm, tm, head, cb, true, eye_from);
            }
        });
    Ok(out)
}

impl LinalgOp {
    pub fn label(&self) -> &'static str {
        match self {
            LinalgOp::QrNode => "qr",
            LinalgOp::QrApply { .. } => "qr-q",
            LinalgOp::QrR => "qr-r",
            LinalgOp::Identity { .. } => "eye",
            LinalgOp::SvdSmall => "svd",
            LinalgOp::SvdPart { .. } => "svd-part",
            LinalgOp::CholDiag { .. } => "cholesky",
            LinalgOp::CholOff { .. } => "cholesky-solve",
            LinalgOp::TriBlock { .. } => "solve-triangular",
            LinalgOp::LuPanel { .. } => "lu-panel",
            LinalgOp::LuUpdate { .. } => "lu-update",
            LinalgOp::LuBack { .. } => "lu-solve",
            LinalgOp::RankOf => "lstsq-rank",
            LinalgOp::SingularValues => "lstsq-singular",
        }
    }

    pub fn run(&self, inputs: &[Arc<Chunk>]) -> Result<Chunk> {
        Ok(match self {
            LinalgOp::QrNode => match chunk_nd(chunk(inputs, 0)?) {
                Some(a) => qr_tuple(factor::qr(cm(a)?)),
                None => {
                    let rs = inputs
                        .iter()
                        .map(|c| Raw::of(item(c, 2)?))
                        .collect::<Result<Vec<_>>>()?;
                    let n = rs[0].cols;
                    if rs.len() > 1 && n > 0 && rs.iter().all(|r| r.rows == n && r.cols == n) {
                        merge_triangles(&rs)
                    } else {
                        let rs: Vec<Cm> = rs.iter().map(Raw::to_cm).collect();
                        qr_tuple(factor::qr(Cm::vstack(&rs)))
                    }
                }
            },
            LinalgOp::QrApply { offset, rows, last } => {
                let node = chunk(inputs, 0)?;
                let top = Raw::of(array(inputs, 1)?)?;
                if offset + rows > top.rows {
                    return Err(RaskError::runtime("qr: malformed TSQR tree"));
                }
                let top = top.view().subrows(*offset, *rows);
                let q = match node {
                    Chunk::Tuple(v) if v.len() == 4 => apply_merged(node, top)?,
                    _ => {
                        let factors = Raw::of(item(node, 0)?)?;
                        let coeff = Raw::of(item(node, 1)?)?;
                        factor::apply_q(factors.view(), coeff.view(), top)
                    }
                };
                nd_chunk(if *last { q.to_nd(false) } else { q.into_raw() })
            }
            LinalgOp::QrR => nd_chunk(Cm::from_raw(item(chunk(inputs, 0)?, 2)?)?.to_nd(false)),
            LinalgOp::Identity { n } => nd_chunk(Cm::identity(*n).into_raw()),
            LinalgOp::SvdSmall => {
                let r = Cm::from_raw(item(chunk(inputs, 0)?, 2)?)?;
                let (u, s, vt) = factor::svd(&r, true)?;
                tuple(vec![u.into_raw(), vector(s), vt.to_nd(false)])
            }
            LinalgOp::SvdPart { index } => nd_chunk(item(chunk(inputs, 0)?, *index)?.clone()),
            LinalgOp::CholDiag { at } => {
                let mut a = cm(array(inputs, 0)?)?;
                for i in 1..inputs.len() {
                    let l = cm(array(inputs, i)?)?;
                    factor::gemm(&mut a, l.view(), l.view().transpose(), -1.0, true);
                }
                nd_chunk(factor::cholesky(a, *at)?.to_nd(false))
            }
            LinalgOp::CholOff { at } => {
                let mut a = cm(array(inputs, 0)?)?;
                let lkk = cm(array(inputs, 1)?)?;
                minus_products(&mut a, inputs, 2, true)?;
                nd_chunk(factor::solve_right_lower_t(&lkk, &a, *at)?.to_nd(false))
            }
            LinalgOp::TriBlock { lower, at } => {
                let t = cm(array(inputs, 0)?)?;
                let b_nd = array(inputs, 1)?;
                let vector = b_nd.ndim() == 1;
                let mut b = cm(b_nd)?;
                minus_products(&mut b, inputs, 2, false)?;
                factor::tri_solve(&t, &mut b, *lower, false, *at)?;
                nd_chunk(b.to_nd(vector))
            }
            LinalgOp::LuPanel { at } => {
                let p = panel(inputs, 0)?;
                let (lu, perm) = factor::lu_panel(p, *at)?;
                let perm = NdArr::I64(
                    ArrayD::from_shape_vec(
                        IxDyn(&[perm.len()]),
                        perm.iter().map(|&p| p as i64).collect(),
                    )
                    .unwrap_or_default(),
                );
                tuple(vec![lu.into_raw(), perm])
            }
            LinalgOp::LuUpdate { width } => {
                let pt = chunk(inputs, 0)?;
                let lu = Cm::from_raw(item(pt, 0)?)?;
                let perm: Vec<usize> = match item(pt, 1)? {
                    NdArr::I64(p) => p.iter().map(|&x| x as usize).collect(),
                    _ => return Err(RaskError::runtime("lu: malformed permutation")),
                };
                let c = panel(inputs, 1)?;
                if perm.len() != c.rows || lu.rows != c.rows {
                    return Err(RaskError::runtime("lu: panel and column do not line up"));
                }
                let c = factor::permute_rows(&c, &perm);
                let w = *width;
                let mut top = c.rows_of(0, w);
                let lkk = lu.rows_of(0, w);
                factor::tri_solve(&lkk, &mut top, true, true, 0)?;
                let mut rest = c.rows_of(w, c.rows);
                let lower = lu.rows_of(w, lu.rows);
                factor::gemm(&mut rest, lower.view(), top.view(), -1.0, true);
                tuple(vec![top.into_raw(), rest.into_raw()])
            }
            LinalgOp::LuBack { at, vector } => {
                let lu = Cm::from_raw(item(chunk(inputs, 0)?, 0)?)?;
                let w = lu.cols;
                let ukk = lu.rows_of(0, w);
                let mut y = Cm::from_raw(item(chunk(inputs, 1)?, 0)?)?;
                let mut i = 2;
                while i + 1 < inputs.len() {
                    let u = Cm::from_raw(item(chunk(inputs, i)?, 0)?)?;
                    let x = cm(array(inputs, i + 1)?)?;
                    factor::gemm(&mut y, u.view(), x.view(), -1.0, true);
                    i += 2;
                }
                factor::tri_solve(&ukk, &mut y, false, false, *at)?;
                nd_chunk(y.to_nd(*vector))
            }
            LinalgOp::RankOf => {
                let r = cm(array(inputs, 0)?)?;
                let (_, s, _) = factor::svd(&r, false)?;
                let rank = factor::rank_of(&s, r.rows, r.cols);
                nd_chunk(NdArr::I64(ArrayD::from_elem(IxDyn(&[]), rank)))
            }
            LinalgOp::SingularValues => {
                let r = cm(array(inputs, 0)?)?;
                nd_chunk(vector(factor::svd(&r, false)?.1))
            }
        })
    }
}
