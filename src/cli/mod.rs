//! The command line: argument parsing and exit codes. Checking lives in
//! `check`, output formats in `render`.

mod check;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "dossier", version, about = "Language server and linter for annotated analysis notes")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check notes for unsourced claims, broken references and the other rules.
    Check(CheckArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp(LspArgs),
}

#[derive(clap::Args)]
pub struct LspArgs {
    /// Accepted and ignored: stdin/stdout is the only transport. Editors'
    /// clients (VS Code's among them) pass it.
    #[arg(long)]
    stdio: bool,
}

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
}

/// Exit status: 0 clean, 1 findings, 2 usage or configuration error.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                let _ = err.print();
                return ExitCode::from(if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    2
                } else {
                    0
                });
            }
            // One line, as CI logs want it; `--help` has the rest.
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see `dossier --help`)");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Lsp(_) => match crate::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot start the language server: {e}");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => match check::run(&args) {
            Ok(found) => ExitCode::from(found as u8),
            Err(message) => {
                eprintln!("error: {}", one_line(&message));
                ExitCode::from(2)
            }
        },
    }
}

/// The promised single line, whatever a path or a config file holds: line
/// breaks and other control characters are shown escaped.
fn one_line(message: &str) -> String {
    message.chars().map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() }).collect()
}
