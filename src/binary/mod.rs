//! What the binary-state engines (the switching model and kinetic Monte Carlo) share: islands
//! whose moment points along their long axis, $\mu_i = s_i \mu_i \hat e_i$ with
//! $s_i = \pm 1$; the point-dipole field of the neighbours within the cutoff (kept up to date
//! flip by flip); the applied field, held between updates; and the energy bookkeeping
//! (docs/physics.md):
//!
//! - changing the applied field from $B$ to $B'$ with the spins fixed does work
//!   $W_{ext} \mathrel{+}= -\sum_i \mu_i \cdot (B' - B)$, and the Zeeman energy changes by the same;
//! - flipping island i changes the energy by $\Delta E = 2 s_i \mu_i \hat e_i\cdot B_i$ (before the
//!   flip; $B_i$ = applied + dipolar field), and $Q \mathrel{+}= -\Delta E$ is the energy released
//!   (negative for a thermally activated flip uphill: heat taken from the bath),
//!
//! so E(t) − E(0) = W_ext − Q exactly. E = E_Z + E_dd; a binary island's anisotropy energy is
//! the same in both states and is left out. [`engine::BinaryEngine`] gives such engines the
//! whole [`crate::engine::Engine`] interface.

pub mod engine;

use crate::geometry::Island;
use crate::macrospin::terms::dipolar::Dipolar;
use crate::macrospin::terms::{term_field, FieldTerm};
use crate::par::get3;
use crate::protocol::Protocol;
use nalgebra::Vector3;

/// `f(island)` for every island, evaluated once per distinct shape and size (shape, length,
/// width, thickness): demagnetising factors are costly and arrays repeat a few shapes.
pub fn per_shape(islands: &[Island], f: impl Fn(&Island) -> f64) -> Vec<f64> {
    let key = |i: &Island| (i.shape as u8, i.length.to_bits(), i.width.to_bits(), i.thickness.to_bits());
    let mut seen: Vec<((u8, u64, u64, u64), f64)> = Vec::new();
    islands
        .iter()
        .map(|i| {
            let k = key(i);
            match seen.iter().find(|s| s.0 == k) {
                Some(s) => s.1,
                None => {
                    let v = f(i);
                    if seen.len() < 64 {
                        seen.push((k, v));
                    }
                    v
                }
            }
        })
        .collect()
}

/// The islands of a binary-state engine and their fields.
#[derive(Clone)]
pub struct BinaryArray {
    pub islands: Vec<Island>,
    /// Easy (long) axis ê_i and the in-plane perpendicular ẑ × ê_i.
    pub axis: Vec<Vector3<f64>>,
    pub perp: Vec<Vector3<f64>>,
    /// Moment magnitude μ_i = Ms V_i (A·m²).
    pub moment: Vec<f64>,
    /// s_i = ±1.
    pub spin: Vec<i8>,
    dipolar: Option<Dipolar>,
    /// Dipolar field at each island (T, 3 per island), kept current.
    pub b_dip: Vec<f64>,
    pub protocol: Protocol,
    /// The applied field currently held (T).
    pub b_ext: Vector3<f64>,
    pub w_ext: f64,
    pub q_diss: f64,
    /// Flips since the start, and in the last update.
    pub flips: u64,
    pub last_flips: u64,
}

impl BinaryArray {
    /// Islands with spins `spin`, coupled by point dipoles within `cutoff` (m; None: none).
    pub fn new(islands: Vec<Island>, ms: f64, spin: Vec<i8>, cutoff: Option<f64>, protocol: Protocol) -> Self {
        let axis: Vec<Vector3<f64>> = islands.iter().map(Island::long_axis).collect();
        let perp = axis.iter().map(|e| Vector3::new(-e.y, e.x, 0.0)).collect();
        let moment: Vec<f64> = islands.iter().map(|i| ms * i.volume()).collect();
        let dipolar = match cutoff {
            Some(rc) if islands.len() > 1 => {
                let pos: Vec<(f64, f64)> = islands.iter().map(|i| (i.x, i.y)).collect();
                Some(Dipolar::new(&pos, moment.clone(), rc))
            }
            _ => None,
        };
        let n = islands.len();
        let mut a = BinaryArray {
            islands,
            axis,
            perp,
            moment,
            spin,
            dipolar,
            b_dip: vec![0.0; 3 * n],
            protocol,
            b_ext: Vector3::zeros(),
            w_ext: 0.0,
            q_diss: 0.0,
            flips: 0,
            last_flips: 0,
        };
        a.recompute_dipolar();
        a
    }

    pub fn len(&self) -> usize {
        self.spin.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spin.is_empty()
    }

    /// Unit m_i = s_i ê_i of every island (3 per island).
    pub fn m_flat(&self) -> Vec<f64> {
        self.axis.iter().zip(&self.spin).flat_map(|(e, &s)| [e.x * s as f64, e.y * s as f64, e.z * s as f64]).collect()
    }

    /// m_i = s_i ê_i.
    pub fn m(&self, i: usize) -> Vector3<f64> {
        self.axis[i] * self.spin[i] as f64
    }

