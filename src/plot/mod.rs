//! TEMPORARY STUB (replaced by the real module).
use std::path::Path;
pub struct IslandGlyph { pub x: f64, pub y: f64, pub angle: f64, pub length: f64, pub width: f64, pub ellipse: bool, pub m: [f64; 3] }
pub fn m_vs_t(_png: &Path, _svg: Option<&Path>, _t: &[f64], _mx: &[f64], _my: &[f64], _mz: &[f64]) -> Result<(), String> { Ok(()) }
pub fn lattice_map(_png: &Path, _svg: Option<&Path>, _title: &str, _i: &[IslandGlyph]) -> Result<(), String> { Ok(()) }
