//! `IPython.display`: `Image`, `SVG`, `HTML`, `Markdown` and `display`. A display
//! object keeps what it was given (a URL, a file's bytes, text) for a notebook to render;
//! the terminal shows IPython's short text, `<IPython.core.display.Image object>`. A URL
//! is never fetched: the object holds the address only.

use super::Member::{self, *};
use crate::common::base64;
use crate::common::html::escape_attr;
use crate::errors::{RaskError, Result};
use crate::session::runtime::Frame;
use crate::value::args::Args;
use crate::value::display::repr;
use crate::value::object::Object;
use crate::value::value::Value;
use std::sync::Arc;

pub const MEMBERS: &[(&str, Member)] = &[
    ("Image", Func),
    ("SVG", Func),
    ("HTML", Func),
    ("Markdown", Func),
    ("display", Func),
    ("clear_output", Func),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Image,
    Svg,
    Html,
    Markdown,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Image => "Image",
            Kind::Svg => "SVG",
            Kind::Html => "HTML",
            Kind::Markdown => "Markdown",
        }
    }
}

/// A display object: where its content is and the content read so far.
#[derive(Debug)]
pub struct Display {
    pub kind: Kind,
    pub url: Option<String>,
    pub filename: Option<String>,
    /// The bytes of the image, or the text: given, or read from `filename`.
    pub data: Option<Vec<u8>>,
    pub format: Option<String>,
    pub width: Option<Value>,
    pub height: Option<Value>,
}

impl Object for Arc<Display> {
    fn type_name(&self) -> &'static str {
        self.kind.name()
    }
    fn repr(&self) -> String {
        format!("<IPython.core.display.{} object>", self.kind.name())
    }
    fn mime(&self) -> Vec<(String, String)> {
        self.mime_bundle()
    }
}

impl Display {
    /// What a notebook renders, as IPython sends it: (MIME type, content) when the
    /// content is here (an image's bytes base64-encoded, an SVG or HTML as text), or an
    /// `<img>` pointing at the URL, which the kernel never fetches.
    pub fn mime_bundle(&self) -> Vec<(String, String)> {
        let size = |name: &str, v: &Option<Value>| match v {
            Some(Value::Int(n)) => format!(" {}=\"{}\"", name, n),
            Some(Value::Str(s)) => format!(" {}=\"{}\"", name, escape_attr(s)),
            _ => String::new(),
        };
        match (&self.data, &self.url) {
            (Some(d), _) => {
                let text = || String::from_utf8_lossy(d).into_owned();
                let item = match self.kind {
                    Kind::Image => match self.format.as_deref().unwrap_or("png") {
                        "svg" => ("image/svg+xml".to_string(), text()),
                        "jpg" | "jpeg" => ("image/jpeg".into(), base64::encode(d)),
                        f => (format!("image/{}", f), base64::encode(d)),
                    },
                    Kind::Svg => ("image/svg+xml".into(), text()),
                    Kind::Html => ("text/html".into(), text()),
                    Kind::Markdown => ("text/markdown".into(), text()),
                };
                vec![item]
            }
            (None, Some(u)) => {
                let tag = match self.kind {
                    Kind::Image => format!(
                        "<img src=\"{}\"{}{}/>",
                        escape_attr(u),
                        size("width", &self.width),
                        size("height", &self.height)
                    ),
                    // text kinds from a URL: IPython would fetch it; rask links to it
                    _ => format!("<a href=\"{0}\">{0}</a>", escape_attr(u)),
                };
                vec![("text/html".into(), tag)]
            }
            _ => Vec::new(),
        }
    }
}

fn opt_str(args: &Args, name: &str) -> Result<Option<String>> {
    match args.kw(name) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.to_string())),
        Some(other) => Err(args.type_err(usize::MAX, name, "str", other)),
    }
}

