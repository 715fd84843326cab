//! How tasks and chunks travel to worker processes while the graph and the schedulers
//! know no collection. Each collection registers, once at startup (`register_all` in
//! the top-level `cli`, which `rask` and `rask __worker` both run before anything else):
//! - a decoder for its ops under a tag. An op travels as its tag and its own bytes
//!   (`TaskOp::tag`, `TaskOp::encode`); the worker finds the decoder by the tag.
//! - optionally a codec for the values its chunks hold (arrays travel as raw
//!   little-endian blocks instead of through serde element by element). Values no codec
//!   claims travel with serde.
//!
//! Registration is explicit, a `register()` per collection called from the top of the
//! program, rather than linker-section collection (`inventory`, `typetag`): it needs no
//! extra crate, behaves the same in every binary (test harnesses included), and what a
//! process can decode is written down in one function.

use super::key::Key;
use super::optimize::{Fused, FusedStep, StepInput};
use super::task::{Op, TaskOp};
use crate::errors::{ErrorKind, RaskError, Result};
use crate::value::value::Value;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};
use std::sync::{Arc, RwLock};

/// Turns an op's own bytes back into the op (see `decode_with`).
pub type OpDecoder = fn(&[u8]) -> Result<Arc<dyn TaskOp>>;

/// How the values of one collection's chunks are written to and read from a worker's
/// pipe.
#[derive(Clone, Copy)]
pub struct ValueCodec {
    /// Names the encoding in the stream.
    pub tag: &'static str,
    /// Whether this codec writes `v` (the array codec: `Value::NdArray`).
    pub claims: fn(&Value) -> bool,
    pub write: fn(&Value, &mut dyn Write) -> io::Result<()>,
    pub read: fn(&mut dyn Read) -> io::Result<Value>,
}

struct Registry {
    ops: Vec<(&'static str, OpDecoder)>,
    values: Vec<ValueCodec>,
}

static REGISTRY: RwLock<Registry> = RwLock::new(Registry {
    ops: Vec::new(),
    values: Vec::new(),
});

fn registry() -> std::sync::RwLockReadGuard<'static, Registry> {
    REGISTRY.read().unwrap_or_else(|e| e.into_inner())
}

/// Register the decoder of the ops tagged `tag` (registering a tag again replaces it).
pub fn register_op(tag: &'static str, decode: OpDecoder) {
    let mut r = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    r.ops.retain(|(t, _)| *t != tag);
    r.ops.push((tag, decode));
}

/// Register a chunk value codec (registering a tag again replaces it).
pub fn register_value_codec(codec: ValueCodec) {
    let mut r = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    r.values.retain(|c| c.tag != codec.tag);
    r.values.push(codec);
}

/// The codec that writes `v`, if one claims it.
pub fn value_codec_for(v: &Value) -> Option<ValueCodec> {
    registry().values.iter().find(|c| (c.claims)(v)).copied()
}

/// The codec registered under `tag`.
pub fn value_codec(tag: &str) -> Option<ValueCodec> {
    registry().values.iter().find(|c| c.tag == tag).copied()
}

fn worker_error(msg: String) -> RaskError {
    RaskError::new(ErrorKind::Worker, msg)
}

/// An op's own bytes with serde (postcard), for `TaskOp::encode`.
pub fn encode_with<T: TaskOp + Serialize>(op: &T) -> Result<Vec<u8>> {
    postcard::to_allocvec(op).map_err(|e| {
        worker_error(format!(
            "cannot send the {} task to a worker process: {}",
            op.label(),
            e
        ))
    })
}

/// The decoder of a serde op, for `register_op(TAG, decode_with::<MyOp>)`.
pub fn decode_with<T: TaskOp + DeserializeOwned>(bytes: &[u8]) -> Result<Arc<dyn TaskOp>> {
    let op: T = postcard::from_bytes(bytes).map_err(|e| worker_error(e.to_string()))?;
    Ok(Arc::new(op))
}

fn decode_collection_op(tag: &str, bytes: &[u8]) -> Result<Arc<dyn TaskOp>> {
    let decode = registry()
        .ops
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, d)| *d)
        .ok_or_else(|| {
            worker_error(format!(
                "no decoder for '{}' ops is registered in this process",
                tag
            ))
        })?;
    decode(bytes).map_err(|e| worker_error(format!("bad '{}' op: {}", tag, e.message)))
}

