//! `tune` chooses on the validation split only: poisoning the test targets changes the test
//! scores it reports but neither the validation scores nor the choice.

use nanomag::reservoir::experiment;
use nanomag::reservoir::repeats::Repeats;
use nanomag::sweep::spec;
use nanomag::tune::{tune, Choice, Scored};

fn setup(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("esn.toml"),
        "[reservoir]\nkind = \"esn\"\nn = 30\n[task]\nkind = \"narma10\"\ntrain = 600\nvalidation = 200\ntest = 300\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("delay.toml"),
        "[reservoir]\nkind = \"delay_line\"\n[task]\nkind = \"narma10\"\ntrain = 600\nvalidation = 200\ntest = 300\n",
    )
    .unwrap();
    let file = dir.join("tune.toml");
    std::fs::write(
        &file,
        "[[group]]\nbase = \"esn.toml\"\n[[group.axis]]\nkey = \"reservoir.spectral_radius\"\nvalues = [0.2, 0.6, 0.95, 1.4]\n\
         [[group]]\nbase = \"delay.toml\"\n[[group.axis]]\nkey = \"reservoir.taps\"\nvalues = [1, 3, 10, 30]\n",
    )
    .unwrap();
    file
}

fn choose(poison: bool) -> (Vec<Choice>, Vec<Scored>) {
    let dir = std::env::temp_dir().join(format!("nanomag_tune_{}", std::process::id()));
    let s = spec::load(&setup(&dir)).unwrap();
    let mut seen = Vec::new();
    let data = move |cfg: &nanomag::reservoir::config::ExperimentConfig| {
        let mut d = experiment::task_data(cfg);
        if poison {
            let test_from = cfg.split.steps() - cfg.split.test;
            for y in &mut d.y {
                for (t, v) in y.iter_mut().enumerate().skip(test_from) {
                    *v = 1e3 * ((t * 7919) % 13) as f64;
                }
            }
        }
        d
    };
    let c = tune(&s, Repeats::parse("2x2").unwrap(), &data, &mut |x| seen.push(x.clone()), &|_| {}).unwrap();
    (c, seen)
}

#[test]
fn tune_never_reads_the_test_split() {
    let (clean, clean_seen) = choose(false);
    let (poisoned, poisoned_seen) = choose(true);
    assert_eq!(clean.len(), 2);
    for (a, b) in clean.iter().zip(&poisoned) {
        assert_eq!(a.chosen.params, b.chosen.params, "the choice moved with the test targets");
        assert_eq!(a.chosen.validation, b.chosen.validation);
        assert!(
            (a.test_mean - b.test_mean).abs() > 1.0,
            "the poison reached the test score: {} vs {}",
            a.test_mean,
            b.test_mean
        );
        assert_eq!(a.test.len(), 4);
    }
    for (a, b) in clean_seen.iter().zip(&poisoned_seen) {
        assert_eq!(a.validation, b.validation, "candidate {}", a.point);
    }
    // A choice at the lowest or highest value of its axis is reported as an edge, else not.
    for (c, values) in clean.iter().zip([["0.2", "0.6", "0.95", "1.4"], ["1", "3", "10", "30"]]) {
        let at_edge = c.chosen.params[0].1 == values[0] || c.chosen.params[0].1 == values[3];
        assert_eq!(!c.edges.is_empty(), at_edge, "{:?}: {:?}", c.chosen.params, c.edges);
    }
    // The delay line's choice is not the largest grid value by accident: NARMA10 needs ~10 taps.
    let taps = &clean[1].chosen.params[0];
    assert_eq!(taps.0, "reservoir.taps");
    assert!(taps.1 == "10" || taps.1 == "30", "{taps:?}");
}
