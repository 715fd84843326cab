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
