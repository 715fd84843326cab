//! Blosc 1 containers, decoded in Rust (no C library): the 16-byte header, the block
//! offsets, each block's streams (one per byte of the type when split) through blosclz,
//! lz4 (`lz4_flex`), zlib (libdeflate) or zstd, then byte or bit unshuffle. Errors say
//! what is wrong; the caller names the file.

const HEADER: usize = 16;
const DOSHUFFLE: u8 = 0x1;
const MEMCPYED: u8 = 0x2;
const DOBITSHUFFLE: u8 = 0x4;
const DONT_SPLIT: u8 = 0x10;
const MAX_SPLITS: usize = 16;
const MIN_BUFFERSIZE: usize = 128;

fn u32_at(b: &[u8], at: usize) -> Result<usize, String> {
    b.get(at..at + 4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize)
        .ok_or_else(|| "truncated blosc chunk".to_string())
}

/// The bytes a blosc container holds.
pub fn decode(src: &[u8]) -> Result<Vec<u8>, String> {
    if src.len() < HEADER {
        return Err("truncated blosc chunk (shorter than its 16-byte header)".into());
    }
    let flags = src[2];
    let typesize = (src[3] as usize).max(1);
    let nbytes = u32_at(src, 4)?;
    let blocksize = u32_at(src, 8)?;
    let cbytes = u32_at(src, 12)?;
    if src[0] == 0 || src[0] > 4 {
        return Err(format!("not a blosc chunk (format version {})", src[0]));
    }
    if cbytes > src.len() {
        return Err(format!(
            "truncated blosc chunk ({} of {} bytes)",
            src.len(),
            cbytes
        ));
    }
    if flags & MEMCPYED != 0 {
        return src
            .get(HEADER..HEADER + nbytes)
            .map(<[u8]>::to_vec)
            .ok_or_else(|| "truncated blosc chunk".into());
    }
    if nbytes == 0 {
        return Ok(Vec::new());
    }
    if blocksize == 0 {
        return Err("corrupt blosc header (block size 0)".into());
    }
    let nblocks = nbytes.div_ceil(blocksize);
    let leftover = nbytes % blocksize;
    let compformat = (flags & 0xe0) >> 5;
    let shuffle = flags & DOSHUFFLE != 0 && typesize > 1;
    let bitshuffle = flags & DOBITSHUFFLE != 0;
    let mut out = vec![0u8; nbytes];
    let mut tmp = vec![0u8; blocksize];
    for j in 0..nblocks {
        let start = u32_at(src, HEADER + 4 * j)?;
        let (bsize, left) = if j == nblocks - 1 && leftover > 0 {
            (leftover, true)
        } else {
            (blocksize, false)
        };
        let nsplits = if flags & DONT_SPLIT == 0
            && typesize <= MAX_SPLITS
            && bsize / typesize >= MIN_BUFFERSIZE
            && !left
        {
            typesize
        } else {
            1
        };
        let neblock = bsize / nsplits;
        let dest = &mut out[j * blocksize..j * blocksize + bsize];
        let stage: &mut [u8] = if shuffle || bitshuffle {
            &mut tmp[..bsize]
        } else {
            dest
        };
        let mut at = start;
        for s in 0..nsplits {
            let cb = u32_at(src, at)?;
            at += 4;
            let stream = src
                .get(at..at + cb)
                .ok_or_else(|| "truncated blosc chunk".to_string())?;
            let piece = &mut stage[s * neblock..(s + 1) * neblock];
            if cb == neblock {
                piece.copy_from_slice(stream);
            } else {
                let n = match compformat {
                    0 => blosclz(stream, piece)?,
                    1 => lz4_flex::block::decompress_into(stream, piece)
                        .map_err(|e| format!("corrupt lz4 stream in blosc chunk: {}", e))?,
                    3 => libdeflater::Decompressor::new()
                        .zlib_decompress(stream, piece)
                        .map_err(|e| format!("corrupt zlib stream in blosc chunk: {}", e))?,
                    4 => zstd::bulk::Decompressor::new()
                        .and_then(|mut d| d.decompress_to_buffer(stream, piece))
                        .map_err(|e| format!("corrupt zstd stream in blosc chunk: {}", e))?,
                    2 => {
                        return Err(
                            "blosc chunk compressed with snappy, which rask does not read".into(),
                        )
                    }
                    c => return Err(format!("blosc chunk with unknown compressor code {}", c)),
                };
                if n != neblock {
                    return Err(format!(
                        "corrupt blosc chunk (a stream decoded to {} of {} bytes)",
                        n, neblock
                    ));
                }
            }
            at += cb;
        }
        if shuffle {
            unshuffle(typesize, &tmp[..bsize], dest);
        } else if bitshuffle {
            bitunshuffle(typesize, &tmp[..bsize], dest);
        }
    }
    Ok(out)
}

