//! `rask export`: a transcript as a Jupyter notebook or a self-contained HTML page, and a
//! notebook back as a transcript. A transcript records one text per entry and does not
//! tell printed output from the value or from an error, so every non-empty output becomes
//! one `execute_result` (text/plain); reading a notebook joins a cell's text outputs.

pub mod html;
pub mod ipynb;

use crate::syntax::transcript::{is_fence, parse};

/// A transcript cut into what a notebook holds: prose between entries, and the entries.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Prose lines (fence lines dropped), trimmed of blank lines at both ends.
    Prose(String),
    /// An entry's input (trailing blank lines dropped) and its recorded output.
    Code { input: String, output: String },
}

/// `%save x.ipynb` and `%save x.html` write the session's entries through here.
pub fn register() {
    fn entries(es: &[(String, String)]) -> Vec<Part> {
        es.iter()
            .map(|(input, output)| Part::Code {
                input: input.trim_end().to_string(),
                output: output.clone(),
            })
            .collect()
    }
    crate::session::save::register_writer("ipynb", |es, _| ipynb::write(&entries(es)));
    crate::session::save::register_writer("html", |es, file| html::write(&entries(es), file));
}

/// The parts of a transcript, in file order; empty prose is left out.
pub fn parts(text: &str) -> Vec<Part> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut next = 0;
    for e in parse(text) {
        push_prose(&mut out, &lines[next..e.line]);
        out.push(Part::Code {
            input: e.input.trim_end().to_string(),
            output: e.expected,
        });
        next = e.out_end;
    }
    push_prose(&mut out, &lines[next.min(lines.len())..]);
    out
}

fn push_prose(out: &mut Vec<Part>, lines: &[&str]) {
    let kept: Vec<&str> = lines.iter().copied().filter(|l| !is_fence(l)).collect();
    let text = kept.join("\n");
    let text = text.trim_matches('\n').trim_end();
    if !text.trim().is_empty() {
        out.push(Part::Prose(text.to_string()));
    }
}

/// Parts back as a transcript: prose as it is, entries as `%save` writes them.
pub fn to_transcript(parts: &[Part]) -> String {
    let mut s = String::new();
    for p in parts {
        match p {
            Part::Prose(t) => s.push_str(t),
            Part::Code { input, output } => {
                s.push_str(crate::syntax::transcript::render_entry(input, output).trim_end())
            }
        }
        s.push_str("\n\n");
    }
    s
}

/// The formats `rask export` writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Format {
    Ipynb,
    Html,
    Md,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "ipynb" => Some(Format::Ipynb),
            "html" => Some(Format::Html),
            "md" => Some(Format::Md),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Ipynb => "ipynb",
            Format::Html => "html",
            Format::Md => "md",
        }
    }
}

/// Convert the text of `file` to `to`. A notebook (`.ipynb`) converts only to md, a
/// transcript only to ipynb or html. Errors name the file.
pub fn convert(text: &str, file: &str, to: Format) -> Result<String, String> {
    let from_notebook = file.ends_with(".ipynb");
    match (from_notebook, to) {
        (true, Format::Md) => Ok(to_transcript(&ipynb::read(text, file)?)),
        (true, _) => Err(format!("{}: a notebook exports only --to md", file)),
        (false, Format::Ipynb) => Ok(ipynb::write(&parts(text))),
        (false, Format::Html) => Ok(html::write(&parts(text), file)),
        (false, Format::Md) => Err(format!(
            "{}: already a transcript; --to md reads a .ipynb notebook",
            file
        )),
    }
}

/// The default output path: `file` with the format's extension.
pub fn default_out(file: &str, to: Format) -> String {
    std::path::Path::new(file)
        .with_extension(to.ext())
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_prose_and_entries() {
        let t = "# T\n\nSome prose.\n\n>>> 1 + 1\n2\n>>> for i in range(2):\n...     print(i)\n...\n0\n1\n\nMore.\n";
        let p = parts(t);
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], Part::Prose("# T\n\nSome prose.".into()));
        assert_eq!(
            p[2],
            Part::Code {
                input: "for i in range(2):\n    print(i)".into(),
                output: "0\n1".into()
            }
        );
        let back = parts(&to_transcript(&p));
        assert_eq!(back, p);
    }

    #[test]
    fn wrong_directions_are_errors_naming_the_file() {
        let e = convert("{}", "a.ipynb", Format::Html).unwrap_err();
        assert!(e.starts_with("a.ipynb:"), "{}", e);
        let e = convert(">>> 1\n1\n", "a.md", Format::Md).unwrap_err();
        assert!(e.starts_with("a.md:"), "{}", e);
        assert_eq!(default_out("s/a.md", Format::Ipynb), "s/a.ipynb");
    }
}
