//! The command-line interface: one file per subcommand.

pub mod baselines;
pub mod bench;
pub mod bench_micromag;
pub mod bench_readout;
pub mod bench_switching;
pub mod compare;
pub mod dataset;
pub mod optimise;

pub mod ringdown;
pub mod run;
pub mod simulate;

pub mod calibrate;
pub mod characterise;
pub mod spectrum;
pub mod sweep;
pub mod switching;
pub mod tune;

use crate::error::Error;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "nanomag", version, about = "Simulator for nanomagnetic reservoir computing")]
pub struct Cli {
    /// Silence progress bars and informational output.
    #[arg(long, global = true)]
    pub quiet: bool,
    /// Run even when the up-front cost estimate exceeds the soft limits (memory, files, work;
    /// docs/cost.md). Memory beyond the machine's is refused regardless.
    #[arg(long, global = true)]
    pub allow_large: bool,
    /// Validate and print the cost estimate (JSON on stdout) without running
    /// (simulate, run, sweep, tune, baselines, optimise, spectrum, characterise, calibrate,
    /// switching).
    #[arg(long, global = true)]
    pub dry_run: bool,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The cost flags.
    pub fn budget(&self) -> Budget {
        Budget { allow_large: self.allow_large, dry_run: self.dry_run }
    }
}

/// `--allow-large` and `--dry-run`: what to do with a run's cost estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Budget {
    pub allow_large: bool,
    pub dry_run: bool,
}

