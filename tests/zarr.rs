//! Zarr against zarr-python (from the venv scripts/setup.sh makes): arrays zarr-python
//! writes (v2: blosc with lz4, zstd, zlib and blosclz, byte and bit shuffle; zstd, gzip,
//! zlib, none; C and F order; '/' keys; big-endian; missing chunks. v3: zstd, gzip, blosc,
//! none, crc32c, big-endian, transpose, sharded, missing chunks and inner chunks; a group
//! with component=) read in rask with NumPy's values, dtype, shape and chunks; arrays rask
//! writes (v2 and v3, several dtypes, edge chunks, irregular chunks) read back in
//! zarr-python the same. Broken stores are errors naming the file. Without the venv the
//! test fails.

mod common;

use common::{rask, root, text};
use std::process::Command;

fn python(args: &[&str]) -> String {
    let py = root().join(".venv/bin/python");
    let out = Command::new(&py).args(args).output().unwrap_or_else(|e| {
        panic!(
            "{} with zarr is missing ({}): run scripts/setup.sh",
            py.display(),
            e
        )
    });
    assert!(out.status.success(), "zarr-python: {}", text(&out.stderr));
    text(&out.stdout)
}

const NAMES: &[(&str, &str)] = &[
    ("v2_blosc", ""),
    ("v2_blosc_bit", ""),
    ("v2_blosclz", ""),
    ("v2_blosc_zlib", ""),
    ("v2_zstd", ""),
    ("v2_gzip", ""),
    ("v2_zlib", ""),
    ("v2_none", ""),
    ("v2_F", ""),
    ("v2_slash", ""),
    ("v2_big", ""),
    ("v2_missing", ""),
    ("v3_zstd", ""),
    ("v3_gzip", ""),
    ("v3_blosc", ""),
    ("v3_none", ""),
    ("v3_crc", ""),
    ("v3_big", ""),
    ("v3_T", ""),
    ("v3_shard", ""),
    ("v3_shard_missing", ""),
    ("v3_missing", ""),
    ("grp.zarr", "a/b"),
];

fn read_script(d: &str) -> String {
    let mut rk = String::new();
    for (name, comp) in NAMES {
        let comp = if comp.is_empty() {
            String::new()
        } else {
            format!(", component='{}'", comp)
        };
        rk.push_str(&format!(
            "x = da.from_zarr('{d}/{name}'{comp})\nprint('{name}', x.dtype, x.shape, x.chunksize)\ny = x.compute()\nprint(repr(y if y.size <= 60 else y.ravel()[::97]))\n"
        ));
    }
    rk
}

#[test]
fn zarr_python_stores_read_in_rask() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let script = root().join("tests/zarr/write_cases.py");
    let want = python(&[&script.display().to_string(), &d]);
    let rk = read_script(&d);
    let got = rask(&["-c", &rk]);
    assert!(got.status.success(), "{}", text(&got.stderr));
    assert_eq!(text(&got.stdout), want);
    // the same under the processes scheduler (tasks decoded in worker processes)
    let got = rask(&["--scheduler", "processes", "-c", &rk]);
    assert!(got.status.success(), "{}", text(&got.stderr));
    assert_eq!(text(&got.stdout), want);

    // chunks= rechunks on read: blocks that straddle Zarr chunks, and a slice of them
    let r = rask(&[
        "-c",
        &format!(
            "x = da.from_zarr('{d}/v2_blosc', chunks=(3, 4))\nprint(x.chunks)\nprint(repr(x[1:4, 2:6].compute()))\nprint(da.from_zarr('{d}/v3_shard', chunks=(3, 7)).sum().compute())"
        ),
    ]);
    assert!(r.status.success(), "{}", text(&r.stderr));
    assert_eq!(
        text(&r.stdout),
        "((3, 2), (4, 3))\narray([[2.25, 2.5 , 2.75, 3.  ],\n       [4.  , 4.25, 4.5 , 4.75],\n       [5.75, 6.  , 6.25, 6.5 ]])\n3160.0\n"
    );
}

