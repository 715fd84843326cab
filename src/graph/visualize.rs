//! `visualize`: draw the graph the user built (culled to the outputs, not fused, as Dask
//! does) as text, DOT, SVG or PNG.

use super::draw::DrawGraph;
use super::key::Key;
use super::optimize::cull;
use super::task::{Graph, Layer};
use super::{render_dot, render_svg, render_text};
use crate::errors::{RaskError, Result};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;

const SUPPORTED: &str = ".dot, .svg or .png";

/// Without a filename, the text drawing; with one, write the file (format by extension)
/// and return a one-line message.
pub fn visualize(roots: &[Arc<Layer>], outputs: &[Key], filename: Option<&str>) -> Result<String> {
    let graph = cull(&Graph::materialize(roots), outputs)?;
    let g = DrawGraph::new(&graph, outputs)?;
    let Some(path) = filename else {
        return Ok(render_text::render(&g));
    };
    let ext = crate::common::format::extension(path);
    match ext.as_str() {
        "dot" | "gv" => write_file(path, render_dot::render(&g).as_bytes())?,
        "svg" => write_file(path, render_svg::render(&g).as_bytes())?,
        "png" => write_png(path, &render_dot::render(&g))?,
        "" => {
            return Err(RaskError::value(format!(
                "visualize: filename {:?} has no extension; use {}",
                path, SUPPORTED
            )))
        }
        other => {
            return Err(RaskError::value(format!(
                "visualize: cannot write .{} files; use {}",
                other, SUPPORTED
            )))
        }
    }
    Ok(format!(
        "wrote {} ({} task{})",
        path,
        g.len(),
        if g.len() == 1 { "" } else { "s" }
    ))
}

/// The drawing as text (what the terminal shows) and as SVG (what a notebook shows).
pub fn drawings(roots: &[Arc<Layer>], outputs: &[Key]) -> Result<(String, String)> {
    let graph = cull(&Graph::materialize(roots), outputs)?;
    let g = DrawGraph::new(&graph, outputs)?;
    Ok((render_text::render(&g), render_svg::render(&g)))
}

fn write_file(path: &str, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| RaskError::io(format!("cannot write {}: {}", path, e)))
}

