//! `random_array(path, n)`: the tutorial's array file — n float32 draws from the standard
//! exponential distribution in dataset `/x`, contiguous (h5py's default layout).
//!
//! Draws use the ziggurat method (`array/zig_exp.rs`). The values depend only on (seed, position): position i comes from stream i / STREAM,
//! seeded by `Rng::for_chunk(seed, [stream])`, so blocks are generated in parallel and the
//! file is the same whatever the block size. The library only creates the file and the
//! dataset (its storage allocated up front, no fill); the values are then written at the
//! dataset's offset, one block at a time, while the next block is generated — never
//! holding all n values in memory.

use crate::array::random::Rng;
use crate::errors::{RaskError, Result};
use crate::value::args::Args;
use crate::value::help::FnDoc;
use crate::value::value::Value;
use rayon::prelude::*;
use std::os::unix::fs::FileExt;
use std::sync::mpsc::sync_channel;

/// Values per random stream.
const STREAM: usize = 1 << 16;
/// Default values per written block (16 MB of float32).
pub const DEFAULT_BLOCK: usize = 1 << 22;

fn write_err(path: &str, e: impl std::fmt::Display) -> RaskError {
    RaskError::io(format!("cannot write HDF5 file '{}': {}", path, e))
}

/// Page size writes are aligned to.
const ALIGN: u64 = 4096;

/// Appends consecutive byte ranges to a file so that every large write starts and ends on
/// a page boundary: a write that ends mid-page leaves that page under writeback, and the
/// next write then waits for it (stable pages), which cut throughput by 3x.
struct AlignedWriter {
    file: std::fs::File,
    /// Bytes after the last page boundary written, not yet written.
    pending: Vec<u8>,
    pending_off: u64,
}

impl AlignedWriter {
    fn next_offset(&self) -> u64 {
        self.pending_off + self.pending.len() as u64
    }

    fn push(&mut self, b: &[u8]) -> std::io::Result<()> {
        let start = self.next_offset();
        let end = start + b.len() as u64;
        let aligned_end = end / ALIGN * ALIGN;
        if aligned_end <= start {
            self.pending.extend_from_slice(b);
            return Ok(());
        }
        // up to the first boundary after `start`, together with the pending bytes
        let head = (start.div_ceil(ALIGN) * ALIGN - start) as usize;
        self.pending.extend_from_slice(&b[..head]);
        self.file.write_all_at(&self.pending, self.pending_off)?;
        let body_end = (aligned_end - start) as usize;
        self.file
            .write_all_at(&b[head..body_end], start + head as u64)?;
        self.pending.clear();
        self.pending.extend_from_slice(&b[body_end..]);
        self.pending_off = aligned_end;
        Ok(())
    }

    fn finish(self) -> std::io::Result<()> {
        self.file.write_all_at(&self.pending, self.pending_off)
    }
}

/// Fill `out` with the values at positions `first..first + out.len()`.
fn generate(seed: u64, first: u64, out: &mut [f32]) {
    debug_assert!(first.is_multiple_of(STREAM as u64));
    out.par_chunks_mut(STREAM)
        .enumerate()
        .for_each(|(j, part)| {
            let stream = first / STREAM as u64 + j as u64;
            let mut rng = Rng::for_chunk(seed, &[stream as u32, (stream >> 32) as u32]);
            for v in part.iter_mut() {
                *v = rng.exponential() as f32;
            }
        });
}

/// Write the array file (overwriting `path`). `block` is the number of values generated
/// and written at a time, rounded up to a multiple of 65536.
pub fn random_array(path: &str, n: u64, seed: u64, block: usize) -> Result<()> {
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|e| write_err(path, e))?;
        }
    }
    // Cached read handles on the old file would make the library refuse to truncate it.
    crate::io::hdf5::forget(path);
    let offset = hdf5::sync::sync(|| -> hdf5::Result<Option<u64>> {
        let file = hdf5::File::create(path)?;
        let ds = file
            .new_dataset::<f32>()
            .shape(n as usize)
            .alloc_time(Some(hdf5::dataset::AllocTime::Early))
            .fill_time(hdf5::dataset::FillTime::Never)
            .create("x")?;
        let off = ds.offset();
        drop(ds);
        file.close()?;
        Ok(off)
    })
    .map_err(|e| write_err(path, e))?;
    if n == 0 {
        return Ok(());
    }
    let offset = offset.ok_or_else(|| {
        write_err(
            path,
            "the HDF5 library did not allocate the dataset's storage",
        )
    })?;
    let out = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(|e| write_err(path, e))?;
    // The library leaves the allocated data region as a hole at the end of the file;
    // filling holes is many times slower than appending on ext4, so when the data is the
    // last thing in the file, cut the hole off and append the values instead.
    let len = out.metadata().map_err(|e| write_err(path, e))?.len();
    if len == offset + n * 4 {
        out.set_len(offset).map_err(|e| write_err(path, e))?;
    }
    let block = block.max(1).div_ceil(STREAM) * STREAM;
    let nblocks = n.div_ceil(block as u64);

    // The writer thread writes block b while this thread generates block b + 1; buffers
    // go back and forth so only two are ever allocated.
    let (to_writer, from_gen) = sync_channel::<(u64, Vec<f32>)>(1);
    let (to_gen, from_writer) = sync_channel::<Vec<f32>>(2);
    std::thread::scope(|s| -> Result<()> {
        let writer = s.spawn(move || -> Result<()> {
            let mut w = AlignedWriter {
                file: out,
                pending: Vec::new(),
                pending_off: offset,
            };
            for (first, buf) in from_gen {
                // SAFETY: f32 has no padding; viewing its bytes is sound.
                let bytes =
                    unsafe { std::slice::from_raw_parts(buf.as_ptr() as *const u8, buf.len() * 4) };
                debug_assert_eq!(w.next_offset(), offset + first * 4);
                w.push(bytes).map_err(|e| write_err(path, e))?;
                if to_gen.send(buf).is_err() {
                    break;
                }
            }
            w.finish().map_err(|e| write_err(path, e))
        });
        let mut spare: Vec<Vec<f32>> = Vec::new();
        for b in 0..nblocks {
            let first = b * block as u64;
            let len = (n - first).min(block as u64) as usize;
            let mut buf = match spare.pop() {
                Some(v) => v,
                None if b >= 2 => match from_writer.recv() {
                    Ok(v) => v,
                    Err(_) => break, // the writer stopped on an error: join reports it
                },
                None => Vec::with_capacity(block),
            };
            buf.resize(len, 0.0);
            generate(seed, first, &mut buf);
            if to_writer.send((first, buf)).is_err() {
                break;
            }
            spare.extend(from_writer.try_iter());
        }
        drop(to_writer);
        writer
            .join()
            .map_err(|_| write_err(path, "the writer thread panicked"))?
    })?;
    Ok(())
}

