//! Networks of reservoirs (Stenning et al., Nat. Commun. (2024), doi:10.1038/s41467-024-50633-1):
//! `[[layer]]` sections, each a whole reservoir experiment of its own (an array with its
//! encoder, features, sensor and energy model — or a software baseline), driven in order.
//! - **parallel**: layers with `input = "task"` all see the task's input; their features are
//!   concatenated;
//! - **series**: `input = { layer = k, feature = j }` drives a layer with feature j (or
//!   `"mean"`, the mean of all) of layer k's *sensed* output, rescaled to [0, 1] by its range
//!   over the training rows (clamped outside it) — what a device would route from one array's
//!   read-out to the next one's field line;
//! - `kind = "identity"` passes layer k's sensed features (`feature = "all"`) through unchanged.
//!
//! A layer's seeds follow the network's: its `lattice.seed` is the network's `lattice.seed`
//! plus its index, and its other seeds (thermal field, initial state, mask, sensor noise, ESN
//! weights) default from that, so `--repeats` moves every layer. Its task, split and readout
//! are the network's. Energy adds up over the layers. A network whose layers are all magnet
//! arrays is a magnet reservoir; one that mixes arrays and software layers is **hybrid**.

pub use super::spec::{composition, widths, Layer, LayerInput, Pick};
use super::spec::{ExperimentConfig, Split};
use crate::config::raw::RawConfig;
use crate::config::raw::RawLayer;
use crate::error::ConfigError;
use std::path::Path;

/// Seeds a layer must not keep from its own file: they derive from the network's.
fn clear_seeds(raw: &mut RawConfig) {
    raw.temperature.seed = None;
    raw.init.seed = None;
    if let Some(i) = raw.input.as_mut() {
        i.mask_seed = None;
    }
    if let Some(s) = raw.sensor.as_mut() {
        s.seed = None;
    }
    if let Some(r) = raw.reservoir.as_mut() {
        r.seed = None;
    }
    // An engine section's `seed` is a disorder seed (config::plugin::Entry::sections).
    for section in raw.sections.values_mut() {
        if let Some(t) = section.as_table_mut() {
            t.remove("seed");
        }
    }
}

/// The input of layer `index` from its `input` key.
fn input(index: usize, v: Option<&toml::Value>) -> Result<LayerInput, ConfigError> {
    let key = format!("layer[{index}].input");
    let bad = |why: String| ConfigError::new(&key, v.map_or("(missing)".into(), |v| v.to_string()), why);
    let table = match v {
        None => return Ok(LayerInput::Task),
        Some(toml::Value::String(s)) if s == "task" => return Ok(LayerInput::Task),
        Some(toml::Value::Table(t)) => t,
        Some(_) => return Err(bad("must be \"task\" or { layer = k, feature = j | \"mean\" | \"all\" }".into())),
    };
    let layer = table.get("layer").and_then(|l| l.as_integer()).filter(|l| (0..index as i64).contains(l));
    let layer = layer.ok_or_else(|| bad(format!("`layer` must name an earlier layer, 0 to {}", index as i64 - 1)))?;
    let pick = match table.get("feature") {
        Some(toml::Value::String(s)) if s == "mean" => Pick::Mean,
        Some(toml::Value::String(s)) if s == "all" => Pick::All,
        Some(toml::Value::Integer(j)) if *j >= 0 => Pick::Column(*j as usize),
        None => Pick::Mean,
        Some(_) => return Err(bad("`feature` must be a column index ≥ 0, \"mean\" or \"all\"".into())),
    };
    if let Some(k) = table.keys().find(|k| *k != "layer" && *k != "feature") {
        return Err(bad(format!("has no key `{k}` (only layer and feature)")));
    }
    Ok(LayerInput::Layer { layer: layer as usize, pick })
}

