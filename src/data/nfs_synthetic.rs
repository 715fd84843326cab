//! `create_synthetic_nfs(dest, years, rows, seed)`: National Food Survey look-alike CSVs
//! at any scale, for tests, the tutorial transcript and benchmarks without the real data.
//!
//! Same files and columns as `create_denormalized` writes — `NFS_YYYY.csv` from 1974 on
//! (hhno, fditemno, logday, pv, minfd, cq, pf, styr, stmth, memhh, adltm, adltf, child,
//! oaps, adltgt64) and `food_mapping.csv` — with value ranges shaped after the real survey
//! (only ranges and rough shapes, no real values): about 7,000 households a year numbered
//! from (year index + 2) × 10,000 + 1, 30–50 diary rows per household sorted by logday
//! 1–7, 180 minor food codes in use in 1974 growing to about 240 (of 314, codes
//! major × 100 + minor between 401 and 38901) with a Zipf-shaped popularity that drifts
//! from year to year, prices in pence log-normal with a median rising from 14 to 89,
//! quantities log-normal with two decimals and about 0.8% blank up to 1997, pf mostly 1.
//! Household sizes: 1–4 adults, children, over-64s; memhh = adltm + adltf + child.
//!
//! Seeded and reproducible: year i draws from its own stream, so years are generated in
//! parallel, each streamed to its file in 1 MB pieces (any `rows` fits in memory), and
//! each year is the same whatever `years` is. With `zips=True` the same rows are written
//! as the survey publishes them instead — `NFS_YYYY.zip` holding tab-separated
//! `YYYY diary data.txt` and `YYYY household data.txt` with CRLF lines — so that
//! `create_denormalized` of those zips gives byte-identical CSVs.

use crate::array::random::Rng;
use crate::data::denormalize::HOUSEHOLD_COLUMNS;
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::value::Value;
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;

pub const FIRST_YEAR: u32 = 1974;
/// Diary rows per year when `rows` is not given: the tutorial transcript runs in seconds.
pub const DEFAULT_ROWS: usize = 10_000;
pub const DIARY_COLUMNS: [&str; 7] = ["hhno", "fditemno", "logday", "pv", "minfd", "cq", "pf"];
/// Minor food codes in the mapping; a year uses the most popular 180–242 of them.
const N_CODES: usize = 314;
const N_MAJOR: usize = 183;
const N_GROUPS: usize = 92;
/// Groups from this one on are totals over several foods ("TOTAL …, …").
const FIRST_TOTAL_GROUP: usize = 70;

/// The minor food codes (minfd, majfd), ascending: the first 131 major foods have two
/// minors, the rest one, spread over majors 4…389.
fn food_codes() -> Vec<(u32, u32)> {
    let mut v = Vec::with_capacity(N_CODES);
    for m in 0..N_MAJOR {
        let major = 4 + (m * 385 / (N_MAJOR - 1)) as u32;
        let minors = if m < N_CODES - N_MAJOR { 2 } else { 1 };
        for j in 1..=minors {
            v.push((major * 100 + j, major));
        }
    }
    v
}

/// How a year looks: trends run from 1974 to 2000 and hold after.
struct YearShape {
    year: u32,
    n_codes: usize,
    rows_per_household: f64,
    pv_median: f64,
    cq_median: f64,
    cq_blank: f64,
    child_share: f64,
    /// Cumulative probabilities of pf = 1, 2, 7, 6, 5, 4.
    pf_cum: [f64; 6],
}

fn year_shape(k: usize) -> YearShape {
    let t = (k.min(26) as f64) / 26.0;
    let year = FIRST_YEAR + k as u32;
    let pf: [f64; 6] = if year <= 1997 {
        [0.948, 0.035, 0.009, 0.005, 0.002, 0.001]
    } else {
        [0.984, 0.016, 0.0, 0.0, 0.0, 0.0]
    };
    let mut pf_cum = [0.0; 6];
    let mut acc = 0.0;
    for (c, p) in pf_cum.iter_mut().zip(pf) {
        acc += p;
        *c = acc;
    }
    pf_cum[5] = 1.0;
    YearShape {
        year,
        n_codes: (180.0 + 62.0 * t) as usize,
        rows_per_household: 50.0 - 14.0 * t,
        pv_median: 14.0 * (89.0f64 / 14.0).powf(t),
        cq_median: 10.0 + 4.0 * t,
        cq_blank: if year <= 1997 { 0.008 } else { 0.0 },
        child_share: 0.42 - 0.13 * t,
        pf_cum,
    }
}

