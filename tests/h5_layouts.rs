//! Layouts, filters and types beyond the shared h5py file, written here with the HDF5
//! library: every block rask reads must equal what the library itself reads, whichever path
//! (positional reads or the library) `read_block` takes.

use ndarray::{ArrayD, IxDyn};
use rask::common::ndarr::NdArr;
use rask::io::hdf5::{open, read_block, read_block_via, read_path, ReadVia};

extern "C" {
    fn H5Tcopy(type_id: i64) -> i64;
}

fn bytes_of(a: &NdArr) -> Vec<u8> {
    match a {
        NdArr::F32(a) => a.iter().flat_map(|v| v.to_le_bytes()).collect(),
        NdArr::F64(a) => a.iter().flat_map(|v| v.to_le_bytes()).collect(),
        NdArr::I32(a) => a.iter().flat_map(|v| v.to_le_bytes()).collect(),
        NdArr::I64(a) => a.iter().flat_map(|v| v.to_le_bytes()).collect(),
        NdArr::Bool(a) => a.iter().map(|&v| v as u8).collect(),
    }
}

/// Blocks of `b` along every axis (unaligned with any chunking), each compared with the
/// library's read of the same block; returns the whole dataset as read by rask.
fn check_all_blocks(path: &str, ds: &str, shape: &[usize], b: usize) -> NdArr {
    let nd = shape.len();
    let mut idx = vec![0usize; nd];
    loop {
        let start: Vec<usize> = (0..nd).map(|k| idx[k] * b).collect();
        let count: Vec<usize> = (0..nd).map(|k| b.min(shape[k] - start[k])).collect();
        let fast = read_block_via(path, ds, &start, &count, ReadVia::Auto).unwrap();
        let lib = read_block_via(path, ds, &start, &count, ReadVia::Library).unwrap();
        assert_eq!(fast.shape(), &count[..]);
        assert_eq!(fast.dtype(), lib.dtype());
        assert!(
            bytes_of(&fast) == bytes_of(&lib),
            "{} block {:?} {:?}: {:?} vs {:?}",
            ds,
            start,
            count,
            fast,
            lib
        );
        let mut k = nd;
        loop {
            if k == 0 {
                return read_block(path, ds, &vec![0; nd], shape).unwrap();
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] * b < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
}

#[test]
fn shuffle_gzip_edge_chunks_and_3d() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.h5");
    let path = p.to_str().unwrap();
    let a = ArrayD::from_shape_fn(IxDyn(&[1000, 7]), |i| (i[0] * 7 + i[1]) as f32 * 0.5 - 3.0);
    let c = ArrayD::from_shape_fn(IxDyn(&[9, 10, 11]), |i| {
        (i[0] * 1000 + i[1] * 10 + i[2]) as i64
    });
    {
        let f = hdf5::File::create(path).unwrap();
        f.new_dataset_builder()
            .with_data(&a)
            .chunk((64, 3))
            .shuffle()
            .deflate(6)
            .create("sg")
            .unwrap();
        f.new_dataset_builder()
            .with_data(&c)
            .chunk((4, 3, 5))
            .deflate(1)
            .create("cube")
            .unwrap();
    }
    assert_eq!(read_path(path, "/sg").unwrap(), "chunked");
    assert_eq!(read_path(path, "/cube").unwrap(), "chunked");
    match check_all_blocks(path, "/sg", &[1000, 7], 37) {
        NdArr::F32(got) => assert_eq!(got, a),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/cube", &[9, 10, 11], 4) {
        NdArr::I64(got) => assert_eq!(got, c),
        other => panic!("{:?}", other.dtype()),
    }
}

#[test]
fn big_endian_small_ints_and_bools() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("types.h5");
    let path = p.to_str().unwrap();
    let vals: Vec<f64> = (0..5000).map(|i| (i as f64).sqrt() - 20.0).collect();
    {
        let f = hdf5::File::create(path).unwrap();
        let be = || unsafe {
            hdf5::from_id::<hdf5::Datatype>(H5Tcopy(*hdf5::globals::H5T_IEEE_F64BE)).unwrap()
        };
        let d = f
            .new_dataset_builder()
            .empty_as(be())
            .shape(5000)
            .create("be")
            .unwrap();
        d.write_raw(&vals).unwrap();
        let d = f
            .new_dataset_builder()
            .empty_as(be())
            .shape((50, 100))
            .chunk((7, 30))
            .deflate(3)
            .create("be_chunked")
            .unwrap();
        d.write_raw(&vals).unwrap();
        let u: Vec<u16> = (0..3000).map(|i| (i * 37 % 65536) as u16).collect();
        f.new_dataset_builder().with_data(&u).create("u16").unwrap();
        let s: Vec<i8> = (0..300).map(|i| (i % 256) as u8 as i8).collect();
        f.new_dataset_builder()
            .with_data(&s)
            .chunk(64)
            .create("i8")
            .unwrap();
        let b: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
        f.new_dataset_builder()
            .with_data(&b)
            .create("flags")
            .unwrap();
        let w: Vec<u32> = vec![u32::MAX, 0, 7];
        f.new_dataset_builder().with_data(&w).create("u32").unwrap();
        f.new_dataset_builder()
            .with_data(&[1u64, 2])
            .create("u64")
            .unwrap();
    }
    let f = open(path).unwrap();
    assert_eq!(f.dataset("be").unwrap().typestr, ">f8");
    match check_all_blocks(path, "/be", &[5000], 333) {
        NdArr::F64(a) => assert_eq!(a.as_slice().unwrap(), &vals[..]),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/be_chunked", &[50, 100], 9) {
        NdArr::F64(a) => assert_eq!(a.as_slice().unwrap(), &vals[..]),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/u16", &[3000], 128) {
        NdArr::I32(a) => assert_eq!(a[[2999]], 2999 * 37 % 65536),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/i8", &[300], 50) {
        NdArr::I32(a) => assert_eq!(a[[200]], -56),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/flags", &[100], 30) {
        NdArr::Bool(a) => assert!(a[[3]] && !a[[4]]),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/u32", &[3], 2) {
        NdArr::I64(a) => assert_eq!(a[[0]], u32::MAX as i64),
        other => panic!("{:?}", other.dtype()),
    }
    let e = f.dataset("u64").unwrap_err();
    assert!(
        e.message.contains("/u64") && e.message.contains("uint64"),
        "{}",
        e.message
    );
}

