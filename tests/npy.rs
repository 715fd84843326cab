//! `np.save` / `np.load` against NumPy (from the venv scripts/setup.sh makes): files NumPy
//! writes (every dtype rask holds, C and Fortran order, big-endian, format 2.0) load in
//! rask with NumPy's repr, and files rask writes load in NumPy with the same values and
//! dtype. A broken file is an error naming it. Without the venv the test fails.

mod common;

use common::*;

const CASES: &[&str] = &[
    "np.arange(12, dtype='float64').reshape(3, 4) / 4",
    "np.arange(6, dtype='float32').reshape(2, 3)",
    "np.arange(-5, 5, dtype='int64')",
    "np.arange(8, dtype='int32').reshape(2, 2, 2)",
    "np.array([True, False, True])",
    "np.asfortranarray(np.arange(12, dtype='float64').reshape(3, 4))",
    "np.arange(6, dtype='>i8').reshape(2, 3)",
    "np.arange(4, dtype='>f4')",
];

#[test]
fn numpy_files_load_in_rask_and_rask_files_load_in_numpy() {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path().display();
    let mut py = String::from("import numpy as np\n");
    for (i, c) in CASES.iter().enumerate() {
        py.push_str(&format!("np.save('{}/n{}.npy', {})\nprint(repr(np.load('{}/n{}.npy').astype(np.load('{}/n{}.npy').dtype.newbyteorder('='))))\n", d, i, c, d, i, d, i));
    }
    // format 2.0 (NumPy writes it when a header outgrows 1.0)
    py.push_str(&format!(
        "np.lib.format.write_array(open('{}/v2.npy', 'wb'), np.arange(3.0), version=(2, 0))\n",
        d
    ));
    let want = venv_python(&py);
    let mut rk = String::new();
    for i in 0..CASES.len() {
        rk.push_str(&format!("print(repr(np.load('{}/n{}.npy')))\n", d, i));
    }
    let got = rask(&["-c", &rk]);
    assert!(got.status.success(), "{}", text(&got.stderr));
    assert_eq!(text(&got.stdout), want);
    let v2 = rask(&["-c", &format!("print(repr(np.load('{}/v2.npy')))", d)]);
    assert_eq!(
        text(&v2.stdout),
        "array([0., 1., 2.])\n",
        "{}",
        text(&v2.stderr)
    );

    // rask writes; NumPy reads the same values and dtype (np.save adds .npy)
    let w = rask(&[
        "-c",
        &format!(
            "np.save('{0}/r0', np.arange(6).reshape(2, 3) * 1.5)\n\
             np.save('{0}/r1.npy', np.arange(6).reshape(3, 2))\n\
             np.save('{0}/r2.npy', np.array([True, False]))\n\
             np.save('{0}/r3.npy', np.ones((2, 2), dtype='float32'))\n\
             np.save('{0}/r4.npy', np.array([1, 2], dtype='int32'))",
            d
        ),
    ]);
    assert!(w.status.success(), "{}", text(&w.stderr));
    let read = venv_python(&format!(
        "import numpy as np\nfor i in range(5):\n    a = np.load('{}/r%d.npy' % i)\n    print(a.dtype, a.shape, a.ravel().tolist())",
        d
    ));
    assert_eq!(
        read,
        "float64 (2, 3) [0.0, 1.5, 3.0, 4.5, 6.0, 7.5]\nint64 (3, 2) [0, 1, 2, 3, 4, 5]\n\
         bool (2,) [True, False]\nfloat32 (2, 2) [1.0, 1.0, 1.0, 1.0]\nint32 (2,) [1, 2]\n"
    );

    // broken files name themselves
    std::fs::write(
        dir.path().join("bad.npy"),
        b"\x93NUMPY\x01\x00\x10\x00{'descr'",
    )
    .expect("write");
    let e = rask(&["-c", &format!("np.load('{}/bad.npy')", d)]);
    assert!(!e.status.success());
    assert!(
        text(&e.stderr).contains("bad.npy: not a readable .npy file"),
        "{}",
        text(&e.stderr)
    );
    let cut = std::fs::read(dir.path().join("r0.npy")).expect("read");
    std::fs::write(dir.path().join("cut.npy"), &cut[..cut.len() - 8]).expect("write");
    let e = rask(&["-c", &format!("np.load('{}/cut.npy')", d)]);
    assert!(
        text(&e.stderr).contains("cut.npy: not a readable .npy file: the data is cut short"),
        "{}",
        text(&e.stderr)
    );
    venv_python(&format!(
        "import numpy as np\nnp.save('{}/u8.npy', np.arange(3, dtype='uint16'))",
        d
    ));
    let e = rask(&["-c", &format!("np.load('{}/u8.npy')", d)]);
    assert!(
        text(&e.stderr).contains("dtype 'u2' is not one rask holds"),
        "{}",
        text(&e.stderr)
    );
}

/// `print(a)` and `str(a)` show NumPy's str (`[0.  0.5]`, no `array(`), summarised and
/// wrapped as NumPy does: the same script prints the same text in NumPy and rask.
#[test]
fn print_of_an_array_is_numpys_str() {
    let body = "for a in [np.array([1.0, 2.0]), np.arange(6).reshape(2, 3), \
        np.array([[[1.5, 2.25], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.125]]]) / 7, \
        np.array([True, False]), np.arange(2000) * 1.5, np.array(3.5), \
        np.array([[1e-9, 1.0]]), np.arange(100).reshape(50, 2), np.array([], dtype='int64')]:\n    \
        print(a)\n    print(str(a.ravel()[:3]) if a.size else str(a))\n    print(repr(a)[:12] if a.ndim else str(a))\n";
    let want = venv_python(&format!("import numpy as np\n{}", body));
    let out = rask(&["-c", body]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), want);
}