impl Budget {
    /// Checks `e` against the soft limits; with `--dry-run` prints it (one JSON line on stdout)
    /// and returns false: the caller stops there.
    pub fn admit(&self, command: &str, e: &crate::cost::Estimate) -> Result<bool, Error> {
        if self.dry_run {
            let ok = crate::cost::check(e, self.allow_large);
            let line = serde_json::json!({ "command": command, "estimate": e,
                "within_limits": ok.is_ok(), "describe": e.describe() });
            println!("{line}");
            return Ok(false);
        }
        crate::cost::check(e, self.allow_large)?;
        Ok(true)
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a field protocol on a lattice and write table.csv, magnets.csv, summary.json and figures.
    Simulate {
        /// Configuration file (TOML).
        config: PathBuf,
        /// Output directory (created if missing).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Override a config key, e.g. --set 'mesh.cell=[2.5e-9, 2.5e-9, 3e-9]' (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Plot ⟨m⟩(t) of up to 4 tables (runs or reference curves) on one figure and report
    /// ⟨m⟩ at the end and the first zero of ⟨mx⟩ of each.
    Compare {
        /// Tables with columns t (or t_s), mx, my, mz.
        files: Vec<PathBuf>,
        /// Legend label per file (repeat in file order).
        #[arg(long = "label")]
        labels: Vec<String>,
        /// Figure title.
        #[arg(long, default_value = "Average magnetisation")]
        title: String,
        /// Output figure (PNG; an SVG and a JSON summary are written beside it).
        #[arg(long)]
        out: PathBuf,
    },
    /// Switching field of one island at an angle: micromagnetic, macrospin and Stoner–Wohlfarth.
    Switching {
        /// Micromagnetic config with a single-island lattice (no `[[field]]` needed).
        config: PathBuf,
        /// Field angle from the easy axis (degrees), the field opposing m.
        #[arg(long, default_value_t = 30.0)]
        angle_deg: f64,
        /// Field step of the quasi-static sweep (T).
        #[arg(long, default_value_t = 2e-3)]
        step: f64,
        /// Bisection resolution (T).
        #[arg(long, default_value_t = 2e-4)]
        resolution: f64,
        /// Largest field tried (T).
        #[arg(long, default_value_t = 0.3)]
        b_max: f64,
        /// Override a config key (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Output directory.
        #[arg(long, default_value = "out/switching")]
        out: PathBuf,
    },
    /// Fit the switching engines' astroid (hc, b, c, beta, gamma) and the KMC barrier to switching fields computed with an LLG engine; writes a TOML fragment.
    Calibrate {
        /// Config with the island as island 0 (micromagnetic with a `[mesh]` for --engine micromagnetic).
        config: PathBuf,
        /// LLG engine that computes the switching fields: macrospin or micromagnetic.
        #[arg(long, default_value = "macrospin")]
        engine: String,
        /// Field angles from the easy axis (degrees, comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "5,15,25,35,45,55,65,75,85")]
        angles: Vec<f64>,
        /// Field step of the quasi-static sweep (T).
        #[arg(long, default_value_t = 2e-3)]
        step: f64,
        /// Bisection resolution (T).
        #[arg(long, default_value_t = 5e-5)]
        resolution: f64,
        /// Largest field tried (T).
        #[arg(long, default_value_t = 0.5)]
        b_max: f64,
        /// Override a config key (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Output directory.
        #[arg(long, default_value = "out/calibrate")]
        out: PathBuf,
    },
    /// Train and test a reservoir (magnets or a software baseline) on a time-series task.
    Run {
        /// Experiment file (TOML).
        config: PathBuf,
        /// Output directory (default: `out/<config file stem>`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Independent copies: R shifts every seed by 0..R; TxD crosses T task seeds with D
        /// disorder seeds (lattice, thermal, mask, sensor). Run in parallel; reports mean ± std.
        #[arg(long, default_value = "1")]
        repeats: String,
        /// Also write every reservoir state to states.csv.
        #[arg(long)]
        states: bool,
        /// Override a config key, e.g. --set input.hold=2e-10 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// FMR spectrum of the state a field protocol leaves (pulse + ringdown + FFT); optional field sweep.
    Spectrum {
        /// Configuration file (TOML): a `simulate` config plus [spectrum].
        config: PathBuf,
        /// Output directory: spectrum.csv, spectrum.png/.svg, summary.json (+ spectrum_map.*,
        /// spectrum_islands.csv, `mode_map_<k>.*`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Override a config key, e.g. --set 'mesh.cell=[5e-9, 5e-9, 5e-9]' (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Run a parameter sweep (magnet reservoirs and baselines) in parallel; resumable, shardable.
    Sweep {
        /// Sweep file (TOML): `[[group]]` base = "experiment.toml" with `[[group.axis]]` key/values.
        config: PathBuf,
        /// Output directory: results.jsonl (one line per finished point), sweep.json, figures.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Skip points whose config hash is already in DIR/results.jsonl.
        #[arg(long)]
        resume: bool,
        /// Run only points with index ≡ K (mod N), e.g. --shard 0/4 (a Slurm array task).
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Memory capacity, nonlinearity, kernel and generalisation rank of an experiment's
    /// reservoir, read through its sensor.
    Characterise {
        /// Experiment file (TOML); its task is replaced by i.i.d. inputs.
        config: PathBuf,
        /// Output directory (default: `out/<config file stem>_characterise`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Largest delay of the memory capacity.
        #[arg(long, default_value_t = 30)]
        delays: usize,
        /// Input streams N for the kernel and generalisation ranks.
        #[arg(long, default_value_t = 60)]
        streams: usize,
        /// Override a config key (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Choose hyper-parameters on the validation split (a sweep file's axes are the
    /// candidates), then report the choice's held-out test NRMSE, mean ± std over the runs.
    Tune {
        /// Tune file: the form of a sweep file (`[[group]]` base, `[[group.axis]]`).
        config: PathBuf,
        /// Output directory: candidates.jsonl, tune.json.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Runs per candidate: R (every seed shifted by 0..R) or TxD (task × disorder seeds).
        #[arg(long, default_value = "3x3")]
        repeats: String,
    },
    /// The software baselines of an experiment at equal feature count (ESN, delay ≤ N,
    /// NG-RC), each tuned on the validation split by random search over the same seeds, then
    /// scored once on test; writes baselines.csv/.json, results.jsonl and figures.
    Baselines {
        /// Experiment file (TOML): its task, split, readout and seeds are used.
        config: PathBuf,
        /// Output directory: candidates.jsonl, baselines.csv, baselines.json, results.jsonl.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Feature counts N (comma-separated; default: the experiment's own).
        #[arg(long, value_delimiter = ',')]
        features: Vec<i64>,
        /// Runs per candidate: R or TxD (task × disorder seeds), as for `run`.
        #[arg(long, default_value = "3x3")]
        repeats: String,
        /// Candidates per family and feature count.
        #[arg(long, default_value_t = 60)]
        budget: i64,
        /// Seed of the random search.
        #[arg(long, default_value_t = 1)]
        search_seed: i64,
        /// Families (comma-separated): esn, delay_line, ngrc (default: all).
        #[arg(long, value_delimiter = ',')]
        families: Vec<String>,
        /// Skip candidates already in DIR/candidates.jsonl.
        #[arg(long)]
        resume: bool,
        /// Override a config key of the experiment (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Design search: Bayesian optimisation (or random search) over any config keys, on the
    /// validation split only; the chosen design (or each Pareto design) is then re-run on
    /// unseen seeds and scored on test. Resumable (--resume) and shardable (--shard K/N).
    Optimise {
        /// Optimise file (TOML, docs/optimise.md): base experiment, `[[param]]` space, budget,
        /// objectives and constraints.
        config: PathBuf,
        /// Output directory: journal.jsonl, summary.json, evaluations.csv, results.jsonl, figures
        /// (default: `out/<file stem>`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Runs per design: R or TxD (task × disorder seeds); default: the file's search.repeats.
        #[arg(long)]
        repeats: Option<String>,
        /// Continue the search journaled in --out (replays it: the same proposals, nothing
        /// evaluated twice).
        #[arg(long)]
        resume: bool,
        /// Evaluate only this shard's designs (slot ≡ K mod N) of the first unfinished batch,
        /// into DIR/journal.shard-K-of-N.jsonl, then stop (a Slurm array task).
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Budget in evaluations (overrides the file's search.evaluations).
        #[arg(long)]
        evaluations: Option<i64>,
        /// bo or random (overrides the file's search.method).
        #[arg(long)]
        method: Option<String>,
        /// Seed of the optimiser (overrides the file's search.seed).
        #[arg(long)]
        seed: Option<i64>,
        /// Another search's output directory to draw in the convergence figure (repeatable).
        #[arg(long, value_name = "DIR")]
        compare: Vec<PathBuf>,
        /// A `nanomag baselines` (or sweep) output directory to draw in the Pareto figure
        /// (repeatable).
        #[arg(long, value_name = "DIR")]
        baselines: Vec<PathBuf>,
        /// Worker threads (default: all cores, or RAYON_NUM_THREADS).
        #[arg(long)]
        threads: Option<usize>,
    },
    /// Union the results of sweep shards (one record per config hash) and draw the figures.
    Merge {
        /// Sweep output directories.
        dirs: Vec<PathBuf>,
        /// Output directory for the merged results.jsonl and figures.
        #[arg(long)]
        out: PathBuf,
    },
    /// Redraw the sweep figures of DIR from DIR/results.jsonl.
    Plot {
        /// Sweep output directory.
        dir: PathBuf,
    },
    /// Power spectrum of a column of a simulate table (a ringdown, e.g. ⟨m_y⟩ after a field
    /// step as in the FMR standard problem): spectrum.csv, spectrum.png/.svg, lines.json.
    Ringdown {
        /// A table.csv written by `nanomag simulate`.
        table: PathBuf,
        /// Column to transform.
        #[arg(long, default_value = "my")]
        column: String,
        /// Skip rows before this time (s).
        #[arg(long, default_value_t = 0.0)]
        from: f64,
        /// Zero-padding factor.
        #[arg(long, default_value_t = 4)]
        pad: usize,
        /// Highest frequency shown (Hz).
        #[arg(long, default_value_t = 30e9)]
        f_max: f64,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Export a task's input and target series as CSV (t,u,y).
    Dataset {
        /// Task: narma10, narma2, mackey_glass, memory_capacity, sine_square, parity.
        task: String,
        /// Number of steps.
        #[arg(long, default_value_t = 1000)]
        steps: i64,
        /// Seed of the input stream.
        #[arg(long, default_value_t = 1)]
        seed: i64,
        /// Output CSV file.
        #[arg(long)]
        out: PathBuf,
        /// Task options, e.g. --set task.horizon=5.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Measure the macrospin right-hand side (magnet·RHS-evaluations per second), or with
    /// --micromag, --switching or --readout those parts.
    Bench {
        /// Unit cells per side of the square lattice (2·n² islands; default 71 → 10 082), or
        /// mesh cells per side with --micromag (default 256).
        #[arg(long)]
        cells: Option<usize>,
        /// Dipolar cutoff in lattice spacings.
        #[arg(long, default_value_t = 3.0)]
        cutoff: f64,
        /// Seconds to measure for.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Time the micromagnetic solver instead, on a cells × cells × 1 film (default 256).
        #[arg(long)]
        micromag: bool,
        /// Timed runs per configuration (--micromag, --switching): the median is reported.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Time the switching and KMC engines (cells default 708 → 10⁶ islands).
        #[arg(long)]
        switching: bool,
        /// With --switching: a Python with flatspin 2.6, to time flatspin on the same array.
        #[arg(long, value_name = "PYTHON")]
        flatspin: Option<PathBuf>,
        /// Time the ridge readout (p = 10³ … 10⁵ features, 3 000 training rows, 10 λ).
        #[arg(long)]
        readout: bool,
        /// With --readout: a Python with numpy, to time numpy on the same problems.
        #[arg(long, value_name = "PYTHON")]
        numpy: Option<PathBuf>,
        /// With --readout: the largest feature count to time (1000, 3000, 10000 or 100000).
        #[arg(long, default_value_t = 100_000)]
        max_features: usize,
    },
}

/// Runs the CLI and returns the process exit code (2 for bad input, 3 for numerical trouble).
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    match run(&cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// Runs the parsed command line; the larger commands read their flags in their own module
/// (`command` there).
pub fn run(cli: &Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Compare { files, labels, title, out } => compare::run(files, labels, title, out),
        Command::Switching { config, angle_deg, step, resolution, b_max, set, out } => {
            switching::run(config, set, *angle_deg, *step, *resolution, *b_max, out, cli.budget(), cli.quiet)
        }
        c @ Command::Calibrate { .. } => calibrate::command(c, cli),
        Command::Simulate { config, out, set } => simulate::run(config, out, set, cli.budget(), cli.quiet).map(|_| ()),
        Command::Run { config, out, repeats, states, set } => {
            let repeats = crate::reservoir::repeats::Repeats::parse(repeats)?;
            let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
            let args = run::RunArgs {
                config,
                out: out.as_deref().unwrap_or(&default_out),
                repeats,
                states: *states,
                set,
                budget: cli.budget(),
                quiet: cli.quiet,
            };
            run::run(&args).map(|_| ())
        }
        c @ Command::Characterise { .. } => characterise::command(c, cli),
        Command::Tune { config, out, repeats } => {
            let repeats = crate::reservoir::repeats::Repeats::parse(repeats)?;
            let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
            tune::run(config, out.as_deref().unwrap_or(&default_out), repeats, cli.budget(), cli.quiet).map(|_| ())
        }
        Command::Sweep { config, out, resume, shard, threads } => {
            let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
            sweep::run(&sweep::SweepArgs {
                file: config,
                out: out.as_deref().unwrap_or(&default_out),
                resume: *resume,
                shard: shard.as_deref(),
                threads: *threads,
                budget: cli.budget(),
                quiet: cli.quiet,
            })
        }
        Command::Spectrum { config, out, set } => {
            let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
            spectrum::run(config, out.as_deref().unwrap_or(&default_out), set, cli.budget(), cli.quiet)
        }
        c @ Command::Baselines { .. } => baselines::command(c, cli),
        c @ Command::Optimise { .. } => optimise::command(c, cli),
        Command::Merge { dirs, out } => sweep::merge(dirs, out, cli.quiet),
        Command::Plot { dir } => sweep::plot(dir, cli.quiet),
        Command::Ringdown { table, column, from, pad, f_max, out } => {
            ringdown::run(table, column, *from, *pad, *f_max, out, cli.quiet)
        }
        Command::Dataset { task, steps, seed, out, set } => dataset::run(task, *steps, *seed, out, set, cli.quiet),
        c @ Command::Bench { .. } => bench::command(c, cli),
    }
}

/// Command-line errors in nanomag's one-line form (`--seed = nan: must be a whole number`),
/// exit code 2; `--help` and `--version` print as usual, exit code 0.
fn clap_error(e: clap::Error) -> i32 {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return 2;
        }
        _ => {}
    }
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string());
    let flag = ctx(ContextKind::InvalidArg).map(|a| a.split([' ', '=']).next().unwrap_or_default().to_string());
    let first = e.render().to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_string();
    let why = |s: &str| -> String {
        let s = s.rsplit(": ").next().unwrap_or(s);
        match s {
            "invalid digit found in string" => "must be a whole number".into(),
            "invalid float literal" => "must be a number".into(),
            "number too large to fit in target type" | "number too small to fit in target type" => {
                "is out of range for a whole number".into()
            }
            "cannot parse integer from empty string" => "must be a whole number, not empty".into(),
            other => other.to_string(),
        }
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let line = match (e.kind(), flag, ctx(ContextKind::InvalidValue)) {
        (ErrorKind::InvalidValue | ErrorKind::ValueValidation, Some(f), Some(v)) => {
            format!("{f} = {v}: {}", why(&first))
        }
        (ErrorKind::UnknownArgument, _, _) => {
            format!("argument = {arg}: is not an option of this command (negative numbers need --flag=-1; see --help)")
        }
        (ErrorKind::MissingRequiredArgument, _, _) => {
            format!("{} = (missing): is required (see --help)", arg.split_whitespace().next().unwrap_or("argument"))
        }
        (ErrorKind::InvalidSubcommand, _, _) => {
            let sub = ctx(ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("command = {sub}: is not a nanomag command (see --help)")
        }
        _ => format!("command line = {}: {first}", std::env::args().skip(1).collect::<Vec<_>>().join(" ")),
    };
    eprintln!("error: {}", line.replace('\n', " "));
    2
}

/// Runs `go` on a pool of `threads` threads (`--threads`), or on rayon's global pool.
pub(crate) fn with_threads<T>(threads: Option<usize>, go: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error>
where
    T: Send,
{
    match threads {
        Some(n) => {
            rayon::ThreadPoolBuilder::new().num_threads(n).build().map_err(|e| Error::io("thread pool", e))?.install(go)
        }
        None => go(),
    }
}