struct Household {
    hhno: u64,
    stmth: u32,
    adltm: u32,
    adltf: u32,
    child: u32,
    oaps: u32,
    adltgt64: u32,
    rows: usize,
}

impl Household {
    fn memhh(&self) -> u32 {
        self.adltm + self.adltf + self.child
    }
}

fn households(shape: &YearShape, k: usize, rows: usize, rng: &mut Rng) -> Vec<Household> {
    let n = ((rows as f64 / shape.rows_per_household).round() as usize).max(1);
    let stride = (n as u64 + 1).div_ceil(10_000).max(1) * 10_000;
    let mut hs: Vec<Household> = (0..n)
        .map(|i| {
            let u = rng.uniform();
            let adults = if u < 0.22 {
                1
            } else if u < 0.84 {
                2
            } else if u < 0.96 {
                3
            } else {
                4
            };
            let adltm = match adults {
                1 => (rng.uniform() < 0.35) as u32,
                2 => {
                    let v = rng.uniform();
                    if v < 0.9 {
                        1
                    } else if v < 0.95 {
                        0
                    } else {
                        2
                    }
                }
                a => (0..a).filter(|_| rng.uniform() < 0.47).count() as u32,
            };
            let mut child = 0;
            if rng.uniform() < shape.child_share {
                child = 1;
                while child < 10 - adults && rng.uniform() < 0.55 {
                    child += 1;
                }
            }
            let old_p = if child > 0 { 0.02 } else { 0.2 };
            let adltgt64 = (0..adults).filter(|_| rng.uniform() < old_p).count() as u32;
            let oaps = if adltgt64 > 0 && rng.uniform() < 0.1 {
                adltgt64 - 1
            } else {
                adltgt64
            };
            Household {
                hhno: (k as u64 + 2) * stride + 1 + i as u64,
                stmth: rng.integer(1, 13) as u32,
                adltm,
                adltf: adults - adltm,
                child,
                oaps,
                adltgt64,
                rows: 0,
            }
        })
        .collect();
    // rows shared out by household size, with some spread; exactly `rows` in all
    let w: Vec<f64> = hs
        .iter()
        .map(|h| (h.memhh() as f64 + 1.5) * (0.4 + rng.uniform()))
        .collect();
    let total: f64 = w.iter().sum();
    let mut given = 0;
    for (h, wi) in hs.iter_mut().zip(&w) {
        h.rows = (rows as f64 * wi / total).floor() as usize;
        given += h.rows;
    }
    for i in 0..rows - given {
        hs[i % n].rows += 1;
    }
    hs
}

/// The year's foods by popularity (most popular first) and the cumulative Zipf weights.
fn year_foods(popular: &[u32], shape: &YearShape, rng: &mut Rng) -> (Vec<u32>, Vec<f64>) {
    let mut foods: Vec<u32> = popular[..shape.n_codes.min(popular.len())].to_vec();
    // drift: neighbours in the ranking trade places
    for j in 0..foods.len() {
        if rng.uniform() < 0.35 {
            let o = (j + 1 + rng.integer(0, 3) as usize).min(foods.len() - 1);
            foods.swap(j, o);
        }
    }
    let mut acc = 0.0;
    let mut cum: Vec<f64> = (0..foods.len())
        .map(|r| {
            acc += 1.0 / ((r + 1) as f64).powf(0.9);
            acc
        })
        .collect();
    for c in cum.iter_mut() {
        *c /= acc;
    }
    (foods, cum)
}

/// The popularity order of all codes, from the seed.
fn popularity(seed: u64) -> Vec<u32> {
    let mut codes: Vec<u32> = food_codes().into_iter().map(|(m, _)| m).collect();
    let mut rng = Rng::for_chunk(seed, &[0xf00d]);
    for i in (1..codes.len()).rev() {
        let j = rng.integer(0, i as i64 + 1) as usize;
        codes.swap(i, j);
    }
    codes
}

