//! Elementwise chains feeding reductions (run as one pass per chunk) and chains whose
//! result is kept, under every scheduler, against Dask and NumPy running the same
//! script: int64, float64 and float32 chunks, two arrays, NaN, -0.0 and a shared input.

mod common;
use common::*;

/// The script; `SCHED` is replaced by the scheduler. The printed values are exact in
/// float64 (integer-valued sums), or rounded, so summation order cannot show.
const SCRIPT: &str = r#"import numpy as np
import dask.array as da
s = "SCHED"
x = da.arange(100003, chunks=10007)
y = da.arange(100003, chunks=10007) / 2
z = da.arange(100003, chunks=10007).astype("float32")
w = da.from_array(np.array([1.0, np.nan, 3.0, -0.0, 2.0]), chunks=2)
v = da.from_array(np.array([-0.0, 0.0, -1.5, 2.5, -0.0]), chunks=3)
print(int((x ** 2 + 1).sum().compute(scheduler=s)))
print(int(((x % 7) * 3 - 2).max().compute(scheduler=s)))
print(int((x > 5000).sum().compute(scheduler=s)))
print(int((-x).min().compute(scheduler=s)))
print(int((x * x + x).sum().compute(scheduler=s)))
print(float((y ** 2 + 1).sum().compute(scheduler=s)))
print(float((y * 2 - 1).mean().compute(scheduler=s)))
print(round(float((y + 1).std().compute(scheduler=s)), 6))
print(round(float((y / 3 - x).var().compute(scheduler=s)), 4))
print(float((y - 3).min().compute(scheduler=s)))
print(float(da.sqrt(y).max().compute(scheduler=s)))
print(float((x + y).sum().compute(scheduler=s)))
print(float((z * 2 + 0.5).max().compute(scheduler=s)))
print(int((z + 0.5).astype("int64").sum().compute(scheduler=s)))
print(str((z ** 2 + 1).dtype))
print(float((w * 2).max().compute(scheduler=s)), float((w + 1).sum().compute(scheduler=s)))
print(float((v * 1).min().compute(scheduler=s)), float((v + 0).max().compute(scheduler=s)))
print((x * 2 + 1)[::10000].compute(scheduler=s))
print((y ** 2 - 1)[3:7].compute(scheduler=s))
print(((z + 1) > 50000)[49997:50002].compute(scheduler=s))
a = x + 1
print(int((a * 2).sum().compute(scheduler=s)), int((a - 1).max().compute(scheduler=s)))
"#;

#[test]
fn chains_agree_with_dask_under_every_scheduler() {
    let want = venv_python(&SCRIPT.replace("SCHED", "sync"));
    for sched in ["sync", "threads", "processes"] {
        let got = rask_ok(&SCRIPT.replace("SCHED", sched));
        assert_eq!(got, want, "under {}", sched);
    }
}
