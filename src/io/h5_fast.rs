//! Reading a block of a dataset without the HDF5 library: positional reads of the stored
//! bytes (contiguous data, or chunks at the offsets the library reported once), gzip and
//! shuffle undone here, all outside the library's lock so many blocks read in parallel.

use super::h5_cache::{DsEntry, Plan, Stage};
use super::h5_elem::{fill_raw, Raw};
use crate::errors::{RaskError, Result};
use rayon::prelude::*;
use std::cell::RefCell;

/// Reads of at least this many bytes are split into pieces read in parallel.
const PIECE: usize = 8 << 20;

/// An output pointer that may be written from several threads at disjoint offsets.
#[derive(Clone, Copy)]
struct OutPtr(*mut u8);
unsafe impl Send for OutPtr {}
unsafe impl Sync for OutPtr {}

impl OutPtr {
    /// The address `off` bytes in (a method, so closures capture the whole `OutPtr`).
    fn at(self, off: usize) -> *mut u8 {
        // SAFETY: callers stay within the buffer the pointer was made from.
        unsafe { self.0.add(off) }
    }
}

/// Read the block, or `Ok(None)` when this dataset (or this block: a chunk never written)
/// needs the library.
pub(crate) fn read(d: &DsEntry, start: &[usize], count: &[usize]) -> Result<Option<Raw>> {
    let n: usize = count.iter().product();
    match &d.plan {
        Plan::Library => Ok(None),
        Plan::Contiguous { offset } => {
            let raw = fill_raw(d.elem, n, |p, nbytes| {
                read_contiguous(d, *offset, start, count, OutPtr(p), nbytes)
            })?;
            Ok(Some(raw))
        }
        Plan::Chunked { chunk, pipeline } => {
            let origins = chunk_origins(&d.shape, chunk, start, count);
            let locs = d.chunk_locs(&origins)?;
            if locs.iter().any(|l| l.is_none()) {
                return Ok(None);
            }
            let es = d.elem.size();
            let chunk_bytes = chunk.iter().product::<usize>() * es;
            let raw = fill_raw(d.elem, n, |p, _| {
                let out = OutPtr(p);
                let one = |i: usize| -> Result<()> {
                    let loc = locs[i].ok_or_else(|| RaskError::runtime("chunk vanished"))?;
                    let origin: Vec<usize> = origins[i].iter().map(|&o| o as usize).collect();
                    let active = (0..pipeline.len()).any(|k| loc.filter_mask & (1 << k) == 0);
                    if !active && loc.size as usize == chunk_bytes {
                        return read_unfiltered_chunk(
                            d, loc.addr, &origin, chunk, start, count, out,
                        );
                    }
                    let stored = pread_vec(d, loc.addr, loc.size as usize)?;
                    let bytes = unfilter(d, stored, pipeline, loc.filter_mask, chunk_bytes, es)?;
                    copy_region(&bytes, &origin, chunk, start, count, es, out);
                    Ok(())
                };
                if origins.len() > 1 {
                    (0..origins.len()).into_par_iter().try_for_each(one)
                } else {
                    (0..origins.len()).try_for_each(one)
                }
            })?;
            Ok(Some(raw))
        }
    }
}

fn io_err(d: &DsEntry, e: std::io::Error) -> RaskError {
    RaskError::io(format!(
        "reading dataset '{}' in '{}': {}",
        d.name, d.file.path, e
    ))
}

/// `len` bytes at `addr` into `dst`, in parallel pieces when large.
fn pread_into(d: &DsEntry, addr: u64, dst: OutPtr, len: usize) -> Result<()> {
    use std::os::unix::fs::FileExt;
    let piece = |off: usize, l: usize| -> Result<()> {
        // SAFETY: the caller owns `len` writable bytes at `dst`; pieces are disjoint.
        let buf = unsafe { std::slice::from_raw_parts_mut(dst.at(off), l) };
        d.file
            .raw
            .read_exact_at(buf, addr + off as u64)
            .map_err(|e| io_err(d, e))
    };
    if len >= 2 * PIECE {
        let pieces: Vec<(usize, usize)> = (0..len)
            .step_by(PIECE)
            .map(|o| (o, PIECE.min(len - o)))
            .collect();
        pieces.into_par_iter().try_for_each(|(o, l)| piece(o, l))
    } else if len > 0 {
        piece(0, len)
    } else {
        Ok(())
    }
}