/// The raw experiment of an `experiment` layer: its base file with `set` applied, the
/// network's task and readout, and seeds derived from the network's.
fn layer_raw(index: usize, l: &RawLayer, net: &RawConfig, base_dir: &Path) -> Result<RawConfig, ConfigError> {
    let key = format!("layer[{index}].base");
    let file = l.base.as_ref().ok_or_else(|| crate::config::checks::missing(&key, "the layer's experiment file"))?;
    let path = base_dir.join(file);
    let text = crate::io::read_input_text(&path).map_err(|e| ConfigError::new(&key, path.display(), e))?;
    let mut table: toml::Table = crate::config::parse_toml(&text, &path)?;
    let set: Vec<(String, toml::Value)> = l.set.clone().unwrap_or_default().into_iter().collect();
    crate::config::apply_values(&mut table, &set)?;
    let mut raw: RawConfig = toml::Value::Table(table).try_into().map_err(|e: toml::de::Error| {
        ConfigError::new(&key, path.display(), crate::config::words::humanise(&e.message().replace('\n', " ")))
    })?;
    if !raw.layer.is_empty() {
        return Err(ConfigError::new(&key, path.display(), "is itself a network: layers cannot nest"));
    }
    clear_seeds(&mut raw);
    raw.lattice.seed = Some(net.lattice.seed.unwrap_or(1) + index as i64);
    (raw.task, raw.readout) = (net.task.clone(), net.readout.clone());
    Ok(raw)
}

/// Validates one layer's experiment ([`super::config::validate`], handed in so that this
/// module stays below the experiment's validation).
pub type LayerValidator = fn(&RawConfig, &Path) -> Result<ExperimentConfig, ConfigError>;

/// Validates the `[[layer]]` sections of a network experiment; each layer's resolved config is
/// written back into `resolved` (so config hashes follow the layers' files).
pub fn validate(
    net: &RawConfig,
    base_dir: &Path,
    resolved: &mut [RawLayer],
    validate_layer: LayerValidator,
) -> Result<Vec<Layer>, ConfigError> {
    let mut layers: Vec<Layer> = Vec::new();
    for (i, l) in net.layer.iter().enumerate() {
        let kind = crate::config::checks::one_of(
            &format!("layer[{i}].kind"),
            l.kind.as_deref().unwrap_or("experiment"),
            &["experiment", "identity"],
        )?;
        let input = input(i, l.input.as_ref())?;
        let cfg = if kind == "identity" {
            if !matches!(input, LayerInput::Layer { pick: Pick::All, .. }) || l.base.is_some() {
                return Err(ConfigError::new(
                    format!("layer[{i}].input"),
                    "(identity)",
                    "an identity layer takes { layer = k, feature = \"all\" } and no base file",
                ));
            }
            None
        } else {
            if matches!(input, LayerInput::Layer { pick: Pick::All, .. }) {
                return Err(ConfigError::new(
                    format!("layer[{i}].input"),
                    "\"all\"",
                    "drives an array or a baseline with one signal: pick a feature or \"mean\"",
                ));
            }
            let c = validate_layer(&layer_raw(i, l, net, base_dir)?, base_dir)?;
            resolved[i].resolved = Some(Box::new(c.resolved.clone()));
            Some(c)
        };
        let label = l.label.clone().unwrap_or_else(|| format!("layer {i}"));
        layers.push(Layer { label, cfg, input, read: l.read.unwrap_or(true) });
    }
    if !layers.iter().any(|l| l.read) {
        return Err(ConfigError::new("layer", "(none read)", "at least one layer must have read = true"));
    }
    Ok(layers)
}

/// The link signal into a layer: column `pick` of `states` (rows = steps, `width` values
/// each), or their mean, rescaled to [0, 1] by its range over the training rows
/// [washout, washout + train) and clamped.
pub fn link(rows: &[f64], width: usize, pick: Pick, split: Split) -> Vec<f64> {
    let steps = rows.len() / width.max(1);
    let value = |t: usize| {
        let row = &rows[t * width..(t + 1) * width];
        match pick {
            Pick::Column(j) => row[j.min(width - 1)],
            _ => row.iter().sum::<f64>() / width as f64,
        }
    };
    let x: Vec<f64> = (0..steps).map(value).collect();
    let train = &x[split.washout.min(steps)..(split.washout + split.train).min(steps)];
    let (lo, hi) = train.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    x.iter().map(|v| ((v - lo) / span).clamp(0.0, 1.0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_rescales_on_the_training_rows() {
        let split = Split { washout: 1, train: 2, validation: 0, test: 2 };
        // Two features per step; column 1 over five steps: 9, 2, 4, 1, 6.
        let rows = [0.0, 9.0, 0.0, 2.0, 0.0, 4.0, 0.0, 1.0, 0.0, 6.0];
        assert_eq!(link(&rows, 2, Pick::Column(1), split), vec![1.0, 0.0, 1.0, 0.0, 1.0]);
        let mean = link(&rows, 2, Pick::Mean, split);
        assert!((mean[3] - 0.0).abs() < 1e-15 && (mean[2] - 1.0).abs() < 1e-15);
    }
}
