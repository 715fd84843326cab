//! The chunk-grid picture a notebook shows beside a lazy array's table: Dask's
//! `dask.array.svg.svg`, line for line, so the same chunks draw the same SVG text. A
//! 1-D array is drawn as one row, 2-D as a grid, 3-D as a skewed box; more axes are
//! drawn as such pictures in a row (the first ones each alone, then threes). An axis
//! with more chunk boundaries than `size / 6` draws only that many of its lines, spread
//! evenly, and its fill turns dark brown. Numbers are written as Python writes them
//! (`60.0`, `25.412616514582485`), since Dask's text comes from Python floats.

// `f(x)`: a float as Python's `str` writes it
use crate::value::float_repr::py_float as f;

/// Dask's `text_style`.
const TEXT_STYLE: &str = r#"font-size="1.0rem" font-weight="100" text-anchor="middle""#;

/// The picture of an array with these chunks, about `size` pixels across; `None` where
/// Dask draws nothing (no axes, or an axis of length 0).
pub fn svg(chunks: &[Vec<usize>], size: usize) -> Option<String> {
    let shape: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
    if chunks.is_empty() || shape.contains(&0) {
        return None;
    }
    Some(match chunks.len() {
        1 => {
            let mut c = vec![vec![1]];
            c.extend(chunks.iter().cloned());
            let sizes = draw_sizes(&[1, shape[0]], size as f64);
            svg_2d(&c, (0.0, 0.0), size, &sizes)
        }
        2 => svg_2d(chunks, (0.0, 0.0), size, &draw_sizes(&shape, size as f64)),
        3 => svg_3d(chunks, (0.0, 0.0), size, &draw_sizes(&shape, size as f64)),
        _ => svg_nd(chunks, size),
    })
}

fn header(width: f64, height: f64) -> String {
    format!(
        "<svg width=\"{}\" height=\"{}\" style=\"stroke:rgb(0,0,0);stroke-width:1\" >\n",
        width as i64, height as i64
    )
}

const FOOTER: &str = "\n</svg>";

fn svg_2d(chunks: &[Vec<usize>], offset: (f64, f64), size: usize, sizes: &[f64]) -> String {
    let shape: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
    let y = grid_points(&chunks[0], sizes[0]);
    let x = grid_points(&chunks[1], sizes[1]);
    let (mut lines, b) = svg_grid(&x, &y, offset, (0.0, 0.0), size);
    let rotate = if shape[0] >= 100 { -90 } else { 0 };
    lines.push(String::new());
    lines.push("  <!-- Text -->".into());
    lines.push(format!(
        "  <text x=\"{}\" y=\"{}\" {} >{}</text>",
        f(b.max_x / 2.0),
        f(b.max_y + 20.0),
        TEXT_STYLE,
        shape[1]
    ));
    let (tx, ty) = (f(b.max_x + 20.0), f(b.max_y / 2.0));
    lines.push(format!(
        "  <text x=\"{tx}\" y=\"{ty}\" {TEXT_STYLE} transform=\"rotate({rotate},{tx},{ty})\">{}</text>",
        shape[0]
    ));
    header(b.max_x + 50.0, b.max_y + 50.0) + &lines.join("\n") + FOOTER
}

