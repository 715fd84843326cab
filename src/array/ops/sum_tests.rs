//! The sum of blocks (`ArrayOp::SumN`) with inputs shared and handed over.

use super::*;
use crate::graph::task::TaskOp;

fn block(seed: f64) -> Arc<Chunk> {
    let a =
        ndarray::Array2::from_shape_fn((40, 30), |(i, j)| seed * (i as f64 + 0.1 * j as f64).sin());
    Arc::new(nd_chunk(NdArr::F64(a.into_dyn())))
}

fn f64s(c: &Chunk) -> Vec<u64> {
    match chunk_nd(c) {
        Some(NdArr::F64(a)) => a.iter().map(|v| v.to_bits()).collect(),
        _ => panic!("not a float block"),
    }
}

#[test]
fn a_handed_over_first_block_is_added_into_in_place_with_the_same_bits() {
    let inputs: Vec<Arc<Chunk>> = (1..=4).map(|s| block(s as f64 * 0.7)).collect();
    let shared = ArrayOp::SumN.run(&inputs).unwrap();
    // unique first input: its buffer becomes the result's
    let first_ptr = match chunk_nd(&inputs[0]) {
        Some(NdArr::F64(a)) => a.as_ptr(),
        _ => unreachable!(),
    };
    let handed = TaskOp::run_owned(&ArrayOp::SumN, inputs).unwrap();
    assert_eq!(f64s(&handed), f64s(&shared));
    match chunk_nd(&handed) {
        Some(NdArr::F64(a)) => assert_eq!(a.as_ptr(), first_ptr, "no copy of the first block"),
        _ => unreachable!(),
    }
    // a first input someone else holds is copied, and left as it was
    let inputs: Vec<Arc<Chunk>> = (1..=3).map(|s| block(s as f64)).collect();
    let keep = inputs[0].clone();
    let before = f64s(&keep);
    let out = TaskOp::run_owned(&ArrayOp::SumN, inputs.clone()).unwrap();
    assert_eq!(f64s(&keep), before);
    assert_eq!(f64s(&out), f64s(&ArrayOp::SumN.run(&inputs).unwrap()));
}

/// `a += b` block after block: the order (and so the bits) the one-pass sum must keep.
fn one_after_another(blocks: &[NdArr]) -> NdArr {
    let mut acc = blocks[0].clone();
    for b in &blocks[1..] {
        acc = crate::array::kernels::binary(crate::syntax::ast::BinOp::Add, &acc, b).unwrap();
    }
    acc
}

fn bits(a: &NdArr) -> Vec<u64> {
    match a {
        NdArr::F64(a) => a.iter().map(|v| v.to_bits()).collect(),
        NdArr::F32(a) => a.iter().map(|v| v.to_bits() as u64).collect(),
        _ => panic!("not a float block"),
    }
}

#[test]
fn the_one_pass_sum_adds_in_block_order_across_runs() {
    // 2500 elements: two whole runs of SUM_RUN and a partial one; values of mixed sizes,
    // so another order of the additions would round differently
    let make = |seed: f64| {
        ndarray::Array2::from_shape_fn((50, 50), |(i, j)| {
            let v = (seed * (i * 50 + j) as f64).sin();
            v * 10f64.powi(((i + j) % 17) as i32 - 8)
        })
        .into_dyn()
    };
    let f64_blocks: Vec<NdArr> = (1..=5).map(|s| NdArr::F64(make(s as f64 * 0.37))).collect();
    let f32_blocks: Vec<NdArr> = (1..=4)
        .map(|s| NdArr::F32(make(s as f64 * 0.53).mapv(|v| v as f32)))
        .collect();
    // a transposed first block and a block of another dtype take the general path
    let transposed = NdArr::F64(make(0.9).reversed_axes());
    let int_block =
        NdArr::I64(ndarray::Array2::from_shape_fn((50, 50), |(i, j)| (i * j) as i64).into_dyn());
    let mixed = vec![transposed, f64_blocks[1].clone(), int_block];
    for blocks in [&f64_blocks, &f32_blocks, &mixed] {
        let mut acc = blocks[0].clone();
        let rest: Vec<&NdArr> = blocks[1..].iter().collect();
        add_blocks(&mut acc, &rest).unwrap();
        assert_eq!(bits(&acc), bits(&one_after_another(blocks)));
        let chunks: Vec<Arc<Chunk>> = blocks
            .iter()
            .map(|b| Arc::new(nd_chunk(b.clone())))
            .collect();
        assert_eq!(
            bits(chunk_nd(&ArrayOp::SumN.run(&chunks).unwrap()).unwrap()),
            bits(&acc)
        );
    }
}
