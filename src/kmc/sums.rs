//! Rates in three levels of partial sums (blocks of 64 rates, superblocks of 64 blocks) for
//! Gillespie's direct method: O(1) update (the rate, its block and superblock sums) and
//! selection of the event i with Σ_{j<i} r_j ≤ u < Σ_{j≤i} r_j by three short linear scans.
//! The block sums are recomputed from the rates every n updates so rounding cannot
//! accumulate.

const SHIFT: usize = 6;
const WIDTH: usize = 1 << SHIFT;

#[derive(Clone, Debug)]
pub struct Sums {
    rates: Vec<f64>,
    blocks: Vec<f64>,
    supers: Vec<f64>,
    updates: usize,
}

impl Sums {
    pub fn new(rates: Vec<f64>) -> Self {
        let nb = rates.len().div_ceil(WIDTH).max(1);
        let mut s = Sums { rates, blocks: vec![0.0; nb], supers: vec![0.0; nb.div_ceil(WIDTH)], updates: 0 };
        s.rebuild();
        s
    }

    /// Recomputes the block and superblock sums from the rates (O(n)).
    pub fn rebuild(&mut self) {
        for (b, chunk) in self.blocks.iter_mut().zip(self.rates.chunks(WIDTH)) {
            *b = chunk.iter().sum();
        }
        for (s, chunk) in self.supers.iter_mut().zip(self.blocks.chunks(WIDTH)) {
            *s = chunk.iter().sum();
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
        self.blocks[i >> SHIFT] += d;
        self.supers[i >> (2 * SHIFT)] += d;
        self.updates += 1;
        if self.updates > self.rates.len().max(4096) {
            self.rebuild();
        }
    }

    /// Σ r_i.
    pub fn total(&self) -> f64 {
        self.supers.iter().sum()
    }

    /// The index i with prefix(i) ≤ u < prefix(i + 1), for 0 ≤ u < total; skips zero rates
    /// (rounding may land past the end or on a zero rate: the nearest positive one is taken).
    pub fn find(&self, mut u: f64) -> usize {
        let s = scan(&self.supers, &mut u);
        let b0 = s * WIDTH;
        let b = b0 + scan(&self.blocks[b0..(b0 + WIDTH).min(self.blocks.len())], &mut u);
        let r0 = b * WIDTH;
        let n = self.rates.len();
        let mut i = r0 + scan(&self.rates[r0..(r0 + WIDTH).min(n)], &mut u);
        while self.rates[i] == 0.0 && i > 0 {
            i -= 1;
        }
        while self.rates[i] == 0.0 && i + 1 < n {
            i += 1;
        }
        i
    }
}

/// The first k with Σ_{j≤k} v_j > u (u reduced by Σ_{j<k} v_j), or the last index: the sums of
/// chunks of 8 first (independent additions), then a scan of the chunk, so the chain of
/// dependent subtractions is at most 2·8 long rather than |v|.
#[inline]
fn scan(v: &[f64], u: &mut f64) -> usize {
    const C: usize = 8;
    let mut base = 0;
    let mut chunks = v.chunks(C);
    for (c, chunk) in chunks.by_ref().enumerate() {
        let sum: f64 = chunk.iter().sum();
        if *u < sum || (c + 1) * C >= v.len() {
            base = c * C;
            break;
        }
        *u -= sum;
    }
    let tail = &v[base..(base + C).min(v.len())];
    for (k, &x) in tail.iter().enumerate() {
        if *u < x {
            return base + k;
        }
        *u -= x;
    }
    (base + tail.len()).saturating_sub(1)
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
        let n = 3 * WIDTH * WIDTH + 17;
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
