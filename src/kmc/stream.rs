//! The Gillespie event stream of [`Kmc`] with thinning ([`super`], [`super::bound`]): per-island
//! records laid out for the hot loop, exact rates of the candidates, bounds of the neighbours.
//!
//! After a flip every neighbour's in-plane dipolar field is updated in its [`Near`] record and
//! checked against the ball of its bound — one cache line per neighbour, no branches but the
//! append to the list of stale ones. A stale neighbour gets a new bound from its tangent
//! planes ([`Plane`], one more line): ν̄ at its new field times e^{L r} for a new ball of
//! radius r. Only a candidate drawn from the bounds has its stationary points found (and the
//! flipped island's new state comes from the same points: the other well's minimum).

use super::barrier::{self, Points};
pub use super::bound::Site;
use super::bound::{self, Plane};
use super::{ring, Kmc};
use crate::binary::BinaryArray;
use rand::RngExt;
use rayon::prelude::*;

/// Per island, touched whenever a neighbour flips: the in-plane local field b (T; the array's
/// registered terms: dipolar + fixed ones) and the ball where its bound holds — every local
/// field with |b − c|² ≤ r2.
#[derive(Clone, Copy, Debug, Default)]
pub struct Near {
    pub b: [f64; 2],
    pub c: [f64; 2],
    pub r2: f64,
}

impl Near {
    /// Sets the ball: centre at the present field, radius `r` (T).
    #[inline]
    fn set_ball(&mut self, r: f64) {
        (self.c, self.r2) = (self.b, r * r);
    }

    /// Whether the field has left the ball.
    #[inline(always)]
    fn outside(&self) -> bool {
        let d = [self.b[0] - self.c[0], self.b[1] - self.c[1]];
        d[0] * d[0] + d[1] * d[1] > self.r2
    }
}

/// A neighbour j = i + d of an island and the in-plane part of their pair kernel as two
/// columns, (K_xx, K_xy) and (K_xy, K_yy) (T/(A·m²);
/// [`crate::terms::dipolar::Dipolar`]): ΔB_j = kx Δμ_x + ky Δμ_y.
#[derive(Clone, Copy, Debug)]
struct Kick {
    d: isize,
    kx: [f64; 2],
    ky: [f64; 2],
}

/// Every island's neighbours with their kernels inline: one list per distinct stencil of the
/// array's dipolar coupling, and each island's list.
#[derive(Clone, Debug, Default)]
pub struct Kicks {
    list: Vec<Kick>,
    /// Stencil s is list[start[s]..start[s + 1]].
    start: Vec<usize>,
    /// Each island's stencil (u32::MAX: none).
    of: Vec<u32>,
    /// The most neighbours any island has.
    pub most: usize,
}

impl Kicks {
    pub fn new(array: &BinaryArray) -> Self {
        let n = array.len();
        let mut k = Kicks { list: Vec::new(), start: vec![0], of: vec![u32::MAX; n], most: 0 };
        let Some(d) = array.dipolar() else { return k };
        let (runs, stencils, kernels) = d.stencils();
        for st in stencils {
            k.list.extend(st.iter().map(|&(d, e)| {
                let [kxx, kxy, kyy, _] = kernels[e as usize];
                Kick { d: d as isize, kx: [kxx, kxy], ky: [kxy, kyy] }
            }));
            k.start.push(k.list.len());
            k.most = k.most.max(st.len());
        }
        for &(first, len, s) in runs {
            k.of[first..first + len].iter_mut().for_each(|o| *o = s as u32);
        }
        k
    }

    /// Island i's neighbours.
    #[inline]
    fn of(&self, i: usize) -> &[Kick] {
        match self.of[i] {
            u32::MAX => &[],
            s => &self.list[self.start[s as usize]..self.start[s as usize + 1]],
        }
    }
}

/// Share of the mean bound Σν̂/N below which an island's rate gets a wider ball ([`bound::ball`]).
const SLACK_SHARE: f64 = 0.05;

impl Kmc {
    /// The field (T, lab frame, in-plane) at island i: applied + dipolar.
    #[inline]
    pub(super) fn field_xy(&self, i: usize) -> (f64, f64) {
        (self.array.b_ext.x + self.near[i].b[0], self.array.b_ext.y + self.near[i].b[1])
    }

    /// ν (Hz) of island i with saddle barriers `lo`, `hi` (units of K V, either order) and
    /// reduced field `p` along its moment: f0 F(p) e^{−A} G(σ_z, B)/G(σ_z, 0) ([`super::ring`],
    /// [`super::axial`]; F = 1 for a constant f0).
    #[inline]
    fn rate_of(&self, i: usize, (lo, hi): (f64, f64), p: f64) -> f64 {
        let l = &self.sites[i];
        let ring = &self.rings[l.ring as usize];
        let ln_f = self.ln_axial(l, p);
        l.f0 * (ring::ln_rate_factor(l.sigma * lo.min(hi), l.sigma * lo.max(hi), ring) + ln_f).exp()
    }

