//! `da.to_hdf5`, `x.to_hdf5`, `da.store` and `x.store` checked with h5py (from the venv
//! scripts/setup.sh makes): what rask writes, under the sync, threads and processes
//! schedulers, h5py reads back with the same values, dtype, chunk shape and filters; an
//! h5py-made dataset is filled by `da.store`. Bad targets are errors naming the dataset
//! and file. Without the venv the test fails.

mod common;

use common::*;
use std::process::Command;

/// The rask script writing `dir/out.h5`: gzip with the array's chunks, a dict of two
/// arrays sharing an input, a contiguous dataset in a group, and a store into a dataset
/// h5py made (float32, from int64 blocks).
fn script(dir: &str) -> String {
    format!(
        r#"
x = da.random.normal(size=(300, 40), chunks=(70, 15), seed=7)
da.to_hdf5("{d}/out.h5", "/x", x, compression="gzip", compression_opts=6, shuffle=True)
y = da.arange(1000, chunks=128)
da.to_hdf5("{d}/out.h5", {{"/y": y * 2, "/z": y > 500}})
(x.T @ x).to_hdf5("{d}/out.h5", "/grp/gram", chunks=None)
f = h5py.File("{d}/made.h5", "a")
da.store([da.arange(12, chunks=5).reshape(3, 4)], [f["t"]])
print(round(float(x.sum().compute()), 6))
print(round(float((x.T @ x).sum().compute()), 4))
"#,
        d = dir
    )
}

const CHECK: &str = r#"
import sys, h5py, numpy as np
d = sys.argv[1]
with h5py.File(d + "/out.h5") as f:
    x = f["x"]
    print(x.shape, x.dtype, x.chunks, x.compression, x.compression_opts, x.shuffle)
    print(round(float(x[...].sum()), 6))
    y, z = f["y"], f["z"]
    print(y.dtype, y.chunks, bool((y[...] == np.arange(1000) * 2).all()))
    print(z.dtype, int(z[...].sum()))
    g = f["grp/gram"]
    print(g.shape, g.chunks)
    xx = x[...]
    print(bool(np.allclose(g[...], xx.T @ xx)), round(float(g[...].sum()), 4))
with h5py.File(d + "/made.h5") as f:
    print(f["t"].dtype, f["t"][...].tolist())
"#;

#[test]
fn arrays_written_by_rask_read_back_in_h5py_under_every_scheduler() {
    for sched in ["sync", "threads", "processes"] {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().to_str().expect("utf-8 temp path");
        venv_python(&format!(
            "import h5py\nwith h5py.File('{}/made.h5', 'w') as f: f.create_dataset('t', shape=(3, 4), dtype='float32')",
            d
        ));
        let file = dir.path().join("w.py");
        std::fs::write(&file, script(d)).expect("write script");
        let out = rask(&["run", "--scheduler", sched, file.to_str().expect("path")]);
        assert!(
            out.status.success(),
            "{}: {}{}",
            sched,
            text(&out.stdout),
            text(&out.stderr)
        );
        let said: Vec<String> = text(&out.stdout).lines().map(String::from).collect();
        let py = root().join(".venv/bin/python");
        let got = Command::new(&py)
            .args(["-c", CHECK, d])
            .output()
            .expect("python");
        assert!(got.status.success(), "{}", text(&got.stderr));
        let lines: Vec<String> = text(&got.stdout).lines().map(String::from).collect();
        assert_eq!(
            lines[0], "(300, 40) float64 (70, 15) gzip 6 True",
            "{}",
            sched
        );
        // the sum h5py reads is the sum rask computed from the same lazy array
        assert_eq!(lines[1], said[0], "{}", sched);
        assert_eq!(lines[2], "int64 (128,) True", "{}", sched);
        assert_eq!(lines[3], "bool 499", "{}", sched);
        assert_eq!(lines[4], "(40, 40) None", "{}", sched);
        assert_eq!(lines[5], format!("True {}", said[1]), "{}", sched);
        assert_eq!(
            lines[6],
            "float32 [[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]",
            "{}",
            sched
        );
    }
}

#[test]
fn an_existing_dataset_is_reused_when_it_fits_and_refused_when_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf-8 temp path");
    let out = rask(&[
        "-c",
        &format!(
            "da.ones(4, chunks=2).to_hdf5('{d}/a.h5', '/v')\n\
             (da.arange(4, chunks=2) * 1.0).to_hdf5('{d}/a.h5', '/v')\n\
             print(h5py.File('{d}/a.h5')['v'][:])\n\
             da.ones(5, chunks=2).to_hdf5('{d}/a.h5', '/v')"
        ),
    ]);
    assert!(!out.status.success());
    assert_eq!(text(&out.stdout), "[0. 1. 2. 3.]\n");
    let err = text(&out.stderr);
    assert!(
        err.contains("Shapes do not match (existing (4,) vs new (5,))")
            && err.contains("'/v'")
            && err.contains("a.h5"),
        "{}",
        err
    );
}

#[test]
fn bad_targets_are_errors_that_name_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf-8 temp path");
    let cases = [
        (
            format!("f = h5py.File('{d}/b.h5', 'w')\nt = f.create_dataset('t', shape=(3,), dtype='int64')\nda.store(da.ones(4, chunks=2), t)"),
            "cannot store an array of shape (4,) into dataset '/t' of shape (3,)",
        ),
        (
            "da.store([da.ones(2, chunks=1)], [])".to_string(),
            "Different number of sources [1] and targets [0]",
        ),
        (
            "da.store(da.ones(2, chunks=1), 5)".to_string(),
            "da.store writes into h5py datasets, not int",
        ),
        (
            format!("da.to_hdf5('{d}/no/such/dir/c.h5', '/x', da.ones(2, chunks=1))"),
            "no/such/dir/c.h5",
        ),
        (
            format!("da.to_hdf5('{d}/c.h5', '/x', [1, 2])"),
            "x must be a dask array, not list",
        ),
    ];
    for (code, want) in cases {
        let out = rask(&["-c", &code]);
        assert!(!out.status.success(), "{}", code);
        let err = text(&out.stderr);
        assert!(err.contains(want), "{}\n---\n{}", code, err);
        assert!(!err.contains("panicked"), "{}", err);
    }
}

/// The methods take their arguments by position or by name, as Dask's do
/// (`x.to_hdf5(filename, datapath, **kwargs)`, `x.store(target, **kwargs)`).
#[test]
fn the_methods_take_their_arguments_by_position_or_by_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().to_str().expect("utf-8 temp path");
    let out = rask_ok(&format!(
        "x = da.arange(4, chunks=2)\n\
         x.to_hdf5('{d}/m1.h5', datapath='/a')\n\
         x.to_hdf5(filename='{d}/m2.h5', datapath='/b')\n\
         print(h5py.File('{d}/m1.h5')['a'][:], h5py.File('{d}/m2.h5')['b'][:])\n\
         f = h5py.File('{d}/m3.h5', 'w')\n\
         t = f.create_dataset('t', shape=(4,), dtype='int64')\n\
         (x * 2).store(targets=t)\n\
         print(t[:])"
    ));
    assert_eq!(out, "[0 1 2 3] [0 1 2 3]\n[0 2 4 6]\n");
    let bad = rask(&[
        "-c",
        &format!("f = h5py.File('{d}/m4.h5', 'w')\nt = f.create_dataset('t', shape=(4,), dtype='int64')\nda.ones(4, chunks=2).store(t, True)"),
    ]);
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("Array.store() takes 1 positional argument"),
        "{}",
        text(&bad.stderr)
    );
}