/// The builtin `random_array(path="data/random.hdf5", n=1_000_000_000, seed=0)`.
pub fn call(args: &Args) -> Result<Value> {
    args.check(&["path", "n", "seed"])?;
    let path = args
        .str_opt(0, "path")?
        .unwrap_or_else(|| "data/random.hdf5".to_string());
    let n = args.int_or(1, "n", 1_000_000_000)?;
    if n < 0 {
        return Err(args.value_err(1, "n", format!("n must be >= 0, got {}", n)));
    }
    let seed = args.int_or(2, "seed", 0)?;
    random_array(&path, n as u64, seed as u64, DEFAULT_BLOCK)?;
    Ok(Value::None)
}

pub const DOC: FnDoc = FnDoc {
    name: "random_array",
    signature: "random_array(path=\"data/random.hdf5\", n=1_000_000_000, seed=0)",
    summary: "Write the tutorial's array file: n float32 draws from the exponential distribution (scale 1) in dataset /x, contiguous, as h5py writes it. Written in blocks (never all in memory); the same seed gives the same file. Overwrites the file and creates missing directories.",
    params: &[
        ("path", "the HDF5 file to write"),
        ("n", "number of values (the default, 1e9, is a 4 GB file)"),
        ("seed", "random seed"),
    ],
    example: "random_array(path=\"help-random.hdf5\", n=1000)\nda.from_array(h5py.File(\"help-random.hdf5\")[\"/x\"], chunks=100)", output: "Array<shape=(1000,), dtype=float32, chunks=(100,), tasks=10>\n",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_dataset_lists_the_datasets() {
        use crate::errors::ErrorKind;
        use crate::io::hdf5::{open, read_block};
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.h5");
        let path = p.to_str().unwrap();
        random_array(path, 10, 0, 1).unwrap();
        let f = open(path).unwrap();
        let e = f.dataset("/y").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Key);
        assert!(
            e.message.contains("'/y'") && e.message.contains(path),
            "{}",
            e.message
        );
        let hint = e.hint.unwrap_or_default();
        assert!(hint.contains("datasets in f.h5: /x"), "{}", hint);
        assert_eq!(f.keys().unwrap(), vec!["x".to_string()]);
        // a block of the wrong rank names the dataset
        let e = read_block(path, "x", &[0, 0], &[1, 1]).unwrap_err();
        assert!(e.message.contains("'/x'"), "{}", e.message);
    }

    #[test]
    fn values_do_not_depend_on_the_block_size() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.h5");
        let b = dir.path().join("b/c.h5");
        let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
        random_array(a, 300_001, 5, 65536).unwrap();
        random_array(b, 300_001, 5, 1 << 22).unwrap();
        let x = crate::io::hdf5::read_block(a, "/x", &[0], &[300_001]).unwrap();
        let y = crate::io::hdf5::read_block(b, "/x", &[0], &[300_001]).unwrap();
        match (x, y) {
            (crate::common::ndarr::NdArr::F32(x), crate::common::ndarr::NdArr::F32(y)) => {
                assert_eq!(x, y);
                assert!(x.iter().all(|&v| v >= 0.0));
            }
            _ => panic!("not float32"),
        }
        // rewriting a file this process has read is covered end to end in tests/cli.rs
    }

    #[test]
    fn aligned_writer_writes_every_byte_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("w.bin");
        let file = std::fs::File::create(&p).unwrap();
        let mut w = AlignedWriter {
            file,
            pending: Vec::new(),
            pending_off: 100,
        };
        let mut want = vec![0u8; 100];
        let mut k = 0u8;
        for len in [5usize, 4000, 9000, 1, 0, 4096, 12_345, 3] {
            let part: Vec<u8> = (0..len)
                .map(|_| {
                    k = k.wrapping_add(7);
                    k
                })
                .collect();
            w.push(&part).unwrap();
            want.extend_from_slice(&part);
        }
        w.finish().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), want);
    }

    #[test]
    fn call_checks_arguments() {
        let args = Args::new(
            "random_array",
            vec![Value::str("/tmp/x.h5"), Value::Int(-1)],
        );
        assert!(call(&args).is_err());
    }
}

#[cfg(test)]
mod speed {
    #[test]
    #[ignore]
    fn generation_speed() {
        let mut buf = vec![0f32; 1 << 22];
        let t = std::time::Instant::now();
        for b in 0..48u64 {
            super::generate(0, b << 22, &mut buf);
        }
        let dt = t.elapsed().as_secs_f64();
        println!("generate: {:.0} M values/s", 48.0 * 4.194304 / dt);
    }
}
