//! Rates in levels of partial sums, 16 to a node (level 1 sums 16 rates, level 2 sums 16 of
//! those, … up to at most 16 top sums) for Gillespie's direct method: O(log₁₆ n) update (the
//! rate and one sum per level) and selection of the event i with Σ_{j<i} r_j ≤ u < Σ_{j≤i} r_j
//! by one scan of at most 16 entries per level (five for 10⁵–10⁶ rates). The sums are
//! recomputed from the rates every n updates so rounding cannot accumulate.

const SHIFT: usize = 4;
const WIDTH: usize = 1 << SHIFT;

#[derive(Clone, Debug)]
pub struct Sums {
    rates: Vec<f64>,
    /// levels[l][k] = Σ of levels[l − 1][16k..16k + 16] (levels[0] summing the rates).
    levels: Vec<Vec<f64>>,
    updates: usize,
}

impl Sums {
    pub fn new(rates: Vec<f64>) -> Self {
        let mut levels = Vec::new();
        let mut len = rates.len();
        loop {
            len = len.div_ceil(WIDTH).max(1);
            levels.push(vec![0.0; len]);
            if len <= WIDTH {
                break;
            }
        }
        let mut s = Sums { rates, levels, updates: 0 };
        s.rebuild();
        s
    }

    /// Recomputes every level's sums from the rates (O(n)).
    pub fn rebuild(&mut self) {
        let mut below: &[f64] = &self.rates;
        for level in self.levels.iter_mut() {
            for (x, chunk) in level.iter_mut().zip(below.chunks(WIDTH)) {
                *x = chunk.iter().sum();
            }
            below = level;
        }
        self.updates = 0;
    }

    pub fn rate(&self, i: usize) -> f64 {
        self.rates[i]
    }

    /// Sets r_i.
    #[inline]
    pub fn set(&mut self, i: usize, r: f64) {
        let d = r - self.rates[i];
        self.rates[i] = r;
        let mut k = i;
        for level in self.levels.iter_mut() {
            k >>= SHIFT;
            level[k] += d;
        }
        self.updates += 1;
        if self.updates > self.rates.len().max(4096) {
            self.rebuild();
        }
    }

    /// Σ r_i.
    pub fn total(&self) -> f64 {
        self.levels.last().map_or(0.0, |top| top.iter().sum())
    }

    /// The index i with prefix(i) ≤ u < prefix(i + 1), for 0 ≤ u < total; skips zero rates
    /// (rounding may land past the end or on a zero rate: the nearest positive one is taken).
    pub fn find(&self, mut u: f64) -> usize {
        let mut k = 0;
        for level in self.levels.iter().rev() {
            let lo = k * WIDTH;
            k = lo + scan(&level[lo..(lo + WIDTH).min(level.len())], &mut u);
        }
        let n = self.rates.len();
        let lo = k * WIDTH;
        let mut i = lo + scan(&self.rates[lo..(lo + WIDTH).min(n)], &mut u);
        while self.rates[i] == 0.0 && i > 0 {
            i -= 1;
        }
        while self.rates[i] == 0.0 && i + 1 < n {
            i += 1;
        }
        i
    }
}

/// The first k with Σ_{j≤k} v_j > u (u reduced by Σ_{j<k} v_j), or the last index.
#[inline]
fn scan(v: &[f64], u: &mut f64) -> usize {
    for (k, &x) in v.iter().enumerate() {
        if *u < x {
            return k;
        }
        *u -= x;
    }
    v.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_follows_the_prefix_sums() {
        let mut f = Sums::new(vec![1.0, 0.0, 2.0, 3.0, 0.5]);
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

    #[test]
    fn selection_crosses_blocks_and_superblocks() {
        let n = 3 * WIDTH * WIDTH * WIDTH * WIDTH + 17;
        let rates: Vec<f64> = (0..n).map(|i| if i % 7 == 0 { 0.0 } else { 1.0 + (i % 5) as f64 }).collect();
        let f = Sums::new(rates.clone());
        let mut acc = 0.0;
        for (i, r) in rates.iter().enumerate() {
            if *r > 0.0 {
                assert_eq!(f.find(acc + 0.5 * r), i);
            }
            acc += r;
        }
        assert_eq!(f.total(), acc);
    }
}
