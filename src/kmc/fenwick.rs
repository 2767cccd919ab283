//! A Fenwick (binary indexed) tree of non-negative rates: O(log n) update and O(log n)
//! selection of the event i with Σ_{j<i} r_j ≤ u < Σ_{j≤i} r_j (Gillespie's direct method).
//! The tree is rebuilt from the exact rates every n updates so rounding cannot accumulate.

#[derive(Clone, Debug)]
pub struct Fenwick {
    rates: Vec<f64>,
    tree: Vec<f64>,
    updates: usize,
}

impl Fenwick {
    pub fn new(rates: Vec<f64>) -> Self {
        let mut f = Fenwick { tree: vec![0.0; rates.len() + 1], rates, updates: 0 };
        f.rebuild();
        f
    }

    /// Rebuilds the partial sums from the rates (O(n)).
    pub fn rebuild(&mut self) {
        let n = self.rates.len();
        self.tree[1..].copy_from_slice(&self.rates);
        self.tree[0] = 0.0;
        for i in 1..=n {
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                self.tree[j] += self.tree[i];
            }
        }
        self.updates = 0;
    }

    pub fn rate(&self, i: usize) -> f64 {
        self.rates[i]
    }

    /// Sets r_i.
    pub fn set(&mut self, i: usize, r: f64) {
        let d = r - self.rates[i];
        self.rates[i] = r;
        let n = self.rates.len();
        let mut k = i + 1;
        while k <= n {
            self.tree[k] += d;
            k += k & k.wrapping_neg();
        }
        self.updates += 1;
        if self.updates > n.max(64) {
            self.rebuild();
        }
    }

    /// Σ r_i.
    pub fn total(&self) -> f64 {
        let mut k = self.rates.len();
        let mut s = 0.0;
        while k > 0 {
            s += self.tree[k];
            k -= k & k.wrapping_neg();
        }
        s
    }

    /// The index i with prefix(i) ≤ u < prefix(i + 1), for 0 ≤ u < total; skips zero rates.
    pub fn find(&self, mut u: f64) -> usize {
        let n = self.rates.len();
        let mut pos = 0;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.tree[next] <= u {
                u -= self.tree[next];
                pos = next;
            }
            step >>= 1;
        }
        // Rounding may land on a zero rate or past the end: move to the nearest positive one.
        let mut i = pos.min(n - 1);
        while self.rates[i] == 0.0 && i > 0 {
            i -= 1;
        }
        while self.rates[i] == 0.0 && i + 1 < n {
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_follows_the_prefix_sums() {
        let mut f = Fenwick::new(vec![1.0, 0.0, 2.0, 3.0, 0.5]);
        assert_eq!(f.total(), 6.5);
        assert_eq!(f.find(0.5), 0);
        assert_eq!(f.find(1.0), 2);
        assert_eq!(f.find(2.99), 2);
        assert_eq!(f.find(3.0), 3);
        assert_eq!(f.find(6.4), 4);
        f.set(3, 0.0);
        assert_eq!(f.total(), 3.5);
        assert_eq!(f.find(3.2), 4);
        for _ in 0..200 {
            f.set(1, 0.25);
            f.set(1, 0.0);
        }
        assert!((f.total() - 3.5).abs() < 1e-12);
    }
}
