//! What the binary-state engines (the switching model and kinetic Monte Carlo) share: islands
//! whose moment points along their long axis, $\mu_i = s_i \mu_i \hat e_i$ with
//! $s_i = \pm 1$; the registered interaction terms ([`terms`]: the point-dipole field of the
//! neighbours within the cutoff, bias fields, …), each with its field kept up to date flip by
//! flip; the applied field, held between updates; and the energy bookkeeping
//! (docs/physics.md):
//!
//! - changing the applied field from $B$ to $B'$ with the spins fixed does work
//!   $W_{ext} \mathrel{+}= -\sum_i \mu_i \cdot (B' - B)$, and the Zeeman energy changes by the same;
//! - flipping island i changes the energy by $\Delta E = 2 s_i \mu_i \hat e_i\cdot B_i$ (before the
//!   flip; $B_i$ = applied + the field of every registered term), and $Q \mathrel{+}= -\Delta E$ is
//!   the energy released (negative for a thermally activated flip uphill: heat taken from the
//!   bath),
//!
//! so E(t) − E(0) = W_ext − Q exactly, with E = E_Z + Σ (each term's own energy). A binary
//! island's anisotropy energy is the same in both states and is left out.
//! [`engine::BinaryEngine`] gives such engines the whole [`crate::engine::Engine`] interface.

pub mod engine;
pub mod setup;
pub mod terms;

