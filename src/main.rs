//! The `nanomag` command: parse the CLI and hand over to `nanomag::cli`.

fn main() {
    std::process::exit(nanomag::cli::main());
}
