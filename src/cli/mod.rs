//! The command-line front end: `dossier check` (its arguments and exit
//! codes; checking lives in `check`, output formats in `render`),
//! `dossier rules` and `dossier init`; `main.rs` dispatches the subcommands.

mod check;
mod export;
mod fix;
mod init;
mod progress;
mod render;
mod report;
mod rules;
mod sarif;
mod stats;
mod table;

pub use export::ExportFormat;
pub use stats::StatsFormat;

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
    Sarif,
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

#[derive(clap::Args)]
pub struct StatsArgs {
    /// Files or folders to count (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    format: StatsFormat,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Files or folders to export (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    format: ExportFormat,
}

/// `dossier stats`: exit 0 whatever the notes hold; 2 with one line on
/// stderr for a usage or configuration error.
pub fn stats(args: &StatsArgs) -> ExitCode {
    print_or_fail(stats::run(&args.paths, args.format).map(String::into_bytes))
}

/// `dossier export`: exit 0 whatever the notes hold; 2 with one line on
/// stderr for a usage or configuration error.
pub fn export(args: &ExportArgs) -> ExitCode {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = export::run(&args.paths, args.format, &mut out).and_then(|()| {
        use std::io::Write;
        out.flush().map_err(export::Failure::Write)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(export::Failure::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(export::Failure::Write(e)) => {
            eprintln!("error: cannot write the output: {}", one_line(&e.to_string()));
            ExitCode::from(2)
        }
        Err(export::Failure::Usage(message)) => {
            eprintln!("error: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}

fn print_or_fail(output: Result<Vec<u8>, String>) -> ExitCode {
    let written = output.and_then(|bytes| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        match out.write_all(&bytes).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the output: {e}")),
            _ => Ok(()),
        }
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}

#[derive(clap::Args)]
pub struct ReportArgs {
    /// Files or folders to report on (default: the current folder).
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The folder to write the report into (created if missing; its entry page is `index.html`).
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    output: PathBuf,
}

/// `dossier report`: exit 0 whatever the notes hold; 2 with one line on
/// stderr for a usage or configuration error, or when DIR cannot be written.
pub fn report(args: &ReportArgs) -> ExitCode {
    match report::run(&args.paths, &args.output) {
        Ok(line) => {
            println!("{}", one_line(&line));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {}", one_line(&message));
            ExitCode::from(2)
        }
    }
}
