//! `nanomag compare A.csv B.csv … --label … --out FIG.png`: ⟨m⟩(t) of several tables on one
//! figure (nanomag's `table.csv`, or a reference curve with columns t or t_s, mx, my, mz;
//! lines starting with `#` are comments), and for each: ⟨m⟩ at its last time and the first
//! zero crossing of ⟨mx⟩ (linear interpolation), printed and written to FIG.json.

use crate::error::{ConfigError, Error};
use crate::io;
use crate::plot::{self, MCompare, MSource};
use serde_json::json;
use std::path::{Path, PathBuf};

/// Reads t (s), mx, my, mz from a CSV table.
pub fn read_m(path: &Path) -> Result<MSource, Error> {
    let text = io::read_input_text(path).map_err(|e| io::bad_file(path, e))?;
    let mut lines = text.lines().filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty());
    let bad = |why: String| -> Error { ConfigError::new("compare", path.display(), why).into() };
    let header: Vec<&str> = lines.next().ok_or_else(|| bad("is empty".into()))?.split(',').map(str::trim).collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(h));
    let idx = [col(&["t", "t_s"]), col(&["mx"]), col(&["my"]), col(&["mz"])];
    let idx: Vec<usize> = idx
        .iter()
        .map(|i| i.ok_or_else(|| bad(format!("needs columns t (or t_s), mx, my, mz; has {}", header.join(",")))))
        .collect::<Result<_, _>>()?;
    let mut src = MSource { label: String::new(), t: vec![], m: [vec![], vec![], vec![]] };
    for (n, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let get = |k: usize| -> Result<f64, Error> {
            f.get(idx[k])
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| v.is_finite() && v.abs() <= 1e6)
                .ok_or_else(|| bad(format!("row {}: t (s) and m must be finite numbers with |value| ≤ 1e6", n + 1)))
        };
        src.t.push(get(0)?);
        for c in 0..3 {
            src.m[c].push(get(c + 1)?);
        }
    }
    if src.t.is_empty() {
        return Err(bad("has no rows".into()));
    }
    Ok(src)
}

/// First time ⟨mx⟩ goes from positive to ≤ 0, by linear interpolation.
pub fn first_zero(s: &MSource) -> Option<f64> {
    let (t, mx) = (&s.t, &s.m[0]);
    (1..t.len())
        .find(|&k| mx[k - 1] > 0.0 && mx[k] <= 0.0)
        .map(|k| t[k - 1] + (t[k] - t[k - 1]) * mx[k - 1] / (mx[k - 1] - mx[k]))
}

pub fn run(files: &[PathBuf], labels: &[String], title: &str, out: &Path) -> Result<(), Error> {
    if files.is_empty() || files.len() > 4 {
        return Err(ConfigError::new("FILES", files.len(), "give 1 to 4 tables").into());
    }
    if !labels.is_empty() && labels.len() != files.len() {
        return Err(
            ConfigError::new("--label", labels.len(), format!("give one label per file ({})", files.len())).into()
        );
    }
    let mut sources = Vec::new();
    let mut report = Vec::new();
    for (k, f) in files.iter().enumerate() {
        let mut s = read_m(f)?;
        s.label = labels.get(k).cloned().unwrap_or_else(|| f.display().to_string());
        let last = s.t.len() - 1;
        let zero = first_zero(&s);
        println!(
            "compare: {}: <m>({:.4e} s) = ({:.5}, {:.5}, {:.5}); first zero of <mx> at {}",
            s.label,
            s.t[last],
            s.m[0][last],
            s.m[1][last],
            s.m[2][last],
            zero.map_or("none".to_string(), |z| format!("{z:.4e} s"))
        );
        report.push(json!({
            "file": f.display().to_string(), "label": s.label, "t_end_s": s.t[last],
            "m_end": [s.m[0][last], s.m[1][last], s.m[2][last]], "first_zero_mx_s": zero,
        }));
        sources.push(s);
    }
    plot::m_compare(out, Some(&out.with_extension("svg")), &MCompare { title: title.to_string(), sources })
        .map_err(|e| Error::io("figure", e))?;
    io::write_json(&out.with_extension("json"), &json!({ "title": title, "sources": report }))?;
    Ok(())
}