/// Byte unshuffle: byte `b` of every element was stored together.
fn unshuffle(typesize: usize, src: &[u8], dest: &mut [u8]) {
    let n = src.len() / typesize;
    match typesize {
        8 => unshuffle_n::<8>(src, dest, n),
        4 => unshuffle_n::<4>(src, dest, n),
        2 => unshuffle_n::<2>(src, dest, n),
        _ => {
            for b in 0..typesize {
                let plane = &src[b * n..(b + 1) * n];
                for (i, &v) in plane.iter().enumerate() {
                    dest[i * typesize + b] = v;
                }
            }
        }
    }
    let done = n * typesize;
    dest[done..].copy_from_slice(&src[done..]);
}

/// Byte unshuffle for a type of `T` bytes: element by element, writing in order.
fn unshuffle_n<const T: usize>(src: &[u8], dest: &mut [u8], n: usize) {
    let planes: [&[u8]; T] = std::array::from_fn(|b| &src[b * n..(b + 1) * n]);
    for (i, d) in dest[..n * T].chunks_exact_mut(T).enumerate() {
        for (x, p) in d.iter_mut().zip(&planes) {
            *x = p[i];
        }
    }
}

/// Bit unshuffle (bitshuffle's layout): bit `k` of byte `b` of every element was stored
/// as one row of bits, element `i` at bit `i % 8` of the row's byte `i / 8`. Only for a
/// multiple of 8 elements; otherwise the block was stored as is.
fn bitunshuffle(typesize: usize, src: &[u8], dest: &mut [u8]) {
    let n = src.len() / typesize;
    if !n.is_multiple_of(8) {
        dest.copy_from_slice(src);
        return;
    }
    dest.iter_mut().for_each(|b| *b = 0);
    let row = n / 8;
    for plane in 0..typesize * 8 {
        let (b, k) = (plane / 8, plane % 8);
        let bits = &src[plane * row..(plane + 1) * row];
        for (ib, &byte) in bits.iter().enumerate() {
            if byte == 0 {
                continue;
            }
            for t in 0..8 {
                if byte >> t & 1 == 1 {
                    dest[(ib * 8 + t) * typesize + b] |= 1 << k;
                }
            }
        }
    }
    let done = n * typesize;
    dest[done..].copy_from_slice(&src[done..]);
}

/// BloscLZ, a FastLZ-derived LZ77: a control byte below 32 starts `ctrl + 1` literals;
/// otherwise a match of `(ctrl >> 5) + 2` bytes (7 means more length bytes follow)
/// at distance `(ctrl & 31) << 8 | next + 1` (far matches take two more bytes).
fn blosclz(input: &[u8], out: &mut [u8]) -> Result<usize, String> {
    const MAX_DISTANCE: usize = 8191;
    let bad = || "corrupt blosclz stream in blosc chunk".to_string();
    if input.is_empty() {
        return Ok(0);
    }
    let (mut ip, mut op) = (0usize, 0usize);
    let mut ctrl = (input[0] & 31) as usize;
    ip += 1;
    loop {
        if ctrl >= 32 {
            let mut len = (ctrl >> 5) - 1;
            let mut ofs = (ctrl & 31) << 8;
            if len == 6 {
                loop {
                    let code = *input.get(ip).ok_or_else(bad)?;
                    ip += 1;
                    len += code as usize;
                    if code != 255 {
                        break;
                    }
                }
            }
            let code = *input.get(ip).ok_or_else(bad)? as usize;
            ip += 1;
            len += 3;
            let mut back = ofs + code;
            if code == 255 && ofs == 31 << 8 {
                let hi = *input.get(ip).ok_or_else(bad)? as usize;
                let lo = *input.get(ip + 1).ok_or_else(bad)? as usize;
                ip += 2;
                ofs = (hi << 8) + lo;
                back = ofs + MAX_DISTANCE;
            }
            // the reference is `back + 1` bytes behind
            let dist = back + 1;
            if op + len > out.len() || dist > op {
                return Err(bad());
            }
            for i in 0..len {
                out[op + i] = out[op + i - dist];
            }
            op += len;
            if ip >= input.len() {
                break;
            }
            ctrl = input[ip] as usize;
            ip += 1;
        } else {
            let n = ctrl + 1;
            if op + n > out.len() || ip + n > input.len() {
                return Err(bad());
            }
            out[op..op + n].copy_from_slice(&input[ip..ip + n]);
            op += n;
            ip += n;
            if ip >= input.len() {
                break;
            }
            ctrl = input[ip] as usize;
            ip += 1;
        }
    }
    Ok(op)
}

