//! `dossier check`: find the workspaces the paths belong to, load each one
//! whole (definitions anywhere count), and report on the requested paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::fix;
use super::render::{self, Record};
use super::{CheckArgs, Format};
use crate::analysis::Host;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::text::{Encoding, LineIndex};
use crate::workspace::{DocId, Document, Keep, Usage, Workspace, loader};

/// One workspace to load. Keyed by the folder holding its `dossier.toml`
/// (the whole folder is the workspace), or `None` for the paths that have no
/// config above them: those form one workspace of exactly what was given.
type Jobs = BTreeMap<Option<PathBuf>, Vec<PathBuf>>;

/// Runs the check; `Ok(true)` when something at a failing severity was found.
pub fn run(args: &CheckArgs) -> Result<bool, String> {
    // A bad DOSSIER_TODAY is a usage error, said before any work.
    crate::today::from_env()?;
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    // What the rules read, no more: the prose ranges for the hints
    // (then from the parse itself), no outline, and only whether an id
    // is mentioned, not where.
    let keep = Keep { prose: args.hints, outline: false };
    let mut records = Vec::new();
    let mut files = 0;
    let mut fixes = FixOutcome::default();
    each_workspace(&args.paths, &cwd, keep, Usage::Presence, |host, in_scope| {
        if args.fix || args.unsafe_fixes || args.diff {
            fix_job(host, in_scope, args, keep, &cwd, &mut fixes);
        }
        // With `--diff` only the diff is printed: what remains is not checked.
        if !args.diff {
            files += collect(host, in_scope, args, &cwd, &mut records);
        }
    })?;

    if args.diff {
        return print_diffs(fixes);
    }

    records.sort_by(|a, b| (&a.path, a.start, a.end, a.rule).cmp(&(&b.path, b.start, b.end, b.rule)));
    let failing = records
        .iter()
        .any(|r| r.severity == Severity::Error || (r.severity == Severity::Warning && args.deny.is_some()));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = match args.format {
        Format::Human => render::human(&mut out, &records, files),
        Format::Json => render::json(&mut out, &records),
        Format::Github => render::github(&mut out, &records),
        Format::Gitlab => render::gitlab(&mut out, &records),
        Format::Sarif => super::sarif::sarif(&mut out, &records),
    };
    if let Err(e) = written.and_then(|()| std::io::Write::flush(&mut out))
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("cannot write the report: {e}"));
    }
    if args.fix || args.unsafe_fixes {
        fixes.left_alone.sort();
        for message in &fixes.left_alone {
            eprintln!("warning: {}", super::one_line(message));
        }
        if fixes.unfinished {
            eprintln!("warning: {UNFINISHED}");
        }
        eprintln!(
            "{} fixed in {}; {}",
            fix::count(fixes.findings, "finding", "findings"),
            fix::count(fixes.files, "file", "files"),
            fix::count(records.len(), "remains", "remain")
        );
    }
    Ok(failing)
}

/// What `--fix` or `--diff` did across the workspaces of one run.
#[derive(Default)]
struct FixOutcome {
    /// Findings fixed in the files written (or that `--diff` would write).
    findings: usize,
    files: usize,
    /// Per file not written: its path as printed, and why.
    left_alone: Vec<String>,
    /// For `--diff`: (path as printed, unified diff).
    diffs: Vec<(String, String)>,
    unfinished: bool,
}

const UNFINISHED: &str = "some fixes made further fixes possible after the last pass: run it again";

/// Fixes the notes of one loaded workspace that the paths given cover:
/// in memory, then (without `--diff`) on disk; the host is left holding
/// the notes as they now are on disk, for the report.
fn fix_job(
    host: &mut Host,
    in_scope: &(dyn Fn(&Path) -> bool + Sync),
    args: &CheckArgs,
    keep: Keep,
    cwd: &Path,
    outcome: &mut FixOutcome,
) {
    // A note is fixed only if the file written, through any symbolic link,
    // is one the paths given ask for too.
    let writable = fix::writable_notes(host.workspace(), in_scope);
    let ids: Vec<DocId> = writable.iter().map(|(doc, _)| *doc).collect();
    let fixed = fix::fix_in_memory(host, &ids, args.unsafe_fixes, keep);
    outcome.unfinished |= fixed.unfinished;
    if args.diff {
        for note in fixed.notes {
            let shown = display_path(&note.read.path, cwd);
            let diff = fix::unified_diff(&shown, &note.read.text, &note.after.text);
            outcome.findings += note.fixed;
            outcome.files += 1;
            outcome.diffs.push((shown, diff));
        }
        return;
    }
    let mut links: rustc_hash::FxHashMap<DocId, std::fs::Metadata> = writable.into_iter().collect();
    let notes: Vec<_> = fixed.notes.into_iter().map(|note| (links.remove(&note.doc), note)).collect();
    let written: Vec<(fix::FixedNote, Result<(), String>)> = notes
        .into_par_iter()
        .map(|(link, note)| {
            let result = fix::write_fixed(&note.read, &note.after.text, link, in_scope);
            (note, result)
        })
        .collect();
    let mut read_again = Vec::new();
    for (note, result) in written {
        match result {
            Ok(()) => {
                outcome.findings += note.fixed;
                outcome.files += 1;
            }
            Err(why) => {
                outcome.left_alone.push(format!("{}: {why}", display_path(&note.read.path, cwd)));
                read_again.push(note.read.path.clone());
            }
        }
    }
    // The report is of the files as they are: those not written, as read now.
    let documents = read_again.into_par_iter().map(|path| loader::read_document_with(path, keep)).collect();
    host.replace_documents(documents);
}