#[test]
fn rask_stores_read_in_zarr_python() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let w = rask(&[
        "--scheduler",
        "processes",
        "-c",
        &format!(
            "da.arange(35, chunks=10).reshape(5, 7).rechunk((2, 3)).to_zarr('{d}/r0')\n\
             (da.arange(24, chunks=5) / 4).to_zarr('{d}/r1', zarr_format=2)\n\
             (da.arange(12, chunks=4) % 3 == 0).to_zarr('{d}/r2')\n\
             da.ones((3, 5), chunks=(2, 5), dtype='float32').to_zarr('{d}/r3', component='g/h', zarr_format=2)\n\
             da.to_zarr(da.arange(9, chunks=(2, 3, 4)).astype('int32'), '{d}/r4')\n\
             da.from_array([[1.5, 2.5]], chunks=1).to_zarr('{d}/r5', zarr_format=3)"
        ),
    ]);
    assert!(w.status.success(), "{}", text(&w.stderr));
    let read = python(&[
        "-c",
        &format!(
            "import zarr\n\
             for p, c in [('r0', None), ('r1', None), ('r2', None), ('r3', 'g/h'), ('r4', None), ('r5', None)]:\n    \
                 z = zarr.open_array('{d}/' + p, path=c or '', mode='r')\n    \
                 print(z.metadata.zarr_format, z.dtype, z.shape, z.chunks, z[...].ravel().tolist())"
        ),
    ]);
    assert_eq!(
        read,
        "3 int64 (5, 7) (2, 3) [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]\n\
         2 float64 (24,) (5,) [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25, 3.5, 3.75, 4.0, 4.25, 4.5, 4.75, 5.0, 5.25, 5.5, 5.75]\n\
         3 bool (12,) (4,) [True, False, False, True, False, False, True, False, False, True, False, False]\n\
         2 float32 (3, 5) (2, 5) [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n\
         3 int32 (9,) (4,) [0, 1, 2, 3, 4, 5, 6, 7, 8]\n\
         3 float64 (1, 2) (1, 1) [1.5, 2.5]\n"
    );
    // the group above r3's array is a group to zarr-python too
    let g = python(&[
        "-c",
        &format!("import zarr\nprint(sorted(zarr.open_group('{d}/r3', mode='r').group_keys()))"),
    ]);
    assert_eq!(g, "['g']\n");

    // an existing array needs overwrite=True, as zarr-python's ContainsArrayError
    let e = rask(&["-c", &format!("da.arange(3, chunks=2).to_zarr('{d}/r0')")]);
    assert!(!e.status.success());
    assert!(
        text(&e.stderr).contains("ContainsArrayError") && text(&e.stderr).contains("r0"),
        "{}",
        text(&e.stderr)
    );
    let o = rask(&[
        "-c",
        &format!(
            "da.arange(3, chunks=2).to_zarr('{d}/r0', overwrite=True)\nprint(repr(da.from_zarr('{d}/r0').compute()))"
        ),
    ]);
    assert_eq!(text(&o.stdout), "array([0, 1, 2])\n", "{}", text(&o.stderr));
}

