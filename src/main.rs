//! The `dossier` binary: parses the command line and dispatches the
//! subcommands to the library (`cli` for `check`, `rules` and `init`,
//! `lsp` for the server).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{} (see `dossier --help`)", cli::one_line(first));
            ExitCode::from(2)
        }
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
