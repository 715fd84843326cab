//! Saved sessions (transcripts): plain text or Markdown where `>>> ` starts an input,
//! `... ` continues it, and the lines after it up to a blank line, the next prompt or a
//! code fence are the expected output. Everything else is prose. `rask check` replays a
//! transcript and diffs outputs; `--update` rewrites them; `%save` writes one.

use crate::session::session::{Origin, Session};

/// One input and its expected output, with line positions (0-based) in the file.
#[derive(Debug, Clone)]
pub struct Entry {
    pub input: String,
    /// First line of the input.
    pub line: usize,
    /// Lines [out_start, out_end) hold the expected output.
    pub out_start: usize,
    pub out_end: usize,
    pub expected: String,
}

fn is_fence(l: &str) -> bool {
    l.trim_start().starts_with("```")
}

pub fn is_transcript(text: &str) -> bool {
    text.lines().any(|l| l.starts_with(">>> ") || l == ">>>")
}

pub fn parse(text: &str) -> Vec<Entry> {
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if !(l.starts_with(">>> ") || l == ">>>") {
            i += 1;
            continue;
        }
        let start = i;
        let mut input = l.get(4..).unwrap_or("").to_string();
        i += 1;
        while i < lines.len() && (lines[i].starts_with("... ") || lines[i] == "...") {
            input.push('\n');
            input.push_str(lines[i].get(4..).unwrap_or(""));
            i += 1;
        }
        let out_start = i;
        while i < lines.len()
            && !lines[i].trim().is_empty()
            && !lines[i].starts_with(">>> ")
            && lines[i] != ">>>"
            && !is_fence(lines[i])
        {
            i += 1;
        }
        let expected = lines[out_start..i]
            .iter()
            .map(|l| if *l == "<BLANKLINE>" { "" } else { l })
            .collect::<Vec<_>>()
            .join("\n");
        entries.push(Entry {
            input,
            line: start,
            out_start,
            out_end: i,
            expected,
        });
    }
    entries
}

/// The inputs of a file: a transcript's entries, or a whole script as one entry.
pub fn entries_of(text: &str) -> Vec<(usize, String)> {
    if is_transcript(text) {
        parse(text)
            .into_iter()
            .map(|e| (e.line + 1, e.input))
            .collect()
    } else {
        vec![(1, text.to_string())]
    }
}

/// Output lines as a transcript stores them: no trailing spaces, blank lines marked.
fn output_lines(out: &str) -> Vec<String> {
    let trimmed = out.trim_end_matches('\n');
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed
        .lines()
        .map(|l| {
            let l = l.trim_end();
            if l.is_empty() {
                "<BLANKLINE>".to_string()
            } else {
                l.to_string()
            }
        })
        .collect()
}

/// Lines whose numbers are timings vary from run to run: compare their shape only.
fn normalize(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.trim_end();
            if l.starts_with("Wall time:") {
                "Wall time: <t>".to_string()
            } else if l.starts_with("best ") && l.contains(" per loop (") {
                "best <t>, mean <t> per loop".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// `%save`: a transcript of (input, output) pairs.
pub fn render(history: &[(String, String)]) -> String {
    let mut s = String::from("# rask session\n\n");
    for (input, output) in history {
        for (i, l) in input.lines().enumerate() {
            s.push_str(if i == 0 { ">>> " } else { "... " });
            s.push_str(l);
            s.push('\n');
        }
        if input.is_empty() {
            s.push_str(">>>\n");
        }
        for l in output_lines(output) {
            s.push_str(&l);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

pub struct CheckReport {
    pub entries: usize,
    pub failures: Vec<String>,
    /// The file with every expected output replaced by the actual one.
    pub updated: String,
}

/// Replay `text` in a fresh session (with `session` prepared by the caller) and compare.
pub fn check(text: &str, file: &str, session: &mut Session) -> CheckReport {
    let entries = parse(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut failures = Vec::new();
    let mut updated: Vec<String> = Vec::with_capacity(lines.len());
    let mut next_line = 0;
    for e in &entries {
        let origin = Origin {
            file: Some(file.to_string()),
            line: e.line + 1,
        };
        let r = session.run_entry(&e.input, &origin);
        let actual = r.transcript_output();
        if normalize(&actual) != normalize(&e.expected) {
            let mut msg = format!(
                "{}:{}: output differs for >>> {}\n",
                file,
                e.line + 1,
                e.input.lines().next().unwrap_or("")
            );
            for l in e.expected.lines() {
                msg.push_str(&format!("- {}\n", l));
            }
            for l in actual.trim_end_matches('\n').lines() {
                msg.push_str(&format!("+ {}\n", l));
            }
            failures.push(msg);
        }
        // rebuild: copy everything up to this entry's output, then the new output
        while next_line < e.out_start {
            updated.push(lines[next_line].to_string());
            next_line += 1;
        }
        let new_out = output_lines(&actual);
        let needs_gap = e.out_end < lines.len()
            && !lines[e.out_end].trim().is_empty()
            && !new_out.is_empty()
            && !is_fence(lines[e.out_end]);
        updated.extend(new_out);
        if needs_gap {
            updated.push(String::new());
        }
        next_line = e.out_end;
    }
    while next_line < lines.len() {
        updated.push(lines[next_line].to_string());
        next_line += 1;
    }
    let mut updated = updated.join("\n");
    updated.push('\n');
    CheckReport {
        entries: entries.len(),
        failures,
        updated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inputs_outputs_and_prose() {
        let t = "Intro prose\n\n>>> x = 1\n>>> x +\n... 1\n2\n\nmore prose\n```\n>>> print('a')\na\n```\n";
        let e = parse(t);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].input, "x = 1");
        assert_eq!(e[0].expected, "");
        assert_eq!(e[1].input, "x +\n1");
        assert_eq!(e[1].expected, "2");
        assert_eq!(e[2].expected, "a");
        assert_eq!(e[2].out_end, 11);
    }

    #[test]
    fn blanklines_round_trip() {
        let h = vec![("print('a\\n\\nb')".to_string(), "a\n\nb\n".to_string())];
        let text = render(&h);
        assert!(text.contains("<BLANKLINE>"));
        let e = parse(&text);
        assert_eq!(e[0].expected, "a\n\nb");
    }

    #[test]
    fn timings_compare_by_shape() {
        assert_eq!(
            normalize("Wall time: 1.2 ms"),
            normalize("Wall time: 3.00 s")
        );
        assert_ne!(normalize("1"), normalize("2"));
    }
}
