//! NumPy's `repr` of arrays (arrayprint's "maxprec" float mode, precision 8, line width
//! 75, summarised past 1000 elements with 3 edge items) and Python's `repr` of floats.

use crate::common::ndarr::{DType, NdArr};
use ndarray::{ArrayViewD, Axis};

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// `np.set_printoptions`: NumPy's defaults until changed (for this process).
static LINE_WIDTH_OPT: AtomicUsize = AtomicUsize::new(75);
static THRESHOLD_OPT: AtomicUsize = AtomicUsize::new(1000);
static EDGE_OPT: AtomicUsize = AtomicUsize::new(3);
static PRECISION_OPT: AtomicUsize = AtomicUsize::new(8);
static SUPPRESS_OPT: AtomicBool = AtomicBool::new(false);

/// The print options `np.set_printoptions` sets; `None` leaves one as it is.
#[derive(Default)]
pub struct PrintOptions {
    pub precision: Option<usize>,
    pub threshold: Option<usize>,
    pub edgeitems: Option<usize>,
    pub linewidth: Option<usize>,
    pub suppress: Option<bool>,
}

pub fn set_print_options(o: &PrintOptions) {
    let set = |a: &AtomicUsize, v: Option<usize>| {
        if let Some(v) = v {
            a.store(v, Ordering::Relaxed);
        }
    };
    set(&PRECISION_OPT, o.precision);
    set(&THRESHOLD_OPT, o.threshold);
    set(&EDGE_OPT, o.edgeitems);
    set(&LINE_WIDTH_OPT, o.linewidth);
    if let Some(s) = o.suppress {
        SUPPRESS_OPT.store(s, Ordering::Relaxed);
    }
}

/// `np.get_printoptions()`: (precision, threshold, edgeitems, linewidth, suppress).
pub fn print_options() -> (usize, usize, usize, usize, bool) {
    (
        precision(),
        threshold(),
        edge(),
        line_width(),
        SUPPRESS_OPT.load(Ordering::Relaxed),
    )
}

fn line_width() -> usize {
    LINE_WIDTH_OPT.load(Ordering::Relaxed)
}
fn threshold() -> usize {
    THRESHOLD_OPT.load(Ordering::Relaxed)
}
fn edge() -> usize {
    EDGE_OPT.load(Ordering::Relaxed)
}
fn precision() -> usize {
    PRECISION_OPT.load(Ordering::Relaxed)
}

pub use crate::value::float_repr::{py_float, py_float32, shortest};

/// The display of a 0-d array: its scalar (`3`, `2.5`, `True`).
pub fn np_scalar(a: &NdArr) -> String {
    match a {
        NdArr::Bool(x) => x
            .iter()
            .next()
            .map(|b| if *b { "True" } else { "False" })
            .unwrap_or("False")
            .into(),
        NdArr::I32(x) => x.iter().next().map(|v| v.to_string()).unwrap_or_default(),
        NdArr::I64(x) => x.iter().next().map(|v| v.to_string()).unwrap_or_default(),
        NdArr::F32(x) => x.iter().next().map(|v| py_float32(*v)).unwrap_or_default(),
        NdArr::F64(x) => x.iter().next().map(|v| py_float(*v)).unwrap_or_default(),
    }
}

/// Float element formatting shared by f32 and f64 (digits from the element's own type).
trait FloatFmt: Copy {
    /// NumPy switches to scientific notation at 10**min(8, finfo(dtype).precision).
    const EXP_CUTOFF: f64;
    fn f(self) -> f64;
    /// Exactly rounded to `p` mantissa fraction digits, scientific.
    fn sci_p(self, p: usize) -> String;
    /// Shortest digits in `{:e}` form.
    fn sci(self) -> String;
    /// Rounded to `p` fractional digits, positional.
    fn fixed_p(self, p: usize) -> String;
}
macro_rules! float_fmt {
    ($t:ty, $cut:expr) => {
        impl FloatFmt for $t {
            const EXP_CUTOFF: f64 = $cut;
            fn f(self) -> f64 {
                self as f64
            }
            fn sci_p(self, p: usize) -> String {
                format!("{:.*e}", p, self)
            }
            fn sci(self) -> String {
                format!("{:e}", self)
            }
            fn fixed_p(self, p: usize) -> String {
                format!("{:.*}", p, self)
            }
        }
    };
}
float_fmt!(f32, 1e6);
float_fmt!(f64, 1e8);