fn push_uint(out: &mut Vec<u8>, mut v: u64) {
    let mut b = [0u8; 20];
    let mut i = b.len();
    loop {
        i -= 1;
        b[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&b[i..]);
}

/// Generates one year's rows, household by household.
struct YearRows {
    shape: YearShape,
    households: Vec<Household>,
    foods: Vec<u32>,
    cum: Vec<f64>,
    rng: Rng,
}

impl YearRows {
    fn new(k: usize, rows: usize, seed: u64, popular: &[u32]) -> YearRows {
        let shape = year_shape(k);
        let mut rng = Rng::for_chunk(seed, &[k as u32, 0x4e75]);
        let households = households(&shape, k, rows, &mut rng);
        let (foods, cum) = year_foods(popular, &shape, &mut rng);
        YearRows {
            shape,
            households,
            foods,
            cum,
            rng,
        }
    }

    /// The household columns after hhno, each preceded by `sep`.
    fn household_suffix(&self, h: &Household, sep: u8, out: &mut Vec<u8>) {
        for v in [
            self.shape.year,
            h.stmth,
            h.memhh(),
            h.adltm,
            h.adltf,
            h.child,
            h.oaps,
            h.adltgt64,
        ] {
            out.push(sep);
            push_uint(out, v as u64);
        }
    }

    /// Append household `i`'s diary rows, fields joined by `sep`, lines ended by `eol`;
    /// with `suffix`, each row carries the household's columns (the joined CSV).
    fn diary(&mut self, i: usize, sep: u8, eol: &[u8], suffix: bool, out: &mut Vec<u8>) {
        let h = &self.households[i];
        let mut tail = Vec::with_capacity(32);
        if suffix {
            self.household_suffix(h, sep, &mut tail);
        }
        // logdays 1..=7, sorted: counts per day
        let mut per_day = [0usize; 7];
        for _ in 0..h.rows {
            per_day[self.rng.integer(0, 7) as usize] += 1;
        }
        let rng = &mut self.rng;
        let shape = &self.shape;
        let mut item = 0u64;
        for (d, &count) in per_day.iter().enumerate() {
            for _ in 0..count {
                item += 1;
                let u = rng.uniform();
                let r = self
                    .cum
                    .partition_point(|&c| c <= u)
                    .min(self.foods.len() - 1);
                let minfd = self.foods[r];
                let p = rng.uniform();
                let pf = [1u64, 2, 7, 6, 5, 4][shape.pf_cum.partition_point(|&c| c <= p).min(5)];
                let pv = if pf != 1 && rng.uniform() < 0.8 {
                    0
                } else {
                    (shape.pv_median * (0.75 * rng.normal()).exp())
                        .round()
                        .clamp(0.0, 99_999.0) as u64
                };
                let cq = (shape.cq_median * (1.05 * rng.normal()).exp() * 100.0)
                    .round()
                    .clamp(1.0, 999_999.0) as u64;
                let blank = shape.cq_blank > 0.0 && rng.uniform() < shape.cq_blank;
                push_uint(out, h.hhno);
                out.push(sep);
                push_uint(out, item);
                out.push(sep);
                push_uint(out, d as u64 + 1);
                out.push(sep);
                push_uint(out, pv);
                out.push(sep);
                push_uint(out, minfd as u64);
                out.push(sep);
                if !blank {
                    push_uint(out, cq / 100);
                    out.push(b'.');
                    out.push(b'0' + (cq / 10 % 10) as u8);
                    out.push(b'0' + (cq % 10) as u8);
                }
                out.push(sep);
                push_uint(out, pf);
                out.extend_from_slice(&tail);
                out.extend_from_slice(eol);
            }
        }
    }
}

fn csv_header() -> Vec<u8> {
    let mut cols: Vec<&str> = DIARY_COLUMNS.to_vec();
    cols.extend(HOUSEHOLD_COLUMNS);
    format!("{}\n", cols.join(",")).into_bytes()
}

/// Stream year `k` to `dest/NFS_YYYY.csv`.
fn write_year_csv(dest: &Path, k: usize, rows: usize, seed: u64, popular: &[u32]) -> Result<()> {
    let mut y = YearRows::new(k, rows, seed, popular);
    let path = dest.join(format!("NFS_{}.csv", y.shape.year));
    let werr =
        |e: std::io::Error| RaskError::io(format!("cannot write '{}': {}", path.display(), e));
    let mut f = std::fs::File::create(&path).map_err(werr)?;
    let mut buf = csv_header();
    buf.reserve(1 << 20);
    for i in 0..y.households.len() {
        y.diary(i, b',', b"\n", true, &mut buf);
        if buf.len() >= 1 << 20 {
            f.write_all(&buf).map_err(werr)?;
            buf.clear();
        }
    }
    f.write_all(&buf).map_err(werr)?;
    Ok(())
}

/// Year `k` as the survey publishes it: `dest/NFS_YYYY.zip`.
fn write_year_zip(dest: &Path, k: usize, rows: usize, seed: u64, popular: &[u32]) -> Result<()> {
    // a member must stay under 4 GB (no ZIP64 writing); rows are under 60 bytes
    if rows as u64 * 60 > u32::MAX as u64 {
        return Err(RaskError::value(format!(
            "create_synthetic_nfs(): {} rows a year is too many for zips=True (at most {})",
            rows,
            u32::MAX / 60
        )));
    }
    let mut y = YearRows::new(k, rows, seed, popular);
    let year = y.shape.year;
    let mut diary = format!("{}\r\n", DIARY_COLUMNS.join("\t")).into_bytes();
    for i in 0..y.households.len() {
        y.diary(i, b'\t', b"\r\n", false, &mut diary);
    }
    // the household file has more columns than the join keeps (here a country after memhh)
    let mut household =
        b"hhno\tstyr\tstmth\tmemhh\tcountry\tadltm\tadltf\tchild\toaps\tadltgt64\r\n".to_vec();
    for h in &y.households {
        push_uint(&mut household, h.hhno);
        for v in [y.shape.year, h.stmth, h.memhh()] {
            household.push(b'\t');
            push_uint(&mut household, v as u64);
        }
        household.extend_from_slice(b"\tEngland");
        for v in [h.adltm, h.adltf, h.child, h.oaps, h.adltgt64] {
            household.push(b'\t');
            push_uint(&mut household, v as u64);
        }
        household.extend_from_slice(b"\r\n");
    }
    let bytes = crate::io::zip::write_zip(
        &[
            (&format!("{} household data.txt", year), &household),
            (&format!("{} diary data.txt", year), &diary),
        ],
        true,
    );
    let path = dest.join(format!("NFS_{}.zip", year));
    std::fs::write(&path, bytes)
        .map_err(|e| RaskError::io(format!("cannot write '{}': {}", path.display(), e)))
}

/// `food_mapping.csv`: every code on 1–5 rows, one per food group it counts in.
fn food_mapping_csv() -> Vec<u8> {
    let units = ["oz", "oz", "oz", "oz", "pt", "floz", "oz", "cl", "oz", "g"];
    let mut out = b"minfd,minfddesc,majfd,majfddesc,Coded unit,fdgp,fd gp description\n".to_vec();
    for (i, (minfd, majfd)) in food_codes().into_iter().enumerate() {
        let unit = if majfd == 120 {
            "egg"
        } else {
            units[majfd as usize % units.len()]
        };
        let home = (majfd as usize * FIRST_TOTAL_GROUP) / 390;
        let n = [1, 2, 2, 3, 3, 3, 4, 4, 4, 5][i * 7 % 10];
        let mut groups = vec![home];
        for t in 1..n {
            groups.push(FIRST_TOTAL_GROUP + (home + t * 5) % (N_GROUPS - FIRST_TOTAL_GROUP));
        }
        groups.sort_unstable();
        groups.dedup();
        for g in groups {
            let desc = if g >= FIRST_TOTAL_GROUP {
                format!("\"TOTAL FOODS, GROUP {}\"", g)
            } else {
                format!("FOOD GROUP {}", g)
            };
            out.extend_from_slice(
                format!(
                    "{},FOOD {},{},MAJOR FOOD {},{},{}.0,{}\n",
                    minfd,
                    minfd,
                    majfd,
                    majfd,
                    unit,
                    majfd * 1000 + g as u32,
                    desc
                )
                .as_bytes(),
            );
        }
    }
    out
}

/// What one call wrote: file names and diary rows.
pub struct Synthetic {
    pub files: Vec<String>,
    pub rows: u64,
}

/// Write `years` years of `rows` joined rows each into `dest` (CSVs, or the survey's
/// zips with `zips`), plus food_mapping.csv.
pub fn create_synthetic_nfs(
    dest: &str,
    years: usize,
    rows: usize,
    seed: u64,
    zips: bool,
) -> Result<Synthetic> {
    std::fs::create_dir_all(dest)
        .map_err(|e| RaskError::io(format!("cannot create '{}': {}", dest, e)))?;
    let dir = Path::new(dest);
    let popular = popularity(seed);
    (0..years)
        .into_par_iter()
        .map(|k| {
            if zips {
                write_year_zip(dir, k, rows, seed, &popular)
            } else {
                write_year_csv(dir, k, rows, seed, &popular)
            }
        })
        .collect::<Result<Vec<()>>>()?;
    let mapping = dir.join("food_mapping.csv");
    std::fs::write(&mapping, food_mapping_csv())
        .map_err(|e| RaskError::io(format!("cannot write '{}': {}", mapping.display(), e)))?;
    let ext = if zips { "zip" } else { "csv" };
    Ok(Synthetic {
        files: (0..years)
            .map(|k| format!("NFS_{}.{}", FIRST_YEAR + k as u32, ext))
            .collect(),
        rows: (years * rows) as u64,
    })
}

/// The builtin `create_synthetic_nfs(dest="data/nfs", years=27, rows=10000, seed=0, zips=False)`.
pub fn call(args: &Args) -> Result<Value> {
    args.check(&["dest", "years", "rows", "seed", "zips"])?;
    let dest = args
        .str_opt(0, "dest")?
        .unwrap_or_else(|| "data/nfs".to_string());
    let years = args.int_or(1, "years", 27)?;
    let rows = args.int_or(2, "rows", DEFAULT_ROWS as i64)?;
    let seed = args.int_or(3, "seed", 0)?;
    let zips = args.bool_or(4, "zips", false)?;
    if !(1..=1000).contains(&years) {
        return Err(args.value_err(
            1,
            "years",
            format!("years must be between 1 and 1000, got {}", years),
        ));
    }
    if rows < 0 {
        return Err(args.value_err(2, "rows", format!("rows must be >= 0, got {}", rows)));
    }
    let s = create_synthetic_nfs(&dest, years as usize, rows as usize, seed as u64, zips)?;
    Ok(Value::dict(vec![
        (Value::str("dest"), Value::str(&dest)),
        (Value::str("files"), Value::Int(s.files.len() as i64)),
        (Value::str("rows"), Value::Int(s.rows as i64)),
    ]))
}

pub const DOC: FnDoc = FnDoc {
    name: "create_synthetic_nfs",
    signature: "create_synthetic_nfs(dest=\"data/nfs\", years=27, rows=10000, seed=0, zips=False)",
    summary: "Write synthetic National Food Survey data shaped like create_denormalized's output: dest/NFS_YYYY.csv for years from 1974 (hhno, fditemno, logday, pv, minfd, cq, pf, styr, stmth, memhh, adltm, adltf, child, oaps, adltgt64; value ranges after the real survey, cq blank now and then up to 1997) and a food_mapping.csv with the real file's columns. Each year is streamed, so any size fits; the same seed gives the same files. zips=True writes the survey's NFS_YYYY.zip files instead, for create_denormalized.",
    params: &[
        ("dest", "directory to write into (created if missing)"),
        ("years", "number of years, from 1974 on (27 reaches 2000)"),
        ("rows", "joined diary rows per year (the real survey has about 310,000)"),
        ("seed", "random seed"),
        ("zips", "write NFS_YYYY.zip with the tab-separated diary and household files instead of CSVs"),
    ],
    example: "create_synthetic_nfs(dest=\"data/help-synthetic\", years=3, rows=1000)", output: "{'dest': 'data/help-synthetic', 'files': 3, 'rows': 3000}\n",
};

#[cfg(test)]
mod tests {
    use super::*;

    fn read(p: &Path) -> Vec<u8> {
        std::fs::read(p).expect("read")
    }

    #[test]
    fn csvs_have_the_columns_rows_and_ranges() {
        let dir = tempfile::tempdir().expect("tmp");
        let d = dir.path().to_string_lossy().into_owned();
        let s = create_synthetic_nfs(&d, 27, 2000, 3, false).expect("write");
        assert_eq!(s.files.len(), 27);
        assert_eq!(s.rows, 54_000);
        let mut blanks_early = 0;
        for k in [0usize, 23, 24, 26] {
            let year = 1974 + k as u32;
            let text = read(&dir.path().join(format!("NFS_{}.csv", year)));
            let text = String::from_utf8(text).expect("utf8");
            let mut lines = text.lines();
            assert_eq!(
                lines.next(),
                Some("hhno,fditemno,logday,pv,minfd,cq,pf,styr,stmth,memhh,adltm,adltf,child,oaps,adltgt64")
            );
            let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
            assert_eq!(rows.len(), 2000);
            let mut hhs = std::collections::BTreeSet::new();
            for r in &rows {
                assert_eq!(r.len(), 15);
                let n = |i: usize| r[i].parse::<f64>().expect("number");
                hhs.insert(r[0]);
                assert!((1.0..=7.0).contains(&n(2)));
                assert!((401.0..=38901.0).contains(&n(4)));
                assert_eq!(n(7) as u32, year);
                assert!((1.0..=12.0).contains(&n(8)));
                assert_eq!(n(9), n(10) + n(11) + n(12), "memhh = adults + children");
                assert!(n(9) >= 1.0 && n(9) <= 10.0);
                if r[5].is_empty() {
                    assert!(year <= 1997, "cq blank only up to 1997");
                    blanks_early += 1;
                } else {
                    assert!(n(5) > 0.0 && r[5].split('.').nth(1).map(str::len) == Some(2));
                }
            }
            let first: u64 = hhs.iter().next().expect("hh").parse().expect("hhno");
            assert!(first > (k as u64 + 2) * 10_000 && first < (k as u64 + 3) * 10_000);
            // about 40 rows per household
            assert!(hhs.len() > 30 && hhs.len() < 80, "{} households", hhs.len());
        }
        assert!(blanks_early > 0);
        // food_mapping covers every code a diary uses, some on several rows
        let fm = String::from_utf8(read(&dir.path().join("food_mapping.csv"))).expect("utf8");
        assert!(
            fm.starts_with("minfd,minfddesc,majfd,majfddesc,Coded unit,fdgp,fd gp description\n")
        );
        let codes: Vec<&str> = fm
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap_or(""))
            .collect();
        let distinct: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
        assert_eq!(distinct.len(), N_CODES);
        assert!(codes.len() > 2 * N_CODES);
        assert!(fm.contains("\"TOTAL FOODS, GROUP"));
    }

    #[test]
    fn seeded_and_independent_of_the_number_of_years() {
        let a = tempfile::tempdir().expect("tmp");
        let b = tempfile::tempdir().expect("tmp");
        let c = tempfile::tempdir().expect("tmp");
        let s = |d: &tempfile::TempDir| d.path().to_string_lossy().into_owned();
        create_synthetic_nfs(&s(&a), 2, 500, 9, false).expect("a");
        create_synthetic_nfs(&s(&b), 5, 500, 9, false).expect("b");
        create_synthetic_nfs(&s(&c), 2, 500, 10, false).expect("c");
        for f in ["NFS_1974.csv", "NFS_1975.csv"] {
            assert_eq!(read(&a.path().join(f)), read(&b.path().join(f)));
            assert_ne!(read(&a.path().join(f)), read(&c.path().join(f)));
        }
    }

    #[test]
    fn popularity_drifts_but_a_few_foods_lead() {
        let popular = popularity(0);
        let mut y = YearRows::new(0, 20_000, 0, &popular);
        let mut out = Vec::new();
        for i in 0..y.households.len() {
            y.diary(i, b',', b"\n", false, &mut out);
        }
        let mut counts = std::collections::HashMap::new();
        for l in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            *counts
                .entry(l.split(|&b| b == b',').nth(4).map(|s| s.to_vec()))
                .or_insert(0) += 1;
        }
        let top = counts.values().max().copied().unwrap_or(0);
        // the most frequent food is a few per cent to a quarter of the rows
        assert!(top > 20_000 / 50 && top < 20_000 / 4, "top {}", top);
        assert!(counts.len() > 100 && counts.len() <= 180);
    }
}
