//! Element traits shared by the kernels: moving between Rust element types and `NdArr`
//! variants, casting (`astype`), and the integer and float operations with NumPy's
//! semantics (wrapping ints, Python floor division and modulo, no panic on `x // 0`).

use crate::common::ndarr::{DType, NdArr};
use ndarray::ArrayD;
use std::borrow::Cow;

/// An element type of one `NdArr` variant.
pub trait Elem: Copy + Send + Sync + PartialOrd + std::fmt::Debug + 'static {
    const DTYPE: DType;
    fn wrap(a: ArrayD<Self>) -> NdArr;
    /// The array of this element type inside `a`, if `a` holds one.
    fn unwrap_ref(a: &NdArr) -> Option<&ArrayD<Self>>;
    fn to_f64(self) -> f64;
    fn zero() -> Self;
    fn one() -> Self;
    fn is_nonzero(self) -> bool;
    fn is_nan(self) -> bool;
    /// Integer value (ints exactly, floats truncated toward zero, NaN -> 0).
    fn as_i64(self) -> i64;
}

macro_rules! impl_elem_num {
    ($t:ty, $variant:ident) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$variant;
            fn wrap(a: ArrayD<Self>) -> NdArr {
                NdArr::$variant(a)
            }
            fn unwrap_ref(a: &NdArr) -> Option<&ArrayD<Self>> {
                match a {
                    NdArr::$variant(x) => Some(x),
                    _ => None,
                }
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn zero() -> Self {
                0 as $t
            }
            fn one() -> Self {
                1 as $t
            }
            #[inline(always)]
            fn is_nonzero(self) -> bool {
                self != (0 as $t)
            }
            #[inline(always)]
            #[allow(clippy::eq_op)]
            fn is_nan(self) -> bool {
                self != self
            }
            #[inline(always)]
            fn as_i64(self) -> i64 {
                self as i64
            }
        }
    };
}
impl_elem_num!(i32, I32);
impl_elem_num!(i64, I64);
impl_elem_num!(f32, F32);
impl_elem_num!(f64, F64);

impl Elem for bool {
    const DTYPE: DType = DType::Bool;
    fn wrap(a: ArrayD<Self>) -> NdArr {
        NdArr::Bool(a)
    }
    fn unwrap_ref(a: &NdArr) -> Option<&ArrayD<Self>> {
        match a {
            NdArr::Bool(x) => Some(x),
            _ => None,
        }
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as u8 as f64
    }
    fn zero() -> Self {
        false
    }
    fn one() -> Self {
        true
    }
    #[inline(always)]
    fn is_nonzero(self) -> bool {
        self
    }
    #[inline(always)]
    fn is_nan(self) -> bool {
        false
    }
    #[inline(always)]
    fn as_i64(self) -> i64 {
        self as i64
    }
}

