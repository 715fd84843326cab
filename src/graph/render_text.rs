//! `visualize()` without a filename: the task graph drawn as text for the terminal.
//! Small graphs are drawn task by task as trees from each output down to its sources;
//! large ones are summarised layer by layer.

use super::draw::{short_key, split_name, DrawGraph};

/// Graphs up to this many tasks are drawn task by task (if the drawing stays short).
const TREE_TASKS: usize = 40;
const TREE_LINES: usize = 80;

pub fn render(g: &DrawGraph) -> String {
    let mut out = header(g);
    let summary = layers(g);
    if g.len() <= TREE_TASKS {
        if let Some(tree) = trees(g) {
            // the one-line layer chain is a useful overview above the tasks
            if g.layers.len() > 1 && summary.lines().count() == 1 {
                out.push_str(&summary);
            }
            out.push_str(&tree);
            return out;
        }
    }
    out.push_str(&summary);
    out
}

use crate::common::format::plural;

fn header(g: &DrawGraph) -> String {
    format!(
        "{} in {}, {}\n",
        plural(g.len(), "task"),
        plural(g.layers.len(), "layer"),
        plural(g.outputs.len(), "output")
    )
}

/// The layer summary: one line `a (5 tasks) -> b (5) -> …` when the layers form a chain,
/// else one line per layer with the layers it reads.
fn layers(g: &DrawGraph) -> String {
    let ls = &g.layers;
    let chain = ls.iter().enumerate().all(|(i, l)| {
        if i == 0 {
            l.inputs.is_empty()
        } else {
            l.inputs == [i - 1]
        }
    });
    if chain {
        let parts: Vec<String> = ls
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{} ({})", l.display, plural(l.tasks.len(), "task"))
                } else {
                    format!("{} ({})", l.display, l.tasks.len())
                }
            })
            .collect();
        return format!("  {}\n", parts.join(" -> "));
    }
    let width = ls.iter().map(|l| l.display.len()).max().unwrap_or(0);
    let digits = ls
        .iter()
        .map(|l| l.tasks.len().to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for l in ls {
        let n = l.tasks.len();
        let mut line = format!(
            "  {:<width$}  {:>digits$} {:<5}",
            l.display,
            n,
            if n == 1 { "task" } else { "tasks" }
        );
        let ops: Vec<&str> = l
            .labels
            .iter()
            .map(|s| s.as_str())
            .filter(|s| !same_name(s, split_name(&l.name).0))
            .collect();
        if !ops.is_empty() {
            line.push_str(&format!("  [{}]", ops.join(", ")));
        }
        if !l.inputs.is_empty() {
            let ins: Vec<&str> = l.inputs.iter().map(|&i| ls[i].display.as_str()).collect();
            line.push_str(&format!("  <- {}", ins.join(", ")));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Each output as a tree of its inputs; a task already drawn is referred to, not
/// redrawn. `None` if the drawing would be too long to read.
fn trees(g: &DrawGraph) -> Option<String> {
    let mut out = String::new();
    let mut drawn = vec![false; g.len()];
    let mut lines = 0;
    for &o in &g.outputs {
        // (node, prefix for its children, connector for itself)
        let mut stack: Vec<(usize, String, String)> = vec![(o, String::new(), String::new())];
        while let Some((n, indent, connector)) = stack.pop() {
            let node = &g.nodes[n];
            let mut line = format!(
                "{}{}{}  {}",
                indent,
                connector,
                short_key(&node.key),
                node.label
            );
            lines += 1;
            if lines > TREE_LINES {
                return None;
            }
            if drawn[n] {
                if !node.deps.is_empty() {
                    line.push_str("  (see above)");
                }
                out.push_str(&line);
                out.push('\n');
                continue;
            }
            drawn[n] = true;
            out.push_str(&line);
            out.push('\n');
            let child_indent = format!(
                "{}{}",
                indent,
                match connector.as_str() {
                    "" => "",
                    "└─ " => "   ",
                    _ => "│  ",
                }
            );
            let k = node.deps.len();
            for (i, &d) in node.deps.iter().enumerate().rev() {
                let c = if i + 1 == k { "└─ " } else { "├─ " };
                stack.push((d, child_indent.clone(), c.to_string()));
            }
        }
    }
    Some(out)
}

/// `mean-chunk` names the same thing as `mean_chunk`: no need to repeat it.
fn same_name(a: &str, b: &str) -> bool {
    a.replace('_', "-") == b.replace('_', "-")
}
