//! The figures of a search (PNG + SVG in the output directory):
//! - `convergence`: the first objective's best feasible mean so far against evaluations, for
//!   this search and every `--compare` search (e.g. random search on the same problem and
//!   budget), with each reference design's score on the search's seeds as a level line (its
//!   label and value);
//! - `pareto` (when the designs report energy): every evaluated design's first objective on the
//!   search's seeds (hollow) against its energy per input step, the front of those points, the
//!   chosen (or Pareto) designs re-run on unseen seeds (test NRMSE, mean ± std), the references
//!   on the same unseen seeds, and the baselines of `--baselines` directories drawn as in the
//!   sweep's accuracy-vs-energy figure (their CMOS front dashed).

use super::file::Problem;
use super::journal::{self, Entry};
use super::report::Final;
use crate::error::Error;
use crate::plot::{self, Scatter, XyPlot, XySeries, XyStyle};
use std::path::{Path, PathBuf};

/// Draws the figures of a search into `out`.
pub fn draw(
    problem: &Problem,
    out: &Path,
    entries: &[Entry],
    refs: &[Entry],
    finals: &[Final],
    compare: &[PathBuf],
    baselines: &[PathBuf],
) -> Result<(), Error> {
    let fig = |r: Result<(), String>| r.map_err(|e| Error::io("figure", e));
    let conv = convergence(problem, entries, refs, compare)?;
    fig(plot::xy_plot(&out.join("convergence.png"), Some(&out.join("convergence.svg")), &conv))?;
    if entries.iter().any(|e| e.metrics.contains_key("energy_per_input_j")) {
        let pf = pareto(problem, entries, finals, baselines)?;
        fig(plot::accuracy_vs_energy(&out.join("pareto.png"), Some(&out.join("pareto.svg")), &pf))?;
    }
    Ok(())
}

/// A search's name in legends: its method and seed (from its summary.json when there is one).
fn name_of(dir: &Path, entries: &[Entry]) -> String {
    let summary: Option<serde_json::Value> =
        std::fs::read_to_string(dir.join("summary.json")).ok().and_then(|t| serde_json::from_str(&t).ok());
    let method = entries.first().map_or("?".to_string(), |e| e.method.clone());
    match summary.as_ref().and_then(|s| s["optimiser"]["seed"].as_u64()) {
        Some(seed) => format!("{method}, seed {seed}"),
        None => format!("{method} ({})", dir.display()),
    }
}

/// Best-so-far steps of a search: (evaluations, best) at each evaluation with a best.
fn steps(entries: &[Entry], metric: &str) -> Vec<(f64, f64)> {
    super::journal::best_so_far(entries, metric)
        .iter()
        .enumerate()
        .filter_map(|(i, b)| b.map(|b| ((i + 1) as f64, b)))
        .collect()
}

/// The convergence figure's data.
pub fn convergence(problem: &Problem, entries: &[Entry], refs: &[Entry], compare: &[PathBuf]) -> Result<XyPlot, Error> {
    let metric = &problem.objectives[0];
    let this = format!("{}, seed {}", problem.optimiser.method.name(), problem.optimiser.seed);
    let mut series = vec![XySeries { label: this, points: steps(entries, metric), style: XyStyle::Line }];
    let mut n = entries.len();
    for dir in compare {
        let other = journal::read_all(dir)?;
        n = n.max(other.len());
        series.push(XySeries { label: name_of(dir, &other), points: steps(&other, metric), style: XyStyle::Line });
    }
    for (r, spec) in refs.iter().zip(&problem.references) {
        let v = r.metric(metric);
        if v.is_finite() {
            let label = format!("{} ({v:.4})", spec.label);
            series.push(XySeries { label, points: vec![(1.0, v), (n.max(2) as f64, v)], style: XyStyle::Line });
        }
    }
    series.retain(|s| !s.points.is_empty());
    Ok(XyPlot {
        title: format!("Convergence (search seeds, runs per design: {})", problem.repeats.runs()),
        x_label: "evaluations".into(),
        y_label: format!("best {metric} so far"),
        series,
    })
}

/// The Pareto figure's data.
pub fn pareto(
    problem: &Problem,
    entries: &[Entry],
    finals: &[Final],
    baselines: &[PathBuf],
) -> Result<plot::AccuracyEnergy, Error> {
    let metric = &problem.objectives[0];
    let mut recs = Vec::new();
    for d in baselines {
        recs.extend(crate::sweep::results::read(d)?);
    }
    let mut fig =
        if recs.is_empty() { plot::AccuracyEnergy::default() } else { crate::sweep::figures::accuracy_energy(&recs) };
    let colour0 = fig.series.len();
    let evaluated: Vec<(f64, f64)> = entries
        .iter()
        .filter(|e| e.feasible)
        .map(|e| (e.metric("energy_per_input_j"), e.metric(metric)))
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    fig.pareto = plot::pareto_front(&evaluated);
    fig.series.push(Scatter {
        name: format!("{} designs evaluated ({metric}, search seeds)", evaluated.len()),
        points: evaluated,
        hollow: true,
        colour: colour0,
        ..Default::default()
    });
    let (chosen, references): (Vec<&Final>, Vec<&Final>) = finals.iter().partition(|f| f.index.is_some());
    if !chosen.is_empty() {
        let what =
            if chosen.len() == 1 { "chosen design".to_string() } else { format!("{} Pareto designs", chosen.len()) };
        fig.series.push(Scatter {
            name: format!("{what}: test NRMSE on unseen seeds ({} runs)", chosen[0].runs),
            points: chosen.iter().map(|f| (f.energy_per_input_j, f.test_mean)).collect(),
            errors: chosen.iter().map(|f| f.test_std).collect(),
            labels: if chosen.len() > 1 { (1..=chosen.len()).map(|k| format!(" {k}")).collect() } else { Vec::new() },
            colour: colour0 + 1,
            ..Default::default()
        });
    }
    for (k, f) in references.iter().enumerate() {
        fig.series.push(Scatter {
            name: format!("{}: test NRMSE on unseen seeds ({} runs)", f.label, f.runs),
            points: vec![(f.energy_per_input_j, f.test_mean)],
            errors: vec![f.test_std],
            colour: colour0 + 2 + k,
            ..Default::default()
        });
    }
    fig.title = format!("{} search, {} evaluations", problem.optimiser.method.name(), entries.len());
    fig.x_label = "energy per input step (J)".into();
    fig.y_label = format!("NRMSE ({metric} in the search; test after)");
    Ok(fig)
}
