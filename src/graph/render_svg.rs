//! `visualize(filename="g.svg")`: an SVG laid out here, with no external program.
//! A layered (Sugiyama-style) layout: each task is an op ellipse feeding a result box;
//! ranks by longest path from the sources (drawn at the bottom, like Dask's graphs),
//! order within ranks by a few barycenter sweeps, straight arrows.

use super::draw::{index_label, short_key, DrawGraph};
use std::fmt::Write;

const CHAR_W: f64 = 7.0;
const PAD: f64 = 18.0;
const NODE_H: f64 = 28.0;
const GAP_X: f64 = 14.0;
const RANK_H: f64 = 64.0;
const MARGIN: f64 = 20.0;

struct VNode {
    label: String,
    title: String,
    is_op: bool,
    rank: usize,
    width: f64,
    x: f64,
    y: f64,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Place nodes; returns them, the edges (from, to) and the picture's size.
fn layout(g: &DrawGraph) -> (Vec<VNode>, Vec<(usize, usize)>, f64, f64) {
    // node 2i is task i's op, node 2i+1 its result
    let mut nodes: Vec<VNode> = Vec::with_capacity(2 * g.len());
    let mut edges = Vec::new();
    let mut op_rank = vec![0usize; g.len()];
    for (i, n) in g.nodes.iter().enumerate() {
        // nodes are in depth order, so inputs are ranked already
        op_rank[i] = n.deps.iter().map(|&d| op_rank[d] + 2).max().unwrap_or(0);
        let title = short_key(&n.key);
        for (label, is_op, rank) in [
            (n.label.clone(), true, op_rank[i]),
            (index_label(&n.key), false, op_rank[i] + 1),
        ] {
            let width =
                label.chars().count() as f64 * CHAR_W + PAD + if is_op { 10.0 } else { 0.0 };
            nodes.push(VNode {
                label,
                title: title.clone(),
                is_op,
                rank,
                width,
                x: 0.0,
                y: 0.0,
            });
        }
        edges.push((2 * i, 2 * i + 1));
        for &d in &n.deps {
            edges.push((2 * d + 1, 2 * i));
        }
    }
    let ranks = nodes.iter().map(|n| n.rank + 1).max().unwrap_or(0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for (i, n) in nodes.iter().enumerate() {
        rows[n.rank].push(i);
    }
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for &(a, b) in &edges {
        preds[b].push(a);
        succs[a].push(b);
    }
    // Barycenter sweeps on relative positions in each row.
    let mut pos = vec![0.0f64; nodes.len()];
    let set_pos = |rows: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for row in rows {
            let m = row.len().max(1) as f64;
            for (j, &v) in row.iter().enumerate() {
                pos[v] = (j as f64 + 0.5) / m;
            }
        }
    };
    set_pos(&rows, &mut pos);
    for sweep in 0..7 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        for r in order {
            let nbrs = if down { &preds } else { &succs };
            let mut keyed: Vec<(f64, usize, usize)> = rows[r]
                .iter()
                .enumerate()
                .map(|(j, &v)| {
                    let ns = &nbrs[v];
                    let b = if ns.is_empty() {
                        pos[v]
                    } else {
                        ns.iter().map(|&u| pos[u]).sum::<f64>() / ns.len() as f64
                    };
                    (b, j, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
            let m = rows[r].len().max(1) as f64;
            for (j, &v) in rows[r].iter().enumerate() {
                pos[v] = (j as f64 + 0.5) / m;
            }
        }
    }
    // Coordinates: start from rows packed side by side, then pull each node towards
    // the mean x of its neighbours, keeping the order and the gaps; rank 0 at the bottom.
    let mut x = vec![0.0f64; nodes.len()];
    for row in &rows {
        let mut at = 0.0;
        for &v in row {
            x[v] = at + nodes[v].width / 2.0;
            at += nodes[v].width + GAP_X;
        }
    }
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let nbrs = if down { &preds } else { &succs };
        let order: Vec<usize> = if down {
            (0..ranks).collect()
        } else {
            (0..ranks).rev().collect()
        };
        for r in order {
            let row = &rows[r];
            let want: Vec<f64> = row
                .iter()
                .map(|&v| {
                    let ns = &nbrs[v];
                    if ns.is_empty() {
                        x[v]
                    } else {
                        ns.iter().map(|&u| x[u]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let sep =
                |a: usize, b: usize| (nodes[row[a]].width + nodes[row[b]].width) / 2.0 + GAP_X;
            let k = row.len();
            let mut left = want.clone();
            for j in 1..k {
                left[j] = left[j].max(left[j - 1] + sep(j - 1, j));
            }
            let mut right = want;
            for j in (0..k.saturating_sub(1)).rev() {
                right[j] = right[j].min(right[j + 1] - sep(j, j + 1));
            }
            for j in 0..k {
                x[row[j]] = (left[j] + right[j]) / 2.0;
            }
        }
    }
    let min_x = (0..nodes.len())
        .map(|v| x[v] - nodes[v].width / 2.0)
        .fold(f64::INFINITY, f64::min);
    let max_x = (0..nodes.len())
        .map(|v| x[v] + nodes[v].width / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let (min_x, max_x) = if nodes.is_empty() {
        (0.0, 0.0)
    } else {
        (min_x, max_x)
    };
    let width = max_x - min_x + 2.0 * MARGIN;
    let height = (ranks as f64 * RANK_H - (RANK_H - NODE_H)).max(0.0) + 2.0 * MARGIN;
    for (v, n) in nodes.iter_mut().enumerate() {
        n.x = x[v] - min_x + MARGIN;
        n.y = height - MARGIN - NODE_H / 2.0 - n.rank as f64 * RANK_H;
    }
    (nodes, edges, width, height)
}

pub fn render(g: &DrawGraph) -> String {
    let (nodes, edges, width, height) = layout(g);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#,
        w = width,
        h = height
    );
    s.push_str(
        r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444"/></marker></defs>
<rect width="100%" height="100%" fill="white"/>
<g stroke="#444" stroke-width="1" fill="none">
"##,
    );
    let half = NODE_H / 2.0;
    for &(a, b) in &edges {
        let (na, nb) = (&nodes[a], &nodes[b]);
        // inputs sit lower: leave from the top of `a`, arrive at the bottom of `b`
        let _ = writeln!(
            s,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" marker-end="url(#arrow)"/>"#,
            na.x,
            na.y - half,
            nb.x,
            nb.y + half
        );
    }
    s.push_str("</g>\n<g stroke=\"#222\" stroke-width=\"1.2\">\n");
    for n in &nodes {
        let _ = write!(s, "<g><title>{}</title>", escape(&n.title));
        if n.is_op {
            let _ = write!(
                s,
                r##"<ellipse cx="{:.1}" cy="{:.1}" rx="{:.1}" ry="{:.1}" fill="#eef3fb"/>"##,
                n.x,
                n.y,
                n.width / 2.0,
                half
            );
        } else {
            let _ = write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#fdf6e3"/>"##,
                n.x - n.width / 2.0,
                n.y - half,
                n.width,
                NODE_H
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" dominant-baseline="central" stroke="none" fill="black">{}</text></g>"#,
            n.x,
            n.y,
            escape(&n.label)
        );
    }
    s.push_str("</g>\n</svg>\n");
    s
}

#[cfg(test)]
pub(crate) fn layout_for_tests(g: &DrawGraph) -> Vec<(usize, f64, f64, f64)> {
    layout(g)
        .0
        .iter()
        .map(|n| (n.rank, n.x, n.y, n.width))
        .collect()
}