/// How a blosc container is written: numcodecs' `Blosc(cname, clevel, shuffle)`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BloscConf {
    /// "lz4" (numcodecs' default), "zstd" or "zlib"; blosclz and snappy are read only.
    pub cname: String,
    /// 0 (store) to 9.
    pub clevel: u8,
    /// 0 none, 1 byte shuffle (the default), 2 bit shuffle.
    pub shuffle: u8,
}

impl Default for BloscConf {
    fn default() -> Self {
        BloscConf {
            cname: "lz4".into(),
            clevel: 5,
            shuffle: 1,
        }
    }
}

impl BloscConf {
    /// The compressors rask writes into a blosc container.
    pub const WRITTEN: &'static [&'static str] = &["lz4", "zstd", "zlib"];

    /// v3's name for the shuffle.
    pub fn shuffle_name(&self) -> &'static str {
        match self.shuffle {
            1 => "shuffle",
            2 => "bitshuffle",
            _ => "noshuffle",
        }
    }
}

/// The block size c-blosc picks for this level and type: larger blocks for higher
/// levels, a multiple of the type size, never more than the data.
fn block_size(nbytes: usize, typesize: usize, clevel: u8) -> usize {
    let want = match clevel {
        0..=3 => 32 << 10,
        4..=6 => 64 << 10,
        7..=8 => 128 << 10,
        _ => 256 << 10,
    };
    let b = want.min(nbytes).max(1);
    if b >= typesize {
        b - b % typesize
    } else {
        b
    }
}

