//! Frames and series through serde (to worker processes, captured in functions): each
//! column as a typed vector. Integer, float, boolean, text and categorical columns keep
//! their type, as do timestamps (unit and zone), dates and decimals (precision, scale);
//! anything else travels as text.

use super::codec_num::{dec_num, enc_num, Num, NumRows};
use super::eager::{pl_err, PFrame, PSeries};
use crate::errors::Result;
use polars::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
enum ColData {
    /// Numbers as their little-endian bytes, one blob, and the validity bits when some
    /// are missing: a shuffle moves millions of rows, and a value at a time through serde
    /// cost more than the rest of the shuffle.
    I64(Num),
    I32(Num),
    F64(Num),
    Bool(Vec<Option<bool>>),
    Str(Vec<Option<String>>),
    Cat(Vec<Option<String>>),
    /// Timestamps: counts of the unit (in ns), the zone.
    Time(Num, i64, Option<String>),
    /// Days since 1970.
    Date(Num),
    /// Decimals: the integers, precision and scale.
    Dec(Vec<Option<i128>>, usize, usize),
}

#[derive(Serialize, Deserialize)]
struct EncCol {
    name: String,
    data: ColData,
}

#[derive(Serialize, Deserialize)]
struct EncFrame {
    height: usize,
    cols: Vec<EncCol>,
    index: Option<EncCol>,
}

fn enc(s: &Series) -> Result<EncCol> {
    let e = pl_err("encode");
    let data = match s.dtype() {
        DataType::Int64 => ColData::I64(enc_num(s.i64().map_err(e)?)),
        DataType::Int32 => ColData::I32(enc_num(s.i32().map_err(e)?)),
        DataType::Float64 => ColData::F64(enc_num(s.f64().map_err(e)?)),
        DataType::Boolean => ColData::Bool(s.bool().map_err(e)?.iter().collect()),
        DataType::String => ColData::Str(
            s.str()
                .map_err(e)?
                .iter()
                .map(|x| x.map(|t| t.to_string()))
                .collect(),
        ),
        DataType::Categorical(..) | DataType::Enum(..) => {
            let t = s.cast(&DataType::String).map_err(pl_err("encode"))?;
            ColData::Cat(
                t.str()
                    .map_err(pl_err("encode"))?
                    .iter()
                    .map(|x| x.map(|t| t.to_string()))
                    .collect(),
            )
        }
        DataType::Datetime(u, z) => {
            let p = s.to_physical_repr();
            ColData::Time(
                enc_num(p.i64().map_err(pl_err("encode"))?),
                crate::frame::stamp::unit_ns(*u),
                z.as_ref().map(|z| z.to_string()),
            )
        }
        DataType::Date => {
            let p = s.to_physical_repr();
            ColData::Date(enc_num(p.i32().map_err(pl_err("encode"))?))
        }
        DataType::Decimal(prec, scale) => ColData::Dec(
            s.decimal()
                .map_err(pl_err("encode"))?
                .physical()
                .iter()
                .collect(),
            *prec,
            *scale,
        ),
        dt if dt.is_integer() => {
            let t = s.cast(&DataType::Int64).map_err(pl_err("encode"))?;
            ColData::I64(enc_num(t.i64().map_err(pl_err("encode"))?))
        }
        dt if dt.is_float() => {
            let t = s.cast(&DataType::Float64).map_err(pl_err("encode"))?;
            ColData::F64(enc_num(t.f64().map_err(pl_err("encode"))?))
        }
        _ => {
            let t = s.cast(&DataType::String).map_err(pl_err("encode"))?;
            ColData::Str(
                t.str()
                    .map_err(pl_err("encode"))?
                    .iter()
                    .map(|x| x.map(|t| t.to_string()))
                    .collect(),
            )
        }
    };
    Ok(EncCol {
        name: s.name().to_string(),
        data,
    })
}