/// `--diff`: every diff in path order on stdout, the count on stderr;
/// `Ok(true)` (exit 1) when there is a change.
fn print_diffs(mut fixes: FixOutcome) -> Result<bool, String> {
    fixes.diffs.sort();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = fixes.diffs.iter().try_for_each(|(_, diff)| std::io::Write::write_all(&mut out, diff.as_bytes()));
    if let Err(e) = written.and_then(|()| std::io::Write::flush(&mut out))
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("cannot write the diff: {e}"));
    }
    if fixes.unfinished {
        eprintln!("warning: {UNFINISHED}");
    }
    eprintln!(
        "{} would be fixed in {}",
        fix::count(fixes.findings, "finding", "findings"),
        fix::count(fixes.files, "file", "files")
    );
    Ok(!fixes.diffs.is_empty())
}

/// Groups `paths` (default `.`) into workspaces, loads each whole with
/// what `keep` and `usage` say (definitions anywhere count), and hands it to
/// `visit` with the test of which of its notes were asked for.
pub(super) fn each_workspace(
    paths: &[PathBuf],
    cwd: &Path,
    keep: Keep,
    usage: Usage,
    mut visit: impl FnMut(&mut Host, &(dyn Fn(&Path) -> bool + Sync)),
) -> Result<(), String> {
    let given = if paths.is_empty() { vec![PathBuf::from(".")] } else { paths.to_vec() };
    let mut jobs = Jobs::new();
    for path in &given {
        let absolute =
            std::path::absolute(cwd.join(path)).map_err(|e| format!("invalid path `{}`: {e}", path.display()))?;
        let absolute = normalize(&absolute);
        if std::fs::symlink_metadata(&absolute).is_err() {
            return Err(format!("path `{}` does not exist", path.display()));
        }
        // Its real path: a note reached by several paths is one note.
        let absolute = loader::real_path(absolute);
        let requested = jobs.entry(loader::find_config_root(&absolute)).or_default();
        if !requested.contains(&absolute) {
            requested.push(absolute);
        }
    }
    while let Some((config_root, requested)) = jobs.pop_first() {
        let (root, config, walked) = match &config_root {
            Some(root) => {
                let config = loader::read_config(root).map_err(|e| relative_error(&e, cwd))?;
                (root.clone(), config, vec![root.clone()])
            }
            None => {
                let walked: Vec<PathBuf> = requested.iter().filter(|r| r.is_dir()).cloned().collect();
                (common_ancestor(&requested), Config::default(), walked)
            }
        };
        // Paths named explicitly are checked even where `[files]` or
        // `.gitignore` would leave them out, and reported if unreadable.
        let extra: Vec<PathBuf> = requested.iter().filter(|r| !r.is_dir()).cloned().collect();
        let (mut host, nested_roots) = Host::load_once(root, config, &walked, &extra, keep, usage);
        for nested in &nested_roots {
            // The part of the request inside a nested workspace goes to it.
            for r in &requested {
                let inside = if nested.starts_with(r) {
                    nested
                } else if r.starts_with(nested) {
                    r
                } else {
                    continue;
                };
                let entry = jobs.entry(Some(nested.clone())).or_default();
                if !entry.contains(inside) {
                    entry.push(inside.clone());
                }
            }
        }
        let in_scope = |path: &Path| {
            requested.iter().any(|r| path.starts_with(r)) && !nested_roots.iter().any(|n| path.starts_with(n))
        };
        visit(&mut host, &in_scope);
        // The process ends soon: freeing a large workspace piece by piece is wasted time.
        std::mem::forget(host);
    }
    Ok(())
}