use crate::geometry::Island;
use crate::par::get3;
use crate::protocol::Protocol;
use crate::terms::dipolar::Dipolar;
use crate::terms::FieldTerm;
use nalgebra::Vector3;
use terms::dipolar::PointDipoles;
use terms::BinaryTerm;

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
    /// The registered interaction terms and the field of each (T, 3 per island), kept current.
    terms: Vec<Box<dyn BinaryTerm>>,
    kept: Vec<Vec<f64>>,
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
        let mut a = BinaryArray {
            islands,
            axis,
            perp,
            moment,
            spin,
            terms: Vec::new(),
            kept: Vec::new(),
            protocol,
            b_ext: Vector3::zeros(),
            w_ext: 0.0,
            q_diss: 0.0,
            flips: 0,
            last_flips: 0,
        };
        if let Some(d) = dipolar {
            a.add_term(Box::new(PointDipoles(d))).expect("the first term");
        }
        a
    }

    /// Registers an interaction term: from now on its field enters every flip and its energy
    /// E_total. A name may be registered once.
    pub fn add_term(&mut self, term: Box<dyn BinaryTerm>) -> Result<(), String> {
        if self.terms.iter().any(|t| t.name() == term.name()) {
            return Err(format!("a term named {} is registered already", term.name()));
        }
        let mut b = vec![0.0; 3 * self.len()];
        term.add_field(&self.m_flat(), &mut b);
        self.terms.push(term);
        self.kept.push(b);
        Ok(())
    }

    /// The registered terms.
    pub fn terms(&self) -> impl Iterator<Item = &dyn BinaryTerm> {
        self.terms.iter().map(|t| t.as_ref())
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

    /// Recomputes every term's field from scratch.
    pub fn recompute_fields(&mut self) {
        let m = self.m_flat();
        for (t, b) in self.terms.iter().zip(self.kept.iter_mut()) {
            b.iter_mut().for_each(|x| *x = 0.0);
            t.add_field(&m, b);
        }
    }

    /// The field of the registered terms at island i (T): B_i without the applied field.
    #[inline]
    pub fn local_field(&self, i: usize) -> Vector3<f64> {
        self.kept.iter().map(|b| get3(b, i)).sum()
    }

    /// The total deterministic field at island i (T): applied + every registered term.
    #[inline]
    pub fn field(&self, i: usize) -> Vector3<f64> {
        self.b_ext + self.local_field(i)
    }

    /// Stores the in-plane local field `b` (T) of island i kept by an engine's own fast path
    /// (which updates only the one coupled term's field): that term's field becomes `b` minus
    /// the fixed terms'. Nothing changes without a coupled term.
    pub fn store_local_xy(&mut self, i: usize, b: [f64; 2]) {
        let Some(c) = self.terms.iter().position(|t| t.coupled()) else { return };
        let mut fixed = [0.0; 2];
        for kept in self.kept.iter().enumerate().filter(|(k, _)| *k != c).map(|(_, b)| b) {
            fixed[0] += kept[3 * i];
            fixed[1] += kept[3 * i + 1];
        }
        self.kept[c][3 * i] = b[0] - fixed[0];
        self.kept[c][3 * i + 1] = b[1] - fixed[1];
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

    /// Flips island i: books the energy released and updates the terms' fields.
    pub fn flip(&mut self, i: usize) {
        let old = self.m(i) * self.moment[i];
        self.flip_spin(i, 2.0 * old.dot(&self.field(i)));
        // Δμ = −2 μ_old.
        for (t, b) in self.terms.iter().zip(self.kept.iter_mut()).filter(|(t, _)| t.coupled()) {
            t.kick(i, -2.0 * old, b);
        }
    }

    /// Flips the spin of island i whose flip changes the energy by `de` (J), leaving the
    /// terms' fields to the caller (who keeps them itself and stores them back with
    /// [`BinaryArray::store_local_xy`]).
    #[inline]
    pub fn flip_spin(&mut self, i: usize, de: f64) {
        self.q_diss -= de;
        self.spin[i] = -self.spin[i];
        self.flips += 1;
        self.last_flips += 1;
    }

    /// The point-dipole coupling, if one is registered.
    pub fn dipolar(&self) -> Option<&Dipolar> {
        self.terms.iter().find_map(|t| t.dipolar())
    }

    /// Whether a coupled term other than the point-dipole one is registered (the binary
    /// engines' fast paths update only the point-dipole field flip by flip).
    pub fn has_other_coupled_terms(&self) -> bool {
        self.terms.iter().any(|t| t.coupled() && t.dipolar().is_none())
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
        for t in &self.terms {
            t.neighbours(i, &mut f);
        }
    }

    /// The moments μ_i m_i (A·m², 3 per island).
    pub fn mu_flat(&self) -> Vec<f64> {
        (0..self.len()).flat_map(|i| (self.m(i) * self.moment[i]).iter().copied().collect::<Vec<_>>()).collect()
    }

    /// Energy parts (J): Zeeman −Σ μ_i·B_ext and each registered term's own energy.
    pub fn energy_parts(&self) -> Vec<(&'static str, f64)> {
        let mu = self.mu_flat();
        let ez = -(0..self.len()).map(|i| get3(&mu, i).dot(&self.b_ext)).sum::<f64>();
        let mut parts = vec![("e_zeeman", ez)];
        parts.extend(self.terms.iter().zip(&self.kept).map(|(t, b)| (t.name(), t.energy(&mu, b))));
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

    /// Checks that every term's kept field equals a fresh one, and that the point-dipole
    /// term's energy −½ Σ μ·B equals the coupling's own sum.
    pub fn check_fields(&self) -> Result<(), String> {
        let m = self.m_flat();
        for (t, kept) in self.terms.iter().zip(&self.kept) {
            let mut fresh = vec![0.0; m.len()];
            t.add_field(&m, &mut fresh);
            let scale = fresh.iter().fold(1e-9f64, |a, x| a.max(x.abs()));
            if let Some(k) = (0..m.len()).find(|&k| (fresh[k] - kept[k]).abs() > 1e-9 * scale) {
                return Err(format!(
                    "the kept field of term {} at island {} has drifted from a fresh sum",
                    t.name(),
                    k / 3
                ));
            }
            if let Some(d) = t.dipolar() {
                let (e_term, e_kept) = (d.energy(0.0, &m), t.energy(&self.mu_flat(), kept));
                if (e_term - e_kept).abs() > 1e-9 * e_term.abs().max(1e-30) {
                    return Err(format!("{} is not the dipolar coupling's energy", t.name()));
                }
            }
        }
        Ok(())
    }
}