/// Positional digits of a finite value with at most `precision` fractional digits, trailing zeros
/// trimmed: (int part with sign, fraction part).
fn positional<T: FloatFmt>(v: T) -> (String, String) {
    let (neg, ds, e) = shortest(&v.sci());
    let sign = if neg { "-" } else { "" };
    let n = ds.len() as i32;
    let frac_len = n - 1 - e;
    if frac_len > precision() as i32 {
        let s = v.fixed_p(precision());
        let (i, f) = s.split_once('.').unwrap_or((&s, ""));
        return (i.to_string(), f.trim_end_matches('0').to_string());
    }
    if e >= 0 {
        let int = if n <= e + 1 {
            format!("{}{}", ds, "0".repeat((e + 1 - n) as usize))
        } else {
            ds[..(e + 1) as usize].to_string()
        };
        let frac = if n > e + 1 {
            ds[(e + 1) as usize..].to_string()
        } else {
            String::new()
        };
        (
            format!("{}{}", sign, int),
            frac.trim_end_matches('0').to_string(),
        )
    } else {
        let frac = format!("{}{}", "0".repeat((-e - 1) as usize), ds);
        (format!("{}0", sign), frac.trim_end_matches('0').to_string())
    }
}

/// Scientific digits of a finite value: (int digit with sign, fraction digits, exponent).
fn scientific<T: FloatFmt>(v: T) -> (String, String, i32) {
    let (neg, mut ds, mut e) = shortest(&v.sci());
    if ds.len() > precision() + 1 {
        let (_, d2, e2) = shortest(&v.sci_p(precision()));
        ds = d2;
        e = e2;
    }
    let sign = if neg { "-" } else { "" };
    let frac = ds[1..].trim_end_matches('0').to_string();
    (format!("{}{}", sign, &ds[..1]), frac, e)
}

/// The formatter NumPy's `FloatingFormat` builds from the (summarised) data.
struct FloatFormat {
    exp: bool,
    pad_left: usize,
    pad_right: usize,
    precision: usize,
    exp_size: usize,
}

impl FloatFormat {
    fn new<T: FloatFmt>(data: &[T]) -> FloatFormat {
        let finite: Vec<T> = data.iter().copied().filter(|v| v.f().is_finite()).collect();
        let nz: Vec<f64> = finite
            .iter()
            .map(|v| v.f().abs())
            .filter(|v| *v != 0.0)
            .collect();
        let mut ff = FloatFormat {
            exp: false,
            pad_left: 0,
            pad_right: 0,
            precision: 0,
            exp_size: 0,
        };
        if !nz.is_empty() {
            let max = nz.iter().cloned().fold(f64::MIN, f64::max);
            let min = nz.iter().cloned().fold(f64::MAX, f64::min);
            let suppress = SUPPRESS_OPT.load(Ordering::Relaxed);
            ff.exp = max >= T::EXP_CUTOFF || (!suppress && (min < 1e-4 || max / min > 1e3));
        }
        if finite.is_empty() {
        } else if ff.exp {
            let parts: Vec<(String, String, i32)> = finite.iter().map(|v| scientific(*v)).collect();
            ff.precision = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
            ff.exp_size = parts
                .iter()
                .map(|p| p.2.unsigned_abs().to_string().len().max(2))
                .max()
                .unwrap_or(2);
            ff.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(1);
            ff.pad_right = ff.exp_size + 2 + ff.precision;
        } else {
            let parts: Vec<(String, String)> = finite.iter().map(|v| positional(*v)).collect();
            ff.pad_left = parts.iter().map(|p| p.0.len()).max().unwrap_or(1);
            ff.pad_right = parts.iter().map(|p| p.1.len()).max().unwrap_or(0);
        }
        if finite.len() != data.len() {
            let neginf = data.iter().any(|v| v.f() == f64::NEG_INFINITY) as usize;
            let offset = ff.pad_right + 1;
            ff.pad_left = ff
                .pad_left
                .max(3usize.saturating_sub(offset))
                .max((3 + neginf).saturating_sub(offset));
        }
        ff
    }