fn svg_3d(chunks: &[Vec<usize>], offset: (f64, f64), size: usize, sizes: &[f64]) -> String {
    let shape: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
    let x = grid_points(&chunks[0], sizes[0]);
    let y = grid_points(&chunks[1], sizes[1]);
    let z = grid_points(&chunks[2], sizes[2]);
    let (ox, oy) = offset;
    let x17: Vec<f64> = x.iter().map(|v| v / 1.7).collect();
    let (xy, b1) = svg_grid(&x17, &y, (ox + 10.0, oy), (1.0, 0.0), size);
    let (zx, b2) = svg_grid(&z, &x17, (ox + 10.0, oy), (0.0, 1.0), size);
    let max_x = b2.max_y;
    let (zy, b3) = svg_grid(&z, &y, (ox + max_x + 10.0, oy + max_x), (0.0, 0.0), size);
    let rotate = if shape[1] >= 100 { -90 } else { 0 };
    let mut lines = xy;
    lines.extend(zx);
    lines.extend(zy);
    lines.push(String::new());
    lines.push("  <!-- Text -->".into());
    lines.push(format!(
        "  <text x=\"{}\" y=\"{}\" {} >{}</text>",
        f((b3.min_x + b3.max_x) / 2.0),
        f(b3.max_y + 20.0),
        TEXT_STYLE,
        shape[2]
    ));
    let (tx, ty) = (f(b3.max_x + 20.0), f((b3.min_y + b3.max_y) / 2.0));
    lines.push(format!(
        "  <text x=\"{tx}\" y=\"{ty}\" {TEXT_STYLE} transform=\"rotate({rotate},{tx},{ty})\">{}</text>",
        shape[1]
    ));
    let (tx, ty) = (
        f((b1.min_x + b1.max_x) / 2.0 - 10.0),
        f(b1.max_y - (b1.max_x - b1.min_x) / 2.0 + 20.0),
    );
    lines.push(format!(
        "  <text x=\"{tx}\" y=\"{ty}\" {TEXT_STYLE} transform=\"rotate(45,{tx},{ty})\">{}</text>",
        shape[0]
    ));
    header(b3.max_x + 50.0, b3.max_y + 50.0) + &lines.join("\n") + FOOTER
}

/// More than three axes: groups of three (the first group one or two axes, as the count
/// leaves over; a lone first axis gets a length-1 axis before it) drawn left to right.
/// Each group is drawn as `svg` draws it with its default size of 200 (so up to 33 lines
/// per axis), on axis lengths scaled for the whole array at `size`: as Dask does.
fn svg_nd(chunks: &[Vec<usize>], size: usize) -> String {
    let mut chunks: Vec<Vec<usize>> = chunks.to_vec();
    if chunks.len() % 3 == 1 {
        chunks.insert(0, vec![1]);
    }
    let shape: Vec<usize> = chunks.iter().map(|c| c.iter().sum()).collect();
    let sizes = draw_sizes(&shape, size as f64);
    let mut out = Vec::new();
    let mut left = 0.0f64;
    let mut total_height = 0.0f64;
    let mut start = 0;
    while start < chunks.len() {
        let n = match (chunks.len() - start) % 3 {
            0 => 3,
            k => k,
        };
        let group = &chunks[start..start + n];
        let gsizes = &sizes[start..start + n];
        let o = if n == 2 {
            svg_2d(group, (left, 0.0), 200, gsizes)
        } else {
            svg_3d(group, (left, 0.0), 200, gsizes)
        };
        start += n;
        let lines: Vec<&str> = o.split('\n').collect();
        let (width, height) = header_size(lines.first().copied().unwrap_or(""));
        total_height = total_height.max(height);
        left += width + 10.0;
        if lines.len() >= 2 {
            out.push(lines[1..lines.len() - 1].join("\n"));
        }
    }
    header(left, total_height) + &out.join("\n\n") + FOOTER
}