#[test]
fn broken_zarr_stores_name_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    python(&[
        "-c",
        &format!(
            "import zarr, numcodecs, numpy as np\n\
             z = zarr.create(store='{d}/b', shape=(100,), chunks=(50,), dtype='f8', zarr_format=2, compressor=numcodecs.Blosc())\n\
             z[:] = np.arange(100.0)\n\
             zarr.create_array('{d}/s', shape=(3,), chunks=(2,), dtype='<U5')[:] = ['a', 'b', 'c']\n\
             z = zarr.create_array('{d}/sh', shape=(8,), chunks=(2,), shards=(4,), dtype='i8')\n\
             z[:] = np.arange(8)\n\
             zarr.create_array('{d}/u', shape=(3,), chunks=(2,), dtype='uint8')"
        ),
    ]);
    let run = |code: &str| {
        let out = rask(&["-c", code]);
        assert!(!out.status.success(), "{} should fail", code);
        text(&out.stderr)
    };
    // a truncated blosc chunk
    let f = format!("{}/b/0", d);
    let bytes = std::fs::read(&f).expect("chunk");
    std::fs::write(&f, &bytes[..bytes.len() / 2]).expect("write");
    let e = run(&format!("da.from_zarr('{d}/b').sum().compute()"));
    assert!(
        e.contains(&format!("{}/b/0: truncated blosc chunk", d)),
        "{}",
        e
    );
    // garbage in a shard: the shard file and its checksum
    let f = format!("{}/sh/c/1", d);
    let mut bytes = std::fs::read(&f).expect("shard");
    let n = bytes.len();
    bytes[n - 10] ^= 0xff;
    std::fs::write(&f, &bytes).expect("write");
    let e = run(&format!("da.from_zarr('{d}/sh').compute()"));
    assert!(
        e.contains(&format!("{}/sh/c/1: shard index checksum mismatch", d)),
        "{}",
        e
    );
    // a string dtype is refused naming the store's metadata
    let e = run(&format!("da.from_zarr('{d}/s')"));
    assert!(
        e.contains(&format!("{}/s/zarr.json", d)) && e.contains("is not numeric"),
        "{}",
        e
    );
    let e = run(&format!("da.from_zarr('{d}/u')"));
    assert!(
        e.contains("data_type 'uint8' is not one rask holds"),
        "{}",
        e
    );
    // truncated metadata
    let f = format!("{}/b/.zarray", d);
    let meta = std::fs::read(&f).expect("meta");
    std::fs::write(&f, &meta[..meta.len() / 2]).expect("write");
    let e = run(&format!("da.from_zarr('{d}/b')"));
    assert!(
        e.contains(&format!("{}/b/.zarray: not valid JSON", d)),
        "{}",
        e
    );
    // no store at all
    let e = run(&format!("da.from_zarr('{d}/nothing')"));
    assert!(e.contains("No Zarr array found at"), "{}", e);
}

/// `compressor=` (v2's name) and `compressors=` (v3's) choose what rask writes: zstd,
/// gzip, zlib (v2) or none; zarr-python reads each with that codec and the same values.
/// A blosc compressor rask does not write is a clear error.
#[test]
fn rask_writes_each_compressor_and_zarr_python_reads_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let w = rask(&[
        "-c",
        &format!(
            "x = da.arange(20, chunks=6) * 0.5\n\
             x.to_zarr('{d}/a', zarr_format=2, compressor='gzip')\n\
             x.to_zarr('{d}/b', zarr_format=2, compressor='zlib')\n\
             x.to_zarr('{d}/c', zarr_format=2, compressor=None)\n\
             x.to_zarr('{d}/e', compressors=['gzip'])\n\
             x.to_zarr('{d}/f', compressors=None)\n\
             x.to_zarr('{d}/g', compressor='zstd')\n\
             print([float(da.from_zarr('{d}/' + p).sum().compute()) for p in 'abcefg'])"
        ),
    ]);
    assert!(w.status.success(), "{}", text(&w.stderr));
    assert_eq!(text(&w.stdout), "[95.0, 95.0, 95.0, 95.0, 95.0, 95.0]\n");
    let read = python(&[
        "-c",
        &format!(
            "import zarr\n\
             for p in 'abcefg':\n    \
                 z = zarr.open_array('{d}/' + p, mode='r')\n    \
                 print(p, z.metadata.zarr_format, [type(c).__name__ for c in z.compressors], float(z[...].sum()))"
        ),
    ]);
    assert_eq!(
        read,
        "a 2 ['GZip'] 95.0\nb 2 ['Zlib'] 95.0\nc 2 [] 95.0\ne 3 ['GzipCodec'] 95.0\nf 3 [] 95.0\ng 3 ['ZstdCodec'] 95.0\n"
    );
    let bad = rask(&[
        "-c",
        &format!("da.ones(4, chunks=2).to_zarr('{d}/h', compressor={{'id': 'blosc', 'cname': 'snappy'}})"),
    ]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("blosc cname 'snappy' is not one rask writes (lz4, zstd, zlib)"),
        "{}",
        text(&bad.stderr)
    );
}

