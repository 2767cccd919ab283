//! OVF files (issue 5): OVF 2.0 written then read back is bit-identical for Binary 8 and text,
//! within f32 rounding for Binary 4; a hand-made OVF 2.0 text file (from the specification)
//! and a hand-assembled big-endian OVF 1.0 Binary 4 file read correctly; a wrong check value is
//! an error, not garbage.

use nanomag::io::ovf::{from_bytes, read, to_bytes, write, OvfField, OvfFormat};

fn field() -> OvfField {
    let n = [7, 5, 3];
    let data: Vec<f64> = (0..n[0] * n[1] * n[2])
        .flat_map(|i| {
            let a = 0.37 * i as f64 + 0.1;
            let b = 1.3 * (i as f64).sqrt();
            [a.cos() * b.sin(), a.sin() * b.sin(), b.cos()]
        })
        .collect();
    OvfField { title: "m".into(), n, d: [5e-9, 4e-9, 3e-9], min: [0.0, 0.0, 0.0], dim: 3, data }
}

#[test]
fn round_trips() {
    let f = field();
    let dir = tempfile::tempdir().unwrap();
    for fmt in [OvfFormat::Binary8, OvfFormat::Text] {
        let p = dir.path().join("m.ovf");
        write(&p, &f, fmt).unwrap();
        let g = read(&p).unwrap();
        assert_eq!(g, f, "{fmt:?}: not bit-identical");
    }
    let g = from_bytes(&to_bytes(&f, OvfFormat::Binary4)).unwrap();
    assert_eq!((g.n, g.d, g.dim), (f.n, f.d, f.dim));
    for (a, b) in g.data.iter().zip(&f.data) {
        assert_eq!(*a, *b as f32 as f64);
        assert!((a - b).abs() <= 6e-8 * b.abs().max(1e-30));
    }
    // The binary layout: little-endian check value right after the data line.
    let bytes = to_bytes(&f, OvfFormat::Binary4);
    let at = bytes.windows(20).position(|w| w == b"# Begin: Data Binary").unwrap() + b"# Begin: Data Binary 4\n".len();
    assert_eq!(&bytes[at..at + 4], &1234567.0f32.to_le_bytes());
}

#[test]
fn reads_a_hand_made_ovf2_text_file() {
    let f = read(std::path::Path::new("tests/fixtures/handmade_ovf2.ovf")).unwrap();
    assert_eq!(f.n, [3, 2, 1]);
    assert_eq!(f.d, [5e-9, 4e-9, 3e-9]);
    assert_eq!(f.title, "Magnetization");
    assert_eq!(f.data.len(), 18);
    // Cell (1, 0, 0) = (0.6, 0.8, 0); cell (1, 1, 0) = (−0.6, 0, 0.8): x fastest.
    assert_eq!(&f.data[3..6], &[0.6, 0.8, 0.0]);
    assert_eq!(&f.data[12..15], &[-0.6, 0.0, 0.8]);
}

#[test]
fn reads_a_big_endian_ovf1_binary_file_and_refuses_a_bad_check_value() {
    let mut b = b"# OOMMF: rectangular mesh v1.0\n# Segment count: 1\n# Begin: Segment\n# Begin: Header\n\
# Title: m\n# meshtype: rectangular\n# meshunit: m\n# xnodes: 2\n# ynodes: 1\n# znodes: 1\n\
# xstepsize: 1e-9\n# ystepsize: 1e-9\n# zstepsize: 1e-9\n# End: Header\n# Begin: Data Binary 4\n"
        .to_vec();
    let header_len = b.len();
    b.extend_from_slice(&1234567.0f32.to_be_bytes());
    for v in [1.0f32, 0.0, 0.0, 0.0, -1.0, 0.0] {
        b.extend_from_slice(&v.to_be_bytes());
    }
    b.extend_from_slice(b"\n# End: Data Binary 4\n# End: Segment\n");
    let f = from_bytes(&b).unwrap();
    assert_eq!(f.data, vec![1.0, 0.0, 0.0, 0.0, -1.0, 0.0]);
    assert_eq!(f.dim, 3);
    // Little-endian bytes under an OVF 1.0 header: the check value catches it.
    let mut wrong = b.clone();
    wrong[header_len..header_len + 4].copy_from_slice(&1234567.0f32.to_le_bytes());
    let e = from_bytes(&wrong).unwrap_err().to_string();
    assert!(e.contains("check value"), "{e}");
}
