//! A transcript as one self-contained HTML page: inline CSS, no scripts, nothing fetched.
//! Prose lines starting with `#` become headings, other prose paragraphs `<p>`; each entry
//! is its prompt lines and its output, escaped, in `<pre>` blocks.

use super::Part;

const CSS: &str = "body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;\
padding:0 1em;line-height:1.45;color:#222}\
pre{margin:0;padding:.5em .8em;overflow-x:auto;font-size:.9em}\
pre.in{background:#f4f6fa;border-left:3px solid #4a7bd0;margin-top:.8em}\
pre.out{background:#fff;border-left:3px solid #ccc;margin-bottom:.8em}\
code{background:#f4f4f4;padding:0 .2em}";

pub use crate::common::html::escape_attr as escape;

/// Escaped prose with `code spans` kept as <code>.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, piece) in s.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("<code>{}</code>", escape(piece)));
        } else {
            out.push_str(&escape(piece));
        }
    }
    out
}

fn prose(text: &str, out: &mut String) {
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", inline(&para.join("\n"))));
            para.clear();
        }
    };
    for l in text.lines() {
        let level = l.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) && l[level..].starts_with(' ') {
            flush(&mut para, out);
            out.push_str(&format!(
                "<h{0}>{1}</h{0}>\n",
                level,
                inline(l[level..].trim())
            ));
        } else if l.trim().is_empty() {
            flush(&mut para, out);
        } else {
            para.push(l);
        }
    }
    flush(&mut para, out);
}

/// The first heading of the page, else the file name.
fn title(parts: &[Part], file: &str) -> String {
    parts
        .iter()
        .find_map(|p| match p {
            Part::Prose(t) => t
                .lines()
                .find_map(|l| l.strip_prefix("# ").map(|h| h.trim().to_string())),
            Part::Code { .. } => None,
        })
        .unwrap_or_else(|| file.to_string())
}

pub fn write(parts: &[Part], file: &str) -> String {
    let mut body = String::new();
    for p in parts {
        match p {
            Part::Prose(t) => prose(t, &mut body),
            Part::Code { input, output } => {
                let prompts: Vec<String> = input
                    .lines()
                    .enumerate()
                    .map(|(i, l)| format!("{} {}", if i == 0 { ">>>" } else { "..." }, l))
                    .collect();
                body.push_str(&format!(
                    "<pre class=\"in\">{}</pre>\n",
                    escape(&prompts.join("\n"))
                ));
                if !output.is_empty() {
                    body.push_str(&format!("<pre class=\"out\">{}</pre>\n", escape(output)));
                }
            }
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape(&title(parts, file)),
        CSS,
        body
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_prose_are_escaped() {
        let parts = vec![
            Part::Prose("# A <b>\n\nx < y & `a<b`".into()),
            Part::Code {
                input: "1 < 2".into(),
                output: "True".into(),
            },
        ];
        let h = write(&parts, "f.md");
        assert!(h.contains("<h1>A &lt;b&gt;</h1>"), "{}", h);
        assert!(
            h.contains("<p>x &lt; y &amp; <code>a&lt;b</code></p>"),
            "{}",
            h
        );
        assert!(h.contains("&gt;&gt;&gt; 1 &lt; 2"), "{}", h);
        assert!(h.contains("<title>A &lt;b&gt;</title>"));
    }
}