/// Blosc on write: numcodecs' `Blosc()` by name, and configs as numcodecs and zarr v3
/// give them (each compressor blosc writes, every shuffle, levels 0 to 9), over int32,
/// int64, float32, float64 and bool with edge chunks; zarr-python reads the same values
/// NumPy computes, and the codec settings rask wrote.
#[test]
fn rask_writes_blosc_that_zarr_python_reads() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display().to_string();
    let cases = [
        ("a", "zarr_format=2, compressor='blosc'"),
        ("b", "zarr_format=2, compressor={'id': 'blosc', 'cname': 'zstd', 'clevel': 3, 'shuffle': 2}"),
        ("c", "zarr_format=2, compressor={'id': 'blosc', 'cname': 'zlib', 'clevel': 9, 'shuffle': 0}"),
        ("e", "compressors='blosc'"),
        ("f", "compressors=[{'name': 'blosc', 'configuration': {'cname': 'zstd', 'clevel': 1, 'shuffle': 'bitshuffle'}}]"),
        ("g", "compressors={'name': 'blosc', 'configuration': {'cname': 'lz4', 'clevel': 0, 'shuffle': 'noshuffle'}}"),
    ];
    let mut prog = String::from(
        "x = (da.arange(30000, chunks=7000).reshape((150, 200)).rechunk((64, 90)) % 97) * 3\n\
         arrs = {'i8': x, 'i4': x.astype('int32'), 'f8': x * 0.25, 'f4': (x * 0.5).astype('float32'), 'b': x % 3 == 0}\n",
    );
    for (name, kw) in cases {
        prog.push_str(&format!(
            "for k, a in arrs.items():\n    a.to_zarr('{d}/{name}', component=k, {kw})\n"
        ));
    }
    let w = rask(&["-c", &prog]);
    assert!(w.status.success(), "{}", text(&w.stderr));
    let read = python(&[
        "-c",
        &format!(
            "import zarr, numpy as np\n\
             x = (np.arange(30000).reshape((150, 200)) % 97) * 3\n\
             want = {{'i8': x, 'i4': x.astype('int32'), 'f8': x * 0.25, 'f4': (x * 0.5).astype('float32'), 'b': x % 3 == 0}}\n\
             for p in 'abcefg':\n    \
                 for k, v in want.items():\n        \
                     z = zarr.open_array('{d}/' + p + '/' + k, mode='r')\n        \
                     got = z[...]\n        \
                     assert got.dtype == v.dtype and z.chunks == (64, 90), (p, k, got.dtype, z.chunks)\n        \
                     assert np.array_equal(got, v), (p, k)\n    \
                 c = z.compressors[0]\n    \
                 cfg = c.get_config() if hasattr(c, 'get_config') else c.to_dict()\n    \
                 cfg = cfg.get('configuration', cfg)\n    \
                 print(p, z.metadata.zarr_format, cfg['cname'], cfg['clevel'], str(cfg['shuffle']).split('.')[-1].lower())"
        ),
    ]);
    assert_eq!(
        read,
        "a 2 lz4 5 1\nb 2 zstd 3 2\nc 2 zlib 9 0\ne 3 lz4 5 shuffle\nf 3 zstd 1 bitshuffle\ng 3 lz4 0 noshuffle\n"
    );
    // and rask reads its own blosc back with the same sums
    let back = rask(&[
        "-c",
        &format!(
            "print([int(da.from_zarr('{d}/' + p, component='i8').sum().compute()) for p in 'abcefg'])"
        ),
    ]);
    assert!(back.status.success(), "{}", text(&back.stderr));
    let s: i64 = (0..30000i64).map(|i| (i % 97) * 3).sum();
    assert_eq!(
        text(&back.stdout),
        format!("[{s}, {s}, {s}, {s}, {s}, {s}]\n")
    );
}