    fn fmt<T: FloatFmt>(&self, v: T) -> String {
        let x = v.f();
        if !x.is_finite() {
            let s = if x.is_nan() {
                "nan"
            } else if x < 0.0 {
                "-inf"
            } else {
                "inf"
            };
            return format!("{:>w$}", s, w = self.pad_left + self.pad_right + 1);
        }
        if self.exp {
            // digits past the shortest repr are the value's exact digits (Dragon4's
            // min_digits), which matters for float32
            let (neg, ds, e) = shortest(&v.sci_p(self.precision));
            let i = format!("{}{}", if neg { "-" } else { "" }, &ds[..1]);
            format!(
                "{:>pl$}.{:0<p$}e{}{:0>es$}",
                i,
                &ds[1..],
                if e < 0 { '-' } else { '+' },
                e.unsigned_abs(),
                pl = self.pad_left,
                p = self.precision,
                es = self.exp_size
            )
        } else {
            let (i, f) = positional(v);
            format!(
                "{:>pl$}.{:<pr$}",
                i,
                f,
                pl = self.pad_left,
                pr = self.pad_right
            )
        }
    }
}

/// The elements NumPy looks at to choose a format: all, or the edge items when summarising.
fn edge_elems<T: Copy>(v: ArrayViewD<'_, T>, summarize: bool, out: &mut Vec<T>) {
    if v.ndim() == 0 {
        if let Some(x) = v.iter().next() {
            out.push(*x);
        }
        return;
    }
    let n = v.shape()[0];
    let edge = edge();
    let idx: Vec<usize> = if summarize && n > 2 * edge {
        (0..edge).chain(n - edge..n).collect()
    } else {
        (0..n).collect()
    };
    for i in idx {
        edge_elems(v.index_axis(Axis(0), i), summarize, out);
    }
}

/// NumPy's `_extendLine`: wrap before `word` if the line would pass `width`.
fn extend_line(s: &mut String, line: &mut String, word: &str, width: usize, prefix: &str) {
    let needs_wrap = line.len() + word.len() > width && line.len() > prefix.len();
    if needs_wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        *line = prefix.to_string();
    }
    line.push_str(word);
}

/// NumPy's `_formatArray` recursion.
fn format_rec<T: Copy>(
    v: ArrayViewD<'_, T>,
    f: &dyn Fn(T) -> String,
    hanging: &str,
    width: usize,
    summarize: bool,
    sep: &str,
) -> String {
    if v.ndim() == 0 {
        return v.iter().next().map(|x| f(*x)).unwrap_or_default();
    }
    let next_hanging = format!("{} ", hanging);
    let next_width = width.saturating_sub(1);
    let n = v.shape()[0];
    let edge = edge();
    let show = summarize && 2 * edge < n;
    let (lead, trail) = if show { (edge, edge) } else { (0, n) };
    let mut s = String::new();
    let sub = |i: usize| {
        format_rec(
            v.index_axis(Axis(0), i),
            f,
            &next_hanging,
            next_width,
            summarize,
            sep,
        )
    };
    if v.ndim() == 1 {
        let elem_width = width.saturating_sub(1);
        let mut line = hanging.to_string();
        for i in 0..lead {
            extend_line(&mut s, &mut line, &sub(i), elem_width, hanging);
            line.push_str(sep);
        }
        if show {
            extend_line(&mut s, &mut line, "...", elem_width, hanging);
            line.push_str(sep);
        }
        for i in (2..=trail).rev() {
            extend_line(&mut s, &mut line, &sub(n - i), elem_width, hanging);
            line.push_str(sep);
        }
        extend_line(&mut s, &mut line, &sub(n - 1), elem_width, hanging);
        s.push_str(&line);
    } else {
        let line_sep = format!("{}{}", sep.trim_end(), "\n".repeat(v.ndim() - 1));
        for i in 0..lead {
            s.push_str(hanging);
            s.push_str(&sub(i));
            s.push_str(&line_sep);
        }
        if show {
            s.push_str(hanging);
            s.push_str("...");
            s.push_str(&line_sep);
        }
        for i in (2..=trail).rev() {
            s.push_str(hanging);
            s.push_str(&sub(n - i));
            s.push_str(&line_sep);
        }
        s.push_str(hanging);
        s.push_str(&sub(n - 1));
    }
    format!("[{}]", &s[hanging.len().min(s.len())..])
}