    /// Recomputes the dipolar field of every island from scratch.
    pub fn recompute_dipolar(&mut self) {
        self.b_dip.iter_mut().for_each(|x| *x = 0.0);
        if let Some(d) = &self.dipolar {
            let m = self.m_flat();
            term_field(d, 0.0, &m, &mut self.b_dip);
        }
    }

    /// The total deterministic field at island i (T): applied + dipolar.
    pub fn field(&self, i: usize) -> Vector3<f64> {
        self.b_ext + get3(&self.b_dip, i)
    }

    /// Sets the applied field, doing the work −Σ μ_i·ΔB.
    pub fn set_applied(&mut self, b: Vector3<f64>) {
        let db = b - self.b_ext;
        if db != Vector3::zeros() {
            let mu_total: Vector3<f64> = (0..self.len()).map(|i| self.m(i) * self.moment[i]).sum();
            self.w_ext -= mu_total.dot(&db);
            self.b_ext = b;
        }
    }

    /// Flips island i: books the energy released and updates the neighbours' dipolar fields.
    pub fn flip(&mut self, i: usize) {
        let old = self.m(i) * self.moment[i];
        self.flip_spin(i, 2.0 * old.dot(&self.field(i)));
        if let Some(d) = &self.dipolar {
            // Δμ = −2 μ_old; ΔB_j = K_ij · Δμ.
            let dmu = -2.0 * old;
            let b_dip = &mut self.b_dip;
            d.for_each_neighbour(i, |j, k| {
                b_dip[3 * j] += k[0] * dmu.x + k[1] * dmu.y;
                b_dip[3 * j + 1] += k[1] * dmu.x + k[2] * dmu.y;
                b_dip[3 * j + 2] += k[3] * dmu.z;
            });
        }
    }

    /// Flips the spin of island i whose flip changes the energy by `de` (J), leaving the
    /// dipolar fields to the caller (who keeps them itself and stores them back into `b_dip`).
    #[inline]
    pub fn flip_spin(&mut self, i: usize, de: f64) {
        self.q_diss -= de;
        self.spin[i] = -self.spin[i];
        self.flips += 1;
        self.last_flips += 1;
    }

    /// The dipolar coupling, if the islands are coupled.
    pub fn dipolar(&self) -> Option<&Dipolar> {
        self.dipolar.as_ref()
    }

    /// Flips island i whose flip changes the energy by `de` (J), computed by the caller from
    /// fields it keeps itself (the switching model's); the array's own dipolar field, if any,
    /// is updated too.
    pub fn flip_booked(&mut self, i: usize, de: f64) {
        let q = self.q_diss;
        self.flip(i);
        self.q_diss = q - de;
    }

    /// The indices of island i's neighbours (those whose field changes when it flips).
    pub fn neighbours(&self, i: usize, mut f: impl FnMut(usize)) {
        if let Some(d) = &self.dipolar {
            d.for_each_neighbour(i, |j, _| f(j));
        }
    }

    /// Energy parts (J): Zeeman −Σ μ_i·B_ext and dipolar −½ Σ μ_i·B_dip,i.
    pub fn energy_parts(&self) -> Vec<(&'static str, f64)> {
        let mut ez = 0.0;
        let mut ed = 0.0;
        for i in 0..self.len() {
            let mu = self.m(i) * self.moment[i];
            ez -= mu.dot(&self.b_ext);
            ed -= 0.5 * mu.dot(&get3(&self.b_dip, i));
        }
        let mut parts = vec![("e_zeeman", ez)];
        if self.dipolar.is_some() {
            parts.push(("e_dipolar", ed));
        }
        parts
    }

    /// Moment-weighted ⟨m⟩.
    pub fn average(&self) -> Vector3<f64> {
        let total: f64 = self.moment.iter().sum();
        let s: Vector3<f64> = (0..self.len()).map(|i| self.m(i) * self.moment[i]).sum();
        if total > 0.0 {
            s / total
        } else {
            s
        }
    }

    /// Checks that the kept dipolar field equals a fresh sum, and that E_dd of the kept field
    /// is −½ Σ μ·B (the term's own energy).
    pub fn check_fields(&self) -> Result<(), String> {
        let Some(d) = &self.dipolar else { return Ok(()) };
        let m = self.m_flat();
        let mut fresh = vec![0.0; m.len()];
        term_field(d, 0.0, &m, &mut fresh);
        let scale = fresh.iter().fold(1e-9f64, |a, x| a.max(x.abs()));
        if let Some(k) = (0..m.len()).find(|&k| (fresh[k] - self.b_dip[k]).abs() > 1e-9 * scale) {
            return Err(format!("the kept dipolar field of island {} has drifted from a fresh sum", k / 3));
        }
        let e_term = d.energy(0.0, &m);
        let e_kept = self.energy_parts().iter().find(|p| p.0 == "e_dipolar").map_or(0.0, |p| p.1);
        if (e_term - e_kept).abs() > 1e-9 * e_term.abs().max(1e-30) {
            return Err("e_dipolar is not the dipolar term's energy".into());
        }
        Ok(())
    }
}