fn pread_vec(d: &DsEntry, addr: u64, len: usize) -> Result<Vec<u8>> {
    let mut v: Vec<u8> = Vec::with_capacity(len);
    pread_into(d, addr, OutPtr(v.as_mut_ptr()), len)?;
    // SAFETY: pread_into filled all `len` bytes (or returned an error above).
    unsafe { v.set_len(len) };
    Ok(v)
}

/// A block of a row-major contiguous dataset: runs of consecutive bytes, one per index of
/// the leading dimensions that the block does not cover entirely.
fn read_contiguous(
    d: &DsEntry,
    offset: u64,
    start: &[usize],
    count: &[usize],
    out: OutPtr,
    nbytes: usize,
) -> Result<()> {
    let es = d.elem.size();
    let shape = &d.shape;
    let nd = shape.len();
    if nd == 0 {
        return pread_into(d, offset, out, es);
    }
    // j: the last dimension not fully covered, or 0; dims after j are whole.
    let mut j = nd - 1;
    while j > 0 && start[j] == 0 && count[j] == shape[j] {
        j -= 1;
    }
    let inner: usize = shape[j + 1..].iter().product();
    let run_bytes = count[j] * inner * es;
    // element strides of the file layout
    let mut stride = vec![1usize; nd];
    for k in (0..nd - 1).rev() {
        stride[k] = stride[k + 1] * shape[k + 1];
    }
    let outer = &count[..j];
    let nruns: usize = outer.iter().product();
    let run_start = |r: usize| -> u64 {
        let mut rem = r;
        let mut el = start[j] * stride[j];
        for k in (0..j).rev() {
            let i = rem % outer[k];
            rem /= outer[k];
            el += (start[k] + i) * stride[k];
        }
        offset + (el * es) as u64
    };
    if nruns == 1 {
        return pread_into(d, run_start(0), out, nbytes);
    }
    let gap = if nruns > 1 {
        (run_start(nruns - 1) - run_start(0)) as usize / (nruns - 1) - run_bytes
    } else {
        0
    };
    if run_bytes >= 64 << 10 || gap > 64 << 10 {
        return (0..nruns).into_par_iter().try_for_each(|r| {
            pread_into(d, run_start(r), OutPtr(out.at(r * run_bytes)), run_bytes)
        });
    }
    // Small runs close together: read spans covering several runs, then pick the runs out.
    let mut batches = Vec::new();
    let mut first = 0;
    while first < nruns {
        let base = run_start(first);
        let mut last = first;
        while last + 1 < nruns && (run_start(last + 1) - base) as usize + run_bytes <= PIECE {
            last += 1;
        }
        batches.push((first, last));
        first = last + 1;
    }
    batches.into_par_iter().try_for_each(|(a, b)| {
        let base = run_start(a);
        let span = (run_start(b) - base) as usize + run_bytes;
        let buf = pread_vec(d, base, span)?;
        for r in a..=b {
            let o = (run_start(r) - base) as usize;
            // SAFETY: run r's destination bytes lie inside the output and no other batch
            // writes them.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    buf[o..o + run_bytes].as_ptr(),
                    out.at(r * run_bytes),
                    run_bytes,
                )
            };
        }
        Ok(())
    })
}

