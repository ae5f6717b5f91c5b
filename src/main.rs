//! The `dossier` binary: parses the command line and dispatches the
//! subcommands to the library (`cli` for `check`, `rules` and `init`,
//! `lsp` for the server).

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use dossier::cli::{self, CheckArgs, ExportArgs, ReportArgs, StatsArgs};

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
    /// List the rules with their default severities, or explain one.
    Rules {
        /// A rule id, e.g. `unsourced-claim`: explain it, with examples.
        id: Option<String>,
    },
    /// Count claims, sourcing and forecasts per note and in total, with Brier scores.
    Stats(StatsArgs),
    /// Export the claims and their graph as JSON, CSV, Graphviz DOT or Mermaid.
    Export(ExportArgs),
    /// Write a static HTML report (notes, claim cards, actors, sources, stats) into a folder.
    Report(ReportArgs),
    /// Write a starter dossier.toml, actors.md and sources.md into DIR.
    Init {
        /// The folder to write into (default: the current folder; created if missing).
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(clap::Args)]
struct LspArgs {
    /// Accepted and ignored: stdin/stdout is the only transport. Editors'
    /// clients (VS Code's among them) pass it.
    #[arg(long)]
    stdio: bool,
}

fn main() -> ExitCode {
    fix_the_mmap_threshold();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    match cli.command {
        Command::Lsp(_) => match dossier::lsp::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot start the language server: {e}");
                ExitCode::from(2)
            }
        },
        Command::Check(args) => cli::check(&args),
        Command::Rules { id } => cli::rules(id.as_deref()),
        Command::Init { dir } => cli::init(dir.as_deref()),
        Command::Stats(args) => cli::stats(&args),
        Command::Export(args) => cli::export(&args),
        Command::Report(args) => cli::report(&args),
    }
}

/// `--help` and `--version` print and exit 0; anything else wrong with the
/// command line is one line on stderr and exit 2, as CI logs want it.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(2)
        }
        _ => {
            let help = help_command(std::env::args_os().skip(1));
            eprintln!("{}; see `{help}`", cli::one_line(&error_line(&err.render().to_string())));
            ExitCode::from(2)
        }
    }
}

/// clap's message in one line: its own lines (the error, the accepted
/// values, a tip) joined, without the usage and the pointer to `--help`,
/// which `usage_error` replaces by the subcommand's own help.
fn error_line(rendered: &str) -> String {
    let mut line = String::new();
    for part in rendered.lines().map(str::trim) {
        if part.is_empty() || part.starts_with("Usage:") || part.starts_with("For more information") {
            continue;
        }
        if !line.is_empty() {
            line.push_str(if part.starts_with('[') { " " } else { "; " });
        }
        line.push_str(part);
    }
    if line.is_empty() { "error: invalid arguments".to_string() } else { line }
}

/// The help that describes what went wrong: `dossier SUBCOMMAND --help`
/// when the command line starts with a subcommand (`dossier` itself has no
/// options but `--help` and `--version`), else `dossier --help`.
fn help_command(mut args: impl Iterator<Item = std::ffi::OsString>) -> String {
    let command = Cli::command();
    match args.next().as_deref().and_then(|word| command.find_subcommand(word)) {
        Some(sub) => format!("dossier {} --help", sub.get_name()),
        None => "dossier --help".to_string(),
    }
}

/// glibc serves allocations from 128 KiB up with their own mappings, but
/// raises that threshold whenever such a block is freed, after which big
/// short-lived buffers (a parser's scratch space, a megabyte answer) come
/// from the heap arenas and leave holes there that stay resident. Fixing
/// it keeps the language server about 2.5 MB smaller on a 10,000-note
/// workspace (bench/README.md).
fn fix_the_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a tunable; called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
