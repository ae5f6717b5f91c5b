//! The command-line front end: `dossier check` (its arguments and exit
//! codes; checking lives in `check`, output formats in `render`),
//! `dossier rules` and `dossier init`; `main.rs` dispatches the subcommands.

mod check;
mod fix;
mod init;
mod render;
mod rules;

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
    /// Apply the safe fixes to the files, then report what remains.
    #[arg(long)]
    fix: bool,
    /// Also apply the unsafe fix of each finding that has exactly one (implies --fix).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print a unified diff of what --fix (or --unsafe-fixes) would write, and write nothing.
    #[arg(long, conflicts_with_all = ["format", "deny"])]
    diff: bool,
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

/// `dossier rules [ID]`: the rule table, or one rule explained. Exit
/// status 2 for an unknown id, said in one line on stderr.
pub fn rules(id: Option<&str>) -> ExitCode {
    match id {
        None => {
            print!("{}", rules::list());
            ExitCode::SUCCESS
        }
        Some(id) => match rules::explain(id) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {}", one_line(&message));
                ExitCode::from(2)
            }
        },
    }
}

/// `dossier init [DIR]`: writes the starter files. Exit status 2, with one
/// line on stderr and nothing written, if any of them exists.
pub fn init(dir: Option<&std::path::Path>) -> ExitCode {
    let dir = dir.unwrap_or(std::path::Path::new("."));
    match init::run(dir) {
        Ok(()) => {
            for (name, _) in init::STARTER {
                println!("wrote {}", dir.join(name).display());
            }
            ExitCode::SUCCESS
        }
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
