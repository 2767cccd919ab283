//! Self-check of an [`LlgSystem`]'s registered terms, on a given state:
//! 1. the effective field is the sum of the registered terms' fields (nothing acts on m that
//!    is not registered);
//! 2. every term's field is the gradient of its own energy,
//!    $B_{k,i} = -\frac{1}{\mu_i}\frac{\partial E_k}{\partial m_i}$, by central differences on a
//!    few elements (so a term whose energy is missing or wrong is named);
//! 3. E_total is the sum of the parts.

use super::LlgSystem;
use crate::par::get3;

/// Per registered term: name and field (T, 3 per element) at (t, m).
pub type TermFields = Vec<(&'static str, Vec<f64>)>;

/// Runs the checks of the module doc on `elements` (indices) of state m at time t; returns
/// the first failure, naming the term.
pub fn check_terms(
    sys: &dyn LlgSystem,
    terms: &TermFields,
    t: f64,
    m: &[f64],
    elements: &[usize],
) -> Result<(), String> {
    let n3 = m.len();
    let mut total = vec![0.0; n3];
    sys.field(t, m, &mut total);
    let mut sum = vec![0.0; n3];
    for (_, b) in terms {
        sum.iter_mut().zip(b).for_each(|(s, x)| *s += x);
    }
    let scale = total.iter().fold(1e-3f64, |a, x| a.max(x.abs()));
    if let Some(i) = (0..n3).find(|&i| (total[i] - sum[i]).abs() > 1e-9 * scale) {
        return Err(format!(
            "the effective field at element {} ({:e} T) is not the sum of the registered terms ({:e} T): a field acts that no term registered",
            i / 3,
            total[i],
            sum[i]
        ));
    }
    let parts = sys.energy_parts(t, m);
    for (name, b) in terms {
        let Some(&(_, _)) = parts.iter().find(|p| p.0 == *name) else {
            return Err(format!("term {name} adds a field but registers no energy"));
        };
        let energy = |mm: &[f64]| sys.energy_parts(t, mm).into_iter().find(|p| p.0 == *name).map_or(0.0, |p| p.1);
        let b_scale = b.iter().fold(1e-6f64, |a, x| a.max(x.abs()));
        for &i in elements {
            let mu = sys.moments()[i];
            if mu == 0.0 {
                continue;
            }
            for c in 0..3 {
                let h = 1e-5;
                let mut mp = m.to_vec();
                mp[3 * i + c] += h;
                let mut mm = m.to_vec();
                mm[3 * i + c] -= h;
                let fd = -(energy(&mp) - energy(&mm)) / (2.0 * h * mu);
                let an = get3(b, i)[c];
                if (fd - an).abs() > 1e-4 * b_scale {
                    return Err(format!(
                        "term {name}: its field at element {i}, component {c} is {an:e} T but −∂E/∂(μm) of its energy is {fd:e} T: its energy is missing or wrong"
                    ));
                }
            }
        }
    }
    let e_total: f64 = parts.iter().map(|p| p.1).sum();
    if (e_total - sys.energy(t, m)).abs() > 1e-12 * e_total.abs().max(1e-30) {
        return Err("E_total is not the sum of the registered parts".into());
    }
    Ok(())
}
