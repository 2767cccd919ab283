//! NumPy `.npy` files (format version 1.0, little-endian float64, C order), written a row at
//! a time: the header is rewritten after every row, so the file on disk is always a valid
//! array of the rows written so far (nothing is lost if a run stops) and `numpy.load` reads
//! it directly. Shapes are `[rows, *row_shape]`.

use crate::error::Error;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes reserved for magic, version, header length and header (a multiple of 64, with room
/// for any shape).
const HEADER_BYTES: usize = 128;

/// The header block of an array of `shape` (float64, C order), padded to `HEADER_BYTES` (128).
pub fn header(shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape_text = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let dict = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape_text}, }}");
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    let len = HEADER_BYTES - 10;
    out.extend_from_slice(&(len as u16).to_le_bytes());
    let mut text = dict.into_bytes();
    text.resize(len - 1, b' ');
    text.push(b'\n');
    out.extend_from_slice(&text);
    out
}

/// An `.npy` file growing by one row of `row_len` values at a time.
pub struct NpyWriter {
    w: BufWriter<File>,
    path: PathBuf,
    row_shape: Vec<usize>,
    row_len: usize,
    rows: usize,
}

impl NpyWriter {
    pub fn create(path: &Path, row_shape: &[usize]) -> Result<Self, Error> {
        let f = File::create(path).map_err(|e| Error::io(path.display(), e))?;
        let mut w = NpyWriter {
            w: BufWriter::new(f),
            path: path.to_path_buf(),
            row_shape: row_shape.to_vec(),
            row_len: row_shape.iter().product(),
            rows: 0,
        };
        w.write_header()?;
        Ok(w)
    }

    fn err(&self, e: impl std::fmt::Display) -> Error {
        Error::io(self.path.display(), e)
    }

    fn write_header(&mut self) -> Result<(), Error> {
        let mut shape = vec![self.rows];
        shape.extend(&self.row_shape);
        let h = header(&shape);
        self.w.flush().map_err(|e| self.err(e))?;
        let f = self.w.get_mut();
        f.seek(SeekFrom::Start(0)).map_err(|e| Error::io("npy", e))?;
        f.write_all(&h).map_err(|e| Error::io("npy", e))?;
        f.seek(SeekFrom::End(0)).map_err(|e| Error::io("npy", e))?;
        Ok(())
    }

    /// Appends one row (exactly `row_len` values) and updates the header.
    pub fn push(&mut self, row: &[f64]) -> Result<(), Error> {
        debug_assert_eq!(row.len(), self.row_len);
        for v in row {
            self.w.write_all(&v.to_le_bytes()).map_err(|e| self.err(e))?;
        }
        self.rows += 1;
        self.write_header()
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// Writes a whole 2-D array (`rows` × `cols`, row-major) at once.
pub fn write_2d(path: &Path, data: &[f64], cols: usize) -> Result<(), Error> {
    let mut w = NpyWriter::create(path, &[cols])?;
    for row in data.chunks(cols.max(1)) {
        for v in row {
            w.w.write_all(&v.to_le_bytes()).map_err(|e| w.err(e))?;
        }
        w.rows += 1;
    }
    w.write_header()
}

/// Reads a float64 `.npy` written by this module: (shape, values).
pub fn read(path: &Path) -> Result<(Vec<usize>, Vec<f64>), Error> {
    let bytes = super::read_input(path).map_err(|e| super::bad_file(path, e))?;
    let bad = |why: &str| super::bad_file(path, why);
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(bad("is not an .npy file"));
    }
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let text = std::str::from_utf8(bytes.get(10..10 + hlen).ok_or_else(|| bad("header cut off"))?)
        .map_err(|_| bad("header is not text"))?;
    if !text.contains("'<f8'") {
        return Err(bad("is not float64"));
    }
    let s = text.split("'shape': (").nth(1).and_then(|r| r.split(')').next()).ok_or_else(|| bad("no shape"))?;
    let shape: Vec<usize> = s
        .split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| x.parse().map_err(|_| bad("bad shape")))
        .collect::<Result<_, _>>()?;
    let n: usize = shape.iter().product();
    let data = &bytes[10 + hlen..];
    if data.len() != 8 * n {
        return Err(bad("holds a different number of values than its shape"));
    }
    Ok((shape, data.chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().expect("8 bytes"))).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_a_64_byte_multiple_and_rows_round_trip() {
        assert_eq!(header(&[3, 2]).len() % 64, 0);
        assert!(String::from_utf8_lossy(&header(&[7])).contains("'shape': (7,)"));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.npy");
        let mut w = NpyWriter::create(&p, &[2, 3]).unwrap();
        w.push(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
        // Valid after every row.
        assert_eq!(read(&p).unwrap().0, vec![1, 2, 3]);
        w.push(&[-1.0; 6]).unwrap();
        drop(w);
        let (shape, v) = read(&p).unwrap();
        assert_eq!(shape, vec![2, 2, 3]);
        assert_eq!(v[5], 6.0);
        assert_eq!(v[11], -1.0);
    }
}
