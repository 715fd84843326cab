//! Throughput check (ignored by default; run with
//! `cargo test --release --test h5_throughput -- --ignored --nocapture`):
//! writes RASK_H5_BENCH_N float32 values (default 2e8) with random_array, then reads every
//! block of `/x` from several threads at once, as a lazy array's tasks do, and sums them.

use rask::common::ndarr::NdArr;
use rayon::prelude::*;
use std::time::Instant;

#[test]
#[ignore]
fn read_throughput_of_a_large_contiguous_file() {
    let mut path = std::env::var("RASK_H5_BENCH").unwrap_or_else(|_| "/tmp/rask-bench.h5".into());
    let n: usize = std::env::var("RASK_H5_BENCH_N")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(|v| v as usize)
        .unwrap_or(200_000_000);
    let block: usize = std::env::var("RASK_H5_BENCH_BLOCK")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .map(|v| v as usize)
        .unwrap_or(10_000_000);
    if std::env::var("RASK_H5_BENCH_KEEP").is_err() {
        let t = Instant::now();
        rask::data::random_array::random_array(&path, n as u64, 0, 1 << 22).unwrap();
        let dt = t.elapsed().as_secs_f64();
        println!(
            "random_array: {} values ({:.0} MB) in {:.2} s = {:.0} MB/s",
            n,
            n as f64 * 4e-6,
            dt,
            n as f64 * 4e-6 / dt
        );
    }
    let nosum = std::env::var("RASK_H5_BENCH_NOSUM").is_ok();
    // RASK_H5_BENCH_CHUNKED=<chunk>[,gzip]: also copy /x into a chunked dataset /xc and read that.
    let mut ds = "/x";
    if let Ok(spec) = std::env::var("RASK_H5_BENCH_CHUNKED") {
        let chunk: usize = spec.split(',').next().unwrap().parse::<f64>().unwrap() as usize;
        let gzip = spec.contains("gzip");
        let cpath = format!("{}.chunked.h5", path);
        let t = Instant::now();
        {
            let f = hdf5::File::create(&cpath).unwrap();
            let mut b = f.new_dataset::<f32>().shape(n).chunk(chunk);
            if gzip {
                b = b.deflate(4);
            }
            let xc = b.create("xc").unwrap();
            let step = 1 << 24;
            for s in (0..n).step_by(step) {
                let c = step.min(n - s);
                if let NdArr::F32(a) = rask::io::hdf5::read_block(&path, "/x", &[s], &[c]).unwrap()
                {
                    xc.write_slice(a.as_slice().unwrap(), s..s + c).unwrap();
                }
            }
        }
        println!("chunked copy written in {:.2} s", t.elapsed().as_secs_f64());
        let _ = std::process::Command::new("cat").arg(&cpath).output();
        path = cpath;
        ds = "/xc";
    }
    if std::env::var("RASK_H5_BENCH_MALLOPT").is_ok() {
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 30);
            libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        }
    }
    for round in 0..3 {
        let t = Instant::now();
        let starts: Vec<usize> = (0..n).step_by(block).collect();
        let sum: f64 = starts
            .par_iter()
            .map(|&s| {
                let c = block.min(n - s);
                match rask::io::hdf5::read_block(&path, ds, &[s], &[c]).unwrap() {
                    NdArr::F32(a) if nosum => a.len() as f64,
                    NdArr::F32(a) => a.iter().map(|&v| v as f64).sum::<f64>(),
                    _ => panic!("not float32"),
                }
            })
            .sum();
        let dt = t.elapsed().as_secs_f64();
        println!(
            "round {}: read+sum {} blocks of {} in {:.3} s = {:.0} MB/s (mean {:.6})",
            round,
            starts.len(),
            block,
            dt,
            n as f64 * 4e-6 / dt,
            sum / n as f64
        );
    }
}
