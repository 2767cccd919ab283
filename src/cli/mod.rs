//! The command-line interface: one file per subcommand.

pub mod bench;
pub mod progress;
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
        Command::Bench { cells, cutoff, seconds } => bench::run(*cells, *cutoff, *seconds, cli.quiet),
    }
}
