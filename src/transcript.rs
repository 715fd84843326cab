//! Saved sessions (transcripts): plain text or Markdown where `>>> ` starts an input,
//! `... ` continues it, and the lines after it up to a blank line, the next prompt or a
//! code fence are the expected output. Everything else is prose. `rask check` replays a
//! transcript and diffs outputs; `--update` rewrites them; `%save` writes one.

use crate::session::session::{Origin, Session};
pub use crate::syntax::transcript::{entries_of, is_fence, normalize, output_lines, render, Entry};
pub use crate::syntax::transcript::{is_transcript, parse};

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
