//! Which file is which: a file's identity on its volume (device and inode on Unix, volume
//! serial number and file index on Windows) and a fingerprint of its first bytes.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Bytes of a file's start that identify its content.
pub const FP_BYTES: u64 = 1024;

/// A file's identity on its volume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
}

#[cfg(unix)]
pub fn file_id(_path: &Path, meta: &std::fs::Metadata) -> io::Result<FileId> {
    use std::os::unix::fs::MetadataExt;
    Ok(FileId {
        dev: meta.dev(),
        ino: meta.ino(),
    })
}

#[cfg(windows)]
pub fn file_id(path: &Path, _meta: &std::fs::Metadata) -> io::Result<FileId> {
    // The volume serial number and file index identify a file as device and inode do;
    // std's Metadata has them only on nightly, so ask the open handle.
    let f = File::open(path)?;
    let info = winapi_util::file::information(&f)?;
    Ok(FileId {
        dev: info.volume_serial_number(),
        ino: info.file_index(),
    })
}

#[cfg(not(any(unix, windows)))]
pub fn file_id(path: &Path, _meta: &std::fs::Metadata) -> io::Result<FileId> {
    // No identity: the path stands in for it (renames then look like new files).
    let h = fnv(path.to_string_lossy().as_bytes(), FNV_START);
    Ok(FileId { dev: 0, ino: h })
}

pub const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, continued from `h`: stable across releases, so checkpoints are too.
pub fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The fingerprint of a file's first `len` bytes.
pub fn fingerprint(file: &mut File, len: u64) -> io::Result<u64> {
    let mut buf = [0u8; FP_BYTES as usize];
    let buf = &mut buf[..len as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(buf)?;
    Ok(fnv(buf, FNV_START))
}

/// Whether `copy`'s last bytes (up to [`FP_BYTES`] before `len`) are the bytes at the same
/// place in the file at `orig`.
pub fn same_bytes_before(copy: &mut File, orig: &Path, len: u64) -> bool {
    let n = len.min(FP_BYTES) as usize;
    let at = len - n as u64;
    let read = |f: &mut File| -> io::Result<Vec<u8>> {
        let mut b = vec![0; n];
        f.seek(SeekFrom::Start(at))?;
        f.read_exact(&mut b)?;
        Ok(b)
    };
    match (read(copy), File::open(orig).and_then(|mut f| read(&mut f))) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
