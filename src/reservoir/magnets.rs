//! The magnet reservoir: an array of magnets (on any engine) driven by the encoded input
//! field. Input s(t)
//! is held for `hold` seconds; the state is read at `samples` evenly spaced times within the
//! hold (virtual nodes, at (j+1)·hold/samples), optionally with a per-node input mask. A
//! sensor with an integration window reads each node as the trapezoid mean of the features
//! over the window ending at the node ([`super::sensors::Window::mean`]).

use super::encoder::{build_protocol, Encoder};
use super::features::{ProbeCost, Snapshot, StateFeatures};
use super::sensors::Window;
use super::{Reservoir, States};
use crate::config::SimConfig;
use crate::engine::Engine;
use crate::error::Error;
use std::sync::Arc;

/// Timing of the input: hold per input, virtual nodes, rise time and mask.
#[derive(Debug, Clone, PartialEq)]
pub struct InputTiming {
    /// Hold time per input (s).
    pub hold: f64,
    /// Virtual nodes (reads) per hold.
    pub samples: usize,
    /// Rise time of each field change (s).
    pub rise: f64,
    /// One value per virtual node in [−1, 1], or empty for no mask.
    pub mask: Vec<f64>,
}

#[derive(Debug)]
pub struct MagnetReservoir {
    pub system: Arc<SimConfig>,
    pub encoder: Arc<dyn Encoder>,
    pub timing: InputTiming,
    pub features: Arc<dyn StateFeatures>,
    /// The sensor's integration window (None: instantaneous reads).
    pub window: Option<Window>,
    n_magnets: usize,
}

impl MagnetReservoir {
    pub fn new(
        system: Arc<SimConfig>,
        encoder: Arc<dyn Encoder>,
        timing: InputTiming,
        features: Arc<dyn StateFeatures>,
    ) -> Result<Self, Error> {
        let n_magnets = system.islands()?.len();
        Ok(MagnetReservoir { system, encoder, timing, features, window: None, n_magnets })
    }

    /// Reads averaged over `window` (immediate feature kinds).
    pub fn with_window(mut self, window: Option<Window>) -> Self {
        self.window = window;
        self
    }

    pub fn n_magnets(&self) -> usize {
        self.n_magnets
    }

    /// The engine for input sequence `s`: the config's engine, driven by the encoded
    /// protocol.
    pub fn engine(&self, s: &[f64]) -> Result<Box<dyn Engine>, Error> {
        let levels = s.iter().map(|&x| self.encoder.levels(x, &self.timing.mask));
        let protocol = build_protocol(levels, self.timing.hold).finish(self.timing.rise);
        crate::registry::build(&self.system, protocol)
    }
}

impl Reservoir for MagnetReservoir {
    fn describe(&self) -> String {
        format!(
            "magnets ({} {} islands, {} engine, {} encoding, hold {:e} s, {} virtual nodes)",
            self.n_magnets,
            self.system.lattice.name(),
            self.system.engine,
            self.encoder.name(),
            self.timing.hold,
            self.timing.samples
        )
    }
    fn width(&self) -> usize {
        self.timing.samples * self.features.width(self.n_magnets)
    }
    fn run(&mut self, s: &[f64], progress: &mut dyn FnMut(u64)) -> Result<States, Error> {
        let mut engine = self.engine(s)?;
        let width = self.width();
        let node = self.timing.hold / self.timing.samples as f64;
        let deferred = self.features.deferred();
        let mut rows = Vec::with_capacity(s.len() * width);
        let mut snaps = Vec::new();
        let mut energy = Vec::with_capacity(s.len());
        for _ in 0..s.len() {
            for _ in 0..self.timing.samples {
                if deferred {
                    engine.run_for(node)?;
                    let bias = engine.protocol().field(engine.time());
                    snaps.push(Snapshot { m: engine.state_m(), bias });
                } else if let Some(w) = self.window {
                    self.read_window(engine.as_mut(), node, w, &mut rows)?;
                } else {
                    engine.run_for(node)?;
                    self.features.read(engine.as_ref(), &mut rows)?;
                }
            }
            energy.push(engine.work_and_heat());
            if !deferred {
                progress(1);
            }
        }
        let mut probes = Vec::new();
        if deferred {
            (rows, probes) = self.probe_all(engine.as_ref(), &snaps, progress)?;
        }
        Ok(States { width, rows, energy, probes })
    }
}

impl MagnetReservoir {
    /// Advances one node of `node` s, sampling the features at `w.points` equal steps over the
    /// last `w.duration` s, and appends their trapezoid mean.
    fn read_window(&self, engine: &mut dyn Engine, node: f64, w: Window, rows: &mut Vec<f64>) -> Result<(), Error> {
        let lead = node - w.duration;
        if lead > 0.0 {
            engine.run_for(lead)?;
        }
        let step = w.duration / (w.points - 1) as f64;
        let mut samples = Vec::with_capacity(w.points);
        for k in 0..w.points {
            if k > 0 {
                engine.run_for(step)?;
            }
            let mut v = Vec::new();
            self.features.read(engine, &mut v)?;
            samples.push(v);
        }
        rows.extend(Window::mean(&samples));
        Ok(())
    }

    /// Deferred features of every snapshot, in parallel, in chunks (progress per chunk);
    /// returns the rows and each step's probe cost.
    fn probe_all(
        &self,
        engine: &dyn Engine,
        snaps: &[Snapshot],
        progress: &mut dyn FnMut(u64),
    ) -> Result<(Vec<f64>, Vec<ProbeCost>), Error> {
        use rayon::prelude::*;
        let per_step = self.timing.samples;
        let mut rows = Vec::with_capacity(snaps.len() * self.features.width(self.n_magnets));
        let mut probes = Vec::with_capacity(snaps.len() / per_step);
        for chunk in snaps.chunks(64 * per_step) {
            let done: Vec<(Vec<f64>, ProbeCost)> = chunk
                .par_iter()
                .map(|snap| {
                    let mut out = Vec::new();
                    let cost = self.features.probe_snapshot(engine, snap, &mut out)?;
                    Ok((out, cost))
                })
                .collect::<Result<_, Error>>()?;
            for step in done.chunks(per_step) {
                let mut cost = ProbeCost::default();
                for (out, c) in step {
                    rows.extend_from_slice(out);
                    cost.q_diss += c.q_diss;
                    cost.levels.extend_from_slice(&c.levels);
                }
                probes.push(cost);
            }
            progress((chunk.len() / per_step) as u64);
        }
        Ok((rows, probes))
    }
}
