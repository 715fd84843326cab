//! A small reader for zip archives: the central directory, and whole members that are
//! stored or deflated (what zip tools write), inflated with libdeflate and checked
//! against their CRC-32. Enough for the National Food Survey zips without the `zip` crate.
//!
//! Layout (PKWARE APPNOTE): the end-of-central-directory record (EOCD) sits in the last
//! 64 KiB + 22 bytes; it points at the central directory, one entry per member with its
//! method, sizes, CRC and the offset of its local header; the member's bytes follow the
//! local header. ZIP64 archives keep the real sizes and offsets in a ZIP64 EOCD record
//! and in each entry's extra field (id 0x0001); both are read.

use crate::errors::{RaskError, Result};

const EOCD_SIG: u32 = 0x0605_4b50;
const EOCD64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD64_SIG: u32 = 0x0606_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const LOCAL_SIG: u32 = 0x0403_4b50;

/// One member as the central directory describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub method: u16,
    pub flags: u16,
    pub crc32: u32,
    pub compressed_size: u64,
    pub size: u64,
    pub local_offset: u64,
}

/// An archive held in memory (the NFS zips are a few MB each).
pub struct ZipArchive {
    /// For messages: the archive's path as the user gave it.
    path: String,
    data: Vec<u8>,
    pub entries: Vec<Entry>,
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    b.get(i..i + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    b.get(i..i + 8).map(|s| {
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        u64::from_le_bytes(a)
    })
}

impl ZipArchive {
    /// Read `path` and its central directory.
    pub fn open(path: &str) -> Result<ZipArchive> {
        let data = std::fs::read(path)
            .map_err(|e| RaskError::io(format!("cannot read '{}': {}", path, e)))?;
        ZipArchive::from_bytes(path, data)
    }

    pub fn from_bytes(path: &str, data: Vec<u8>) -> Result<ZipArchive> {
        let bad = |why: &str| RaskError::io(format!("'{}' is not a readable zip: {}", path, why));
        let eocd = find_eocd(&data).ok_or_else(|| {
            bad("no end-of-central-directory record (not a zip file, or truncated)")
        })?;
        let mut count = u16_at(&data, eocd + 10).unwrap_or(0) as u64;
        let mut cd_size = u32_at(&data, eocd + 12).unwrap_or(0) as u64;
        let mut cd_offset = u32_at(&data, eocd + 16).unwrap_or(0) as u64;
        if count == 0xffff || cd_size == 0xffff_ffff || cd_offset == 0xffff_ffff {
            // ZIP64: the locator sits just before the EOCD
            let loc = eocd
                .checked_sub(20)
                .filter(|&l| u32_at(&data, l) == Some(EOCD64_LOCATOR_SIG))
                .ok_or_else(|| bad("ZIP64 end-of-central-directory locator missing"))?;
            let rec = u64_at(&data, loc + 8).unwrap_or(u64::MAX) as usize;
            if u32_at(&data, rec) != Some(EOCD64_SIG) {
                return Err(bad("ZIP64 end-of-central-directory record missing"));
            }
            count = u64_at(&data, rec + 32).unwrap_or(0);
            cd_size = u64_at(&data, rec + 40).unwrap_or(0);
            cd_offset = u64_at(&data, rec + 48).unwrap_or(u64::MAX);
        }
        let start = cd_offset as usize;
        if cd_offset.saturating_add(cd_size) > data.len() as u64 {
            return Err(bad("the central directory lies past the end of the file"));
        }
        let mut entries = Vec::with_capacity(count.min(1 << 16) as usize);
        let mut p = start;
        for i in 0..count {
            let entry = parse_central(&data, p)
                .ok_or_else(|| bad(&format!("central directory entry {} is damaged", i)))?;
            p = entry.1;
            entries.push(entry.0);
        }
        Ok(ZipArchive {
            path: path.to_string(),
            data,
            entries,
        })
    }

    /// The member named `name` exactly, else the only one whose name (without folders)
    /// matches ignoring case and surrounding spaces.
    pub fn find(&self, name: &str) -> Option<&Entry> {
        if let Some(e) = self.entries.iter().find(|e| e.name == name) {
            return Some(e);
        }
        let want = name.trim().to_lowercase();
        let mut hits = self.entries.iter().filter(|e| {
            let base = e.name.rsplit('/').next().unwrap_or(&e.name);
            base.trim().to_lowercase() == want
        });
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    }

