//! Frames and series through serde (to worker processes, captured in functions): each
//! column as a typed vector. Integer, float, boolean, text and categorical columns keep
//! their type, as do timestamps (unit and zone), dates and decimals (precision, scale);
//! anything else travels as text.

use super::eager::{pl_err, PFrame, PSeries};
use crate::errors::Result;
use polars::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
enum ColData {
    I64(Vec<Option<i64>>),
    I32(Vec<Option<i32>>),
    F64(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Str(Vec<Option<String>>),
    Cat(Vec<Option<String>>),
    /// Timestamps: counts of the unit (in ns), the zone.
    Time(Vec<Option<i64>>, i64, Option<String>),
    /// Days since 1970.
    Date(Vec<Option<i32>>),
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
        DataType::Int64 => ColData::I64(s.i64().map_err(e)?.iter().collect()),
        DataType::Int32 => ColData::I32(s.i32().map_err(e)?.iter().collect()),
        DataType::Float64 => ColData::F64(s.f64().map_err(e)?.iter().collect()),
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
                p.i64().map_err(pl_err("encode"))?.iter().collect(),
                crate::frame::stamp::unit_ns(*u),
                z.as_ref().map(|z| z.to_string()),
            )
        }
        DataType::Date => {
            let p = s.to_physical_repr();
            ColData::Date(p.i32().map_err(pl_err("encode"))?.iter().collect())
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
            ColData::I64(t.i64().map_err(pl_err("encode"))?.iter().collect())
        }
        dt if dt.is_float() => {
            let t = s.cast(&DataType::Float64).map_err(pl_err("encode"))?;
            ColData::F64(t.f64().map_err(pl_err("encode"))?.iter().collect())
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
        ColData::I64(v) => Series::new(name, v),
        ColData::I32(v) => Series::new(name, v),
        ColData::F64(v) => Series::new(name, v),
        ColData::Bool(v) => Series::new(name, v),
        ColData::Str(v) => Series::new(name, v),
        ColData::Cat(v) => Series::new(name, v)
            .cast(&super::eager::parse_dtype("category")?)
            .map_err(pl_err("decode"))?,
        ColData::Time(v, unit, z) => {
            let z = TimeZone::opt_try_new(z.as_deref()).map_err(pl_err("decode"))?;
            Int64Chunked::from_iter_options(name, v.into_iter())
                .into_datetime(crate::frame::stamp::unit_of(unit), z)
                .into_series()
        }
        ColData::Date(v) => Int32Chunked::from_iter_options(name, v.into_iter())
            .into_date()
            .into_series(),
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