/// The width and height written in a header this file made.
fn header_size(line: &str) -> (f64, f64) {
    let attr = |name: &str| -> f64 {
        line.split(&format!("{}=\"", name))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    (attr("width"), attr("height"))
}

/// The extent of a grid's lines.
struct Bounds {
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
}

fn min_of(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}
fn max_of(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}
fn last(v: &[f64]) -> f64 {
    v.last().copied().unwrap_or(0.0)
}

/// Dask's `svg_grid`: a line per chunk boundary across and down (skewed for the faces
/// of a 3-D box), and the coloured polygon under them.
fn svg_grid(
    x: &[f64],
    y: &[f64],
    offset: (f64, f64),
    skew: (f64, f64),
    size: usize,
) -> (Vec<String>, Bounds) {
    let max_n = size / 6;
    // horizontal lines
    let mut x1: Vec<f64> = y.iter().map(|_| 0.0 + offset.0).collect();
    let y1: Vec<f64> = y.iter().map(|v| v + offset.1).collect();
    let mut x2: Vec<f64> = y.iter().map(|_| last(x) + offset.0).collect();
    let mut y2: Vec<f64> = y.iter().map(|v| v + offset.1).collect();
    if skew.0 != 0.0 {
        let m = max_of(x) * skew.0;
        y2.iter_mut().for_each(|v| *v += m);
    }
    if skew.1 != 0.0 {
        for (i, v) in y.iter().enumerate() {
            x1[i] += skew.1 * v;
            x2[i] += skew.1 * v;
        }
    }
    let b = Bounds {
        min_x: min_of(&x1).min(min_of(&x2)),
        max_x: max_of(&x1).max(max_of(&x2)),
        min_y: min_of(&y1).min(min_of(&y2)),
        max_y: max_of(&y1).max(max_of(&y2)),
    };
    let mut lines = vec![String::new(), "  <!-- Horizontal lines -->".to_string()];
    lines.extend(svg_lines(&x1, &y1, &x2, &y2, max_n));

    // vertical lines
    let x1: Vec<f64> = x.iter().map(|v| v + offset.0).collect();
    let mut y1: Vec<f64> = x.iter().map(|_| 0.0 + offset.1).collect();
    let mut x2: Vec<f64> = x.iter().map(|v| v + offset.0).collect();
    let mut y2: Vec<f64> = x.iter().map(|_| last(y) + offset.1).collect();
    if skew.0 != 0.0 {
        for (i, v) in x.iter().enumerate() {
            y1[i] += skew.0 * v;
            y2[i] += skew.0 * v;
        }
    }
    if skew.1 != 0.0 {
        let m = skew.1 * max_of(y);
        x2.iter_mut().for_each(|v| *v += m);
    }
    lines.push(String::new());
    lines.push("  <!-- Vertical lines -->".into());
    lines.extend(svg_lines(&x1, &y1, &x2, &y2, max_n));

    let color = if x.len() < max_n && y.len() < max_n {
        "ECB172"
    } else {
        "8B4903"
    };
    let (n0, nl) = (0, x1.len().saturating_sub(1));
    let corners = format!(
        "{},{} {},{} {},{} {},{}",
        f(x1[n0]),
        f(y1[n0]),
        f(x1[nl]),
        f(y1[nl]),
        f(x2[nl]),
        f(y2[nl]),
        f(x2[n0]),
        f(y2[n0])
    );
    lines.push(String::new());
    lines.push("  <!-- Colored Rectangle -->".into());
    lines.push(format!(
        "  <polygon points=\"{}\" style=\"fill:#{}A0;stroke-width:0\"/>",
        corners, color
    ));
    (lines, b)
}

/// Dask's `svg_lines`: at most `max_n` of the lines (NumPy's integer `linspace` picks
/// which), coordinates cut to integers, the outer two drawn thick.
fn svg_lines(x1: &[f64], y1: &[f64], x2: &[f64], y2: &[f64], max_n: usize) -> Vec<String> {
    let n = x1.len();
    let indices: Vec<usize> = if n > max_n {
        linspace_indices(n - 1, max_n)
    } else {
        (0..n).collect()
    };
    let mut lines: Vec<String> = indices
        .iter()
        .map(|&i| {
            format!(
                "  <line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" />",
                x1[i] as i64, y1[i] as i64, x2[i] as i64, y2[i] as i64
            )
        })
        .collect();
    let thick = |l: &mut String| *l = l.replacen(" /", " style=\"stroke-width:2\" /", 1);
    if let Some(l) = lines.first_mut() {
        thick(l);
    }
    if let Some(l) = lines.last_mut() {
        thick(l);
    }
    lines
}

/// `np.linspace(0, stop, num, dtype=int)`: `i * (stop / (num - 1))` floored, the last
/// exactly `stop`.
fn linspace_indices(stop: usize, num: usize) -> Vec<usize> {
    match num {
        0 => vec![],
        1 => vec![0],
        _ => {
            let step = stop as f64 / (num - 1) as f64;
            let mut v: Vec<usize> = (0..num)
                .map(|i| (i as f64 * step).floor() as usize)
                .collect();
            if let Some(l) = v.last_mut() {
                *l = stop;
            }
            v
        }
    }
}

/// Dask's `grid_points`: the chunk boundaries along one axis, scaled to `size` pixels.
fn grid_points(chunks: &[usize], size: f64) -> Vec<f64> {
    let mut cum = vec![0usize];
    for c in chunks {
        cum.push(cum[cum.len() - 1] + c);
    }
    let total = cum[cum.len() - 1] as f64;
    cum.iter().map(|&c| c as f64 * size / total).collect()
}

/// Dask's `draw_sizes`: pixels per axis, long axes compressed logarithmically.
fn draw_sizes(shape: &[usize], size: f64) -> Vec<f64> {
    let mx = shape.iter().copied().max().unwrap_or(1) as f64;
    shape
        .iter()
        .map(|&d| size / ratio_response(mx / (d as f64).max(0.1)))
        .collect()
}

/// Dask's `ratio_response`: ratios up to e kept, then a logarithm, flat past 100.
fn ratio_response(x: f64) -> f64 {
    if x < std::f64::consts::E {
        x
    } else if x <= 100.0 {
        (x + 12.4).ln()
    } else {
        (100.0f64 + 12.4).ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dask's own pictures of the same chunks, made by `dask_svg/gen.py` (Dask 2026.11.0:
    /// `python src/array/dask_svg/gen.py`); the text must match to the byte.
    #[test]
    fn pictures_match_dask() {
        let cases: [(&str, Vec<Vec<usize>>); 6] = [
            (
                include_str!("dask_svg/1d_10_chunks.svg"),
                vec![vec![100; 10]],
            ),
            (
                include_str!("dask_svg/2d_50_column_chunks.svg"),
                vec![vec![1, 1], vec![2; 50]],
            ),
            (
                include_str!("dask_svg/2d_tall_uneven.svg"),
                vec![vec![30, 30, 30, 10], vec![7, 3]],
            ),
            (
                include_str!("dask_svg/3d.svg"),
                vec![vec![2, 2], vec![3, 3, 3], vec![4]],
            ),
            (
                include_str!("dask_svg/4d.svg"),
                vec![vec![2], vec![3, 3], vec![4], vec![5, 5, 5]],
            ),
            (
                include_str!("dask_svg/5d.svg"),
                vec![vec![7], vec![3, 3], vec![4], vec![5, 5, 5], vec![2, 2]],
            ),
        ];
        for (expected, chunks) in cases {
            assert_eq!(svg(&chunks, 120).as_deref(), Some(expected), "{:?}", chunks);
        }
    }

    #[test]
    fn one_line_per_chunk_boundary() {
        // (10, 20) in (5, 5) chunks: 3 horizontal lines, 5 vertical ones
        let s = svg(&[vec![5, 5], vec![5; 4]], 120).unwrap_or_default();
        assert_eq!(s.matches("<line ").count(), 8);
        assert_eq!(s.matches("stroke-width:2\" />").count(), 4);
        assert!(s.contains("fill:#ECB172A0"));
    }

    #[test]
    fn many_chunks_draw_at_most_size_over_6_lines_and_darken() {
        // 50 column chunks: 51 boundaries, 20 drawn at size 120
        let s = svg(&[vec![1, 1], vec![2; 50]], 120).unwrap_or_default();
        let vertical = s.split("<!-- Vertical lines -->").nth(1).unwrap_or("");
        let vertical = vertical.split("<!-- Colored").next().unwrap_or("");
        assert_eq!(vertical.matches("<line ").count(), 20);
        assert!(s.contains("fill:#8B4903A0"));
    }

    #[test]
    fn nothing_for_empty_or_0d() {
        assert_eq!(svg(&[], 120), None);
        assert_eq!(svg(&[vec![0]], 120), None);
    }

    #[test]
    fn linspace_like_numpy() {
        // np.linspace(0, 50, 20, dtype=int)
        assert_eq!(
            linspace_indices(50, 20),
            vec![0, 2, 5, 7, 10, 13, 15, 18, 21, 23, 26, 28, 31, 34, 36, 39, 42, 44, 47, 50]
        );
    }
}
