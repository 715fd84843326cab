//! How a collection plugs its values into `Value`: an eager array, a lazy bag, an HDF5
//! file handle are each an `Object` held behind `Value::Obj`. The value layer knows
//! only this trait; each collection implements it for its own types (on the `Arc` it
//! shares, so code that matches a value gets the same `&Arc<T>` it built it from).
//!
//! Objects that travel to worker processes (eager arrays and frames inside task
//! arguments) encode themselves under a tag; the receiving process decodes them with
//! the decoder its collection registered for that tag (`register_decoder`, called from
//! `cli::register_all` in every process).

use crate::errors::{RaskError, Result};
use serde::de::{self, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::any::Any;
use std::fmt;
use std::sync::{Arc, RwLock};

use super::value::Value;

/// A value a collection provides.
#[allow(clippy::len_without_is_empty)] // `len` is Python's `len()`, optional per type
pub trait Object: Any + Send + Sync + fmt::Debug {
    /// The Python-ish type name in messages: `da.Array`, `np.ndarray`, `pd.DataFrame`.
    fn type_name(&self) -> &'static str;
    /// What messages and help call a receiver of this type: `Array`, `ndarray`, `File`.
    fn qualifier(&self) -> &'static str {
        self.type_name()
    }
    /// Python truthiness where it needs no computing (frames: non-empty).
    fn truthy(&self) -> bool {
        true
    }
    /// Python's repr, as the REPL echoes it.
    fn repr(&self) -> String;
    /// Python's str (what `print` and f-strings show): the repr unless the type says.
    fn str(&self) -> String {
        self.repr()
    }
    /// The richer forms a notebook shows besides the text `repr`, as (MIME type,
    /// content): `text/html` tables, `image/svg+xml` pictures. Binary content (a PNG) is
    /// base64 text, as Jupyter's messages carry it. A terminal never asks.
    fn mime(&self) -> Vec<(String, String)> {
        Vec::new()
    }
    /// `len(obj)`, where the type has one.
    fn len(&self) -> Option<Result<usize>> {
        None
    }
    /// Python's `==` with `other`, where the type defines it (`type(1) == int`); `None`
    /// leaves the object unequal to everything.
    fn eq_value(&self, _other: &super::value::Value) -> Option<bool> {
        None
    }
    /// Python's ordering (`<`, `sorted`, `min`) against `other`, where the type has one
    /// (a frame's timestamps, dates and decimals); `None` leaves it unordered.
    fn cmp_value(&self, _other: &super::value::Value) -> Option<Result<std::cmp::Ordering>> {
        None
    }
    /// The tag and bytes this value travels to a worker process as; `None` for values
    /// that stay in the session (lazy collections, open files).
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        None
    }
}

/// A shared object: cloning a `Value` clones the handle, never the data.
#[derive(Clone)]
pub struct Obj(pub Arc<dyn Object>);

impl fmt::Debug for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Obj {
    pub fn new<T: Object>(t: T) -> Obj {
        Obj(Arc::new(t))
    }

    /// The object as `T` (`Arc<NdArr>`, ...), if it is one.
    pub fn get<T: Object>(&self) -> Option<&T> {
        let any: &dyn Any = &*self.0;
        any.downcast_ref::<T>()
    }
}

impl std::ops::Deref for Obj {
    type Target = dyn Object;
    fn deref(&self) -> &(dyn Object + 'static) {
        &*self.0
    }
}

/// Turns a tag's bytes back into the value.
pub type Decoder = fn(&[u8]) -> Result<Value>;

static DECODERS: RwLock<Vec<(&'static str, Decoder)>> = RwLock::new(Vec::new());

/// Register the decoder of objects encoded under `tag` (again replaces it).
pub fn register_decoder(tag: &'static str, decode: Decoder) {
    let mut d = DECODERS.write().unwrap_or_else(|e| e.into_inner());
    d.retain(|(t, _)| *t != tag);
    d.push((tag, decode));
}

fn decoder(tag: &str) -> Option<Decoder> {
    let d = DECODERS.read().unwrap_or_else(|e| e.into_inner());
    d.iter().find(|(t, _)| *t == tag).map(|(_, f)| *f)
}

impl Serialize for Obj {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::Error;
        match self.0.encode() {
            Some((tag, Ok(bytes))) => {
                let mut t = s.serialize_tuple(2)?;
                t.serialize_element(tag)?;
                t.serialize_element(&Bytes(&bytes))?;
                t.end()
            }
            Some((_, Err(e))) => Err(S::Error::custom(e.message)),
            None => Err(S::Error::custom(format!(
                "a {} cannot be sent to a worker process",
                self.0.type_name()
            ))),
        }
    }
}

/// Bytes written as one serde byte string (postcard: length and the bytes).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> std::result::Result<ByteBuf, E> {
                Ok(ByteBuf(v.to_vec()))
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> std::result::Result<ByteBuf, E> {
                Ok(ByteBuf(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<ByteBuf, A::Error> {
                let mut v = Vec::new();
                while let Some(b) = a.next_element::<u8>()? {
                    v.push(b);
                }
                Ok(ByteBuf(v))
            }
        }
        d.deserialize_bytes(V)
    }
}

impl<'de> Deserialize<'de> for Obj {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Obj;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tagged object")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> std::result::Result<Obj, A::Error> {
                let tag: String = a
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let bytes: ByteBuf = a
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let dec = decoder(&tag).ok_or_else(|| {
                    de::Error::custom(format!(
                        "no decoder registered for objects tagged '{}'",
                        tag
                    ))
                })?;
                match dec(&bytes.0).map_err(|e: RaskError| de::Error::custom(e.message))? {
                    Value::Obj(o) => Ok(o),
                    other => Err(de::Error::custom(format!(
                        "decoder for '{}' gave a {}",
                        tag,
                        other.type_name()
                    ))),
                }
            }
        }
        d.deserialize_tuple(2, V)
    }
}
