//! Transcripts as nbformat 4.5 notebooks and back. Writing: prose as markdown cells, each
//! entry as a code cell numbered from 1 with its recorded output as one `execute_result`.
//! Reading: a code cell's text outputs (execute_result / display_data text/plain, stream
//! text, an error's `ename: evalue`) joined in order become the entry's output.

use super::Part;
use serde_json::{json, Map, Value};

/// Notebook JSON source form: lines with their newlines kept, the last without.
fn source_lines(text: &str) -> Value {
    let mut v = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('\n') {
        v.push(Value::String(rest[..=i].to_string()));
        rest = &rest[i + 1..];
    }
    if !rest.is_empty() {
        v.push(Value::String(rest.to_string()));
    }
    Value::Array(v)
}

pub fn write(parts: &[Part]) -> String {
    let mut cells = Vec::new();
    let mut count = 0;
    for (n, p) in parts.iter().enumerate() {
        let id = format!("cell-{}", n + 1);
        match p {
            Part::Prose(t) => cells.push(json!({
                "cell_type": "markdown", "id": id, "metadata": {}, "source": source_lines(t),
            })),
            Part::Code { input, output } => {
                count += 1;
                let outputs = if output.is_empty() {
                    vec![]
                } else {
                    vec![json!({
                        "output_type": "execute_result",
                        "execution_count": count,
                        "data": {"text/plain": source_lines(output)},
                        "metadata": {},
                    })]
                };
                cells.push(json!({
                    "cell_type": "code", "execution_count": count, "id": id,
                    "metadata": {}, "outputs": outputs, "source": source_lines(input),
                }));
            }
        }
    }
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "rask", "display_name": "rask", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    let mut s = serde_json::to_string_pretty(&nb).unwrap_or_default();
    s.push('\n');
    s
}

/// A multiline string field: a string or a list of strings.
fn text_of(v: Option<&Value>, file: &str, what: &str) -> Result<String, String> {
    match v {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<String>>()
            .ok_or_else(|| format!("{}: {} is not a list of strings", file, what)),
        Some(_) => Err(format!("{}: {} is not text", file, what)),
    }
}

fn output_text(o: &Map<String, Value>, file: &str, at: &str) -> Result<String, String> {
    let kind = o.get("output_type").and_then(Value::as_str).unwrap_or("");
    let text = match kind {
        "stream" => text_of(o.get("text"), file, &format!("{} stream text", at))?,
        "execute_result" | "display_data" => {
            let data = o.get("data").and_then(Value::as_object);
            text_of(
                data.and_then(|d| d.get("text/plain")),
                file,
                &format!("{} text/plain", at),
            )?
        }
        // rask's traceback is the caret rendering a transcript shows
        "error" => match o.get("traceback").and_then(Value::as_array) {
            Some(tb) if !tb.is_empty() => {
                let lines: Vec<&str> = tb.iter().filter_map(Value::as_str).collect();
                lines.join("\n")
            }
            _ => {
                let field = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                format!("{}: {}", field("ename"), field("evalue"))
            }
        },
        other => {
            return Err(format!(
                "{}: {} has unknown output_type '{}'",
                file, at, other
            ))
        }
    };
    Ok(if text.is_empty() || text.ends_with('\n') {
        text
    } else {
        text + "\n"
    })
}

/// The parts of notebook `text` (read from `file`, named in every error).
pub fn read(text: &str, file: &str) -> Result<Vec<Part>, String> {
    let nb: Value = serde_json::from_str(text)
        .map_err(|e| format!("{}: not a notebook (invalid JSON: {})", file, e))?;
    let major = nb.get("nbformat").and_then(Value::as_u64);
    if major != Some(4) {
        return Err(format!(
            "{}: not an nbformat 4 notebook (nbformat is {})",
            file,
            nb.get("nbformat")
                .map_or("missing".to_string(), |v| v.to_string())
        ));
    }
    let cells = nb
        .get("cells")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: the notebook has no 'cells' list", file))?;
    let mut parts = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let at = format!("cell {}", i + 1);
        let cell = cell
            .as_object()
            .ok_or_else(|| format!("{}: {} is not an object", file, at))?;
        let source = text_of(cell.get("source"), file, &format!("{} source", at))?;
        match cell.get("cell_type").and_then(Value::as_str) {
            Some("markdown") | Some("raw") => {
                let t = source.trim_matches('\n').trim_end();
                if !t.trim().is_empty() {
                    parts.push(Part::Prose(t.to_string()));
                }
            }
            Some("code") => {
                let input = source.trim_end();
                if input.trim().is_empty() {
                    continue;
                }
                let mut output = String::new();
                let outs = match cell.get("outputs") {
                    None => &Vec::new(),
                    Some(Value::Array(a)) => a,
                    Some(_) => return Err(format!("{}: {} outputs is not a list", file, at)),
                };
                for o in outs {
                    let o = o.as_object().ok_or_else(|| {
                        format!("{}: {} has an output that is not an object", file, at)
                    })?;
                    // a progress bar the rask kernel drew: no transcript shows one
                    let meta = o.get("metadata").and_then(|m| m.get("rask_progress"));
                    if meta == Some(&Value::Bool(true)) {
                        continue;
                    }
                    output.push_str(&output_text(o, file, &at)?);
                }
                parts.push(Part::Code {
                    input: input.to_string(),
                    output: output.trim_end_matches('\n').to_string(),
                });
            }
            other => {
                return Err(format!(
                    "{}: {} has unknown cell_type {}",
                    file,
                    at,
                    other.map_or("(missing)".to_string(), |s| format!("'{}'", s))
                ))
            }
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notebook_round_trip_and_errors() {
        let parts = vec![
            Part::Prose("# Title".into()),
            Part::Code {
                input: "x = 1\nx".into(),
                output: "1".into(),
            },
            Part::Code {
                input: "y = 2".into(),
                output: String::new(),
            },
        ];
        let nb = write(&parts);
        assert_eq!(read(&nb, "t.ipynb").unwrap(), parts);
        let e = read("{not json", "bad.ipynb").unwrap_err();
        assert!(e.starts_with("bad.ipynb: not a notebook"), "{}", e);
        let e = read(r#"{"nbformat": 4}"#, "b.ipynb").unwrap_err();
        assert!(e.contains("no 'cells'"), "{}", e);
    }
}
