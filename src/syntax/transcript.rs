//! The transcript format (saved sessions): plain text or Markdown where `>>> ` starts an
//! input, `... ` continues it, and the lines after it up to a blank line, the next prompt
//! or a code fence are the expected output. Reading and writing it needs no session, so
//! `%save`/`%load` (session) and `rask check` (transcript.rs) share it from here.

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

pub fn is_fence(l: &str) -> bool {
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
pub fn output_lines(out: &str) -> Vec<String> {
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
pub fn normalize(text: &str) -> String {
    text.lines()
        .map(|l| {
            let l = l.trim_end();
            if l.starts_with("Wall time:") {
                "Wall time: <t>".to_string()
            } else if l.starts_with("CPU times: user ") {
                "CPU times: <t>".to_string()
            } else if l.starts_with("best ") && l.contains(" per loop (") {
                "best <t>, mean <t> per loop".to_string()
            } else if l.contains(" ± ") && l.contains(" per loop (mean ± std. dev. of ") {
                "<t> ± <t> per loop (mean ± std. dev.)".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// `%save`: a transcript of (input, output) pairs. An input's first line follows `>>> `,
/// its other lines `... ` with their indentation kept (an empty line is a bare `...`);
/// an input that ends inside an indented block is closed by a bare `...`, as Python's
/// REPL shows it.
pub fn render(history: &[(String, String)]) -> String {
    let mut s = String::from("# rask session\n\n");
    for (input, output) in history {
        s.push_str(&render_entry(input, output));
        s.push('\n');
    }
    s
}

/// One entry as `render` writes it: its prompt lines and output lines, no blank line after.
pub fn render_entry(input: &str, output: &str) -> String {
    let mut s = String::new();
    let lines: Vec<&str> = input.lines().map(str::trim_end).collect();
    // trailing empty lines (the blank line that ended a block at the prompt) are
    // written as the one closing `...` below
    let used = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    for (i, l) in lines[..used].iter().enumerate() {
        let prompt = if i == 0 { ">>>" } else { "..." };
        s.push_str(prompt);
        if !l.is_empty() || i == 0 {
            s.push(' ');
        }
        s.push_str(l);
        s.push('\n');
    }
    if used == 0 {
        s.push_str(">>>\n");
    } else if ends_in_block(&lines[..used]) {
        s.push_str("...\n");
    }
    for l in output_lines(output) {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

/// True when the last line of `lines` is inside an indented block: it is indented and
/// some line before it opens a block (ends with `:`, outside a comment).
fn ends_in_block(lines: &[&str]) -> bool {
    let Some(last) = lines.last() else {
        return false;
    };
    let indented = last.starts_with(' ') || last.starts_with('\t');
    indented
        && lines[..lines.len() - 1].iter().any(|l| {
            let code = match l.find(" #") {
                Some(i) => &l[..i],
                None => l,
            };
            code.trim_end().ends_with(':')
        })
}