    /// The names of all members, in directory order.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    /// The whole uncompressed content of `entry`, CRC-checked.
    pub fn read(&self, entry: &Entry) -> Result<Vec<u8>> {
        let bad = |why: String| {
            RaskError::io(format!(
                "'{}': member '{}' cannot be read: {}",
                self.path, entry.name, why
            ))
        };
        if entry.flags & 1 != 0 {
            return Err(bad("it is encrypted".into()));
        }
        let lh = entry.local_offset as usize;
        if u32_at(&self.data, lh) != Some(LOCAL_SIG) {
            return Err(bad("its local header is missing".into()));
        }
        let name_len = u16_at(&self.data, lh + 26).unwrap_or(0) as usize;
        let extra_len = u16_at(&self.data, lh + 28).unwrap_or(0) as usize;
        let begin = lh + 30 + name_len + extra_len;
        let end = begin.saturating_add(entry.compressed_size as usize);
        let raw = self
            .data
            .get(begin..end)
            .ok_or_else(|| bad("its data runs past the end of the file".into()))?;
        let size = usize::try_from(entry.size).map_err(|_| bad("it is too large".into()))?;
        let out = match entry.method {
            0 => {
                if raw.len() != size {
                    return Err(bad("stored sizes disagree".into()));
                }
                raw.to_vec()
            }
            8 => {
                let mut out = vec![0u8; size];
                let n = libdeflater::Decompressor::new()
                    .deflate_decompress(raw, &mut out)
                    .map_err(|e| bad(format!("inflate failed ({:?})", e)))?;
                if n != size {
                    return Err(bad(format!(
                        "inflated to {} bytes, the directory says {}",
                        n, size
                    )));
                }
                out
            }
            m => {
                return Err(bad(format!(
                    "compression method {} is not supported (only stored and deflate)",
                    m
                )))
            }
        };
        if libdeflater::crc32(&out) != entry.crc32 {
            return Err(bad("CRC-32 mismatch (the data is damaged)".into()));
        }
        Ok(out)
    }
}

/// The offset of the EOCD record: the last signature whose comment length fits.
fn find_eocd(data: &[u8]) -> Option<usize> {
    if data.len() < 22 {
        return None;
    }
    let lowest = data.len().saturating_sub(22 + 0xffff);
    (lowest..=data.len() - 22).rev().find(|&i| {
        u32_at(data, i) == Some(EOCD_SIG)
            && u16_at(data, i + 20).map(|c| i + 22 + c as usize) == Some(data.len())
    })
}

/// One central directory entry at `p`, and the offset of the next.
fn parse_central(data: &[u8], p: usize) -> Option<(Entry, usize)> {
    if u32_at(data, p)? != CENTRAL_SIG {
        return None;
    }
    let flags = u16_at(data, p + 8)?;
    let method = u16_at(data, p + 10)?;
    let crc32 = u32_at(data, p + 16)?;
    let mut compressed_size = u32_at(data, p + 20)? as u64;
    let mut size = u32_at(data, p + 24)? as u64;
    let name_len = u16_at(data, p + 28)? as usize;
    let extra_len = u16_at(data, p + 30)? as usize;
    let comment_len = u16_at(data, p + 32)? as usize;
    let mut local_offset = u32_at(data, p + 42)? as u64;
    let name_bytes = data.get(p + 46..p + 46 + name_len)?;
    // bit 11: UTF-8 names; otherwise CP437, which agrees with ASCII for these files
    let name = String::from_utf8_lossy(name_bytes).into_owned();
    let extra = data.get(p + 46 + name_len..p + 46 + name_len + extra_len)?;
    // ZIP64 extended information: the fields that overflowed, in this order
    let mut e = 0;
    while e + 4 <= extra.len() {
        let id = u16_at(extra, e)?;
        let len = u16_at(extra, e + 2)? as usize;
        if id == 1 {
            let mut q = e + 4;
            for field in [&mut size, &mut compressed_size, &mut local_offset] {
                if *field == 0xffff_ffff {
                    *field = u64_at(extra, q)?;
                    q += 8;
                }
            }
        }
        e += 4 + len;
    }
    let next = p + 46 + name_len + extra_len + comment_len;
    Some((
        Entry {
            name,
            method,
            flags,
            crc32,
            compressed_size,
            size,
            local_offset,
        },
        next,
    ))
}

/// Write a zip of `(name, content)` members, deflated or stored (for tests and fixtures).
pub fn write_zip(members: &[(&str, &[u8])], deflate: bool) -> Vec<u8> {
    fn put16(v: &mut Vec<u8>, xs: &[u16]) {
        xs.iter()
            .for_each(|x| v.extend_from_slice(&x.to_le_bytes()));
    }
    fn put32(v: &mut Vec<u8>, xs: &[u32]) {
        xs.iter()
            .for_each(|x| v.extend_from_slice(&x.to_le_bytes()));
    }
    let method = if deflate { 8 } else { 0 };
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut comp = libdeflater::Compressor::new(libdeflater::CompressionLvl::default());
    for (name, content) in members {
        let data = if deflate {
            let mut buf = vec![0u8; comp.deflate_compress_bound(content.len())];
            let n = comp.deflate_compress(content, &mut buf).unwrap_or(0);
            buf.truncate(n);
            buf
        } else {
            content.to_vec()
        };
        let crc = libdeflater::crc32(content);
        let offset = out.len() as u32;
        // local header: version, flags, method, time, date, crc, sizes, name and extra lengths
        put32(&mut out, &[LOCAL_SIG]);
        put16(&mut out, &[20, 0, method, 0, 0]);
        put32(&mut out, &[crc, data.len() as u32, content.len() as u32]);
        put16(&mut out, &[name.len() as u16, 0]);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        // central entry: versions, flags, method, time, date, crc, sizes, lengths, disk,
        // internal and external attributes, local header offset
        put32(&mut central, &[CENTRAL_SIG]);
        put16(&mut central, &[20, 20, 0, method, 0, 0]);
        put32(
            &mut central,
            &[crc, data.len() as u32, content.len() as u32],
        );
        put16(&mut central, &[name.len() as u16, 0, 0, 0, 0]);
        put32(&mut central, &[0, offset]);
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    put32(&mut out, &[EOCD_SIG]);
    let n = members.len() as u16;
    put16(&mut out, &[0, 0, n, n]);
    put32(&mut out, &[central.len() as u32, cd_offset]);
    put16(&mut out, &[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_lookup() {
        let big: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 97).to_le_bytes())
            .collect();
        let bytes = write_zip(&[("a.txt", b"hello\r\n"), ("dir/B Data.txt", &big)], true);
        let z = ZipArchive::from_bytes("t.zip", bytes).expect("open");
        assert_eq!(z.names(), vec!["a.txt", "dir/B Data.txt"]);
        let a = z.find("a.txt").expect("a");
        assert_eq!(z.read(a).expect("read a"), b"hello\r\n");
        // case-insensitive, folder-less fallback
        let b = z.find("b data.txt").expect("b");
        assert_eq!(z.read(b).expect("read b"), big);
        assert!(z.find("c.txt").is_none());
    }

    #[test]
    fn damage_is_reported_with_the_path() {
        let e = ZipArchive::from_bytes("junk.zip", b"this is not a zip at all".to_vec())
            .err()
            .expect("error");
        assert!(e.message.contains("junk.zip"), "{}", e.message);
        assert!(e.message.contains("end-of-central-directory"));

        let content: Vec<u8> = b"abcdefghij".repeat(1000);
        let mut bytes = write_zip(&[("x.txt", &content)], true);
        // flip a byte inside the deflated data: the inflate or the CRC must fail
        bytes[40] ^= 0x55;
        let z = ZipArchive::from_bytes("bad.zip", bytes).expect("directory intact");
        let e = z.read(&z.entries[0]).expect_err("damaged");
        assert!(e.message.contains("bad.zip") && e.message.contains("x.txt"));

        // truncated: the directory is gone
        let bytes = write_zip(&[("x.txt", &content)], true);
        let cut = bytes[..bytes.len() - 30].to_vec();
        assert!(ZipArchive::from_bytes("cut.zip", cut).is_err());
    }

    #[test]
    fn stored_members_and_an_archive_comment() {
        let mut bytes = write_zip(&[("s.txt", b"x")], false);
        let n = bytes.len();
        bytes[n - 2] = 3; // comment length 3
        bytes.extend_from_slice(b"abc");
        let z = ZipArchive::from_bytes("c.zip", bytes).expect("comment tolerated");
        assert_eq!(z.read(&z.entries[0]).expect("read"), b"x");
    }
}