    /// ln F(p) of an island's axial prefactor (0 for a constant f0).
    #[inline]
    fn ln_axial(&self, l: &Site, p: f64) -> f64 {
        match l.axial {
            u32::MAX => 0.0,
            a => self.axials[a as usize].ln_factor(p),
        }
    }

    /// The raised tangent (value, slope) of island i's ln F at its reduced field along the
    /// moment of state `s` ((0, 0) for a constant f0).
    fn axial_tangent(&self, i: usize, s: f64) -> (f64, f64) {
        let l = &self.sites[i];
        match l.axial {
            u32::MAX => (0.0, 0.0),
            a => {
                let (bx, by) = self.field_xy(i);
                self.axials[a as usize].bound_tangent(s * l.scale * (bx * l.ax + by * l.ay))
            }
        }
    }

    /// The exact rate ν_i (Hz) in its current field and, in a weak field, the stationary points
    /// it came from (in the frame of the current moment).
    pub(super) fn exact(&self, i: usize) -> (f64, Option<Points>) {
        let l = &self.sites[i];
        let (bx, by) = self.field_xy(i);
        let s = self.array.spin[i] as f64 * l.scale;
        let (p, q) = ((bx * l.ax + by * l.ay) * s, (by * l.ax - bx * l.ay) * s);
        match barrier::weak_points(p, q) {
            Some(pts) => (self.rate_of(i, pts.saddles(false), p), Some(pts)),
            None => (self.rate_of(i, barrier::grid_saddles(p, q), p), None),
        }
    }

    /// Sets island i's bound from its exact rate `nu` in its current state: with the tangent
    /// planes at the stationary points `pts` (found in the frame of spin `s_pts`; `other`: the
    /// state is the reversed one) and a ball; without them (strong field) the bound is the rate
    /// itself, holding at this field only.
    fn anchor(&mut self, i: usize, nu: f64, pts: Option<(&Points, f64, bool)>) {
        let l = self.sites[i];
        let b = (self.near[i].b[0], self.near[i].b[1]);
        match pts {
            Some((pts, s_pts, other)) => {
                let axial = self.axial_tangent(i, if other { -s_pts } else { s_pts });
                self.planes[i] = Plane::new(pts, other, s_pts, &l, b, axial);
                self.set_bound(i);
            }
            None => {
                self.planes[i].room = 0.0;
                self.near[i].set_ball(0.0);
                self.bounds.set(i, nu);
            }
        }
    }

    /// ν̂_i = ν̄(b) e^{L r} at island i's present dipolar field b, with a new ball of radius r.
    #[inline]
    fn set_bound(&mut self, i: usize) {
        let (a, c) = (&self.planes[i], &mut self.near[i]);
        let b = (c.b[0], c.b[1]);
        let (bx, by) = (self.array.b_ext.x + b.0, self.array.b_ext.y + b.1);
        let x = a.ln_bound(b, &self.rings[a.ring as usize]);
        let (r, slack) = bound::ball(a.lip as f64, a.room as f64 - (bx * bx + by * by).sqrt(), x, self.ln_eps);
        c.set_ball(r);
        self.bounds.set(i, bound::exp_above(x + slack));
    }

    /// Re-evaluates island i's rate exactly and sets its bound there.
    fn reanchor(&mut self, i: usize) {
        let (nu, pts) = self.exact(i);
        self.evaluations += 1;
        let s = self.array.spin[i] as f64;
        self.anchor(i, nu, pts.as_ref().map(|p| (p, s, false)));
    }

    /// A new bound for island i whose field left its ball: from its tangent planes while the
    /// field is inside the disc where they hold, else exactly.
    #[inline]
    fn rebound(&mut self, i: usize) {
        let (bx, by) = self.field_xy(i);
        let room = self.planes[i].room as f64;
        if bx * bx + by * by < room * room {
            self.linear_bounds += 1;
            self.set_bound(i);
        } else {
            self.reanchor(i);
        }
    }

    /// Re-evaluates every rate and bound (after the applied field changes); in parallel, the
    /// same numbers whatever the thread count. Fields changed through the array (not by the
    /// event stream) are taken from it.
    pub fn refresh_rates(&mut self) {
        if self.dirty {
            self.sync_fields();
        } else {
            let a = &self.array;
            self.near.iter_mut().enumerate().for_each(|(i, c)| {
                let b = a.local_field(i);
                c.b = [b.x, b.y];
            });
        }
        let n = self.array.len();
        let fresh: Vec<(f64, Option<Points>)> = (0..n).into_par_iter().map(|i| self.exact(i)).collect();
        self.evaluations += n as u64;
        let total: f64 = fresh.iter().map(|f| f.0).sum();
        self.ln_eps = (SLACK_SHARE * total / n.max(1) as f64).ln();
        for (i, (nu, pts)) in fresh.into_iter().enumerate() {
            let s = self.array.spin[i] as f64;
            self.anchor(i, nu, pts.as_ref().map(|p| (p, s, false)));
        }
        self.bounds.rebuild();
    }