/// A blosc 1 container of `data` (elements of `typesize` bytes): the header, the block
/// offsets, then each block shuffled as asked and compressed as one stream (the
/// "don't split" flag, which every blosc reader honours); a block that does not shrink is
/// stored as is, and data that does not shrink at all is one memcpy'd container, as
/// c-blosc does.
pub fn encode(data: &[u8], typesize: usize, conf: &BloscConf) -> Result<Vec<u8>, String> {
    let code: u8 = match conf.cname.as_str() {
        "lz4" => 1,
        "zlib" => 3,
        "zstd" => 4,
        other => {
            return Err(format!(
                "blosc compressor '{}' is read, not written (write one of {})",
                other,
                BloscConf::WRITTEN.join(", ")
            ))
        }
    };
    if data.len() > u32::MAX as usize - 64 {
        return Err("a blosc chunk holds less than 4 GB".into());
    }
    let typesize = typesize.clamp(1, 255);
    let clevel = conf.clevel.min(9);
    let mut flags = DONT_SPLIT | (code << 5);
    match conf.shuffle {
        1 if typesize > 1 => flags |= DOSHUFFLE,
        2 => flags |= DOBITSHUFFLE,
        _ => {}
    }
    let header = |flags: u8, blocksize: usize, cbytes: usize| {
        let mut h = vec![2u8, 1, flags, typesize as u8];
        h.extend_from_slice(&(data.len() as u32).to_le_bytes());
        h.extend_from_slice(&(blocksize as u32).to_le_bytes());
        h.extend_from_slice(&(cbytes as u32).to_le_bytes());
        h
    };
    let memcpy = || {
        let mut out = header(MEMCPYED, data.len(), HEADER + data.len());
        out.extend_from_slice(data);
        out
    };
    if clevel == 0 || data.is_empty() {
        return Ok(memcpy());
    }
    let blocksize = block_size(data.len(), typesize, clevel);
    let nblocks = data.len().div_ceil(blocksize);
    let mut out = header(flags, blocksize, 0);
    let starts = out.len();
    out.extend(std::iter::repeat_n(0u8, 4 * nblocks));
    let mut staged = vec![0u8; blocksize];
    let mut zstd = if code == 4 {
        Some(zstd::bulk::Compressor::new(clevel as i32).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let mut deflate = if code == 3 {
        Some(libdeflater::Compressor::new(
            libdeflater::CompressionLvl::new(clevel as i32)
                .unwrap_or_else(|_| libdeflater::CompressionLvl::default()),
        ))
    } else {
        None
    };
    for j in 0..nblocks {
        let at = out.len() as u32;
        out[starts + 4 * j..starts + 4 * j + 4].copy_from_slice(&at.to_le_bytes());
        let block = &data[j * blocksize..((j + 1) * blocksize).min(data.len())];
        let stage = &mut staged[..block.len()];
        if flags & DOSHUFFLE != 0 {
            shuffle(typesize, block, stage);
        } else if flags & DOBITSHUFFLE != 0 {
            bitshuffle(typesize, block, stage);
        } else {
            stage.copy_from_slice(block);
        }
        let c = match code {
            1 => lz4_flex::block::compress(stage),
            3 => {
                let d = deflate.as_mut().ok_or("zlib compressor missing")?;
                let mut buf = vec![0u8; d.zlib_compress_bound(stage.len())];
                let n = d
                    .zlib_compress(stage, &mut buf)
                    .map_err(|e| e.to_string())?;
                buf.truncate(n);
                buf
            }
            _ => {
                let z = zstd.as_mut().ok_or("zstd compressor missing")?;
                z.compress(stage).map_err(|e| e.to_string())?
            }
        };
        let c: &[u8] = if c.is_empty() || c.len() >= stage.len() {
            stage
        } else {
            &c
        };
        out.extend_from_slice(&(c.len() as u32).to_le_bytes());
        out.extend_from_slice(c);
        if out.len() >= HEADER + data.len() {
            return Ok(memcpy());
        }
    }
    let total = out.len();
    out[12..16].copy_from_slice(&(total as u32).to_le_bytes());
    Ok(out)
}

/// Byte shuffle: byte `b` of every element together (the inverse of `unshuffle`).
fn shuffle(typesize: usize, src: &[u8], dest: &mut [u8]) {
    let n = src.len() / typesize;
    for (i, e) in src[..n * typesize].chunks_exact(typesize).enumerate() {
        for (b, &v) in e.iter().enumerate() {
            dest[b * n + i] = v;
        }
    }
    let done = n * typesize;
    dest[done..].copy_from_slice(&src[done..]);
}

/// Bit shuffle (the inverse of `bitunshuffle`); a block of other than a multiple of 8
/// elements is stored as is, as bitshuffle does.
fn bitshuffle(typesize: usize, src: &[u8], dest: &mut [u8]) {
    let n = src.len() / typesize;
    if !n.is_multiple_of(8) {
        dest.copy_from_slice(src);
        return;
    }
    dest.iter_mut().for_each(|b| *b = 0);
    let row = n / 8;
    for (i, e) in src[..n * typesize].chunks_exact(typesize).enumerate() {
        for (b, &byte) in e.iter().enumerate() {
            if byte == 0 {
                continue;
            }
            for k in 0..8 {
                if byte >> k & 1 == 1 {
                    dest[(b * 8 + k) * row + i / 8] |= 1 << (i % 8);
                }
            }
        }
    }
    let done = n * typesize;
    dest[done..].copy_from_slice(&src[done..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zarr_blosc_round_trip_and_truncation() {
        let wide: Vec<u8> = (0..50_001u64)
            .flat_map(|i| (i * 977).to_le_bytes())
            .collect();
        for cname in ["lz4", "zstd", "zlib"] {
            for shuffle in 0..3 {
                for clevel in [0, 1, 5, 9] {
                    let conf = BloscConf {
                        cname: cname.into(),
                        clevel,
                        shuffle,
                    };
                    for (data, ts) in [
                        (&wide[..], 8),
                        (&wide[..7], 8),
                        (&wide[..4000], 4),
                        (&[][..], 8),
                    ] {
                        let enc = encode(data, ts, &conf).unwrap();
                        assert_eq!(decode(&enc).unwrap(), data, "{:?} {}", conf, ts);
                    }
                }
            }
        }
        let lz4 = BloscConf::default();
        let data: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i / 7).to_le_bytes())
            .collect();
        let enc = encode(&data, 4, &lz4).unwrap();
        assert!(enc.len() < data.len() / 4);
        assert_eq!(decode(&enc).unwrap(), data);
        let e = decode(&enc[..enc.len() - 10]).unwrap_err();
        assert!(e.contains("truncated blosc chunk"), "{}", e);
        assert!(decode(&enc[..5]).is_err());
    }

    #[test]
    fn zarr_bitunshuffle_inverts_bitshuffle() {
        // two elements of 2 bytes, eight of them: element i = i * 0x0101 + 1
        let elems: Vec<u16> = (0..8).map(|i| i * 0x0101 + 1).collect();
        let raw: Vec<u8> = elems.iter().flat_map(|e| e.to_le_bytes()).collect();
        let mut sh = vec![0u8; raw.len()];
        for (i, e) in raw.chunks(2).enumerate() {
            for (b, byte) in e.iter().enumerate() {
                for k in 0..8 {
                    if byte >> k & 1 == 1 {
                        sh[b * 8 + k] |= 1 << i;
                    }
                }
            }
        }
        let mut back = vec![0u8; raw.len()];
        bitunshuffle(2, &sh, &mut back);
        assert_eq!(back, raw);
    }
}
