//! Point-dipole pair energy against the closed form, and (invariants) every field term is
//! minus the gradient of its energy, B_i = −(1/μ_i) ∂E/∂m_i, with reciprocal pair coupling.

mod common;
use common::*;
use nalgebra::Vector3;
use nanomag::config::{Coupling, Material};
use nanomag::geometry::{Island, Shape};
use nanomag::macrospin::terms::term_field;
use nanomag::macrospin::MacrospinArray;
use nanomag::protocol::Protocol;
use nanomag::LlgSystem;
use proptest::prelude::*;

fn island(x: f64, y: f64, angle: f64) -> Island {
    Island { x, y, angle, shape: Shape::Prism, length: 220e-9, width: 80e-9, thickness: 20e-9, sublattice: 0 }
}

fn flat(ms: &[Vector3<f64>]) -> Vec<f64> {
    ms.iter().flat_map(|m| [m.x, m.y, m.z]).collect()
}

/// E_dd of two point dipoles, −(μ0/4π)[3(μ1·r̂)(μ2·r̂) − μ1·μ2]/r³.
fn closed_form(mu1: Vector3<f64>, mu2: Vector3<f64>, r: Vector3<f64>) -> f64 {
    let rh = r.normalize();
    -1e-7 * (3.0 * mu1.dot(&rh) * mu2.dot(&rh) - mu1.dot(&mu2)) / r.norm().powi(3)
}

fn pair(d: f64, phi: f64) -> (Vec<Island>, MacrospinArray, Vector3<f64>) {
    let isl = vec![island(0.0, 0.0, 0.0), island(d * phi.cos(), d * phi.sin(), 0.3)];
    let mat = Material { ms: 8e5, alpha: 0.01, ku: 0.0 };
    let arr = MacrospinArray::new(
        &isl,
        &mat,
        Coupling::Dipole { cutoff: f64::INFINITY },
        500e-9,
        Protocol::constant(Vector3::zeros(), 1e-9),
    );
    (isl, arr, Vector3::new(d * phi.cos(), d * phi.sin(), 0.0))
}

/// The registered dipolar energy (J) of state m.
fn dipolar_energy(arr: &MacrospinArray, m: &[f64]) -> f64 {
    arr.energy_parts(0.0, m).into_iter().find(|p| p.0 == "e_dipolar").expect("dipolar term registered").1
}

#[test]
fn head_to_tail_and_side_by_side_pairs() {
    let d = 600e-9;
    let mu = 8e5 * 220e-9 * 80e-9 * 20e-9;
    // Head to tail along x: E = −2(μ0/4π)μ²/d³. Side by side (parallel, ⊥ r): E = +(μ0/4π)μ²/d³.
    let (_, arr, _) = pair(d, 0.0);
    let x = Vector3::x();
    let e = dipolar_energy(&arr, &flat(&[x, x]));
    assert!((e / (-2e-7 * mu * mu / d.powi(3)) - 1.0).abs() < 1e-12, "{e:e}");
    let y = Vector3::y();
    let e = dipolar_energy(&arr, &flat(&[y, y]));
    assert!((e / (1e-7 * mu * mu / d.powi(3)) - 1.0).abs() < 1e-12, "{e:e}");
}

proptest! {
    #[test]
    fn pair_energy_matches_closed_form(d in 300e-9f64..3e-6, phi in 0.0f64..6.3, a in prop::array::uniform3(-1.0f64..1.0), b in prop::array::uniform3(-1.0f64..1.0)) {
        let (m1, m2) = (Vector3::from(a), Vector3::from(b));
        prop_assume!(m1.norm() > 0.1 && m2.norm() > 0.1);
        let (m1, m2) = (m1.normalize(), m2.normalize());
        let (isl, arr, r) = pair(d, phi);
        let e = dipolar_energy(&arr, &flat(&[m1, m2]));
        let (mu1, mu2) = (m1 * 8e5 * isl[0].volume(), m2 * 8e5 * isl[1].volume());
        let want = closed_form(mu1, mu2, r);
        let scale = 1e-7 * mu1.norm() * mu2.norm() / d.powi(3);
        prop_assert!((e - want).abs() < 1e-12 * scale, "{} vs {}", e, want);
    }

    /// B_eff = −(1/μ_i) ∂E/∂m_i by central differences, for every term at once, on a
    /// disordered 2 × 2 pinwheel with anisotropy, dipolar coupling and an applied field.
    #[test]
    fn effective_field_is_minus_energy_gradient(seed in 0u64..500, ku in -2e4f64..2e4) {
        let toml = format!(
            "[material]\nku = {ku}\n[lattice]\nkind = \"pinwheel\"\nnx = 2\nny = 2\nspacing = 450e-9\ndisorder = 0.1\nseed = {seed}\n\
             [coupling]\ncutoff = inf\n[init]\nkind = \"random\"\nseed = {seed}\n[[field]]\nb = [0.01, -0.02, 0.03]\nduration = 1e-9\n");
        let (_, e) = engine(&toml);
        let arr = e.array();
        let m: Vec<f64> = e.state()[..3 * arr.n].to_vec();
        let mut b = vec![0.0; m.len()];
        arr.field(0.0, &m, &mut b);
        let h = 1e-6;
        for i in 0..arr.n {
            for c in 0..3 {
                let (mut mp, mut mm) = (m.clone(), m.clone());
                mp[3 * i + c] += h;
                mm[3 * i + c] -= h;
                let grad = (arr.energy(0.0, &mp) - arr.energy(0.0, &mm)) / (2.0 * h);
                let want = -grad / arr.moment[i];
                prop_assert!((b[3 * i + c] - want).abs() < 1e-6 * (1.0 + want.abs()), "island {} comp {}: {} vs {}", i, c, b[3 * i + c], want);
            }
        }
    }

    /// Reciprocity of the pair tensor: μ_i·B_ij(μ_j) = μ_j·B_ji(μ_i).
    #[test]
    fn dipolar_coupling_is_reciprocal(d in 300e-9f64..2e-6, phi in 0.0f64..6.3, a in prop::array::uniform3(-1.0f64..1.0), b in prop::array::uniform3(-1.0f64..1.0)) {
        let (m1, m2) = (Vector3::from(a), Vector3::from(b));
        prop_assume!(m1.norm() > 0.1 && m2.norm() > 0.1);
        let (_, arr, _) = pair(d, phi);
        let dip = arr.terms.iter().find(|t| t.name() == "e_dipolar").unwrap();
        let mut b1 = vec![0.0; 6];
        term_field(dip.as_ref(), 0.0, &flat(&[Vector3::zeros(), m2]), &mut b1);
        let mut b2 = vec![0.0; 6];
        term_field(dip.as_ref(), 0.0, &flat(&[m1, Vector3::zeros()]), &mut b2);
        let lhs = arr.moment[0] * m1.dot(&Vector3::new(b1[0], b1[1], b1[2]));
        let rhs = arr.moment[1] * m2.dot(&Vector3::new(b2[3], b2[4], b2[5]));
        prop_assert!((lhs - rhs).abs() <= 1e-12 * lhs.abs().max(rhs.abs()).max(1e-30));
    }
}
