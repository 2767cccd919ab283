//! `table.csv`: one row per output time, flushed as it is written so nothing is lost if the
//! run stops. Columns (SI): t (s), mx, my, mz (volume-weighted ⟨m⟩, 1), bx, by, bz (applied
//! μ0H, T), e_total, w_ext, q_diss, e_zeeman, e_shape, e_anisotropy, e_dipolar (J). The
//! micromagnetic solver appends e_exchange and e_demag (J); its demag energy covers both
//! the islands' self-energy and their mutual coupling, so its e_shape and e_dipolar are NaN.

use crate::engine::{Observables, ENERGY_PARTS};
use crate::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The header of `table.csv`.
pub fn header() -> Vec<&'static str> {
    let mut h = vec!["t", "mx", "my", "mz", "bx", "by", "bz", "e_total", "w_ext", "q_diss"];
    h.extend(ENERGY_PARTS);
    h
}

pub struct TableWriter {
    w: csv::Writer<BufWriter<File>>,
    path: PathBuf,
}

impl TableWriter {
    pub fn create(path: &Path) -> Result<Self, Error> {
        Self::create_with(path, &[])
    }

    /// A table with extra columns after the standard ones.
    pub fn create_with(path: &Path, extra: &[&str]) -> Result<Self, Error> {
        let f = File::create(path).map_err(|e| Error::io(path.display(), e))?;
        let mut w = csv::Writer::from_writer(BufWriter::new(f));
        let mut h = header();
        h.extend(extra);
        w.write_record(h).map_err(|e| Error::io(path.display(), e))?;
        Ok(TableWriter { w, path: path.to_path_buf() })
    }

    /// Appends one row and flushes it to disk.
    pub fn write(&mut self, o: &Observables) -> Result<(), Error> {
        self.write_with(o, &[])
    }

    /// Appends one row with the values of the extra columns.
    pub fn write_with(&mut self, o: &Observables, extra: &[f64]) -> Result<(), Error> {
        let mut rec = vec![o.t, o.m.x, o.m.y, o.m.z, o.b_ext.x, o.b_ext.y, o.b_ext.z, o.e_total, o.w_ext, o.q_diss];
        rec.extend(o.parts);
        rec.extend(extra);
        let err = |e: &dyn std::fmt::Display| Error::io(self.path.display(), e);
        self.w.write_record(rec.iter().map(|x| format!("{x:e}"))).map_err(|e| err(&e))?;
        self.w.flush().map_err(|e| err(&e))
    }
}

/// Reads a `table.csv` back as (header, rows).
pub fn read(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>), Error> {
    let mut r = csv::Reader::from_path(path).map_err(|e| Error::io(path.display(), e))?;
    let header = r.headers().map_err(|e| Error::io(path.display(), e))?.iter().map(String::from).collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::io(path.display(), e))?;
        rows.push(rec.iter().map(|s| s.parse::<f64>().unwrap_or(f64::NAN)).collect());
    }
    Ok((header, rows))
}