/// Integer arithmetic with NumPy's semantics.
pub trait IntElem: Elem + Ord {
    fn wadd(self, o: Self) -> Self;
    fn wsub(self, o: Self) -> Self;
    fn wmul(self, o: Self) -> Self;
    fn wneg(self) -> Self;
    fn wabs(self) -> Self;
    fn not(self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    fn xor(self, o: Self) -> Self;
    /// NumPy's shifts: past the width (or by a negative count) a left shift is 0 and a
    /// right shift leaves only the sign.
    fn shl(self, o: Self) -> Self;
    fn shr(self, o: Self) -> Self;
    /// Python's floor division; `x // 0` is 0 (NumPy warns and returns 0).
    fn floordiv(self, o: Self) -> Self;
    /// Python's modulo (sign of the divisor); `x % 0` is 0.
    fn pymod(self, o: Self) -> Self;
    /// `self ** e` for `e >= 0`, wrapping.
    fn wpow(self, e: Self) -> Self;
    fn is_negative(self) -> bool;
    fn signum(self) -> Self;
}

macro_rules! impl_int {
    ($t:ty) => {
        impl IntElem for $t {
            #[inline(always)]
            fn wadd(self, o: Self) -> Self {
                self.wrapping_add(o)
            }
            #[inline(always)]
            fn wsub(self, o: Self) -> Self {
                self.wrapping_sub(o)
            }
            #[inline(always)]
            fn wmul(self, o: Self) -> Self {
                self.wrapping_mul(o)
            }
            #[inline(always)]
            fn wneg(self) -> Self {
                self.wrapping_neg()
            }
            #[inline(always)]
            fn wabs(self) -> Self {
                self.wrapping_abs()
            }
            #[inline(always)]
            fn not(self) -> Self {
                !self
            }
            #[inline(always)]
            fn and(self, o: Self) -> Self {
                self & o
            }
            #[inline(always)]
            fn or(self, o: Self) -> Self {
                self | o
            }
            #[inline(always)]
            fn xor(self, o: Self) -> Self {
                self ^ o
            }
            #[inline(always)]
            fn shl(self, o: Self) -> Self {
                u32::try_from(o)
                    .ok()
                    .and_then(|n| self.checked_shl(n))
                    .unwrap_or(0)
            }
            #[inline(always)]
            fn shr(self, o: Self) -> Self {
                let n = u32::try_from(o).unwrap_or(<$t>::BITS - 1);
                self >> n.min(<$t>::BITS - 1)
            }
            #[inline]
            fn floordiv(self, o: Self) -> Self {
                if o == 0 {
                    return 0;
                }
                let q = self.wrapping_div(o);
                if self.wrapping_rem(o) != 0 && ((self < 0) != (o < 0)) {
                    q - 1
                } else {
                    q
                }
            }
            #[inline]
            fn pymod(self, o: Self) -> Self {
                if o == 0 {
                    return 0;
                }
                let r = self.wrapping_rem(o);
                if r != 0 && ((r < 0) != (o < 0)) {
                    r + o
                } else {
                    r
                }
            }
            #[inline]
            fn wpow(self, e: Self) -> Self {
                let mut base = self;
                let mut e = e;
                let mut acc: $t = 1;
                while e > 0 {
                    if e & 1 == 1 {
                        acc = acc.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                acc
            }
            #[inline(always)]
            fn is_negative(self) -> bool {
                self < 0
            }
            #[inline(always)]
            fn signum(self) -> Self {
                <$t>::signum(self)
            }
        }
    };
}
impl_int!(i32);
impl_int!(i64);

/// Float operations.
pub trait FloatElem:
    Elem
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Div<Output = Self>
    + std::ops::Neg<Output = Self>
{
    fn from_f64(v: f64) -> Self;
    fn floor(self) -> Self;
    fn ceil(self) -> Self;
    fn abs(self) -> Self;
    fn powf(self, e: Self) -> Self;
    fn fmod(self, o: Self) -> Self;
    fn copysign(self, s: Self) -> Self;
    fn is_finite(self) -> bool;
    fn apply(self, f: fn(f64) -> f64) -> Self;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn sqrt(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
}

macro_rules! impl_float {
    ($t:ty) => {
        impl FloatElem for $t {
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn floor(self) -> Self {
                <$t>::floor(self)
            }
            #[inline(always)]
            fn ceil(self) -> Self {
                <$t>::ceil(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn powf(self, e: Self) -> Self {
                <$t>::powf(self, e)
            }
            #[inline(always)]
            fn fmod(self, o: Self) -> Self {
                self % o
            }
            #[inline(always)]
            fn copysign(self, s: Self) -> Self {
                <$t>::copysign(self, s)
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline(always)]
            fn apply(self, f: fn(f64) -> f64) -> Self {
                f(self as f64) as $t
            }
            #[inline(always)]
            fn exp(self) -> Self {
                <$t>::exp(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                <$t>::ln(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                <$t>::sqrt(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                <$t>::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                <$t>::cos(self)
            }
        }
    };
}
impl_float!(f32);
impl_float!(f64);

/// NumPy's float floor division (`npy_divmod`): `x // 0` is ±inf or nan.
#[inline]
pub fn float_floordiv<T: FloatElem>(a: T, b: T) -> T {
    let zero = T::zero();
    if b == zero {
        return a / b;
    }
    let m = a.fmod(b);
    let mut div = (a - m) / b;
    if m != zero && ((b < zero) != (m < zero)) {
        div = div - T::one();
    }
    if div != zero {
        let f = div.floor();
        if (div - f).to_f64() > 0.5 {
            f + T::one()
        } else {
            f
        }
    } else {
        zero.copysign(a / b)
    }
}

/// NumPy's float remainder (sign of the divisor); `x % 0` is nan.
#[inline]
pub fn float_mod<T: FloatElem>(a: T, b: T) -> T {
    let zero = T::zero();
    let m = a.fmod(b);
    if b == zero {
        return m;
    }
    if m != zero {
        if (b < zero) != (m < zero) {
            m + b
        } else {
            m
        }
    } else {
        zero.copysign(b)
    }
}

/// Cast an array to `d` (NumPy's `astype`: float -> int truncates toward zero; NaN -> 0).
pub fn cast(a: &NdArr, d: DType) -> NdArr {
    if a.dtype() == d {
        return a.clone();
    }
    macro_rules! conv {
        ($x:expr) => {
            match d {
                DType::Bool => NdArr::Bool($x.mapv(|v| v.is_nonzero())),
                DType::I32 => NdArr::I32($x.mapv(|v| v.as_i64() as i32)),
                DType::I64 => NdArr::I64($x.mapv(|v| v.as_i64())),
                DType::F32 => NdArr::F32($x.mapv(|v| v.to_f64() as f32)),
                DType::F64 => NdArr::F64($x.mapv(|v| v.to_f64())),
            }
        };
    }
    crate::with_arr!(a, x => conv!(x))
}

/// Cast without copying when the dtype already matches.
pub fn cast_cow(a: &NdArr, d: DType) -> Cow<'_, NdArr> {
    if a.dtype() == d {
        Cow::Borrowed(a)
    } else {
        Cow::Owned(cast(a, d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_division() {
        assert_eq!(7i64.floordiv(2), 3);
        assert_eq!((-7i64).floordiv(2), -4);
        assert_eq!(7i64.floordiv(-2), -4);
        assert_eq!((-7i64).pymod(2), 1);
        assert_eq!(7i64.pymod(-2), -1);
        assert_eq!(5i32.floordiv(0), 0);
        assert_eq!(5i32.pymod(0), 0);
        assert_eq!(3i64.wpow(4), 81);
        assert_eq!(i64::MIN.floordiv(-1), i64::MIN);
    }

    #[test]
    fn python_float_division() {
        assert_eq!(float_floordiv(-7.0f64, 2.0), -4.0);
        assert_eq!(float_mod(-7.0f64, 2.0), 1.0);
        assert_eq!(float_mod(7.5f64, -2.0), -0.5);
        assert!(float_floordiv(1.0f64, 0.0).is_infinite());
        assert!(float_mod(1.0f64, 0.0).is_nan());
    }

    #[test]
    fn astype_truncates() {
        let a = NdArr::F64(ndarray::arr1(&[-1.7, 2.9, 0.0]).into_dyn());
        match cast(&a, DType::I64) {
            NdArr::I64(x) => assert_eq!(x.iter().copied().collect::<Vec<_>>(), vec![-1, 2, 0]),
            _ => panic!(),
        }
        match cast(&a, DType::Bool) {
            NdArr::Bool(x) => {
                assert_eq!(
                    x.iter().copied().collect::<Vec<_>>(),
                    vec![true, true, false]
                )
            }
            _ => panic!(),
        }
    }
}
