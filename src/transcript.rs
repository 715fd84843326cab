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
    fn block_entries_round_trip_with_their_indentation() {
        let t = "Loop:\n\n>>> for x in range(3):\n...     if x:\n...         print(x)\n...\n1\n2\n\n>>> y = 1\n";
        let e = parse(t);
        assert_eq!(e.len(), 2);
        assert_eq!(
            e[0].input,
            "for x in range(3):\n    if x:\n        print(x)\n"
        );
        assert_eq!(e[0].expected, "1\n2");
        assert_eq!(e[0].line, 2);
        assert_eq!(e[1].input, "y = 1");
        let h: Vec<(String, String)> = e
            .iter()
            .map(|e| (e.input.clone(), e.expected.clone()))
            .collect();
        let saved = render(&h);
        assert!(
            saved.contains(
                ">>> for x in range(3):\n...     if x:\n...         print(x)\n...\n1\n2\n"
            ),
            "{}",
            saved
        );
        // a second round gives the same entries
        let again = parse(&saved);
        assert_eq!(again.len(), 2);
        assert_eq!(again[0].input, e[0].input);
        assert_eq!(again[0].expected, e[0].expected);
        assert_eq!(
            render(&h),
            render(
                &again
                    .iter()
                    .map(|e| (e.input.clone(), e.expected.clone()))
                    .collect::<Vec<_>>()
            )
        );
    }

    #[test]
    fn blank_lines_inside_an_input_are_bare_continuations() {
        let h = vec![(
            "def f():\n    x = 1\n\n    return x".to_string(),
            String::new(),
        )];
        let saved = render(&h);
        assert_eq!(
            saved,
            "# rask session\n\n>>> def f():\n...     x = 1\n...\n...     return x\n...\n\n"
        );
        let e = parse(&saved);
        assert_eq!(e[0].input, "def f():\n    x = 1\n\n    return x\n");
        // a bracket continuation is not a block: no closing `...`
        let h = vec![("x = [1,\n     2]".to_string(), String::new())];
        assert!(render(&h).ends_with(">>> x = [1,\n...      2]\n\n"));
    }

    #[test]
    fn timings_compare_by_shape() {
        assert_eq!(
            normalize("Wall time: 1.2 ms"),
            normalize("Wall time: 3.00 s")
        );
        assert_ne!(normalize("1"), normalize("2"));
        assert_eq!(
            normalize("CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms"),
            normalize("CPU times: user 3 s, sys: 20 ms, total: 3.02 s")
        );
        assert_eq!(
            normalize("1.5 ms ± 20 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)"),
            normalize("3 s ± 1 s per loop (mean ± std. dev. of 3 runs, 1 loop each)")
        );
    }
}
