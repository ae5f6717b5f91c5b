//! The floor under `dossier check` set by what it must do before its own
//! work: walk the corpus, read every note and run pulldown-cmark over it
//! (SPEC: a real CommonMark parser finds code and HTML), on every core, as
//! the check does. Then the same with Dossier's whole parse, which runs
//! pulldown-cmark inside it. See bench/README.md.
//!
//!     cargo bench --bench markdown_floor -- target/bench/corpus-10000
//!
//! Prints the best of five runs of each stage, in seconds.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier::syntax::{self, Keep};
use rayon::prelude::*;

/// What each stage does to one note's text; a number keeps the work from
/// being optimised away.
type Stage = fn(&str) -> usize;

const STAGES: [(&str, Stage); 3] = [
    ("walk + read", |text| text.len()),
    ("walk + read + pulldown-cmark", |text| {
        let options = pulldown_cmark::Options::empty();
        pulldown_cmark::Parser::new_ext(text, options).into_offset_iter().map(|(_, range)| range.end).sum()
    }),
    ("walk + read + Dossier's parse (as dossier check: no outline)", |text| {
        let parse = syntax::parse_keeping(text, Keep { prose: false, outline: false }).0;
        parse.references.len() + parse.claims.len()
    }),
];

fn main() {
    // `cargo bench` passes `--bench`; the corpus is the first other argument.
    // `cargo test --all-targets` runs this with no arguments: nothing to
    // measure then, and nothing failed.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(corpus) = args.iter().find(|a| !a.starts_with("--")).map(PathBuf::from) else {
        eprintln!("usage: cargo bench --bench markdown_floor -- CORPUS (e.g. target/bench/corpus-10000)");
        std::process::exit(if args.iter().any(|a| a == "--bench") { 2 } else { 0 });
    };
    if !corpus.is_dir() {
        eprintln!("markdown_floor: {} is not a folder (generate one with bench/run.sh)", corpus.display());
        std::process::exit(2);
    }
    println!("{} ({} threads)", corpus.display(), rayon::current_num_threads());
    for (name, stage) in STAGES {
        let best = (0..5).map(|_| run(&corpus, stage)).fold(f64::INFINITY, f64::min);
        println!("{best:.3} s  {name}");
    }
}

/// One pass: the walk (unsorted, like the check's), then each note read and
/// `stage`d on every core.
fn run(corpus: &Path, stage: Stage) -> f64 {
    let start = Instant::now();
    let notes: Vec<PathBuf> = ignore::WalkBuilder::new(corpus)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && e.path().extension().is_some_and(|x| x == "md"))
        .map(ignore::DirEntry::into_path)
        .collect();
    let total: usize = notes.par_iter().map(|path| std::fs::read_to_string(path).map_or(0, |text| stage(&text))).sum();
    std::hint::black_box(total);
    start.elapsed().as_secs_f64()
}