/// `Image(data=None, url=None, filename=None, format=None, width=None, height=None)` and
/// the text kinds `SVG/HTML/Markdown(data=None, url=None, filename=None)`: a string
/// first argument starting with http is a URL, one naming an existing file a filename,
/// as IPython reads it.
fn make(kind: Kind, args: &Args) -> Result<Value> {
    let mut known = vec!["data", "url", "filename"];
    if kind == Kind::Image {
        known.extend(["format", "embed", "width", "height"]);
    }
    args.check(&known)?;
    let mut url = opt_str(args, "url")?;
    let mut filename = opt_str(args, "filename")?;
    let mut data: Option<Vec<u8>> = None;
    match args.get(0, "data") {
        None | Some(Value::None) => {}
        Some(Value::Str(s)) => {
            if s.starts_with("http") && url.is_none() {
                url = Some(s.to_string());
            } else if filename.is_none() && std::path::Path::new(&**s).is_file() {
                filename = Some(s.to_string());
            } else {
                data = Some(s.as_bytes().to_vec());
            }
        }
        Some(other) => return Err(args.type_err(0, "data", "str", other)),
    }
    if let Some(f) = &filename {
        let bytes =
            std::fs::read(f).map_err(|e| RaskError::io(format!("cannot read {}: {}", f, e)))?;
        data = Some(bytes);
    }
    if data.is_none() && url.is_none() {
        return Err(RaskError::value(format!(
            "No image data found. Expecting filename, url, or data.{}",
            if kind == Kind::Image {
                ""
            } else {
                " (none given)"
            }
        )));
    }
    let format = match opt_str(args, "format")? {
        Some(f) => Some(f.to_ascii_lowercase()),
        None => filename
            .as_deref()
            .or(url.as_deref())
            .and_then(|p| p.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase())
            .filter(|e| ["png", "jpg", "jpeg", "gif", "svg", "webp"].contains(&e.as_str())),
    };
    Ok(Value::obj(Arc::new(Display {
        kind,
        url,
        filename,
        data,
        format,
        width: args.kw("width").cloned(),
        height: args.kw("height").cloned(),
    })))
}

pub fn call(fr: &mut Frame, name: &str, args: Args) -> Result<Value> {
    match name {
        "Image" => make(Kind::Image, &args),
        "SVG" => make(Kind::Svg, &args),
        "HTML" => make(Kind::Html, &args),
        "Markdown" => make(Kind::Markdown, &args),
        // at a terminal, IPython's display prints each object's text form; in a
        // notebook each is a display_data with its richer forms
        "display" => {
            args.check(&[
                "display_id",
                "include",
                "exclude",
                "metadata",
                "raw",
                "clear",
            ])?;
            for v in &args.pos {
                let text = repr(v);
                let mut rich = v.mime();
                if rich.is_empty() {
                    rich.push(("text/plain".to_string(), text.clone()));
                }
                fr.display(&text, &rich);
            }
            Ok(Value::None)
        }
        "clear_output" => {
            args.check(&["wait"])?;
            let wait = match args.get(0, "wait") {
                None => false,
                Some(v) => v.truthy(),
            };
            fr.clear_output(wait);
            Ok(Value::None)
        }
        other => Err(RaskError::name(format!(
            "module 'IPython.display' has no attribute '{}'",
            other
        ))),
    }
}

pub fn attr(v: &Value, name: &str) -> Option<Result<Value>> {
    let d = v.get::<Arc<Display>>()?;
    let s = |o: &Option<String>| o.as_deref().map_or(Value::None, Value::str);
    Some(match name {
        "url" => Ok(s(&d.url)),
        "filename" => Ok(s(&d.filename)),
        "format" if d.kind == Kind::Image => Ok(s(&d.format)),
        "width" if d.kind == Kind::Image => Ok(d.width.clone().unwrap_or(Value::None)),
        "height" if d.kind == Kind::Image => Ok(d.height.clone().unwrap_or(Value::None)),
        // the text kinds hold text; an image's bytes have no rask value
        "data" if d.kind != Kind::Image => Ok(match &d.data {
            Some(b) => Value::str(&String::from_utf8_lossy(b)),
            None => Value::None,
        }),
        other => Err(RaskError::name(format!(
            "'{}' object has no attribute '{}'",
            d.kind.name(),
            other
        ))),
    })
}

pub fn method(v: &Value, name: &str, _args: &Args) -> Option<Result<Value>> {
    let d = v.get::<Arc<Display>>()?;
    Some(Err(RaskError::name(format!(
        "'{}' object has no attribute '{}'",
        d.kind.name(),
        name
    ))))
}