fn body<T: Copy>(
    v: ArrayViewD<'_, T>,
    f: &dyn Fn(T) -> String,
    summarize: bool,
    prefix: &str,
    sep: &str,
) -> String {
    let hanging = " ".repeat(prefix.len() + 1);
    format_rec(
        v,
        f,
        &hanging,
        line_width().saturating_sub(1),
        summarize,
        sep,
    )
}

/// `array2string` of `a` with `prefix` (e.g. `array(`) and `separator` (", " in the
/// repr, " " in str), without the closing suffix.
fn array_string(a: &NdArr, prefix: &str, sep: &str) -> String {
    if a.is_empty() {
        return "[]".into();
    }
    let summarize = a.len() > threshold();
    match a {
        NdArr::Bool(x) => body(
            x.view(),
            &|b: bool| if b { " True".into() } else { "False".into() },
            summarize,
            prefix,
            sep,
        ),
        NdArr::I32(x) => int_body(x.view(), summarize, prefix, sep),
        NdArr::I64(x) => int_body(x.view(), summarize, prefix, sep),
        NdArr::F32(x) => float_body(x.view(), summarize, prefix, sep),
        NdArr::F64(x) => float_body(x.view(), summarize, prefix, sep),
    }
}

fn int_body<T: Copy + ToString>(
    v: ArrayViewD<'_, T>,
    summarize: bool,
    prefix: &str,
    sep: &str,
) -> String {
    let mut data = Vec::new();
    edge_elems(v.view(), summarize, &mut data);
    let w = data.iter().map(|x| x.to_string().len()).max().unwrap_or(1);
    body(
        v,
        &|x: T| format!("{:>w$}", x.to_string(), w = w),
        summarize,
        prefix,
        sep,
    )
}

fn float_body<T: FloatFmt>(
    v: ArrayViewD<'_, T>,
    summarize: bool,
    prefix: &str,
    sep: &str,
) -> String {
    let mut data = Vec::new();
    edge_elems(v.view(), summarize, &mut data);
    let ff = FloatFormat::new(&data);
    body(v, &|x: T| ff.fmt(x), summarize, prefix, sep)
}

fn shape_tuple(s: &[usize]) -> String {
    super::broadcast::shape_str(s)
}