/// Turns the diagnostics of the requested documents into printable records;
/// returns how many documents were in scope.
fn collect(
    host: &Host,
    in_scope: &(dyn Fn(&Path) -> bool + Sync),
    args: &CheckArgs,
    cwd: &Path,
    records: &mut Vec<Record>,
) -> usize {
    let min_severity = if args.hints { Severity::Hint } else { Severity::Info };
    // Each note's records are made on whichever core is free: placing ten
    // thousand paths and a few thousand findings was a serial tail.
    let workspace = host.workspace();
    let per_note: Vec<Option<Vec<Record>>> = host
        .check_all(min_severity)
        .into_par_iter()
        .map(|(doc, diagnostics)| {
            let document = workspace.document(doc);
            in_scope(&document.path).then(|| note_records(workspace, document, diagnostics, args, cwd))
        })
        .collect();
    let files = per_note.iter().filter(|note| note.is_some()).count();
    records.extend(per_note.into_iter().flatten().flatten());
    // `dossier.toml`'s own findings (a listed bibliography that is missing).
    let (config, found) = host.config_findings();
    let found: Vec<Diagnostic> = found.into_iter().filter(|d| d.severity >= min_severity).collect();
    if !found.is_empty() && in_scope(&config.path) {
        records.extend(note_records(workspace, &config, found, args, cwd));
    }
    files
}

/// The printable records of one note's diagnostics.
fn note_records(
    workspace: &Workspace,
    document: &Document,
    diagnostics: Vec<Diagnostic>,
    args: &CheckArgs,
    cwd: &Path,
) -> Vec<Record> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let path = display_path(&document.path, cwd);
    // Built here and dropped with the note rather than kept in it: the
    // workspace is at its largest while the report is written.
    let lines = LineIndex::new(&document.text);
    let position = |offset: usize| {
        let lc = lines.line_col(&document.text, offset, Encoding::Utf32);
        (lc.line as usize + 1, lc.col as usize + 1)
    };
    diagnostics
        .into_iter()
        .map(|diagnostic| {
            let notes = diagnostic
                .related
                .iter()
                .map(|related| {
                    let other = workspace.document(related.doc);
                    let lc = other.line_index().line_col(&other.text, related.range.start as usize, Encoding::Utf32);
                    format!("{}: {}:{}:{}", related.message, display_path(&other.path, cwd), lc.line + 1, lc.col + 1)
                })
                .collect();
            let snippet =
                (args.format == Format::Human).then(|| render::Snippet::of(&document.text, &lines, diagnostic.range));
            // GitLab's fingerprint reads the finding's text; only its hash
            // is kept, and only for that format.
            let text_hash = if args.format == Format::Gitlab {
                let range = diagnostic.range.start as usize..diagnostic.range.end as usize;
                render::text_hash(document.text.as_bytes().get(range).unwrap_or_default())
            } else {
                0
            };
            Record {
                path: path.clone(),
                start: position(diagnostic.range.start as usize),
                end: position(diagnostic.range.end as usize),
                severity: diagnostic.severity,
                rule: diagnostic.rule,
                message: diagnostic.message,
                notes,
                snippet,
                text_hash,
            }
        })
        .collect()
}

/// The deepest folder holding every path.
fn common_ancestor(paths: &[PathBuf]) -> PathBuf {
    let mut ancestor = paths
        .first()
        .map_or_else(PathBuf::new, |p| if p.is_dir() { p.clone() } else { p.parent().unwrap_or(p).to_path_buf() });
    while !paths.iter().all(|p| p.starts_with(&ancestor)) && ancestor.pop() {}
    ancestor
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks stay as written).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A path as the user would type it from the current folder.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    if let Ok(rel) = path.strip_prefix(cwd) {
        let shown = rel.to_string_lossy();
        return if shown.is_empty() { ".".into() } else { shown.into_owned() };
    }
    // Outside the current folder: climb with `..` to the common ancestor.
    let mut base = cwd.to_path_buf();
    let mut ups = 0;
    while !path.starts_with(&base) {
        if !base.pop() {
            return path.to_string_lossy().into_owned();
        }
        ups += 1;
    }
    let mut rel = PathBuf::new();
    for _ in 0..ups {
        rel.push("..");
    }
    rel.push(path.strip_prefix(&base).unwrap_or(path));
    rel.to_string_lossy().into_owned()
}

fn relative_error(e: &loader::ConfigFileError, cwd: &Path) -> String {
    format!("{}:{}:{}: {}", display_path(&e.path, cwd), e.line, e.column, e.error.message)
}