#[test]
fn fill_values_compact_fletcher_userblock_and_scalars() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd.h5");
    let path = p.to_str().unwrap();
    {
        let f = hdf5::File::with_options()
            .with_fcpl(|p| p.userblock(512))
            .create(path)
            .unwrap();
        // only the first chunk written: the rest hold the fill value
        let d = f
            .new_dataset::<f32>()
            .shape(100)
            .chunk(10)
            .fill_value(-1.5f32)
            .create("sparse")
            .unwrap();
        d.write_slice(&[1.0f32, 2.0, 3.0], 0..3).unwrap();
        f.new_dataset_builder()
            .with_data(&[1i32, 2, 3, 4])
            .layout(hdf5::dataset::Layout::Compact)
            .create("compact")
            .unwrap();
        let v: Vec<f32> = (0..500).map(|i| i as f32).collect();
        f.new_dataset_builder()
            .with_data(&v)
            .chunk(100)
            .fletcher32()
            .create("checked")
            .unwrap();
        f.new_dataset_builder()
            .with_data(&v)
            .create("plain")
            .unwrap();
        let s = f.new_dataset::<f64>().create("scalar").unwrap();
        s.write_scalar(&2.5f64).unwrap();
        // contiguous, never written: all fill value
        f.new_dataset::<i32>()
            .shape(20)
            .create("unwritten")
            .unwrap();
    }
    match check_all_blocks(path, "/sparse", &[100], 7) {
        NdArr::F32(a) => {
            assert_eq!(a[[2]], 3.0);
            assert_eq!(a[[3]], -1.5);
            assert_eq!(a[[99]], -1.5);
        }
        other => panic!("{:?}", other.dtype()),
    }
    assert_eq!(read_path(path, "/compact").unwrap(), "library");
    check_all_blocks(path, "/compact", &[4], 3);
    assert_eq!(read_path(path, "/checked").unwrap(), "library");
    check_all_blocks(path, "/checked", &[500], 77);
    // contiguous data after a user block: the offset the library reports must include it
    assert_eq!(read_path(path, "/plain").unwrap(), "contiguous");
    match check_all_blocks(path, "/plain", &[500], 77) {
        NdArr::F32(a) => assert_eq!(a[[499]], 499.0),
        other => panic!("{:?}", other.dtype()),
    }
    match read_block(path, "/scalar", &[], &[]).unwrap() {
        NdArr::F64(a) => assert_eq!(a.into_iter().next(), Some(2.5)),
        other => panic!("{:?}", other.dtype()),
    }
    match check_all_blocks(path, "/unwritten", &[20], 6) {
        NdArr::I32(a) => assert!(a.iter().all(|&v| v == 0)),
        other => panic!("{:?}", other.dtype()),
    }
    // empty blocks are fine
    assert_eq!(
        read_block(path, "/plain", &[10], &[0]).unwrap().shape(),
        &[0]
    );
}