/// First elements of the dataset's chunks that overlap the block.
pub(crate) fn chunk_origins(
    shape: &[usize],
    chunk: &[usize],
    start: &[usize],
    count: &[usize],
) -> Vec<Vec<u64>> {
    let nd = shape.len();
    let lo: Vec<usize> = (0..nd).map(|k| start[k] / chunk[k]).collect();
    let hi: Vec<usize> = (0..nd)
        .map(|k| (start[k] + count[k]).div_ceil(chunk[k]))
        .collect();
    let mut out = Vec::new();
    if (0..nd).any(|k| lo[k] >= hi[k]) {
        return out;
    }
    let mut idx = lo.clone();
    loop {
        out.push((0..nd).map(|k| (idx[k] * chunk[k]) as u64).collect());
        let mut k = nd;
        loop {
            if k == 0 {
                return out;
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < hi[k] {
                break;
            }
            idx[k] = lo[k];
        }
    }
}

thread_local! {
    static INFLATER: RefCell<libdeflater::Decompressor> =
        RefCell::new(libdeflater::Decompressor::new());
}

/// Undo the filter pipeline (last filter first), skipping filters the chunk's mask says
/// were not applied. The result is the chunk's full, uncompressed bytes.
fn unfilter(
    d: &DsEntry,
    mut bytes: Vec<u8>,
    pipeline: &[Stage],
    mask: u32,
    chunk_bytes: usize,
    es: usize,
) -> Result<Vec<u8>> {
    for (i, stage) in pipeline.iter().enumerate().rev() {
        if mask & (1 << i) != 0 {
            continue;
        }
        bytes = match stage {
            Stage::Deflate => {
                let mut out: Vec<u8> = vec![0u8; chunk_bytes];
                let n = INFLATER
                    .with(|z| z.borrow_mut().zlib_decompress(&bytes, &mut out))
                    .map_err(|e| {
                        RaskError::io(format!(
                            "dataset '{}' in '{}': a gzip chunk does not decompress ({:?})",
                            d.name, d.file.path, e
                        ))
                    })?;
                out.truncate(n);
                out
            }
            Stage::Shuffle => unshuffle(&bytes, es),
        };
    }
    if bytes.len() != chunk_bytes {
        return Err(RaskError::io(format!(
            "dataset '{}' in '{}': a chunk holds {} bytes, expected {}",
            d.name,
            d.file.path,
            bytes.len(),
            chunk_bytes
        )));
    }
    Ok(bytes)
}

/// HDF5's shuffle filter stores byte k of every element together; put them back.
pub(crate) fn unshuffle(src: &[u8], es: usize) -> Vec<u8> {
    if es <= 1 {
        return src.to_vec();
    }
    let n = src.len() / es;
    let mut out = vec![0u8; src.len()];
    for k in 0..es {
        let plane = &src[k * n..(k + 1) * n];
        for (i, &b) in plane.iter().enumerate() {
            out[i * es + k] = b;
        }
    }
    // Leftover bytes (length not a multiple of the element size) are stored unshuffled.
    out[n * es..].copy_from_slice(&src[n * es..]);
    out
}

/// Visit the runs of consecutive bytes that make up the part of a chunk (first element
/// `origin`, dims `cdims`) inside the block (`start`, `count`): `f(chunk byte offset,
/// block byte offset, length)`, in order, with runs adjacent in both merged.
fn visit_runs(
    origin: &[usize],
    cdims: &[usize],
    start: &[usize],
    count: &[usize],
    es: usize,
    mut f: impl FnMut(usize, usize, usize),
) {
    let nd = cdims.len();
    if nd == 0 {
        f(0, 0, es);
        return;
    }
    let lo: Vec<usize> = (0..nd).map(|k| origin[k].max(start[k])).collect();
    let hi: Vec<usize> = (0..nd)
        .map(|k| (origin[k] + cdims[k]).min(start[k] + count[k]))
        .collect();
    if (0..nd).any(|k| lo[k] >= hi[k]) {
        return;
    }
    let mut cstride = vec![1usize; nd];
    let mut bstride = vec![1usize; nd];
    for k in (0..nd - 1).rev() {
        cstride[k] = cstride[k + 1] * cdims[k + 1];
        bstride[k] = bstride[k + 1] * count[k + 1];
    }
    let run = (hi[nd - 1] - lo[nd - 1]) * es;
    let mut pending: Option<(usize, usize, usize)> = None;
    let mut idx = lo.clone();
    loop {
        let s: usize = (0..nd)
            .map(|k| (idx[k] - origin[k]) * cstride[k])
            .sum::<usize>()
            * es;
        let o: usize = (0..nd)
            .map(|k| (idx[k] - start[k]) * bstride[k])
            .sum::<usize>()
            * es;
        pending = match pending {
            Some((ps, po, pl)) if ps + pl == s && po + pl == o => Some((ps, po, pl + run)),
            Some(p) => {
                f(p.0, p.1, p.2);
                Some((s, o, run))
            }
            None => Some((s, o, run)),
        };
        // next index over all dims but the last
        let mut k = nd - 1;
        loop {
            if k == 0 {
                if let Some(p) = pending {
                    f(p.0, p.1, p.2);
                }
                return;
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < hi[k] {
                break;
            }
            idx[k] = lo[k];
        }
    }
}

/// Copy the part of one chunk (row-major bytes in `src`) inside the block to its place in
/// the block's row-major output.
fn copy_region(
    src: &[u8],
    origin: &[usize],
    cdims: &[usize],
    start: &[usize],
    count: &[usize],
    es: usize,
    out: OutPtr,
) {
    visit_runs(origin, cdims, start, count, es, |s, o, len| {
        // SAFETY: the source run lies within the chunk buffer and the destination run
        // within the block; chunks of one block write disjoint destinations.
        unsafe { std::ptr::copy_nonoverlapping(src[s..s + len].as_ptr(), out.at(o), len) }
    });
}

/// A chunk stored without filters: read its runs straight into the block when they are
/// few or long, else read the chunk once and copy the runs out.
fn read_unfiltered_chunk(
    d: &DsEntry,
    addr: u64,
    origin: &[usize],
    cdims: &[usize],
    start: &[usize],
    count: &[usize],
    out: OutPtr,
) -> Result<()> {
    let es = d.elem.size();
    let mut runs = Vec::new();
    visit_runs(origin, cdims, start, count, es, |s, o, len| {
        runs.push((s, o, len))
    });
    let total: usize = runs.iter().map(|r| r.2).sum();
    if runs.len() == 1 || total / runs.len().max(1) >= 64 << 10 {
        for (s, o, len) in runs {
            pread_into(d, addr + s as u64, OutPtr(out.at(o)), len)?;
        }
        return Ok(());
    }
    let chunk_bytes = cdims.iter().product::<usize>() * es;
    let bytes = pread_vec(d, addr, chunk_bytes)?;
    copy_region(&bytes, origin, cdims, start, count, es, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_cover_the_block() {
        let o = chunk_origins(&[200, 50], &[64, 16], &[37, 10], &[37, 30]);
        // rows 37..74 touch chunk rows 0 and 1; cols 10..40 touch chunk cols 0,1,2
        assert_eq!(o.len(), 6);
        assert_eq!(o[0], vec![0, 0]);
        assert_eq!(o[5], vec![64, 32]);
    }

    #[test]
    fn region_copy_places_rows() {
        // chunk 2x3 at origin (2, 3) with values 0..6 (as bytes); block rows 1..4, cols 2..5
        let src: Vec<u8> = (0..6).collect();
        let mut out = vec![255u8; 9];
        copy_region(
            &src,
            &[2, 3],
            &[2, 3],
            &[1, 2],
            &[3, 3],
            1,
            OutPtr(out.as_mut_ptr()),
        );
        assert_eq!(out, vec![255, 255, 255, 255, 0, 1, 255, 3, 4]);
    }

    #[test]
    fn unshuffle_inverts_shuffle() {
        let data: Vec<u8> = (0..13).collect(); // 3 elements of 4 bytes + 1 leftover
        let mut shuffled = vec![0u8; 13];
        for i in 0..3 {
            for k in 0..4 {
                shuffled[k * 3 + i] = data[i * 4 + k];
            }
        }
        shuffled[12] = 12;
        assert_eq!(unshuffle(&shuffled, 4), data);
    }
}
