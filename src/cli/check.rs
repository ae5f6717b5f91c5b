//! `dossier check`: find the workspaces the paths belong to, load each one
//! whole (definitions anywhere count), and report on the requested paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::render::{self, Record};
use super::{CheckArgs, Format};
use crate::analysis::check_workspace;
use crate::diagnostic::Severity;
use crate::text::Encoding;
use crate::workspace::{Workspace, loader};

/// One workspace to load and the requested paths inside it.
struct Job {
    requested: Vec<PathBuf>,
}

/// Runs the check; `Ok(true)` when something at a failing severity was found.
pub fn run(args: &CheckArgs) -> Result<bool, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let given = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut jobs: BTreeMap<PathBuf, Job> = BTreeMap::new();
    for path in &given {
        let absolute =
            std::path::absolute(cwd.join(path)).map_err(|e| format!("invalid path `{}`: {e}", path.display()))?;
        let absolute = normalize(&absolute);
        if std::fs::symlink_metadata(&absolute).is_err() {
            return Err(format!("path `{}` does not exist", path.display()));
        }
        let root = loader::find_config_root(&absolute).unwrap_or_else(|| absolute.clone());
        jobs.entry(root).or_insert_with(|| Job { requested: Vec::new() }).requested.push(absolute);
    }

    let mut records = Vec::new();
    let mut files = 0;
    while let Some((root, job)) = jobs.pop_first() {
        let config = loader::read_config(if root.is_dir() { &root } else { root.parent().unwrap_or(&root) })
            .map_err(|e| relative_error(&e, &cwd))?;
        let listing = if root.is_dir() { loader::list(&root, &config) } else { Default::default() };
        for nested in &listing.nested_roots {
            let inside: Vec<PathBuf> = job
                .requested
                .iter()
                .filter_map(|r| {
                    if nested.starts_with(r) {
                        Some(nested.clone())
                    } else if r.starts_with(nested) {
                        Some(r.clone())
                    } else {
                        None
                    }
                })
                .collect();
            if !inside.is_empty() {
                jobs.entry(nested.clone()).or_insert_with(|| Job { requested: Vec::new() }).requested.extend(inside);
            }
        }
        let extra: Vec<PathBuf> = job.requested.iter().filter(|r| r.is_file()).cloned().collect();
        let workspace = loader::load(root.clone(), config, &listing, &extra);
        files += collect(&workspace, &job.requested, &listing.nested_roots, args, &cwd, &mut records);
        // The process ends soon: freeing a large workspace piece by piece is wasted time.
        std::mem::forget(workspace);
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
    };
    if let Err(e) = written.and_then(|()| std::io::Write::flush(&mut out)) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(format!("cannot write the report: {e}"));
        }
    }
    Ok(failing)
}

/// Turns the diagnostics of the requested documents into printable records;
/// returns how many documents were in scope.
fn collect(
    workspace: &Workspace,
    requested: &[PathBuf],
    nested: &[PathBuf],
    args: &CheckArgs,
    cwd: &Path,
    records: &mut Vec<Record>,
) -> usize {
    let in_scope =
        |path: &Path| requested.iter().any(|r| path.starts_with(r)) && !nested.iter().any(|n| path.starts_with(n));
    let mut files = 0;
    let min_severity = if args.hints { Severity::Hint } else { Severity::Info };
    for (doc, diagnostics) in check_workspace(workspace, min_severity) {
        let document = workspace.document(doc);
        if !in_scope(&document.path) {
            continue;
        }
        files += 1;
        let path = display_path(&document.path, cwd);
        for diagnostic in diagnostics {
            let position = |offset: usize| {
                let lc = document.line_index.line_col(&document.text, offset, Encoding::Utf32);
                (lc.line as usize + 1, lc.col as usize + 1)
            };
            let notes = diagnostic
                .related
                .iter()
                .map(|related| {
                    let other = workspace.document(related.doc);
                    let lc = other.line_index.line_col(&other.text, related.range.start as usize, Encoding::Utf32);
                    format!("{}: {}:{}:{}", related.message, display_path(&other.path, cwd), lc.line + 1, lc.col + 1)
                })
                .collect();
            let snippet = (args.format == Format::Human).then(|| render::Snippet::of(document, diagnostic.range));
            records.push(Record {
                path: path.clone(),
                start: position(diagnostic.range.start as usize),
                end: position(diagnostic.range.end as usize),
                severity: diagnostic.severity,
                rule: diagnostic.rule,
                message: diagnostic.message,
                notes,
                snippet,
            });
        }
    }
    files
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