fn dec(c: EncCol) -> Result<Series> {
    let name = PlSmallStr::from(c.name.as_str());
    Ok(match c.data {
        ColData::I64(v) => dec_num::<Int64Type>(name, v)?.into_series(),
        ColData::I32(v) => dec_num::<Int32Type>(name, v)?.into_series(),
        ColData::F64(v) => dec_num::<Float64Type>(name, v)?.into_series(),
        ColData::Bool(v) => Series::new(name, v),
        ColData::Str(v) => Series::new(name, v),
        ColData::Cat(v) => Series::new(name, v)
            .cast(&super::eager::parse_dtype("category")?)
            .map_err(pl_err("decode"))?,
        ColData::Time(v, unit, z) => {
            let z = TimeZone::opt_try_new(z.as_deref()).map_err(pl_err("decode"))?;
            dec_num::<Int64Type>(name, v)?
                .into_datetime(crate::frame::stamp::unit_of(unit), z)
                .into_series()
        }
        ColData::Date(v) => dec_num::<Int32Type>(name, v)?.into_date().into_series(),
        ColData::Dec(v, p, sc) => Int128Chunked::from_iter_options(name, v.into_iter())
            .into_decimal(p, sc)
            .map_err(pl_err("decode"))?
            .into_series(),
    })
}

fn enc_frame(f: &PFrame) -> Result<EncFrame> {
    Ok(EncFrame {
        height: f.df.height(),
        cols: f
            .df
            .columns()
            .iter()
            .map(|c| enc(c.as_materialized_series()))
            .collect::<Result<_>>()?,
        index: f.index.as_ref().map(enc).transpose()?,
    })
}

/// How one column of a frame encodes chosen rows.
enum ColRows<'a> {
    I64(&'a str, NumRows<'a, Int64Type>),
    F64(&'a str, NumRows<'a, Float64Type>),
    /// Anything else: taken, then encoded.
    Other(Series),
}

impl ColRows<'_> {
    /// The column's part in each bucket (`bucket[i]` is row i's; `sizes[b]` rows in
    /// bucket b; `rows` each bucket's row positions, made once, when a column first
    /// needs them).
    fn buckets(
        &self,
        bucket: &[u32],
        sizes: &[usize],
        rows: &mut Option<Vec<Vec<IdxSize>>>,
    ) -> Result<Vec<EncCol>> {
        let named = |name: &str, parts: Vec<Num>, wrap: fn(Num) -> ColData| {
            parts
                .into_iter()
                .map(|n| EncCol {
                    name: name.to_string(),
                    data: wrap(n),
                })
                .collect()
        };
        Ok(match self {
            ColRows::I64(name, c) => named(name, c.scatter(bucket, sizes)?, ColData::I64),
            ColRows::F64(name, c) => named(name, c.scatter(bucket, sizes)?, ColData::F64),
            ColRows::Other(s) => rows
                .get_or_insert_with(|| rows_of(bucket, sizes))
                .iter()
                .map(|r| {
                    let idx = IdxCa::from_vec("i".into(), r.clone());
                    enc(&s.take(&idx).map_err(pl_err("encode"))?)
                })
                .collect::<Result<_>>()?,
        })
    }
}

/// Each bucket's row positions, in order.
fn rows_of(bucket: &[u32], sizes: &[usize]) -> Vec<Vec<IdxSize>> {
    let mut r: Vec<Vec<IdxSize>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
    for (i, &b) in bucket.iter().enumerate() {
        r[b as usize].push(i as IdxSize);
    }
    r
}

fn col_rows(s: &Series) -> ColRows<'_> {
    let name = s.name().as_str();
    let made = match s.dtype() {
        DataType::Int64 => s
            .i64()
            .ok()
            .and_then(NumRows::new)
            .map(|c| ColRows::I64(name, c)),
        DataType::Float64 => s
            .f64()
            .ok()
            .and_then(NumRows::new)
            .map(|c| ColRows::F64(name, c)),
        _ => None,
    };
    made.unwrap_or_else(|| ColRows::Other(s.clone()))
}

/// A frame's rows, chosen many times over (a shuffle's buckets): each call gives the
/// bytes that `postcard` gives for the frame of those rows, without building that frame
/// first: number columns go straight from the chosen rows to their bytes.
pub struct FrameRows<'a> {
    cols: Vec<ColRows<'a>>,
    index: Option<ColRows<'a>>,
}

