//! The kernelspec's logo, drawn here rather than shipped as a binary file: a chunk grid
//! (rask's picture of a lazy array) on a rounded square, written as an RGBA PNG.

use std::io::Write;

const BACKGROUND: [u8; 4] = [0x1f, 0x3a, 0x5f, 0xff];
const CHUNK: [u8; 4] = [0xf2, 0xa1, 0x3b, 0xff];
const CHUNK_LIT: [u8; 4] = [0xff, 0xd8, 0x8a, 0xff];
const CLEAR: [u8; 4] = [0, 0, 0, 0];

/// The RGBA pixels of a `size`×`size` logo, row by row.
fn pixels(size: usize) -> Vec<[u8; 4]> {
    let s = size as f64;
    let radius = s * 0.18;
    let (margin, gap) = (s * 0.16, s * 0.06);
    let cell = (s - 2.0 * margin - 2.0 * gap) / 3.0;
    let mut px = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
            // outside the rounded corners
            let cx = fx.clamp(radius, s - radius);
            let cy = fy.clamp(radius, s - radius);
            if (fx - cx).hypot(fy - cy) > radius {
                px.push(CLEAR);
                continue;
            }
            let col = ((fx - margin) / (cell + gap)).floor();
            let row = ((fy - margin) / (cell + gap)).floor();
            let inside = (0.0..3.0).contains(&col)
                && (0.0..3.0).contains(&row)
                && (fx - margin) - col * (cell + gap) < cell
                && (fy - margin) - row * (cell + gap) < cell;
            px.push(match inside {
                // the diagonal chunks lit: a task graph's path through the grid
                true if col == row => CHUNK_LIT,
                true => CHUNK,
                false => BACKGROUND,
            });
        }
    }
    px
}

/// A `size`×`size` PNG of the logo.
pub fn png(size: usize) -> Vec<u8> {
    let px = pixels(size);
    // each scanline: filter type 0, then the row's bytes
    let mut raw = Vec::with_capacity(size * (size * 4 + 1));
    for row in px.chunks(size) {
        raw.push(0);
        for p in row {
            raw.extend_from_slice(p);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // writing to a Vec cannot fail
    let _ = z.write_all(&raw);
    let idat = z.finish().unwrap_or_default();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(size as u32).to_be_bytes());
    ihdr.extend_from_slice(&(size as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", &ihdr), (b"IDAT", &idat), (b"IEND", &Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_png_that_inflates_to_its_pixels() {
        let p = super::png(32);
        assert!(p.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(p.ends_with(&[0xae, 0x42, 0x60, 0x82])); // IEND's CRC
        assert_eq!(&p[16..24], &[0, 0, 0, 32, 0, 0, 0, 32]);
    }
}
