//! Reproducible random numbers: xoshiro256++ seeded through splitmix64. Every chunk of a
//! lazy random array gets its own stream derived from (seed, chunk index), so results do
//! not depend on the scheduler or the order chunks run in.

use std::mem::MaybeUninit;

const ZIG_R: f64 = 3.654_152_885_361_009;
const ZIG_V: f64 = 0.004_928_673_233_99;

/// Layer edges `x[0..=256]` (x[0] = v / f(r), x[1] = r, …, x[256] = 0) and f(x) at each.
struct ZigTables {
    x: [f64; 257],
    f: [f64; 257],
}

fn zig_tables() -> &'static ZigTables {
    static T: std::sync::OnceLock<ZigTables> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let pdf = |x: f64| (-0.5 * x * x).exp();
        let mut x = [0.0f64; 257];
        x[0] = ZIG_V / pdf(ZIG_R);
        x[1] = ZIG_R;
        for i in 1..255 {
            x[i + 1] = (-2.0 * (ZIG_V / x[i] + pdf(x[i])).ln()).sqrt();
        }
        x[256] = 0.0;
        let mut f = [0.0f64; 257];
        for i in 0..257 {
            f[i] = pdf(x[i]);
        }
        ZigTables { x, f }
    })
}

/// xoshiro256++ (Blackman & Vigna): fast, small state, good statistical quality.
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E3779B97F4A7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn seeded(seed: u64) -> Rng {
        let mut x = seed;
        let s = [
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
            splitmix64(&mut x),
        ];
        Rng { s }
    }

    /// The stream for one chunk: mixes the seed with the chunk's grid index.
    pub fn for_chunk(seed: u64, index: &[u32]) -> Rng {
        let mut x = seed ^ 0x5851F42D4C957F2D;
        let mut h = splitmix64(&mut x);
        for &i in index {
            x = h ^ (i as u64).wrapping_mul(0x9E3779B97F4A7C15);
            h = splitmix64(&mut x);
        }
        Rng::seeded(h)
    }

    /// A seed from the clock, for unseeded calls.
    pub fn entropy_seed() -> u64 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x1234_5678);
        let mut x = nanos ^ (std::process::id() as u64) << 32;
        splitmix64(&mut x)
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = (s[0].wrapping_add(s[3])).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal by the ziggurat method (Marsaglia & Tsang, 256 layers, 53-bit
    /// resolution): one random word and a multiply in ~99% of draws, no logarithm.
    #[inline]
    pub fn normal(&mut self) -> f64 {
        let u = self.next_u64();
        self.normal_from(zig_tables(), u)
    }

    /// `loc + scale · normal()` into every slot of `out`: the same values as calling
    /// `normal` in turn. The state is a local (in registers: no call it escapes to), the
    /// tables are looked up once, and the ~1% of draws outside the layers go out of line.
    pub fn fill_normal(&mut self, out: &mut [f64], loc: f64, scale: f64) {
        // SAFETY: an initialized f64 is a valid MaybeUninit<f64>, same size and layout,
        // and only initialized values are written
        let out = unsafe { &mut *(out as *mut [f64] as *mut [MaybeUninit<f64>]) };
        self.write_normal(out, loc, scale);
    }

    /// `n` draws of `loc + scale · normal()`, written once (no zero fill first).
    pub fn normals(&mut self, n: usize, loc: f64, scale: f64) -> Vec<f64> {
        let mut v = Vec::with_capacity(n);
        self.write_normal(&mut v.spare_capacity_mut()[..n], loc, scale);
        // SAFETY: the first n slots were all written just above
        unsafe { v.set_len(n) };
        v
    }

    fn write_normal(&mut self, out: &mut [MaybeUninit<f64>], loc: f64, scale: f64) {
        let t = zig_tables();
        let mut r = Rng { s: self.s };
        for o in out.iter_mut() {
            let u = r.next_u64();
            let i = (u & 0xff) as usize;
            let z = (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64) * t.x[i];
            let v = if z < t.x[i + 1] {
                // the sign from bit 8, without a branch (it is a coin flip: unpredictable)
                f64::from_bits(z.to_bits() ^ ((u >> 8) & 1) << 63)
            } else {
                let (back, v) = normal_slow(r, t, u);
                r = back;
                v
            };
            o.write(loc + scale * v);
        }
        self.s = r.s;
    }

    /// The ziggurat draw whose first word is `u`.
    #[inline(always)]
    fn normal_from(&mut self, t: &ZigTables, mut u: u64) -> f64 {
        loop {
            let i = (u & 0xff) as usize;
            let negative = (u >> 8) & 1 == 1;
            let f = (u >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
            let z = f * t.x[i];
            let signed = |v: f64| if negative { -v } else { v };
            if z < t.x[i + 1] {
                return signed(z);
            }
            if i == 0 {
                // the tail beyond r
                loop {
                    let a = -(1.0 - self.uniform()).ln() / ZIG_R;
                    let b = -(1.0 - self.uniform()).ln();
                    if 2.0 * b > a * a {
                        return signed(ZIG_R + a);
                    }
                }
            }
            // the wedge under the density
            let y = t.f[i + 1] + self.uniform() * (t.f[i] - t.f[i + 1]);
            if y < (-0.5 * z * z).exp() {
                return signed(z);
            }
            u = self.next_u64();
        }
    }

    /// Standard exponential (scale 1), by the ziggurat method (`zig_exp.rs`).
    #[inline]
    pub fn exponential(&mut self) -> f64 {
        super::zig_exp::exponential(self, &super::zig_exp::tables())
    }

    /// Uniform integer in [low, high).
    #[inline]
    pub fn integer(&mut self, low: i64, high: i64) -> i64 {
        let span = (high - low).max(1) as u64;
        low + (self.next_u64() % span) as i64
    }
}

/// `fill_normal`'s rare case: the state goes in and comes back by value.
#[cold]
#[inline(never)]
fn normal_slow(mut r: Rng, t: &ZigTables, u: u64) -> (Rng, f64) {
    let v = r.normal_from(t, u);
    (r, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_and_distinct_per_chunk() {
        let a: Vec<u64> = (0..4)
            .map(|_| Rng::for_chunk(42, &[0, 1]).next_u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::for_chunk(42, &[0, 1]).next_u64(),
            Rng::for_chunk(42, &[1, 0]).next_u64()
        );
    }

    #[test]
    fn fill_normal_is_the_normal_stream() {
        let mut a = Rng::seeded(11);
        let mut b = Rng::seeded(11);
        let mut out = vec![0.0; 100_000];
        a.fill_normal(&mut out, 1.5, 2.0);
        assert!(out.iter().all(|&v| v == 1.5 + 2.0 * b.normal()));
        assert_eq!(a.next_u64(), b.next_u64());
        let v = a.normals(1000, 0.0, 1.0);
        assert!(v.iter().all(|&x| x == b.normal()));
    }

    #[test]
    fn moments_are_right() {
        let mut r = Rng::seeded(7);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "mean {}", mean);
        assert!((var - 1.0).abs() < 0.02, "var {}", var);
        let e: f64 = (0..n).map(|_| r.exponential()).sum::<f64>() / n as f64;
        assert!((e - 1.0).abs() < 0.02, "exp mean {}", e);
        let u: f64 = (0..n).map(|_| r.uniform()).sum::<f64>() / n as f64;
        assert!((u - 0.5).abs() < 0.01);
    }
}
