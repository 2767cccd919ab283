//! OVF files (OOMMF vector field format): write OVF 2.0 (`text`, `Binary 4`, `Binary 8`;
//! binary data little-endian after the check value 1234567.0 (f32) or 123456789012345.0 (f64),
//! as the OVF 2.0 specification requires) and read OVF 2.0 and OVF 1.0 (whose binary data are
//! big-endian). Rectangular meshes; values x-fastest, then y, then z.

use crate::error::Error;
use std::path::Path;

/// A vector (or scalar) field on a rectangular grid.
#[derive(Debug, Clone, PartialEq)]
pub struct OvfField {
    pub title: String,
    /// Cells along x, y, z.
    pub n: [usize; 3],
    /// Cell size (m).
    pub d: [f64; 3],
    /// Lower corner (m).
    pub min: [f64; 3],
    /// Values per cell (3 for m).
    pub dim: usize,
    /// `n[0]·n[1]·n[2]·dim` values, x fastest.
    pub data: Vec<f64>,
}

impl OvfField {
    /// The unit magnetisation `m` (3 per cell) on `mesh`, with a title.
    pub fn of_mesh(mesh: &crate::geometry::mesh::Mesh, m: &[f64], title: String) -> OvfField {
        OvfField { title, n: mesh.n, d: mesh.d, min: mesh.origin, dim: 3, data: m.to_vec() }
    }
}

/// Data encodings of OVF 2.0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OvfFormat {
    Text,
    #[default]
    Binary4,
    Binary8,
}

impl OvfFormat {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "text" => Some(OvfFormat::Text),
            "binary4" | "Binary 4" => Some(OvfFormat::Binary4),
            "binary8" | "Binary 8" => Some(OvfFormat::Binary8),
            _ => None,
        }
    }
    fn label(&self) -> &'static str {
        match self {
            OvfFormat::Text => "Text",
            OvfFormat::Binary4 => "Binary 4",
            OvfFormat::Binary8 => "Binary 8",
        }
    }
}

/// The OVF 2.0 bytes of a field.
pub fn to_bytes(f: &OvfField, format: OvfFormat) -> Vec<u8> {
    let mut h = String::from("# OOMMF OVF 2.0\n# Segment count: 1\n# Begin: Segment\n# Begin: Header\n");
    h += &format!("# Title: {}\n# meshtype: rectangular\n# meshunit: m\n", f.title);
    for (k, ax) in ["x", "y", "z"].iter().enumerate() {
        h += &format!("# {ax}min: {:e}\n", f.min[k]);
    }
    for (k, ax) in ["x", "y", "z"].iter().enumerate() {
        h += &format!("# {ax}max: {:e}\n", f.min[k] + f.n[k] as f64 * f.d[k]);
    }
    h += &format!("# valuedim: {}\n", f.dim);
    let labels: Vec<String> =
        (0..f.dim).map(|c| format!("{}_{}", f.title, ["x", "y", "z"].get(c).unwrap_or(&"c"))).collect();
    h += &format!("# valuelabels: {}\n# valueunits: {}\n", labels.join(" "), vec!["1"; f.dim].join(" "));
    for (k, ax) in ["x", "y", "z"].iter().enumerate() {
        h += &format!("# {ax}base: {:e}\n", f.min[k] + 0.5 * f.d[k]);
    }
    for (k, ax) in ["x", "y", "z"].iter().enumerate() {
        h += &format!("# {ax}nodes: {}\n", f.n[k]);
    }
    for (k, ax) in ["x", "y", "z"].iter().enumerate() {
        h += &format!("# {ax}stepsize: {:e}\n", f.d[k]);
    }
    h += &format!("# End: Header\n# Begin: Data {}\n", format.label());
    let mut out = h.into_bytes();
    match format {
        OvfFormat::Text => {
            for cell in f.data.chunks(f.dim) {
                let row: Vec<String> = cell.iter().map(|v| format!("{v:e}")).collect();
                out.extend_from_slice(row.join(" ").as_bytes());
                out.push(b'\n');
            }
        }
        OvfFormat::Binary4 => {
            out.extend_from_slice(&1234567.0f32.to_le_bytes());
            for v in &f.data {
                out.extend_from_slice(&(*v as f32).to_le_bytes());
            }
            out.push(b'\n');
        }
        OvfFormat::Binary8 => {
            out.extend_from_slice(&123456789012345.0f64.to_le_bytes());
            for v in &f.data {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.push(b'\n');
        }
    }
    out.extend_from_slice(format!("# End: Data {}\n# End: Segment\n", format.label()).as_bytes());
    out
}

pub fn write(path: &Path, f: &OvfField, format: OvfFormat) -> Result<(), Error> {
    std::fs::write(path, to_bytes(f, format)).map_err(|e| Error::io(path.display(), e))
}

fn bad(what: impl std::fmt::Display) -> Error {
    Error::io("ovf", what)
}

/// The lines of OVF bytes, one at a time (`\r\n` or `\n`; invalid UTF-8 replaced), and the
/// position after the last line read (where binary data start).
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Lines<'_> {
    /// The next line without its line end, or None at the end of the bytes.
    fn next_line(&mut self) -> Option<String> {
        let p = self.pos;
        if p >= self.bytes.len() {
            return None;
        }
        let end = self.bytes[p..].iter().position(|&b| b == b'\n').map_or(self.bytes.len(), |i| p + i);
        let l = String::from_utf8_lossy(&self.bytes[p..end]).trim_end_matches('\r').to_string();
        self.pos = end + 1;
        Some(l)
    }
}

