//! `help()` entries for the `da` namespace and `Array` methods. Every example runs on a
//! fresh session.

use crate::value::help::FnDoc;

const CHUNKS: (&str, &str) = (
    "chunks",
    "chunk shape: an int for every axis, a tuple with one entry per axis (-1 or None: the whole axis), explicit sizes like ((5, 5), (2, 2)), or \"auto\" (about 128 MiB per chunk)",
);
const AXIS: (&str, &str) = (
    "axis",
    "None (all axes), an int (negative counts from the end) or a tuple of ints",
);
const KEEPDIMS: (&str, &str) = ("keepdims", "keep reduced axes with length 1");
const SPLIT: (&str, &str) = (
    "split_every",
    "fan-in of the reduction tree (default 16 in total)",
);
const SIZE: (&str, &str) = ("size", "output shape: an int or a tuple");
const SEED: (&str, &str) = (
    "seed",
    "an int for reproducible draws; without it a seed is drawn once when the array is built",
);

macro_rules! reduction_doc {
    ($name:expr, $sig:expr, $summary:expr, $example:expr, $output:expr) => {
        FnDoc {
            name: $name,
            signature: $sig,
            summary: $summary,
            params: &[AXIS, KEEPDIMS, SPLIT],
            example: $example,
            output: $output,
        }
    };
}

