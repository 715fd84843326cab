//! Reading the HDF5 file h5py wrote (../shared/data/hdf5/h5py-written.h5) through
//! `read_block` in many block shapes, checked against NumPy's answers in expected.json;
//! the positional-read path against the library's own reads; concurrent reads; and the
//! `random_array` round trip.

use ndarray::{Array2, ArrayD, Axis, IxDyn};
use rask::common::ndarr::NdArr;
use rask::io::hdf5::{open, read_block, read_block_via, read_path, ReadVia};
use std::path::PathBuf;

/// The shared data directory: `shared/` next to the repository (or a parent of it).
fn shared_file(name: &str) -> Option<PathBuf> {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for dir in here.ancestors().skip(1) {
        let p = dir.join("shared/data/hdf5").join(name);
        if p.exists() {
            return Some(p);
        }
    }
    println!(
        "skipping: shared/data/hdf5/{} not found above {}",
        name,
        here.display()
    );
    None
}

fn expected() -> Option<serde_json::Value> {
    let p = shared_file("expected.json")?;
    Some(serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
}

fn f32s(a: NdArr) -> ArrayD<f32> {
    match a {
        NdArr::F32(a) => a,
        other => panic!("expected float32, got {:?}", other.dtype()),
    }
}
fn f64s(a: NdArr) -> ArrayD<f64> {
    match a {
        NdArr::F64(a) => a,
        other => panic!("expected float64, got {:?}", other.dtype()),
    }
}
fn i32s(a: NdArr) -> ArrayD<i32> {
    match a {
        NdArr::I32(a) => a,
        other => panic!("expected int32, got {:?}", other.dtype()),
    }
}

/// Read a whole 1-D dataset in blocks of `b`, concatenated.
fn read_1d_blocks(path: &str, ds: &str, len: usize, b: usize) -> Vec<f32> {
    let mut out = Vec::with_capacity(len);
    let mut s = 0;
    while s < len {
        let c = b.min(len - s);
        out.extend(f32s(read_block(path, ds, &[s], &[c]).unwrap()).iter());
        s += c;
    }
    out
}

/// Read a whole 2-D dataset in (br, bc) blocks and assemble it.
fn read_2d_blocks(
    path: &str,
    ds: &str,
    shape: (usize, usize),
    br: usize,
    bc: usize,
) -> ArrayD<NdArrElem> {
    let mut out = ArrayD::from_elem(IxDyn(&[shape.0, shape.1]), NdArrElem(0.0));
    let mut r = 0;
    while r < shape.0 {
        let nr = br.min(shape.0 - r);
        let mut c = 0;
        while c < shape.1 {
            let nc = bc.min(shape.1 - c);
            let blk = read_block(path, ds, &[r, c], &[nr, nc]).unwrap();
            assert_eq!(blk.shape(), &[nr, nc]);
            let vals: Vec<f64> = match blk {
                NdArr::F64(a) => a.iter().copied().collect(),
                NdArr::I32(a) => a.iter().map(|&v| v as f64).collect(),
                other => panic!("unexpected dtype {:?}", other.dtype()),
            };
            for i in 0..nr {
                for j in 0..nc {
                    out[[r + i, c + j]] = NdArrElem(vals[i * nc + j]);
                }
            }
            c += nc;
        }
        r += nr;
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct NdArrElem(f64);

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn x_matches_numpy_in_every_block_shape() {
    let (Some(p), Some(e)) = (shared_file("h5py-written.h5"), expected()) else {
        return;
    };
    let path = p.to_str().unwrap();
    let e = &e["x"];
    assert_eq!(read_path(path, "/x").unwrap(), "contiguous");
    let whole = read_1d_blocks(path, "/x", 100_000, 100_000);
    for b in [1usize, 37, 4096, 30_000, 65_537] {
        assert_eq!(
            read_1d_blocks(path, "x", 100_000, b),
            whole,
            "blocks of {}",
            b
        );
    }
    let sum: f64 = whole.iter().map(|&v| v as f64).sum();
    assert!(
        close(sum, e["sum_f64"].as_f64().unwrap(), 1e-12),
        "sum {}",
        sum
    );
    let mean = sum / whole.len() as f64;
    assert!(
        close(mean, e["mean_f64"].as_f64().unwrap(), 1e-12),
        "mean {}",
        mean
    );
    let (argmax, max) =
        whole.iter().enumerate().fold(
            (0, f32::MIN),
            |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) },
        );
    // serde_json's default float parsing may be off in the last f64 bit: compare as f32
    assert_eq!(max, e["max"].as_f64().unwrap() as f32);
    assert_eq!(argmax as u64, e["argmax"].as_u64().unwrap());
    assert_eq!(whole[0], e["first"].as_f64().unwrap() as f32);
}

#[test]
fn chunked_gzip_y_matches_numpy_in_every_block_shape() {
    let (Some(p), Some(e)) = (shared_file("h5py-written.h5"), expected()) else {
        return;
    };
    let path = p.to_str().unwrap();
    let e = &e["grp/y"];
    assert_eq!(read_path(path, "/grp/y").unwrap(), "chunked");
    let whole = f64s(read_block(path, "/grp/y", &[0, 0], &[200, 50]).unwrap());
    let whole2: Array2<f64> = whole.clone().into_dimensionality().unwrap();
    for (br, bc) in [(64, 16), (37, 50), (37, 7), (200, 50), (1, 1), (128, 32)] {
        let got = read_2d_blocks(path, "/grp/y", (200, 50), br, bc);
        assert!(
            got.iter().zip(whole.iter()).all(|(a, b)| a.0 == *b),
            "blocks of ({}, {}) differ",
            br,
            bc
        );
    }
    assert!(close(whole.sum(), e["sum"].as_f64().unwrap(), 1e-12));
    let s0 = whole2.sum_axis(Axis(0));
    let sd1 = whole2.std_axis(Axis(1), 0.0);
    for k in 0..3 {
        assert!(close(
            s0[k],
            e["sum_axis0_first3"][k].as_f64().unwrap(),
            1e-12
        ));
        assert!(close(
            sd1[k],
            e["std_axis1_first3"][k].as_f64().unwrap(),
            1e-12
        ));
    }
}

#[test]
fn chunked_int_z_matches_numpy() {
    let (Some(p), Some(e)) = (shared_file("h5py-written.h5"), expected()) else {
        return;
    };
    let path = p.to_str().unwrap();
    let e = &e["z"];
    assert_eq!(read_path(path, "z").unwrap(), "chunked");
    let whole = i32s(read_block(path, "/z", &[0, 0], &[300, 40]).unwrap());
    let got = read_2d_blocks(path, "/z", (300, 40), 37, 40);
    assert!(got.iter().zip(whole.iter()).all(|(a, b)| a.0 == *b as f64));
    let got = read_2d_blocks(path, "/z", (300, 40), 37, 9);
    assert!(got.iter().zip(whole.iter()).all(|(a, b)| a.0 == *b as f64));
    assert_eq!(
        whole.iter().map(|&v| v as i64).sum::<i64>(),
        e["sum"].as_i64().unwrap()
    );
    assert_eq!(
        *whole.iter().min().unwrap() as i64,
        e["min"].as_i64().unwrap()
    );
    assert_eq!(
        *whole.iter().max().unwrap() as i64,
        e["max"].as_i64().unwrap()
    );
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

#[test]
fn fast_path_and_library_give_identical_bytes() {
    let Some(p) = shared_file("h5py-written.h5") else {
        return;
    };
    let path = p.to_str().unwrap();
    let cases: &[(&str, &[usize], &[usize])] = &[
        ("/x", &[0], &[100_000]),
        ("/x", &[12_345], &[37]),
        ("/grp/y", &[0, 0], &[200, 50]),
        ("/grp/y", &[37, 5], &[37, 40]),
        ("/grp/y", &[199, 49], &[1, 1]),
        ("/z", &[0, 0], &[300, 40]),
        ("/z", &[74, 3], &[37, 11]),
    ];
    for (ds, s, c) in cases {
        let fast = read_block_via(path, ds, s, c, ReadVia::Auto).unwrap();
        let lib = read_block_via(path, ds, s, c, ReadVia::Library).unwrap();
        assert_eq!(fast.shape(), lib.shape());
        assert_eq!(fast.dtype(), lib.dtype());
        assert!(bytes_of(&fast) == bytes_of(&lib), "{} {:?} {:?}", ds, s, c);
    }
}

#[test]
fn concurrent_reads_match_sequential_reads() {
    let Some(p) = shared_file("h5py-written.h5") else {
        return;
    };
    let path = p.to_str().unwrap().to_string();
    let blocks: Vec<(&str, Vec<usize>, Vec<usize>)> = (0..8)
        .flat_map(|i| {
            vec![
                ("/x", vec![i * 12_000], vec![12_000]),
                ("/grp/y", vec![i * 25, (i * 3) % 20], vec![25, 30]),
                ("/z", vec![i * 37, 0], vec![37, 40]),
            ]
        })
        .collect();
    let seq: Vec<Vec<u8>> = blocks
        .iter()
        .map(|(d, s, c)| bytes_of(&read_block(&path, d, s, c).unwrap()))
        .collect();
    for _round in 0..3 {
        let par: Vec<Vec<Vec<u8>>> = std::thread::scope(|sc| {
            let handles: Vec<_> = (0..8)
                .map(|t| {
                    let blocks = &blocks;
                    let path = &path;
                    sc.spawn(move || {
                        // each thread reads its own blocks, several times, interleaved
                        let mut out = Vec::new();
                        for (k, (d, s, c)) in blocks.iter().enumerate() {
                            if k % 8 == t {
                                out.push(bytes_of(&read_block(path, d, s, c).unwrap()));
                            }
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (t, got) in par.iter().enumerate() {
            let want: Vec<&Vec<u8>> = seq
                .iter()
                .enumerate()
                .filter(|(k, _)| k % 8 == t)
                .map(|(_, v)| v)
                .collect();
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(want) {
                assert!(g == w, "thread {} read different bytes", t);
            }
        }
    }
}

#[test]
fn missing_dataset_names_it_and_lists_what_exists() {
    let Some(p) = shared_file("h5py-written.h5") else {
        return;
    };
    let path = p.to_str().unwrap();
    let f = open(path).unwrap();
    let e = f.dataset("/nope").unwrap_err();
    assert!(
        e.message.contains("/nope") && e.message.contains(path),
        "{}",
        e.message
    );
    let hint = e.hint.unwrap();
    assert!(hint.contains("datasets in h5py-written.h5:"), "{}", hint);
    for d in ["/x", "/grp/y", "/z"] {
        assert!(hint.contains(d), "{}", hint);
    }
    let e = read_block(path, "/grp/q", &[0], &[1]).unwrap_err();
    assert!(e.message.contains("/grp/q"));
    let mut keys = f.keys().unwrap();
    keys.sort();
    assert_eq!(keys, vec!["grp", "x", "z"]);
    assert!(f.is_group("grp").unwrap());
    let g = f.subgroup("grp").unwrap();
    assert_eq!(g.dataset("y").unwrap().shape, vec![200, 50]);
    let d = f.dataset("x").unwrap();
    assert_eq!(
        d.to_string(),
        "<HDF5 dataset \"x\": shape (100000,), type \"<f4\">"
    );
    let y = f.dataset("grp/y").unwrap();
    assert_eq!(y.chunk_shape, Some(vec![64, 16]));
    assert_eq!(y.compression.as_deref(), Some("gzip"));
    assert_eq!(y.compression_opts, Some(4));
    assert_eq!(f.to_string(), "<HDF5 file \"h5py-written.h5\" (mode r)>");
    // blocks outside the dataset are refused with both shapes named
    let e = read_block(path, "/x", &[99_990], &[20]).unwrap_err();
    assert!(e.message.contains("(100000,)"), "{}", e.message);
}

#[test]
fn random_array_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sub/random.hdf5");
    let path = p.to_str().unwrap();
    let n = 1_000_003usize;
    rask::data::random_array::random_array(path, n as u64, 0, 100_000).unwrap();
    let f = open(path).unwrap();
    let d = f.dataset("/x").unwrap();
    assert_eq!(d.shape, vec![n]);
    assert_eq!(d.layout, "contiguous");
    assert_eq!(d.chunk_shape, None);
    assert_eq!(read_path(path, "/x").unwrap(), "contiguous");
    let vals = read_1d_blocks(path, "/x", n, 77_777);
    assert_eq!(vals.len(), n);
    assert!(vals.iter().all(|&v| v >= 0.0 && v.is_finite()));
    let mean = vals.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    assert!((mean - 1.0).abs() < 0.01, "mean {}", mean);
    // the library reads the same file the same way
    let lib = read_block_via(path, "/x", &[0], &[n], ReadVia::Library).unwrap();
    assert_eq!(f32s(lib).iter().copied().collect::<Vec<f32>>(), vals);
    // the same seed gives the same file
    let p2 = dir.path().join("again.hdf5");
    rask::data::random_array::random_array(p2.to_str().unwrap(), n as u64, 0, 1 << 20).unwrap();
    assert_eq!(read_1d_blocks(p2.to_str().unwrap(), "/x", n, n), vals);
}
