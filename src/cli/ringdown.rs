//! `nanomag ringdown TABLE.csv --column my --out DIR`: the power spectrum of a recorded
//! ringdown ([`crate::spectrum::ringdown`]): DIR/spectrum.csv (`f_hz,power`),
//! DIR/spectrum.png/.svg (log10 of the power relative to the strongest line) and
//! DIR/lines.json (the lines, the resolution 1/T).

use crate::error::{ConfigError, Error};
use crate::spectrum::ringdown::from_table;
use crate::{io, plot};
use serde_json::json;
use std::path::Path;

pub fn run(
    table: &Path,
    column: &str,
    from: f64,
    pad: usize,
    f_max: f64,
    out: &Path,
    quiet: bool,
) -> Result<(), Error> {
    if !(from.is_finite() && from >= 0.0) {
        return Err(ConfigError::new("--from", from, "must be a time ≥ 0 (s)").into());
    }
    if !(1..=64).contains(&pad) {
        return Err(ConfigError::new("--pad", pad, "must be a whole number in [1, 64]").into());
    }
    if !(f_max.is_finite() && f_max > 0.0) {
        return Err(ConfigError::new("--f-max", f_max, "must be a frequency > 0 (Hz)").into());
    }
    let r = from_table(table, column, from, pad)?;
    crate::io::out_dir(out)?;
    let keep: Vec<usize> = (0..r.f.len()).filter(|&k| r.f[k] <= f_max).collect();
    let path = out.join("spectrum.csv");
    let err = |e: csv::Error| Error::io(path.display(), e);
    let mut w = csv::Writer::from_path(&path).map_err(err)?;
    w.write_record(["f_hz", "power"]).map_err(err)?;
    for &k in &keep {
        w.write_record(&[r.f[k].to_string(), r.power[k].to_string()]).map_err(err)?;
    }
    w.flush().map_err(|e| Error::io(path.display(), e))?;
    let lines = r.lines(0.01, 8);
    let top = keep.iter().map(|&k| r.power[k]).fold(0.0, f64::max).max(1e-300);
    let f_ghz: Vec<f64> = keep.iter().map(|&k| r.f[k] / 1e9).collect();
    let p: Vec<f64> = keep.iter().map(|&k| (r.power[k] / top).max(1e-8).log10()).collect();
    plot::line_plot(
        &out.join("spectrum.png"),
        Some(&out.join("spectrum.svg")),
        &format!("Ringdown spectrum of {column} ({:.1} ns, resolution {:.3} GHz)", r.duration * 1e9, 1e-9 / r.duration),
        "frequency (GHz)",
        "log10(P / P_max)",
        &f_ghz,
        &[(column, &p)],
    )
    .map_err(|e| Error::io("figure", e))?;
    let list: Vec<_> = lines.iter().map(|q| json!({ "f_hz": q.f, "relative_power": q.relative })).collect();
    let summary = json!({
        "command": "ringdown", "table": table.display().to_string(), "column": column,
        "sample_interval_s": r.dt, "duration_s": r.duration, "resolution_hz": 1.0 / r.duration, "lines": list,
    });
    io::write_json(&out.join("lines.json"), &summary)?;
    if !quiet {
        let shown: Vec<String> = lines.iter().take(4).map(|q| format!("{:.3} GHz", q.f / 1e9)).collect();
        eprintln!(
            "ringdown: {column}: lines at {}; resolution {:.3} GHz; wrote {}",
            shown.join(", "),
            1e-9 / r.duration,
            out.display()
        );
    }
    Ok(())
}