pub const DOCS: &[FnDoc] = &[
    FnDoc {
        name: "da.arange",
        signature: "da.arange(start=0, stop, step=1, chunks=\"auto\", dtype=None)",
        summary: "Evenly spaced values in [start, stop), as a lazy array.",
        params: &[("start", "first value"), ("stop", "end (excluded)"), ("step", "spacing"), CHUNKS, ("dtype", "int64 for int arguments, else float64")],
        example: "x = da.arange(25, chunks=5)\nx.sum().compute()", output: "300\n",
    },
    FnDoc {
        name: "da.ones",
        signature: "da.ones(shape, dtype=\"float64\", chunks=\"auto\")",
        summary: "An array of ones.",
        params: &[("shape", "an int or a tuple"), ("dtype", "element type"), CHUNKS],
        example: "da.ones((4, 6), chunks=2)", output: "Array<shape=(4, 6), dtype=float64, chunks=(2, 2), tasks=6>\n",
    },
    FnDoc {
        name: "da.zeros",
        signature: "da.zeros(shape, dtype=\"float64\", chunks=\"auto\")",
        summary: "An array of zeros.",
        params: &[("shape", "an int or a tuple"), ("dtype", "element type"), CHUNKS],
        example: "da.zeros(10, chunks=5).sum().compute()", output: "0.0\n",
    },
    FnDoc {
        name: "da.full",
        signature: "da.full(shape, fill_value, dtype=None, chunks=\"auto\")",
        summary: "An array filled with one value.",
        params: &[("shape", "an int or a tuple"), ("fill_value", "the value"), ("dtype", "element type (default: from the value)"), CHUNKS],
        example: "da.full((2, 3), 7, chunks=2).max().compute()", output: "7\n",
    },
    FnDoc {
        name: "da.ones_like",
        signature: "da.ones_like(a, dtype=None, chunks=None)",
        summary: "Ones with the shape and chunks of `a` (zeros_like and full_like likewise).",
        params: &[("a", "an array"), ("dtype", "element type (default: a's)"), CHUNKS],
        example: "da.ones_like(da.arange(6, chunks=3))", output: "Array<shape=(6,), dtype=int64, chunks=(3,), tasks=2>\n",
    },
    FnDoc {
        name: "da.eye",
        signature: "da.eye(N, chunks=\"auto\", M=None, k=0, dtype=\"float64\")",
        summary: "A 2-d array with ones on a diagonal.",
        params: &[("N", "rows"), CHUNKS, ("M", "columns (default N)"), ("k", "diagonal offset"), ("dtype", "element type")],
        example: "da.eye(4, chunks=2).sum().compute()", output: "4.0\n",
    },
    FnDoc {
        name: "da.random.normal",
        signature: "da.random.normal(loc=0.0, scale=1.0, size=None, chunks=\"auto\", seed=None)",
        summary: "Normal draws; every chunk has its own reproducible stream.",
        params: &[("loc", "mean"), ("scale", "standard deviation"), SIZE, CHUNKS, SEED],
        example: "x = da.random.normal(10, 0.1, size=(200, 200), chunks=(100, 100), seed=0)\nx.mean(axis=0)[::50].compute()", output: "array([10.01066516,  9.99941964, 10.00219954, 10.00848941])\n",
    },
    FnDoc {
        name: "da.random.random",
        signature: "da.random.random(size=None, chunks=\"auto\", seed=None)",
        summary: "Uniform draws in [0, 1) (alias random_sample; uniform(low, high, …) too).",
        params: &[SIZE, CHUNKS, SEED],
        example: "da.random.random((100,), chunks=10, seed=1).max().compute()", output: "0.9954106885819036\n",
    },
    FnDoc {
        name: "da.random.exponential",
        signature: "da.random.exponential(scale=1.0, size=None, chunks=\"auto\", seed=None)",
        summary: "Exponential draws.",
        params: &[("scale", "mean of the distribution"), SIZE, CHUNKS, SEED],
        example: "da.random.exponential(2.0, size=1000, chunks=100, seed=3).mean().compute()", output: "2.008904903883859\n",
    },
    FnDoc {
        name: "da.from_array",
        signature: "da.from_array(x, chunks=\"auto\")",
        summary: "A lazy array over a list, an eager array or an HDF5 dataset (read chunk by chunk; default chunks follow the dataset's own).",
        params: &[("x", "list, np array or h5py dataset"), CHUNKS],
        example: "da.from_array([[1, 2, 3], [4, 5, 6]], chunks=(1, 3)).sum(axis=0).compute()", output: "array([5, 7, 9])\n",
    },
    FnDoc {
        name: "da.to_hdf5",
        signature: "da.to_hdf5(filename, datapath, x, chunks=True, compression=None, compression_opts=None, shuffle=False)",
        summary: "Write arrays into an HDF5 file now (made if missing), the blocks computed in parallel and written where they belong; datasets chunked like the array. A dict {datapath: array} writes several in one graph.",
        params: &[("filename", "the HDF5 file"), ("datapath", "the dataset's name, e.g. \"/x\", or a dict of names and arrays"), ("x", "the dask array"), ("chunks", "True: the array's chunk shape; a tuple; None: contiguous"), ("compression", "\"gzip\" (compression_opts: level 0-9)"), ("shuffle", "the byte-shuffle filter")],
        example: "x = da.arange(6, chunks=4) * 1.5
da.to_hdf5(\"help-to.hdf5\", \"/x\", x, compression=\"gzip\")
h5py.File(\"help-to.hdf5\")[\"/x\"][:]", output: "array([0. , 1.5, 3. , 4.5, 6. , 7.5])\n",
    },
    FnDoc {
        name: "da.store",
        signature: "da.store(sources, targets, lock=True, compute=True)",
        summary: "Write dask arrays into existing h5py datasets of the same shapes (one or a list of each), now.",
        params: &[("sources", "a dask array or a list of them"), ("targets", "an h5py dataset or a list of them"), ("lock", "accepted; writes are always serialized")],
        example: "f = h5py.File(\"help-store.hdf5\", \"w\")
d = f.create_dataset(\"y\", shape=(4,), dtype=\"int64\")
da.store(da.arange(4, chunks=2) ** 2, d)
d[:]", output: "array([0, 1, 4, 9])\n",
    },
    FnDoc {
        name: "Array.to_hdf5",
        signature: "x.to_hdf5(filename, datapath, **kwargs)",
        summary: "da.to_hdf5(filename, datapath, x, **kwargs).",
        params: &[("filename", "the HDF5 file"), ("datapath", "the dataset's name")],
        example: "da.ones((2, 3), chunks=(1, 3)).to_hdf5(\"help-m.hdf5\", \"/grp/ones\")
h5py.File(\"help-m.hdf5\")[\"/grp/ones\"].chunks", output: "(1, 3)\n",
    },
    FnDoc {
        name: "Array.store",
        signature: "x.store(target, **kwargs)",
        summary: "da.store(x, target).",
        params: &[("target", "an h5py dataset of x's shape")],
        example: "f = h5py.File(\"help-xs.hdf5\", \"w\")
d = f.create_dataset(\"z\", shape=(3,), dtype=\"float64\")
(da.arange(3, chunks=2) / 2).store(d)
d[:]", output: "array([0. , 0.5, 1. ])\n",
    },
    FnDoc {
        name: "da.concatenate",
        signature: "da.concatenate(seq, axis=0)",
        summary: "Join arrays along an existing axis.",
        params: &[("seq", "a list of arrays"), ("axis", "the axis to join along")],
        example: "x = da.arange(4, chunks=2)\nda.concatenate([x, x]).compute()", output: "array([0, 1, 2, 3, 0, 1, 2, 3])\n",
    },
    FnDoc {
        name: "da.stack",
        signature: "da.stack(seq, axis=0)",
        summary: "Join arrays of one shape along a new axis.",
        params: &[("seq", "a list of arrays"), ("axis", "position of the new axis")],
        example: "x = da.arange(4, chunks=2)\nda.stack([x, x], axis=1).shape", output: "(4, 2)\n",
    },
    FnDoc {
        name: "da.dot",
        signature: "da.dot(a, b)",
        summary: "Matrix product (the last axis of a with the second-to-last of b); also `a @ b`.",
        params: &[("a", "array"), ("b", "array")],
        example: "a = da.ones((4, 3), chunks=2)\nda.dot(a, a.T).compute()", output: "array([[3., 3., 3., 3.],\n       [3., 3., 3., 3.],\n       [3., 3., 3., 3.],\n       [3., 3., 3., 3.]])\n",
    },
    FnDoc {
        name: "da.tensordot",
        signature: "da.tensordot(a, b, axes=2)",
        summary: "Sum products over the given axes: an int n (last n of a with first n of b) or a pair of axis lists.",
        params: &[("a", "array"), ("b", "array"), ("axes", "int or ([a axes], [b axes])")],
        example: "a = da.ones((4, 3), chunks=2)\nda.tensordot(a, a, axes=([0], [0])).shape", output: "(3, 3)\n",
    },
    FnDoc {
        name: "da.exp",
        signature: "da.exp(x)",
        summary: "Elementwise ufunc; also log, log10, log1p, expm1, sqrt, sin, cos, tan, arcsin, arccos, arctan, sinh, cosh, tanh, floor, ceil, sign, square, abs, negative, isnan, isfinite.",
        params: &[("x", "array")],
        example: "da.exp(da.zeros(4, chunks=2)).compute()", output: "array([1., 1., 1., 1.])\n",
    },
    FnDoc {
        name: "da.transpose",
        signature: "da.transpose(a, axes=None)",
        summary: "Permute axes (reverse them by default); also da.sum/mean/…/reshape/rechunk as functions of an array.",
        params: &[("a", "array"), ("axes", "the new order of axes")],
        example: "da.transpose(da.ones((2, 3), chunks=1)).shape", output: "(3, 2)\n",
    },
    FnDoc {
        name: "da.linalg.norm",
        signature: "da.linalg.norm(x, ord=None, axis=None, keepdims=False)",
        summary: "Vector norms (ord None/2, 1, inf, -inf, 0, any p) along an axis, or matrix norms (None/'fro', 1, -1, inf, -inf) over two axes.",
        params: &[("x", "array"), ("ord", "order of the norm"), ("axis", "None, an int (vector norm) or a pair (matrix norm)"), KEEPDIMS],
        example: "da.linalg.norm(da.ones((3, 4), chunks=2)).compute()", output: "3.4641016151377544\n",
    },
    FnDoc {
        name: "da.linalg.qr",
        signature: "da.linalg.qr(a)",
        summary: "QR of a tall-and-skinny array chunked along rows only (TSQR: a tree of local QRs). Returns (q, r): q chunked like a, r one block; q, r = da.linalg.qr(x) unpacks them and compute(q, r) shares one graph.",
        params: &[("a", "2-d array with one chunk across the columns (else: a.rechunk({1: -1}))")],
        example: "x = da.random.normal(size=(100, 4), chunks=(25, 4), seed=0)\nq, r = da.linalg.qr(x)\nabs(q @ r - x).max().compute() < 1e-12", output: "True\n",
    },
    FnDoc {
        name: "da.linalg.svd",
        signature: "da.linalg.svd(a)",
        summary: "Thin SVD of an array chunked along one axis only, via TSQR: (u, s, v) with a = u @ diag(s) @ v; signs fixed so each row of v has its largest entry positive.",
        params: &[("a", "2-d array chunked along rows only (or columns only)")],
        example: "x = da.random.normal(size=(100, 4), chunks=(25, 4), seed=0)\nu, s, v = da.linalg.svd(x)\ns.shape", output: "(4,)\n",
    },
    FnDoc {
        name: "da.linalg.svd_compressed",
        signature: "da.linalg.svd_compressed(a, k, n_power_iter=0, n_oversamples=10, seed=None)",
        summary: "The k leading singular triplets of a large matrix (chunked any way), by randomized projection with power iterations (Halko et al.). Returns (u, s, v).",
        params: &[("a", "2-d array"), ("k", "number of singular values"), ("n_power_iter", "power iterations (more: more accurate)"), ("n_oversamples", "extra random directions"), SEED],
        example: "a = da.random.random((60, 60), chunks=20, seed=1)\nu, s, v = da.linalg.svd_compressed(a, 3, n_power_iter=2, seed=0)\nv.shape", output: "(3, 60)\n",
    },
    FnDoc {
        name: "da.linalg.cholesky",
        signature: "da.linalg.cholesky(a, lower=False)",
        summary: "Blocked Cholesky of a symmetric positive definite matrix with square chunks: U with a = U.T @ U, or L with a = L @ L.T when lower=True.",
        params: &[("a", "square 2-d array, equal chunks on both axes"), ("lower", "return the lower factor")],
        example: "a = da.from_array([[4.0, 2.0], [2.0, 3.0]], chunks=1)\nda.linalg.cholesky(a, lower=True).compute()", output: "array([[2.        , 0.        ],\n       [1.        , 1.41421356]])\n",
    },
    FnDoc {
        name: "da.linalg.solve",
        signature: "da.linalg.solve(a, b, assume_a='gen')",
        summary: "x with a @ x = b, by blocked LU with partial pivoting over whole column panels ('pos': by Cholesky).",
        params: &[("a", "square 2-d array, equal chunks on both axes"), ("b", "1-d or 2-d array with a's number of rows"), ("assume_a", "'gen' (general) or 'pos' (symmetric positive definite)")],
        example: "a = da.from_array([[3.0, 1.0], [1.0, 2.0]], chunks=1)\nda.linalg.solve(a, da.from_array([9.0, 8.0], chunks=1)).compute()", output: "array([2., 3.])\n",
    },
    FnDoc {
        name: "da.linalg.solve_triangular",
        signature: "da.linalg.solve_triangular(a, b, lower=False)",
        summary: "x with a @ x = b for triangular a, by block substitution.",
        params: &[("a", "square triangular 2-d array, equal chunks on both axes"), ("b", "1-d or 2-d array"), ("lower", "a is lower triangular")],
        example: "a = da.from_array([[2.0, 0.0], [1.0, 4.0]], chunks=1)\nda.linalg.solve_triangular(a, da.from_array([2.0, 9.0], chunks=1), lower=True).compute()", output: "array([1., 2.])\n",
    },
    FnDoc {
        name: "da.linalg.inv",
        signature: "da.linalg.inv(a)",
        summary: "The inverse matrix: solve(a, I) with I chunked like a.",
        params: &[("a", "square 2-d array, equal chunks on both axes")],
        example: "da.linalg.inv(da.from_array([[2.0, 0.0], [0.0, 4.0]], chunks=1)).compute()", output: "array([[0.5 , 0.  ],\n       [0.  , 0.25]])\n",
    },
    FnDoc {
        name: "da.linalg.lstsq",
        signature: "da.linalg.lstsq(a, b)",
        summary: "Least squares through TSQR: (x, residuals, rank, s) with x minimizing |a @ x - b|, residuals the squared norms of b - a @ x per column, rank and singular values of a.",
        params: &[("a", "tall-and-skinny 2-d array chunked along rows only"), ("b", "1-d or 2-d array with a's number of rows")],
        example: "a = da.from_array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], chunks=(1, 2))\nx, res, rank, s = da.linalg.lstsq(a, da.from_array([1.0, 2.0, 4.0], chunks=1))\nrank.compute()", output: "2\n",
    },
    reduction_doc!("Array.sum", "x.sum(axis=None, keepdims=False, split_every=None, dtype=None)", "Sum as a tree reduction.", "da.arange(10, chunks=3).sum().compute()", "45\n"),
    reduction_doc!("Array.prod", "x.prod(axis=None, keepdims=False, split_every=None)", "Product as a tree reduction.", "da.arange(1, 6, chunks=2).prod().compute()", "120\n"),
    reduction_doc!("Array.mean", "x.mean(axis=None, keepdims=False, split_every=None)", "Mean, combining (count, sum, M2) partials.", "da.ones((4, 6), chunks=2).mean(axis=0).compute()", "array([1., 1., 1., 1., 1., 1.])\n"),
    FnDoc {
        name: "Array.std",
        signature: "x.std(axis=None, ddof=0, keepdims=False, split_every=None)",
        summary: "Standard deviation, with Chan's parallel formula (matches a one-pass result).",
        params: &[AXIS, ("ddof", "delta degrees of freedom"), KEEPDIMS, SPLIT],
        example: "da.arange(10, chunks=3).std().compute()", output: "2.8722813232690143\n",
    },
    FnDoc {
        name: "Array.var",
        signature: "x.var(axis=None, ddof=0, keepdims=False, split_every=None)",
        summary: "Variance.",
        params: &[AXIS, ("ddof", "delta degrees of freedom"), KEEPDIMS, SPLIT],
        example: "da.arange(10, chunks=3).var(ddof=1).compute()", output: "9.166666666666666\n",
    },
    reduction_doc!("Array.min", "x.min(axis=None, keepdims=False, split_every=None)", "Minimum.", "da.arange(10, chunks=3).min().compute()", "0\n"),
    reduction_doc!("Array.max", "x.max(axis=None, keepdims=False, split_every=None)", "Maximum.", "da.arange(10, chunks=3).max().compute()", "9\n"),
    reduction_doc!("Array.any", "x.any(axis=None, keepdims=False)", "Whether any element is true.", "(da.arange(10, chunks=3) > 8).any().compute()", "True\n"),
    reduction_doc!("Array.all", "x.all(axis=None, keepdims=False)", "Whether all elements are true.", "(da.arange(10, chunks=3) >= 0).all().compute()", "True\n"),
    FnDoc {
        name: "Array.argmin",
        signature: "x.argmin(axis=None)",
        summary: "Index of the minimum (of the flattened array without axis); partials carry (value, global index).",
        params: &[("axis", "None or an int")],
        example: "da.from_array([3, 1, 2, 1], chunks=2).argmin().compute()", output: "1\n",
    },
    FnDoc {
        name: "Array.argmax",
        signature: "x.argmax(axis=None)",
        summary: "Index of the maximum.",
        params: &[("axis", "None or an int")],
        example: "da.from_array([[3, 9], [8, 1]], chunks=1).argmax(axis=0).compute()", output: "array([1, 0])\n",
    },
    FnDoc {
        name: "Array.rechunk",
        signature: "x.rechunk(chunks)",
        summary: "The same values cut into new chunks; each new chunk reads only the old chunks it overlaps.",
        params: &[CHUNKS],
        example: "da.arange(10, chunks=5).rechunk(3).chunks", output: "((3, 3, 3, 1),)\n",
    },
    FnDoc {
        name: "Array.astype",
        signature: "x.astype(dtype)",
        summary: "Convert the element type.",
        params: &[("dtype", "'bool', 'int32', 'int64', 'float32' or 'float64'")],
        example: "da.arange(4, chunks=2).astype('float32').dtype", output: "'float32'\n",
    },
    FnDoc {
        name: "Array.transpose",
        signature: "x.transpose(*axes)",
        summary: "Permute axes (reverse by default); x.T is x.transpose().",
        params: &[("axes", "the new order of axes")],
        example: "da.ones((2, 3, 4), chunks=2).transpose(2, 0, 1).shape", output: "(4, 2, 3)\n",
    },
    FnDoc {
        name: "Array.T",
        signature: "x.T",
        summary: "The transpose.",
        params: &[],
        example: "da.ones((2, 3), chunks=1).T.shape", output: "(3, 2)\n",
    },
    FnDoc {
        name: "Array.reshape",
        signature: "x.reshape(*shape)",
        summary: "The same elements in a new shape (row-major; one -1 is inferred).",
        params: &[("shape", "ints or a tuple")],
        example: "da.arange(12, chunks=4).reshape(3, 4).sum(axis=1).compute()", output: "array([ 6, 22, 38])\n",
    },
    FnDoc {
        name: "Array.ravel",
        signature: "x.ravel()",
        summary: "The elements as a 1-d array (flatten too).",
        params: &[],
        example: "da.ones((2, 3), chunks=1).ravel().shape", output: "(6,)\n",
    },
    FnDoc {
        name: "Array.dot",
        signature: "x.dot(b)",
        summary: "Matrix product, as da.dot(x, b).",
        params: &[("b", "array")],
        example: "a = da.ones((2, 3), chunks=1)\na.dot(a.T).compute()", output: "array([[3., 3.],\n       [3., 3.]])\n",
    },
    FnDoc {
        name: "Array.squeeze",
        signature: "x.squeeze(axis=None)",
        summary: "Drop axes of length 1.",
        params: &[AXIS],
        example: "da.ones((1, 3), chunks=1).squeeze().shape", output: "(3,)\n",
    },
    FnDoc {
        name: "Array.shape",
        signature: "x.shape",
        summary: "The shape as a tuple (also ndim, size, nbytes, itemsize, dtype, name).",
        params: &[],
        example: "da.ones((4, 6), chunks=2).shape", output: "(4, 6)\n",
    },
    FnDoc {
        name: "Array.chunks",
        signature: "x.chunks",
        summary: "Chunk sizes along each axis, a tuple of tuples (chunksize: the largest per axis; numblocks: chunks per axis).",
        params: &[],
        example: "da.ones((5, 6), chunks=2).chunks", output: "((2, 2, 1), (2, 2, 2))\n",
    },
    FnDoc {
        name: "Array.npartitions",
        signature: "x.npartitions",
        summary: "The number of chunks.",
        params: &[],
        example: "da.ones((4, 6), chunks=2).npartitions", output: "6\n",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_qualified() {
        let mut names: Vec<&str> = DOCS.iter().map(|d| d.name).collect();
        assert!(names
            .iter()
            .all(|n| n.starts_with("da.") || n.starts_with("Array.")));
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len());
    }
}