/// NumPy's repr: `array([0. , 0.5, 1. ])`, `array([1, 2], dtype=int32)`; a 0-d array
/// prints as its scalar.
pub fn format(a: &NdArr) -> String {
    if a.ndim() == 0 {
        return np_scalar(a);
    }
    let prefix = "array(";
    let lst = array_string(a, prefix, ", ");
    let mut extras = Vec::new();
    // NumPy >= 2.2 names the shape of summarised arrays too
    if (a.is_empty() && a.shape() != [0]) || a.len() > threshold() {
        extras.push(format!("shape={}", shape_tuple(a.shape())));
    }
    let implied = matches!(a.dtype(), DType::F64 | DType::I64 | DType::Bool);
    if !implied || a.is_empty() {
        extras.push(format!("dtype={}", a.dtype().name()));
    }
    if extras.is_empty() {
        return format!("{}{})", prefix, lst);
    }
    let arr_str = format!("{}{},", prefix, lst);
    let extra = format!("{})", extras.join(", "));
    let last_line = arr_str.len() - arr_str.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let spacer = if last_line + extra.len() + 1 > line_width() {
        format!("\n{}", " ".repeat(prefix.len()))
    } else {
        " ".into()
    };
    format!("{}{}{}", arr_str, spacer, extra)
}