/// Parses OVF 1.0 or 2.0 bytes (one segment, rectangular mesh).
pub fn from_bytes(bytes: &[u8]) -> Result<OvfField, Error> {
    let mut lines = Lines { bytes, pos: 0 };
    let first = lines.next_line().ok_or_else(|| bad("empty file"))?;
    let v2 = first.contains("OVF 2.0");
    if !v2 && !first.to_lowercase().contains("rectangular mesh v1.0") && !first.contains("OVF 1.0") {
        return Err(bad(format!("not an OVF 1.0/2.0 file (first line {first:?})")));
    }
    let mut f = OvfField { title: String::new(), n: [0; 3], d: [0.0; 3], min: [0.0; 3], dim: 3, data: Vec::new() };
    let encoding = header(&mut lines, &mut f)?;
    let count = value_count(&f, bytes.len().saturating_sub(lines.pos))?;
    f.data.reserve(count);
    match encoding.as_str() {
        "text" => text_data(&mut lines, count, &mut f.data)?,
        "binary 4" | "binary 8" => {
            let w = if encoding == "binary 4" { 4 } else { 8 };
            binary_data(&bytes[lines.pos.min(bytes.len())..], w, v2, count, &mut f.data)?
        }
        other => return Err(bad(format!("data encoding {other:?} (text, binary 4, binary 8)"))),
    }
    Ok(f)
}

/// Reads the header lines (`# key: value`) into `f` up to `# Begin: Data ENCODING`; returns
/// the encoding in lower case (`text`, `binary 4`, `binary 8`, or what the file says).
fn header(lines: &mut Lines, f: &mut OvfField) -> Result<String, Error> {
    loop {
        let l = lines.next_line().ok_or_else(|| bad("no data block"))?;
        let l = l.trim_start_matches('#').trim();
        let Some((key, value)) = l.split_once(':') else { continue };
        let (key, value) = (key.trim().to_lowercase(), value.trim());
        let num = || value.parse::<f64>().map_err(|_| bad(format!("{key} = {value:?} is not a number")));
        match key.as_str() {
            "title" => f.title = value.to_string(),
            "meshtype" if value != "rectangular" => return Err(bad(format!("meshtype {value} (only rectangular)"))),
            "valuedim" => f.dim = num()? as usize,
            "xmin" => f.min[0] = num()?,
            "ymin" => f.min[1] = num()?,
            "zmin" => f.min[2] = num()?,
            "xnodes" => f.n[0] = num()? as usize,
            "ynodes" => f.n[1] = num()? as usize,
            "znodes" => f.n[2] = num()? as usize,
            "xstepsize" => f.d[0] = num()?,
            "ystepsize" => f.d[1] = num()?,
            "zstepsize" => f.d[2] = num()?,
            "begin" if value.to_lowercase().starts_with("data") => return Ok(value[4..].trim().to_lowercase()),
            _ => {}
        }
    }
}

