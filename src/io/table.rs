//! `table.csv`: one row per output time, flushed as it is written so nothing is lost if the
//! run stops. Columns (SI, unit in the name): t_s, mx, my, mz (moment-weighted ⟨m⟩, 1),
//! bx_t, by_t, bz_t (applied μ0H, T), e_total_j, w_ext_j, q_diss_j, then one column
//! `<term>_j` per registered energy term of the engine, in registration order (macrospin:
//! e_zeeman, e_shape[, e_anisotropy][, e_dipolar]; micromagnetic: e_exchange, e_demag[,
//! e_anisotropy], e_zeeman; switching engines: e_zeeman, e_dipolar). e_total is their sum.
//! Engines may add columns of their own after these (switching engines: `flips`, the flips
//! of the last field step or output interval, and `flips_total`).

use crate::engine::Observables;
use crate::error::Error;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// The header of a `table.csv` whose engine registers the energy parts `parts` and the
/// extra columns `extra` (names with their unit).
pub fn header(parts: &[&str], extra: &[&str]) -> Vec<String> {
    let mut h: Vec<String> = ["t_s", "mx", "my", "mz", "bx_t", "by_t", "bz_t", "e_total_j", "w_ext_j", "q_diss_j"]
        .map(String::from)
        .to_vec();
    h.extend(parts.iter().map(|p| format!("{p}_j")));
    h.extend(extra.iter().map(|e| e.to_string()));
    h
}

pub struct TableWriter {
    w: csv::Writer<BufWriter<File>>,
    path: PathBuf,
    parts: Vec<&'static str>,
    extra: usize,
}

impl TableWriter {
    /// A table for observables like `first` (its registered parts make the columns).
    pub fn create(path: &Path, first: &Observables) -> Result<Self, Error> {
        let f = File::create(path).map_err(|e| Error::io(path.display(), e))?;
        let mut w = csv::Writer::from_writer(BufWriter::new(f));
        let parts: Vec<&'static str> = first.parts.iter().map(|p| p.0).collect();
        let extra: Vec<&'static str> = first.extra.iter().map(|p| p.0).collect();
        w.write_record(header(&parts, &extra)).map_err(|e| Error::io(path.display(), e))?;
        Ok(TableWriter { w, path: path.to_path_buf(), parts, extra: extra.len() })
    }

    /// Appends one row and flushes it to disk.
    pub fn write(&mut self, o: &Observables) -> Result<(), Error> {
        let mut rec = vec![o.t, o.m.x, o.m.y, o.m.z, o.b_ext.x, o.b_ext.y, o.b_ext.z, o.e_total, o.w_ext, o.q_diss];
        for (name, p) in self.parts.iter().zip(&o.parts) {
            debug_assert_eq!(*name, p.0, "the energy parts changed during the run");
            rec.push(p.1);
        }
        rec.extend(o.extra.iter().take(self.extra).map(|e| e.1));
        let err = |e: &dyn std::fmt::Display| Error::io(self.path.display(), e);
        self.w.write_record(rec.iter().map(|x| format!("{x:e}"))).map_err(|e| err(&e))?;
        self.w.flush().map_err(|e| err(&e))
    }
}

/// Reads a `table.csv` back as (header, rows).
pub fn read(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>), Error> {
    let bad = |e: csv::Error| super::bad_file(path, e);
    let bytes = super::read_input(path).map_err(|e| super::bad_file(path, e))?;
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let header = r.headers().map_err(bad)?.iter().map(String::from).collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(bad)?;
        let n = rows.len() + 1;
        let row = rec
            .iter()
            .enumerate()
            .map(|(c, s)| match s.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => {
                    Err(super::bad_file(path, format!("data row {n}, column {}: {s:?} is not a finite number", c + 1)))
                }
            })
            .collect::<Result<Vec<f64>, Error>>()?;
        rows.push(row);
    }
    Ok((header, rows))
}