/// PNG through Graphviz's `dot` program, when it is installed.
fn write_png(path: &str, dot: &str) -> Result<()> {
    let spawned = Command::new("dot")
        .arg("-Tpng")
        .arg("-o")
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child =
        match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RaskError::io(
                "visualize: writing .png needs Graphviz's `dot` program, which is not installed",
            )
            .with_hint("install graphviz (apt-get install graphviz) or use .svg/.dot")),
            Err(e) => return Err(RaskError::io(format!("visualize: cannot run dot: {}", e))),
        };
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(dot.as_bytes())
            .map_err(|e| RaskError::io(format!("visualize: cannot feed dot: {}", e)))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| RaskError::io(format!("visualize: dot failed: {}", e)))?;
    if !out.status.success() {
        return Err(RaskError::io(format!(
            "visualize: dot could not write {} ({}): {}",
            path,
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::key::layer_name;
    use crate::graph::testing::*;

    /// x = arange-like sources, y = x * 2, s = sum of y: with real-looking tokens.
    fn small() -> (Vec<Arc<Layer>>, Vec<Key>) {
        let x = layer_name("arange", "25, chunks=5");
        let y = layer_name("mul", "x*2");
        let s = layer_name("sum", "y");
        let mut g = Graph::default();
        for i in 0..3 {
            add(&mut g, Key::new(&x, vec![i]), src(i as f64, 2), vec![]);
            add(
                &mut g,
                Key::new(&y, vec![i]),
                scale(2.0),
                vec![Key::new(&x, vec![i])],
            );
        }
        add(
            &mut g,
            Key::scalar(&s),
            sum_op(),
            (0..3).map(|i| Key::new(&y, vec![i])).collect(),
        );
        (layers_of(&g), vec![Key::scalar(&s)])
    }

    #[test]
    fn small_graphs_are_drawn_task_by_task() {
        let (layers, outs) = small();
        let text = visualize(&layers, &outs, None).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "7 tasks in 3 layers, 1 output");
        assert_eq!(lines[1], "  arange (3 tasks) -> mul (3) -> sum (1)");
        let lines = &lines[1..];
        assert!(
            lines[1].starts_with("'sum-") && lines[1].ends_with("  sum"),
            "{}",
            text
        );
        assert!(
            lines[2].starts_with("├─ ('mul-") && lines[2].ends_with(", 0)  scale"),
            "{}",
            text
        );
        assert!(
            lines[3].starts_with("│  └─ ('arange-") && lines[3].ends_with("source"),
            "{}",
            text
        );
        assert!(lines[6].starts_with("└─ ('mul-"), "{}", text);
        assert!(lines[7].starts_with("   └─ ('arange-"), "{}", text);
        assert_eq!(lines.len(), 8);
        // tokens are shortened to 8 hex digits
        assert!(lines[3].contains(&format!(
            "'{}'",
            &crate::graph::draw::short_name(&layer_name("arange", "25, chunks=5"))
        )));
    }

    #[test]
    fn shared_tasks_are_referred_to_not_redrawn() {
        let mut g = Graph::default();
        add(&mut g, key("x", 0), src(1.0, 2), vec![]);
        add(&mut g, key("a", 0), scale(2.0), vec![key("x", 0)]);
        add(&mut g, key("b", 0), scale(3.0), vec![key("a", 0)]);
        add(
            &mut g,
            key("c", 0),
            sum_op(),
            vec![key("a", 0), key("b", 0)],
        );
        let text = visualize(&layers_of(&g), &[key("c", 0)], None).unwrap();
        assert!(text.contains("(see above)"), "{}", text);
        assert_eq!(text.matches("('x', 0)").count(), 1, "{}", text);
    }

    #[test]
    fn large_graphs_are_summarised_by_layer() {
        let g = reduction_tree(400, 8, 1);
        let text = visualize(&layers_of(&g), &[key("agg", 0)], None).unwrap();
        assert_eq!(
            text,
            "858 tasks in 5 layers, 1 output\n  gen (400 tasks) -> partial (400) -> agg1 (50) -> agg2 (7) -> agg (1)\n"
        );
        // not a chain: one line per layer with its inputs
        let mut g = reduction_tree(50, 10, 1);
        for i in 0..50 {
            add(
                &mut g,
                key("other", i),
                sum_op(),
                vec![key("gen", i), key("agg", 0)],
            );
        }
        let outs: Vec<Key> = (0..50).map(|i| key("other", i)).collect();
        let text = visualize(&layers_of(&g), &outs, None).unwrap();
        assert!(
            text.contains("\n  other    50 tasks  [sum]  <- gen, agg\n"),
            "{}",
            text
        );
    }

    #[test]
    fn culls_before_drawing() {
        let g = reduction_tree(8, 4, 1);
        let text = visualize(&layers_of(&g), &[key("partial", 2)], None).unwrap();
        assert!(
            text.starts_with("2 tasks in 2 layers, 1 output\n"),
            "{}",
            text
        );
    }

    #[test]
    fn dot_output_parses_and_has_an_op_and_a_box_per_task() {
        let (layers, outs) = small();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.dot");
        let p = path.to_str().unwrap();
        let msg = visualize(&layers, &outs, Some(p)).unwrap();
        assert_eq!(msg, format!("wrote {} (7 tasks)", p));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(graphviz_rust::parse(&text).is_ok(), "{}", text);
        assert_eq!(text.matches("shape=ellipse").count(), 7);
        assert_eq!(text.matches("shape=box").count(), 7);
        assert!(text.contains("rankdir=BT"));
        // 7 op->result edges and 6 input edges
        assert_eq!(text.matches("->").count(), 13);
    }

    #[test]
    fn svg_is_laid_out_with_inputs_below_their_readers() {
        let (layers, outs) = small();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("G.SVG");
        let msg = visualize(&layers, &outs, Some(path.to_str().unwrap())).unwrap();
        assert!(msg.ends_with("(7 tasks)"));
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<ellipse").count(), 7);
        assert_eq!(svg.matches("<rect x=").count(), 7);
        assert_eq!(svg.matches("<line").count(), 13);
        assert!(svg.contains(">scale</text>") && svg.contains(">(2,)</text>"));
        // every arrow points upwards: from a lower rank to a higher one
        for line in svg.lines().filter(|l| l.starts_with("<line")) {
            let num = |attr: &str| -> f64 {
                let i = line.find(&format!("{}=\"", attr)).unwrap() + attr.len() + 2;
                line[i..].split('"').next().unwrap().parse().unwrap()
            };
            assert!(num("y1") > num("y2"), "{}", line);
        }
        // nodes in one rank do not overlap
        let g = DrawGraph::new(&cull(&Graph::materialize(&layers), &outs).unwrap(), &outs).unwrap();
        let placed = render_svg::layout_for_tests(&g);
        for a in &placed {
            for b in &placed {
                if a != b && a.0 == b.0 {
                    assert!((a.1 - b.1).abs() >= (a.3 + b.3) / 2.0, "{:?} {:?}", a, b);
                }
            }
        }
    }

    #[test]
    fn png_uses_dot_or_says_how_to_get_it() {
        let (layers, outs) = small();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.png");
        match visualize(&layers, &outs, Some(path.to_str().unwrap())) {
            Ok(msg) => {
                assert!(msg.starts_with("wrote "));
                let bytes = std::fs::read(&path).unwrap();
                assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
            }
            Err(e) => {
                let hint = e.hint.unwrap_or_default();
                assert!(hint.contains("apt-get install graphviz") && hint.contains(".svg/.dot"));
            }
        }
    }

    #[test]
    fn unknown_extensions_name_the_supported_ones() {
        let (layers, outs) = small();
        let e = visualize(&layers, &outs, Some("graph.jpg")).unwrap_err();
        assert!(
            e.message.contains(".jpg") && e.message.contains(".dot, .svg or .png"),
            "{}",
            e.message
        );
        let e = visualize(&layers, &outs, Some("graph")).unwrap_err();
        assert!(e.message.contains("no extension"));
    }
}