/// The number of values the header declares, n_x·n_y·n_z·valuedim, checked: > 0, at most
/// `rest / 2` (every value needs at least 2 bytes of text — a digit and a separator — or its
/// binary width, so a header declaring more than the `rest` bytes of data can hold is refused
/// before allocating), and finite cell sizes > 0 and a finite corner.
fn value_count(f: &OvfField, rest: usize) -> Result<usize, Error> {
    let count = f.n.iter().chain([&f.dim]).try_fold(1usize, |a, &b| a.checked_mul(b)).unwrap_or(usize::MAX);
    if count == 0 {
        return Err(bad("xnodes, ynodes, znodes and valuedim must be given and > 0"));
    }
    if count > rest / 2 {
        return Err(bad(format!(
            "declares {} × {} × {} cells of {} values, more than its {rest} bytes of data can hold",
            f.n[0], f.n[1], f.n[2], f.dim
        )));
    }
    if !(f.d.iter().all(|d| d.is_finite() && *d > 0.0) && f.min.iter().all(|m| m.is_finite())) {
        return Err(bad(format!("cell size {:?} m and corner {:?} m must be finite, sizes > 0", f.d, f.min)));
    }
    Ok(count)
}

/// Appends `count` whitespace-separated text values from the next lines to `data` (values
/// past `count` on the last line are dropped); a comment line or the end of the bytes before
/// `count` values is an error.
fn text_data(lines: &mut Lines, count: usize, data: &mut Vec<f64>) -> Result<(), Error> {
    while data.len() < count {
        let short = |n: usize| bad(format!("text data ends after {n} of {count} values"));
        let l = lines.next_line().ok_or_else(|| short(data.len()))?;
        if l.trim_start().starts_with('#') {
            return Err(short(data.len()));
        }
        for t in l.split_whitespace() {
            data.push(t.parse().map_err(|_| bad(format!("bad value {t:?}")))?);
        }
    }
    data.truncate(count);
    Ok(())
}

/// Appends `count` binary values of width `w` (4: f32, 8: f64) from `raw` to `data`, after
/// checking the leading check value (1234567.0 for f32, 123456789012345.0 for f64). OVF 2.0
/// (`v2`) is little-endian, OVF 1.0 big-endian.
fn binary_data(raw: &[u8], w: usize, v2: bool, count: usize, data: &mut Vec<f64>) -> Result<(), Error> {
    let need = w * (count + 1);
    if raw.len() < need {
        return Err(bad(format!("binary data too short: {} bytes for {count} values", raw.len())));
    }
    let value = |i: usize| -> f64 {
        let b = &raw[w * i..w * (i + 1)];
        match (w, v2) {
            (4, true) => f32::from_le_bytes(b.try_into().expect("4 bytes")) as f64,
            (4, false) => f32::from_be_bytes(b.try_into().expect("4 bytes")) as f64,
            (_, true) => f64::from_le_bytes(b.try_into().expect("8 bytes")),
            (_, false) => f64::from_be_bytes(b.try_into().expect("8 bytes")),
        }
    };
    let check = if w == 4 { 1234567.0 } else { 123456789012345.0 };
    if value(0) != check {
        return Err(bad(format!("check value {} ≠ {check} (wrong endianness or corrupt file)", value(0))));
    }
    data.extend((1..=count).map(value));
    Ok(())
}

pub fn read(path: &Path) -> Result<OvfField, Error> {
    let bytes = super::read_input(path).map_err(|e| super::bad_file(path, e))?;
    from_bytes(&bytes).map_err(|e| match e {
        Error::Io(why) => super::bad_file(path, why.trim_start_matches("ovf: ")),
        e => e,
    })
}
