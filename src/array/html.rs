//! A lazy array as a notebook shows it: Dask's `Array._repr_html_` — a table of
//! Bytes / Shape / Dask graph / Data type for the whole array and one chunk, and beside
//! it the chunk grid (`svg.rs`) at Dask's notebook size of 120 pixels. The text is
//! Dask's template (`dask/widgets/templates/array.html.j2`) as Jinja renders it,
//! blank lines and indentation included.

use super::lazy::{fmt_tuple, LazyArray};
use super::svg::svg;
use crate::common::format::{format_bytes, plural};

/// Dask's `array.svg.size` default.
const SVG_SIZE: usize = 120;

/// The `text/html` of a lazy array.
pub fn array_html(a: &LazyArray) -> String {
    let grid = svg(&a.chunks, SVG_SIZE).unwrap_or_default();
    let chunk = a.chunksize();
    let nbytes = format_bytes(a.nbytes() as u64);
    let cbytes = format_bytes((chunk.iter().product::<usize>() * a.dtype.itemsize()) as u64);
    let layers = plural(a.layer.layer_count(), "graph layer");
    format!(
        r#"<table>
    <tr>
        <td>
            <table style="border-collapse: collapse;">
                <thead>
                    <tr>
                        <td> </td>
                        <th> Array </th>
                        <th> Chunk </th>
                    </tr>
                </thead>
                <tbody>
                    
                    <tr>
                        <th> Bytes </th>
                        <td> {nbytes} </td>
                        <td> {cbytes} </td>
                    </tr>
                    
                    <tr>
                        <th> Shape </th>
                        <td> {shape} </td>
                        <td> {chunk} </td>
                    </tr>
                    <tr>
                        <th> Dask graph </th>
                        <td colspan="2"> {n} chunks in {layers} </td>
                    </tr>
                    <tr>
                        <th> Data type </th>
                        <td colspan="2"> {dtype} numpy.ndarray </td>
                    </tr>
                </tbody>
            </table>
        </td>
        <td>
        {grid}
        </td>
    </tr>
</table>"#,
        shape = fmt_tuple(&a.shape),
        chunk = fmt_tuple(&chunk),
        n = a.npartitions(),
        dtype = a.dtype.name(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::ndarr::DType;
    use crate::graph::task::Layer;
    use std::sync::Arc;

    fn lazy(shape: &[usize], chunks: Vec<Vec<usize>>, dtype: DType) -> LazyArray {
        let name: Arc<str> = Arc::from("ones_like-0123");
        LazyArray {
            layer: Layer::new(name.clone(), vec![], vec![]),
            name,
            shape: shape.to_vec(),
            chunks,
            dtype,
        }
    }

    fn count(s: &str, pat: &str) -> usize {
        s.matches(pat).count()
    }

    /// The whole text, against Dask 2026.11.0 (its output stored here once):
    /// `python -c "import dask.array as da; print(da.ones((10, 20), chunks=(5, 5))._repr_html_())"`
    #[test]
    fn a_2d_array_matches_dask_exactly() {
        let a = lazy(&[10, 20], vec![vec![5, 5], vec![5, 5, 5, 5]], DType::F64);
        let expected = r#"<table>
    <tr>
        <td>
            <table style="border-collapse: collapse;">
                <thead>
                    <tr>
                        <td> </td>
                        <th> Array </th>
                        <th> Chunk </th>
                    </tr>
                </thead>
                <tbody>
                    
                    <tr>
                        <th> Bytes </th>
                        <td> 1.56 kiB </td>
                        <td> 200 B </td>
                    </tr>
                    
                    <tr>
                        <th> Shape </th>
                        <td> (10, 20) </td>
                        <td> (5, 5) </td>
                    </tr>
                    <tr>
                        <th> Dask graph </th>
                        <td colspan="2"> 8 chunks in 1 graph layer </td>
                    </tr>
                    <tr>
                        <th> Data type </th>
                        <td colspan="2"> float64 numpy.ndarray </td>
                    </tr>
                </tbody>
            </table>
        </td>
        <td>
        <svg width="170" height="110" style="stroke:rgb(0,0,0);stroke-width:1" >

  <!-- Horizontal lines -->
  <line x1="0" y1="0" x2="120" y2="0" style="stroke-width:2" />
  <line x1="0" y1="30" x2="120" y2="30" />
  <line x1="0" y1="60" x2="120" y2="60" style="stroke-width:2" />

  <!-- Vertical lines -->
  <line x1="0" y1="0" x2="0" y2="60" style="stroke-width:2" />
  <line x1="30" y1="0" x2="30" y2="60" />
  <line x1="60" y1="0" x2="60" y2="60" />
  <line x1="90" y1="0" x2="90" y2="60" />
  <line x1="120" y1="0" x2="120" y2="60" style="stroke-width:2" />

  <!-- Colored Rectangle -->
  <polygon points="0.0,0.0 120.0,0.0 120.0,60.0 0.0,60.0" style="fill:#ECB172A0;stroke-width:0"/>

  <!-- Text -->
  <text x="60.0" y="80.0" font-size="1.0rem" font-weight="100" text-anchor="middle" >20</text>
  <text x="140.0" y="30.0" font-size="1.0rem" font-weight="100" text-anchor="middle" transform="rotate(0,140.0,30.0)">10</text>
</svg>
        </td>
    </tr>
</table>"#;
        assert_eq!(array_html(&a), expected);
    }

    #[test]
    fn table_counts_chunks_and_layers() {
        let base = lazy(&[1000], vec![vec![100; 10]], DType::I64);
        let mut a = base.clone();
        a.layer = Layer::new(Arc::from("neg-1"), vec![], vec![base.layer.clone()]);
        let h = array_html(&a);
        assert!(h.contains("<td> (1000,) </td>"));
        assert!(h.contains("<td> (100,) </td>"));
        assert!(h.contains("10 chunks in 2 graph layers"));
        assert!(h.contains("<td> 7.81 kiB </td>"));
        assert!(h.contains("<td> 800 B </td>"));
        assert!(h.contains("int64 numpy.ndarray"));
        // 2 horizontal lines (one row) and 11 vertical ones (10 chunks)
        assert_eq!(count(&h, "<line "), 13);
    }

    #[test]
    fn a_zero_length_array_has_no_picture() {
        let a = lazy(&[0, 3], vec![vec![0], vec![3]], DType::F64);
        let h = array_html(&a);
        assert!(!h.contains("<svg"));
        assert!(h.contains("<td> 0 B </td>"));
    }

    #[test]
    fn lazy_arrays_hand_their_html_to_the_notebook() {
        use crate::value::object::Object;
        let a = Arc::new(lazy(&[4, 4], vec![vec![2, 2], vec![4]], DType::I32));
        let m = a.mime();
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, "text/html");
        assert!(m[0].1.contains("2 chunks in 1 graph layer"));
        assert!(m[0].1.contains("<svg width="));
    }
}