/// Bytes written whole (postcard writes a `Vec<u8>` byte by byte otherwise).
struct Bytes(Vec<u8>);

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E>(self, b: &[u8]) -> std::result::Result<Bytes, E> {
                Ok(Bytes(b.to_vec()))
            }
            fn visit_byte_buf<E>(self, b: Vec<u8>) -> std::result::Result<Bytes, E> {
                Ok(Bytes(b))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

/// An op as it travels: a collection's op is its tag and its own bytes.
#[derive(Serialize, Deserialize)]
enum WireOp {
    Collection(String, Bytes),
    Fused(Vec<WireStep>),
    Identity,
}

#[derive(Serialize, Deserialize)]
struct WireStep {
    key: Key,
    op: WireOp,
    inputs: Vec<StepInput>,
}

fn to_wire(op: &Op) -> Result<WireOp> {
    Ok(match op {
        Op::Collection(o) => WireOp::Collection(o.tag().to_string(), Bytes(o.encode()?)),
        Op::Fused(f) => WireOp::Fused(
            f.steps
                .iter()
                .map(|s| {
                    Ok(WireStep {
                        key: s.key.clone(),
                        op: to_wire(&s.op)?,
                        inputs: s.inputs.clone(),
                    })
                })
                .collect::<Result<_>>()?,
        ),
        Op::Identity => WireOp::Identity,
    })
}

fn from_wire(w: WireOp) -> Result<Op> {
    Ok(match w {
        WireOp::Collection(tag, bytes) => Op::Collection(decode_collection_op(&tag, &bytes.0)?),
        WireOp::Fused(steps) => Op::Fused(Fused {
            steps: steps
                .into_iter()
                .map(|s| {
                    Ok(FusedStep {
                        key: s.key,
                        op: from_wire(s.op)?,
                        inputs: s.inputs,
                    })
                })
                .collect::<Result<_>>()?,
        }),
        WireOp::Identity => Op::Identity,
    })
}

/// An op's bytes for a worker process; the same bytes can go to any worker.
pub fn encode_op(op: &Op) -> Result<Vec<u8>> {
    let wire = to_wire(op)?;
    postcard::to_allocvec(&wire).map_err(|e| {
        worker_error(format!(
            "cannot send the {} task to a worker process: {}",
            op.label(),
            e
        ))
    })
}

/// The op `encode_op` wrote, its collection ops decoded by their registered decoders.
pub fn decode_op(bytes: &[u8]) -> Result<Op> {
    let wire: WireOp = postcard::from_bytes(bytes).map_err(|e| worker_error(e.to_string()))?;
    from_wire(wire)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::testing::*;

    #[test]
    fn ops_round_trip_through_their_tags() {
        register();
        let fused = Op::Fused(Fused {
            steps: vec![
                FusedStep {
                    key: key("a", 0),
                    op: src(1.5, 3),
                    inputs: vec![],
                },
                FusedStep {
                    key: key("b", 0),
                    op: Op::Identity,
                    inputs: vec![StepInput::Step(0)],
                },
                FusedStep {
                    key: key("c", 0),
                    op: scale(2.0),
                    inputs: vec![StepInput::Step(1), StepInput::External(0)],
                },
            ],
        });
        let back = decode_op(&encode_op(&fused).unwrap()).unwrap();
        assert_eq!(format!("{:?}", back), format!("{:?}", fused));
        let Op::Fused(f) = &back else {
            panic!("{:?}", back)
        };
        assert_eq!(
            f.steps[2].op.downcast::<TestOp>().map(|o| o.label()),
            Some("scale".into())
        );
    }

    #[test]
    fn an_unknown_tag_or_bad_bytes_is_an_error_naming_them() {
        let wire = WireOp::Collection("nosuch".into(), Bytes(vec![1, 2]));
        let bytes = postcard::to_allocvec(&wire).unwrap();
        let e = decode_op(&bytes).unwrap_err();
        assert!(e.message.contains("'nosuch'"), "{}", e.message);
        register();
        let wire = WireOp::Collection(TestOp::TAG.into(), Bytes(vec![200]));
        let e = decode_op(&postcard::to_allocvec(&wire).unwrap()).unwrap_err();
        assert!(e.message.contains("bad 'test' op"), "{}", e.message);
        assert!(decode_op(&[9, 9, 9]).is_err());
    }
}