/// NumPy's str (what `print` shows): `[0.  0.5 1. ]`, `[[1 2]\n [3 4]]`; a 0-d array
/// prints as its scalar.
pub fn format_str(a: &NdArr) -> String {
    if a.ndim() == 0 {
        return np_scalar(a);
    }
    array_string(a, "", " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{arr1, arr2, ArrayD, IxDyn};

    fn f64a(v: &[f64]) -> NdArr {
        NdArr::F64(arr1(v).into_dyn())
    }

    #[test]
    fn python_float_repr() {
        let cases = [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (f64::INFINITY, "inf"),
            (f64::NAN, "nan"),
            (-0.0, "-0.0"),
            (123.456, "123.456"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (2.5e-300, "2.5e-300"),
            (-1.2345678901234567e20, "-1.2345678901234567e+20"),
            (1.0 / 3.0, "0.3333333333333333"),
        ];
        for (v, s) in cases {
            assert_eq!(py_float(v), s);
        }
        assert_eq!(py_float32(2.3f32), "2.3");
    }

    #[test]
    fn basic_reprs() {
        let ints = NdArr::I64(arr1(&[0, 1, 2, 3]).into_dyn());
        assert_eq!(format(&ints), "array([0, 1, 2, 3])");
        assert_eq!(format(&f64a(&[0.0, 0.5, 1.0])), "array([0. , 0.5, 1. ])");
        assert_eq!(format(&f64a(&[1.5, 2.25])), "array([1.5 , 2.25])");
        let eye = NdArr::F64(arr2(&[[1.0, 0.0], [0.0, 1.0]]).into_dyn());
        assert_eq!(format(&eye), "array([[1., 0.],\n       [0., 1.]])");
        let b = NdArr::Bool(arr1(&[true, false]).into_dyn());
        assert_eq!(format(&b), "array([ True, False])");
        let i32s = NdArr::I32(arr1(&[1, 2]).into_dyn());
        assert_eq!(format(&i32s), "array([1, 2], dtype=int32)");
        let f32s = NdArr::F32(arr1(&[0.1f32, 2.0]).into_dyn());
        assert_eq!(format(&f32s), "array([0.1, 2. ], dtype=float32)");
        let w = NdArr::I64(arr1(&[0, 10, -5]).into_dyn());
        assert_eq!(format(&w), "array([ 0, 10, -5])");
        assert_eq!(
            format(&f64a(&[1.0 / 3.0, 2.0])),
            "array([0.33333333, 2.        ])"
        );
        assert_eq!(
            format(&f64a(&[f64::NAN, 1.0, f64::NEG_INFINITY])),
            "array([ nan,   1., -inf])"
        );
    }

    #[test]
    fn scientific_reprs() {
        assert_eq!(format(&f64a(&[1e-5, 1.0])), "array([1.e-05, 1.e+00])");
        assert_eq!(format(&f64a(&[1.5e-5, 1.0])), "array([1.5e-05, 1.0e+00])");
        assert_eq!(format(&f64a(&[1.0, 2000.0])), "array([1.e+00, 2.e+03])");
        assert_eq!(format(&f64a(&[1e10])), "array([1.e+10])");
        assert_eq!(format(&f64a(&[100.0, 5.0])), "array([100.,   5.])");
    }

    #[test]
    fn empty_and_scalar() {
        assert_eq!(
            format(&NdArr::F64(ArrayD::zeros(IxDyn(&[0])))),
            "array([], dtype=float64)"
        );
        assert_eq!(
            format(&NdArr::I64(ArrayD::zeros(IxDyn(&[2, 0])))),
            "array([], shape=(2, 0), dtype=int64)"
        );
        assert_eq!(
            format(&NdArr::F64(ArrayD::from_elem(IxDyn(&[]), 2.5))),
            "2.5"
        );
    }

    #[test]
    fn summary_positional_2d() {
        let m = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[50, 50]), |ix| {
            (ix[0] * 50 + ix[1]) as f64 * 0.5 + 100.0
        }));
        assert_eq!(
            format(&m),
            "array([[ 100. ,  100.5,  101. , ...,  123.5,  124. ,  124.5],\n       [ 125. ,  125.5,  126. , ...,  148.5,  149. ,  149.5],\n       [ 150. ,  150.5,  151. , ...,  173.5,  174. ,  174.5],\n       ...,\n       [1275. , 1275.5, 1276. , ..., 1298.5, 1299. , 1299.5],\n       [1300. , 1300.5, 1301. , ..., 1323.5, 1324. , 1324.5],\n       [1325. , 1325.5, 1326. , ..., 1348.5, 1349. , 1349.5]],\n      shape=(50, 50))"
        );
    }

    #[test]
    fn wrapping_and_summary() {
        let a = NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[30]), (0..30).collect()).unwrap());
        assert_eq!(
            format(&a),
            "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])"
        );
        let big = NdArr::I64(ArrayD::from_shape_vec(IxDyn(&[2000]), (0..2000).collect()).unwrap());
        assert_eq!(
            format(&big),
            "array([   0,    1,    2, ..., 1997, 1998, 1999], shape=(2000,))"
        );
        let m = NdArr::F64(ArrayD::from_shape_fn(IxDyn(&[100, 100]), |ix| {
            (ix[0] * 100 + ix[1]) as f64
        }));
        assert_eq!(
            format(&m),
            "array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.700e+01, 9.800e+01,\n        9.900e+01],\n       [1.000e+02, 1.010e+02, 1.020e+02, ..., 1.970e+02, 1.980e+02,\n        1.990e+02],\n       [2.000e+02, 2.010e+02, 2.020e+02, ..., 2.970e+02, 2.980e+02,\n        2.990e+02],\n       ...,\n       [9.700e+03, 9.701e+03, 9.702e+03, ..., 9.797e+03, 9.798e+03,\n        9.799e+03],\n       [9.800e+03, 9.801e+03, 9.802e+03, ..., 9.897e+03, 9.898e+03,\n        9.899e+03],\n       [9.900e+03, 9.901e+03, 9.902e+03, ..., 9.997e+03, 9.998e+03,\n        9.999e+03]], shape=(100, 100))"
        );
    }
}

/// Cross-check against NumPy: `RASK_FMT_CASES=cases.json cargo test --release --lib
/// numpy_crosscheck -- --ignored` reads `[{"dtype", "shape", "data": [repr strings]}]`
/// and writes the reprs to `cases.json.out`.
#[cfg(test)]
mod crosscheck {
    use super::*;

    #[test]
    #[ignore]
    fn numpy_crosscheck() {
        let Ok(path) = std::env::var("RASK_FMT_CASES") else {
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let mut out = Vec::new();
        for c in cases {
            if c["dtype"].as_str() == Some("pyfloat") {
                let text = c["data"][0].as_str().unwrap();
                out.push(serde_json::Value::String(py_float(text.parse().unwrap())));
                continue;
            }
            let a = crate::array::kernels::crosscheck::arr(&c);
            out.push(serde_json::Value::String(format(&a)));
        }
        std::fs::write(
            format!("{}.out", path),
            serde_json::to_string(&out).unwrap(),
        )
        .unwrap();
    }
}
