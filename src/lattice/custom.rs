//! Custom arrays: magnets listed in the config (`lattice.magnets = [{ x, y, angle, … }]`) or
//! in a CSV file (`lattice.file`, path relative to the config file) with header columns
//! `x,y,angle` (m, m, degrees) and optionally `length,width,thickness` (m); the other columns
//! of a `magnets.csv` written by `nanomag simulate` are allowed (so it reads back as a
//! lattice) and ignored; any other column is refused (a misspelt `widht` must not vanish).
//! `spacing` (the unit of `coupling.cutoff`) defaults to the median nearest-neighbour distance.

use super::Lattice;
use crate::config::checks;
use crate::config::raw::{RawCustomMagnet, RawLattice};
use crate::error::ConfigError;
use crate::geometry::neighbours::pairs_within;
use crate::geometry::Island;
use crate::geometry::MagnetSpec;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone)]
pub struct Custom {
    pub islands: Vec<Island>,
    pub spacing: f64,
}

#[derive(Debug, Deserialize)]
struct CsvMagnet {
    x: f64,
    y: f64,
    angle: f64,
    length: Option<f64>,
    width: Option<f64>,
    thickness: Option<f64>,
}

/// Reads magnets from a CSV file (columns as in the module doc).
pub fn read_csv(path: &Path) -> Result<Vec<RawCustomMagnet>, ConfigError> {
    let key = "lattice.file";
    let shown = path.display().to_string();
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(std::io::Cursor::new(crate::io::read_input(path).map_err(|e| ConfigError::new(key, &shown, e))?));
    let header = rdr.headers().map_err(|e| ConfigError::new(key, &shown, format!("has no header line: {e}")))?;
    if let Some(c) = header.iter().find(|c| !crate::io::magnets::COLUMNS.contains(c)) {
        return Err(ConfigError::new(
            key,
            &shown,
            format!(
                "has a column {c:?} nanomag does not read: columns are x,y,angle[,length,width,thickness] and the other columns of a nanomag magnets.csv ({})",
                crate::io::magnets::COLUMNS.join(",")
            ),
        ));
    }
    let mut out = Vec::new();
    for (k, row) in rdr.deserialize::<CsvMagnet>().enumerate() {
        let r = row.map_err(|e| {
            ConfigError::new(
                key,
                &shown,
                format!("data row {}: {e} (need columns x,y,angle[,length,width,thickness])", k + 1),
            )
        })?;
        out.push(RawCustomMagnet {
            x: r.x,
            y: r.y,
            angle: r.angle,
            length: r.length,
            width: r.width,
            thickness: r.thickness,
        });
    }
    Ok(out)
}

/// The `[lattice]` keys this kind owns.
pub const KEYS: &[&str] = &["magnets", "file", "spacing"];

pub fn from_config(raw: &RawLattice, magnet: &MagnetSpec, base_dir: &Path) -> Result<Box<dyn Lattice>, ConfigError> {
    let list = match (&raw.magnets, &raw.file) {
        (Some(_), Some(_)) => {
            return Err(ConfigError::new(
                "lattice.file",
                raw.file.as_deref().unwrap_or(""),
                "give either lattice.magnets or lattice.file, not both",
            ))
        }
        (Some(m), None) => m.clone(),
        (None, Some(f)) => read_csv(&base_dir.join(f))?,
        (None, None) => {
            return Err(checks::missing(
                "lattice.magnets",
                "a custom lattice lists its magnets inline or in lattice.file",
            ))
        }
    };
    if list.is_empty() {
        return Err(ConfigError::new("lattice.magnets", "[]", "must list at least one magnet"));
    }
    let mut islands = Vec::with_capacity(list.len());
    for (k, m) in list.iter().enumerate() {
        let key = |f: &str| format!("lattice.magnets[{k}].{f}");
        let x = checks::in_range(&key("x"), m.x, -1.0, 1.0, "m")?;
        let y = checks::in_range(&key("y"), m.y, -1.0, 1.0, "m")?;
        let angle = checks::in_range(&key("angle"), m.angle, -360.0, 360.0, "degrees")?.to_radians();
        let mut isl = magnet.island(x, y, angle, 0);
        if let Some(l) = m.length {
            isl.length = checks::in_range(&key("length"), l, 1e-9, 1e-5, "m")?;
        }
        if let Some(w) = m.width {
            isl.width = checks::in_range(&key("width"), w, 1e-9, isl.length, "m (≤ length)")?;
        }
        if let Some(t) = m.thickness {
            isl.thickness = checks::in_range(&key("thickness"), t, 1e-10, 1e-6, "m")?;
        }
        islands.push(isl);
    }
    let spacing = match raw.spacing {
        Some(s) => checks::in_range("lattice.spacing", s, 1e-9, 1e-3, "m")?,
        None => median_nearest_distance(&islands),
    };
    Ok(Box::new(Custom { islands, spacing }))
}

/// Median over islands of the distance to the nearest other island (2·length for one island).
fn median_nearest_distance(islands: &[Island]) -> f64 {
    if islands.len() < 2 {
        return 2.0 * islands[0].length;
    }
    let pos: Vec<(f64, f64)> = islands.iter().map(|i| (i.x, i.y)).collect();
    let mut rc = islands.iter().map(|i| i.length).fold(0.0, f64::max);
    loop {
        let near = pairs_within(&pos, rc);
        if near.iter().all(|v| !v.is_empty()) {
            let mut d: Vec<f64> = near
                .iter()
                .enumerate()
                .map(|(i, js)| {
                    js.iter().map(|&j| (pos[j].0 - pos[i].0).hypot(pos[j].1 - pos[i].1)).fold(f64::INFINITY, f64::min)
                })
                .collect();
            d.sort_by(f64::total_cmp);
            return d[d.len() / 2];
        }
        rc *= 2.0;
    }
}

impl Lattice for Custom {
    fn name(&self) -> &'static str {
        "custom"
    }
    fn islands(&self) -> Vec<Island> {
        self.islands.clone()
    }
    fn spacing(&self) -> f64 {
        self.spacing
    }
}
