//! The command-line interface: one file per subcommand.

pub mod bench;
pub mod dataset;
pub mod progress;
pub mod run;
pub mod simulate;

use crate::error::Error;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "nanomag", version, about = "Simulator for nanomagnetic reservoir computing")]
pub struct Cli {
    /// Silence progress bars and informational output.
    #[arg(long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
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
    },
    /// Train and test a reservoir (magnets or a software baseline) on a time-series task.
    Run {
        /// Experiment file (TOML).
        config: PathBuf,
        /// Output directory (default: out/<config file stem>).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Independent copies with every seed shifted by 0..R, run in parallel; reports mean ± std.
        #[arg(long, default_value_t = 1)]
        repeats: usize,
        /// Also write every reservoir state to states.csv.
        #[arg(long)]
        states: bool,
        /// Override a config key, e.g. --set input.hold=2e-10 (repeatable).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
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
    /// Measure the macrospin right-hand side: magnet·RHS-evaluations per second.
    Bench {
        /// Unit cells per side of the square lattice (2·n² islands; 71 → 10 082).
        #[arg(long, default_value_t = 71)]
        cells: usize,
        /// Dipolar cutoff in lattice spacings.
        #[arg(long, default_value_t = 3.0)]
        cutoff: f64,
        /// Seconds to measure for.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
}

/// Runs the CLI and returns the process exit code (2 for bad input, 3 for numerical trouble).
pub fn main() -> i32 {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

pub fn run(cli: &Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Simulate { config, out } => simulate::run(config, out, cli.quiet).map(|_| ()),
        Command::Run { config, out, repeats, states, set } => {
            if *repeats == 0 {
                return Err(crate::error::ConfigError::new("--repeats", 0, "must be ≥ 1").into());
            }
            let default_out = PathBuf::from("out").join(config.file_stem().unwrap_or_default());
            let args = run::RunArgs {
                config,
                out: out.as_deref().unwrap_or(&default_out),
                repeats: *repeats,
                states: *states,
                set,
                quiet: cli.quiet,
            };
            run::run(&args).map(|_| ())
        }
        Command::Dataset { task, steps, seed, out, set } => dataset::run(task, *steps, *seed, out, set, cli.quiet),
        Command::Bench { cells, cutoff, seconds } => bench::run(*cells, *cutoff, *seconds, cli.quiet),
    }
}
