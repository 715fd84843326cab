//! `solve` and `inv` by a right-looking blocked LU with partial pivoting over whole
//! column panels, run on the augmented matrix [a | b]: step k factors the panel below
//! the diagonal block (rows k.. of block column k), then one task per trailing column
//! panel (of a and of b) swaps its rows, solves for its block row of U and updates the
//! rest. Back substitution on U finishes each block of x. Pivoting over the full panel
//! keeps the stability of LAPACK's `gesv`.

use super::factor::{check_square, offsets, op, rows_like};
use super::{key_of, LazyArray};
use crate::array::ops::linalg::LinalgOp;
use crate::common::ndarr::DType;
use crate::errors::Result;
use crate::graph::key::layer_name;
use crate::graph::task::Layer;
use crate::value::value::Value;

/// `da.linalg.solve(a, b)`: x with a·x = b for a square, nonsingular a.
pub fn solve(a: &LazyArray, b: &LazyArray) -> Result<LazyArray> {
    let ctx = "da.linalg.solve()";
    check_square(a, ctx)?;
    let b = rows_like(b, a, ctx)?;
    let nb = a.chunks[0].len();
    let offs = offsets(&a.chunks[0]);
    let vector = b.ndim() == 1;
    let nbc = if vector { 1 } else { b.chunks[1].len() };
    let bidx = |i: usize, c: usize| if vector { vec![i] } else { vec![i, c] };
    let tok = format!("{}|{}", a.name, b.name);
    let lu_name = layer_name("lu", &tok);
    let x_name = layer_name("solve", &tok);
    let panel = |k: usize| key_of(&lu_name, &[k]);
    // update of augmented column j (a's columns, then b's) at step k
    let update = |k: usize, j: usize| key_of(&lu_name, &[k, j]);
    let mut tasks = Vec::new();
    for (k, &off) in offs.iter().enumerate() {
        let pdeps = if k == 0 {
            (0..nb).map(|i| a.key(&[i, 0])).collect()
        } else {
            vec![update(k - 1, k)]
        };
        tasks.push((
            panel(k),
            super::task(op(LinalgOp::LuPanel { at: off }), pdeps),
        ));
        for j in k + 1..nb + nbc {
            let mut deps = vec![panel(k)];
            if k > 0 {
                deps.push(update(k - 1, j));
            } else if j < nb {
                deps.extend((0..nb).map(|i| a.key(&[i, j])));
            } else {
                deps.extend((0..nb).map(|i| b.key(&bidx(i, j - nb))));
            }
            tasks.push((
                update(k, j),
                super::task(
                    op(LinalgOp::LuUpdate {
                        width: a.chunks[0][k],
                    }),
                    deps,
                ),
            ));
        }
    }
    let lu = Layer::new(
        lu_name.clone(),
        tasks,
        vec![a.layer.clone(), b.layer.clone()],
    );
    let mut xt = Vec::new();
    for c in 0..nbc {
        for (k, &off) in offs.iter().enumerate() {
            let mut deps = vec![panel(k), update(k, nb + c)];
            for j in k + 1..nb {
                deps.push(update(k, j));
                deps.push(key_of(&x_name, &bidx(j, c)));
            }
            xt.push((
                key_of(&x_name, &bidx(k, c)),
                super::task(op(LinalgOp::LuBack { at: off, vector }), deps),
            ));
        }
    }
    Ok(LazyArray {
        layer: Layer::new(x_name.clone(), xt, vec![lu]),
        name: x_name,
        shape: b.shape.clone(),
        chunks: b.chunks.clone(),
        dtype: DType::F64,
    })
}

/// `da.linalg.inv(a)`: solve(a, I) with I chunked like a.
pub fn inv(a: &LazyArray) -> Result<LazyArray> {
    check_square(a, "da.linalg.inv()")?;
    let n = a.shape[0];
    let sizes = |c: &[usize]| Value::tuple(c.iter().map(|&x| Value::Int(x as i64)).collect());
    let chunks = Value::tuple(vec![sizes(&a.chunks[0]), sizes(&a.chunks[1])]);
    let eye = super::creation::eye(n, n, 0, DType::F64, Some(&chunks))?;
    solve(a, &eye)
}