impl<'a> FrameRows<'a> {
    /// `index`: the index to carry (none: the rows go without one).
    pub fn new(f: &'a PFrame, index: Option<&'a Series>) -> FrameRows<'a> {
        FrameRows {
            cols: f
                .df
                .columns()
                .iter()
                .map(|c| col_rows(c.as_materialized_series()))
                .collect(),
            index: index.map(col_rows),
        }
    }

    /// The `postcard` bytes of each of `nout` buckets' frames, `bucket[i]` being row i's
    /// (each row keeps its order within its bucket). Empty buckets give no bytes.
    pub fn encode_buckets(&self, bucket: &[u32], nout: usize) -> Result<Vec<Vec<u8>>> {
        let mut sizes = vec![0usize; nout];
        for &b in bucket {
            match sizes.get_mut(b as usize) {
                Some(n) => *n += 1,
                None => {
                    return Err(crate::errors::RaskError::runtime(
                        "encode: a row's bucket is out of range",
                    ))
                }
            }
        }
        let mut rows = None;
        let mut part = |c: &ColRows| c.buckets(bucket, &sizes, &mut rows);
        let cols = self
            .cols
            .iter()
            .map(&mut part)
            .collect::<Result<Vec<_>>>()?;
        let mut index = self
            .index
            .as_ref()
            .map(&mut part)
            .transpose()?
            .map(|v| v.into_iter());
        let mut cols: Vec<_> = cols.into_iter().map(|v| v.into_iter()).collect();
        let mut out = Vec::with_capacity(nout);
        for &n in &sizes {
            let e = EncFrame {
                height: n,
                cols: cols.iter_mut().filter_map(|c| c.next()).collect(),
                index: index.as_mut().and_then(|i| i.next()),
            };
            out.push(if n == 0 {
                Vec::new()
            } else {
                postcard::to_allocvec(&e)
                    .map_err(|e| crate::errors::RaskError::runtime(format!("encode: {}", e)))?
            });
        }
        Ok(out)
    }
}

fn dec_frame(e: EncFrame) -> Result<PFrame> {
    let cols = e
        .cols
        .into_iter()
        .map(|c| dec(c).map(|s| s.into_column()))
        .collect::<Result<Vec<_>>>()?;
    Ok(PFrame {
        df: DataFrame::new(e.height, cols).map_err(pl_err("decode"))?,
        index: e.index.map(dec).transpose()?,
    })
}

impl Serialize for PFrame {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        enc_frame(self)
            .map_err(|e| serde::ser::Error::custom(e.message))?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PFrame {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let e = EncFrame::deserialize(d)?;
        dec_frame(e).map_err(|e| serde::de::Error::custom(e.message))
    }
}

impl Serialize for PSeries {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let c = enc(&self.s).map_err(|e| serde::ser::Error::custom(e.message))?;
        let i = self
            .index
            .as_ref()
            .map(enc)
            .transpose()
            .map_err(|e| serde::ser::Error::custom(e.message))?;
        (c, i).serialize(s)
    }
}

impl<'de> Deserialize<'de> for PSeries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (c, i): (EncCol, Option<EncCol>) = Deserialize::deserialize(d)?;
        let s = dec(c).map_err(|e| serde::de::Error::custom(e.message))?;
        let index = i
            .map(dec)
            .transpose()
            .map_err(|e| serde::de::Error::custom(e.message))?;
        Ok(PSeries { s, index })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_postcard() {
        let df = DataFrame::new(
            2,
            vec![
                Series::new("a".into(), [Some(1i64), None]).into_column(),
                Series::new("b".into(), [Some("x"), Some("y")]).into_column(),
                Series::new("c".into(), [1.5f64, f64::NAN]).into_column(),
            ],
        )
        .expect("frame");
        let f = PFrame {
            df,
            index: Some(Series::new("k".into(), [10i64, 20])),
        };
        let bytes = postcard::to_allocvec(&f).expect("encode");
        let g: PFrame = postcard::from_bytes(&bytes).expect("decode");
        assert_eq!(g.df.height(), 2);
        assert_eq!(g.names(), vec!["a", "b", "c"]);
        assert_eq!(g.index_name().as_deref(), Some("k"));
        assert_eq!(g.df.column("a").expect("a").null_count(), 1);
    }
}
