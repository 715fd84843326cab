//! End to end on a file written by h5py (not by rask): the shell's answers must match
//! NumPy's in ../shared/data/hdf5/expected.json, under every scheduler.

mod common;
use common::*;

fn shared() -> Option<std::path::PathBuf> {
    let p = root().join("../shared/data/hdf5");
    if p.join("h5py-written.h5").exists() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared/data/hdf5 is not beside the repo");
        None
    }
}

#[test]
fn h5py_written_file_matches_numpy() {
    let Some(dir) = shared() else { return };
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
    )
    .expect("json");
    let path = dir.join("h5py-written.h5");
    let script = format!(
        r#"f = h5py.File("{}")
x = da.from_array(f["/x"], chunks=(30_000,))
y = da.from_array(f["/grp/y"], chunks=(37, 20))
z = da.from_array(f["/z"])
print(x.astype("float64").sum().compute())
print(x.max().compute(), x.argmax().compute(), x[0].compute())
print(y.sum().compute())
print(y.sum(axis=0)[:3].compute().tolist())
print(y.std(axis=1)[:3].compute().tolist())
print(z.sum().compute(), z.min().compute(), z.max().compute())
"#,
        path.display()
    );
    for sched in ["sync", "threads", "processes"] {
        let out = rask_stdin(&["--scheduler", sched], &script);
        assert!(out.status.success(), "{}: {}", sched, text(&out.stderr));
        let o = text(&out.stdout);
        let lines: Vec<&str> = o.lines().collect();
        let num = |s: &str| s.trim().parse::<f64>().unwrap_or(f64::NAN);
        let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * b.abs().max(1.0);
        let e = &expected;
        assert!(
            close(
                num(lines[0]),
                e["x"]["sum_f64"].as_f64().unwrap_or(0.0),
                1e-9
            ),
            "{}",
            o
        );
        let l1: Vec<f64> = lines[1].split_whitespace().map(num).collect();
        assert!(
            close(l1[0], e["x"]["max"].as_f64().unwrap_or(0.0), 1e-7),
            "{}",
            o
        );
        assert_eq!(l1[1], e["x"]["argmax"].as_f64().unwrap_or(-1.0), "{}", o);
        assert!(
            close(l1[2], e["x"]["first"].as_f64().unwrap_or(0.0), 1e-7),
            "{}",
            o
        );
        assert!(
            close(
                num(lines[2]),
                e["grp/y"]["sum"].as_f64().unwrap_or(0.0),
                1e-12
            ),
            "{}",
            o
        );
        let list =
            |s: &str| -> Vec<f64> { s.trim_matches(['[', ']']).split(',').map(num).collect() };
        for (got, want) in list(lines[3])
            .iter()
            .zip(e["grp/y"]["sum_axis0_first3"].as_array().expect("arr"))
        {
            assert!(close(*got, want.as_f64().unwrap_or(0.0), 1e-12), "{}", o);
        }
        for (got, want) in list(lines[4])
            .iter()
            .zip(e["grp/y"]["std_axis1_first3"].as_array().expect("arr"))
        {
            assert!(close(*got, want.as_f64().unwrap_or(0.0), 1e-12), "{}", o);
        }
        let zs: Vec<f64> = lines[5].split_whitespace().map(num).collect();
        assert_eq!(zs, vec![27075.0, -1000.0, 999.0], "{}", o);
    }
}