    /// Takes the dipolar fields from the array (changed from outside, e.g. a new state) and
    /// redoes every rate and bound.
    pub fn reload_fields(&mut self) {
        self.dirty = false;
        self.refresh_rates();
    }

    /// Stores the stream's local fields into the array's terms
    /// ([`crate::binary::BinaryArray::store_local_xy`]).
    pub fn sync_fields(&mut self) {
        if self.dirty {
            for (i, c) in self.near.iter().enumerate() {
                self.array.store_local_xy(i, c.b);
            }
            self.dirty = false;
        }
    }

    /// Flips island i (its stationary points `pts`, found before the flip, give its new bound),
    /// updates its neighbours' fields and sets new bounds for those whose field left its ball.
    fn flip_and_update(&mut self, i: usize, pts: Option<Points>) {
        let l = self.sites[i];
        let (bx, by) = self.field_xy(i);
        let s = self.array.spin[i] as f64;
        let mu = s * self.array.moment[i];
        self.array.flip_spin(i, 2.0 * mu * (l.ax * bx + l.ay * by));
        self.dirty = true;
        // Δμ = −2 μ_old; ΔB_j = K_ji·Δμ; the stale neighbours appended without a branch.
        let (dx, dy) = (-2.0 * mu * l.ax, -2.0 * mu * l.ay);
        let (near, stale) = (&mut self.near, &mut self.stale);
        debug_assert!(stale.len() > self.kicks.most && near.len() == self.array.len());
        let mut n = 0;
        for k in self.kicks.of(i) {
            let j = i.wrapping_add_signed(k.d);
            // SAFETY: j is a neighbour of island i in the array's own stencil, so j < N =
            // near.len(); n counts at most the stencil's entries, fewer than stale.len().
            let c = unsafe { near.get_unchecked_mut(j) };
            c.b = [c.b[0] + (k.kx[0] * dx + k.ky[0] * dy), c.b[1] + (k.kx[1] * dx + k.ky[1] * dy)];
            unsafe { *stale.get_unchecked_mut(n) = j as u32 };
            n += usize::from(c.outside());
        }
        // Touch the stale neighbours' planes and rates first: their cache misses then overlap.
        let mut touch = 0.0;
        for &j in &self.stale[..n] {
            touch += self.planes[j as usize].room as f64 + self.bounds.rate(j as usize);
        }
        std::hint::black_box(touch);
        for k in 0..n {
            let j = self.stale[k] as usize;
            self.rebound(j);
        }
        match pts {
            Some(p) => {
                // The new state's field along its moment: −p of the old one.
                let p_new = -s * l.scale * (bx * l.ax + by * l.ay);
                let nu = self.rate_of(i, p.saddles(true), p_new);
                self.anchor(i, nu, Some((&p, s, true)));
            }
            None => self.reanchor(i),
        }
    }

    /// One event of Gillespie's direct method (with thinning, module docs) in the field now
    /// held, if it falls before `t_end` (s): the clock moves to it and the flipped island is
    /// returned; otherwise the clock moves to `t_end` (memoryless, so nothing is lost by
    /// stopping there).
    pub fn next_event(&mut self, t_end: f64) -> Option<usize> {
        loop {
            let total = self.bounds.total();
            if !(total > 0.0 && total.is_finite()) {
                break;
            }
            let u: f64 = self.rng.random();
            let dt = -(1.0 - u).ln() / total;
            if self.t + dt > t_end {
                break;
            }
            self.t += dt;
            if self.rejections.wrapping_add(self.array.flips).is_multiple_of(256) {
                self.ln_eps = (SLACK_SHARE * total / self.array.len() as f64).ln();
            }
            let i = self.bounds.find(self.rng.random::<f64>() * total);
            let bound = self.bounds.rate(i);
            let (nu, pts) = self.exact(i);
            self.evaluations += 1;
            if nu > bound * (1.0 + 1e-12) {
                self.bound_misses += 1;
            }
            if self.rng.random::<f64>() * bound < nu {
                self.flip_and_update(i, pts);
                return Some(i);
            }
            self.rejections += 1;
            let s = self.array.spin[i] as f64;
            self.anchor(i, nu, pts.as_ref().map(|p| (p, s, false)));
        }
        self.t = t_end;
        None
    }
}
