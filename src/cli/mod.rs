//! `dossier check`: its arguments and exit codes. Checking lives in
//! `check`, output formats in `render`; `main.rs` dispatches the
//! subcommands.

mod check;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Also print hints (untagged mentions, unused definitions).
    #[arg(long)]
    hints: bool,
    /// Exit 1 on warnings too (`--deny warnings`).
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    deny: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Gitlab,
}

/// `dossier check`. Exit status: 0 clean, 1 findings, 2 a usage or
/// configuration error, said in one line on stderr.
pub fn check(args: &CheckArgs) -> ExitCode {
    match check::run(args) {
        Ok(found) => ExitCode::from(found as u8),
        Err(message) => {
            eprintln!("error: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}

/// The promised single line, whatever a path or a config file holds: line
/// breaks and other control characters are shown escaped.
pub fn one_line(message: &str) -> String {
    message.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}
