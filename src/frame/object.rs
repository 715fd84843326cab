//! Frames as values: eager `pd` frames and series (which travel to worker processes,
//! encoded by `codec.rs`), lazy `dd` frames, series and scalars, and the helpers
//! (`groupby(...)`, `.loc`, `.iloc`, `.rolling(n)`).

use super::eager::display::{frame_repr, series_repr};
use super::eager::{PFrame, PSeries};
use super::helper::Helper;
use super::lazy::LazyFrame;
use crate::errors::{RaskError, Result};
use crate::value::object::{register_decoder, Object};
use crate::value::value::Value;
use std::sync::Arc;

const FRAME_TAG: &str = "pd.DataFrame";
const SERIES_TAG: &str = "pd.Series";

fn encode<T: serde::Serialize>(t: &T, what: &str) -> Result<Vec<u8>> {
    postcard::to_allocvec(t).map_err(|e| RaskError::runtime(format!("encoding a {}: {}", what, e)))
}

impl Object for Arc<PFrame> {
    fn type_name(&self) -> &'static str {
        "pd.DataFrame"
    }
    fn truthy(&self) -> bool {
        self.height() > 0
    }
    fn repr(&self) -> String {
        frame_repr(self).unwrap_or_else(|e| e.message)
    }
    fn mime(&self) -> Vec<(String, String)> {
        // a cell that cannot be formatted leaves the notebook the text repr alone
        super::html::frame_html(self)
            .map(|h| vec![("text/html".to_string(), h)])
            .unwrap_or_default()
    }
    fn len(&self) -> Option<Result<usize>> {
        Some(Ok(self.height()))
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        Some((FRAME_TAG, encode(&**self, "frame")))
    }
}

impl Object for Arc<PSeries> {
    fn type_name(&self) -> &'static str {
        "pd.Series"
    }
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
    fn repr(&self) -> String {
        series_repr(self).unwrap_or_else(|e| e.message)
    }
    fn len(&self) -> Option<Result<usize>> {
        Some(Ok(PSeries::len(self)))
    }
    fn encode(&self) -> Option<(&'static str, Result<Vec<u8>>)> {
        Some((SERIES_TAG, encode(&**self, "series")))
    }
}

impl Object for Arc<LazyFrame> {
    fn type_name(&self) -> &'static str {
        LazyFrame::type_name(self)
    }
    fn repr(&self) -> String {
        self.summary()
    }
    fn mime(&self) -> Vec<(String, String)> {
        super::html::lazy_frame_html(self)
            .map(|h| vec![("text/html".to_string(), h)])
            .unwrap_or_default()
    }
}

impl Object for Arc<Helper> {
    fn type_name(&self) -> &'static str {
        Helper::type_name(self)
    }
    fn repr(&self) -> String {
        self.summary()
    }
}

fn decode<T: serde::de::DeserializeOwned + Send + Sync + std::fmt::Debug + 'static>(
    bytes: &[u8],
    what: &str,
) -> Result<Value>
where
    Arc<T>: Object,
{
    let t: T = postcard::from_bytes(bytes)
        .map_err(|e| RaskError::runtime(format!("decoding a {}: {}", what, e)))?;
    Ok(Value::obj(Arc::new(t)))
}

/// Register how eager frames and series are decoded in this process.
pub fn register() {
    register_decoder(FRAME_TAG, |b| decode::<PFrame>(b, "frame"));
    register_decoder(SERIES_TAG, |b| decode::<PSeries>(b, "series"));
    super::stamp::register();
}
