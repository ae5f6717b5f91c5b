//! Reading a workspace from disk: finding its root and config, listing its
//! notes (honouring `.gitignore` and `[files]`), reading and parsing them in
//! parallel. A file that cannot be read becomes a document with a problem;
//! nothing here stops at one bad file.

use std::borrow::Cow;
use std::fs;
use std::path::{MAIN_SEPARATOR, Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::{Document, FileStamp, Keep, Usage, Workspace};
use crate::bibliography::Format;
use crate::config::{CONFIG_FILE, Config, ConfigError};
use crate::text::{Encoding, LineIndex};

/// The nearest folder at or above `start` (a file or folder) holding `dossier.toml`.
pub fn find_config_root(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() { Some(start) } else { start.parent() };
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// A `dossier.toml` that could not be used, located for a one-line report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFileError {
    pub path: PathBuf,
    /// 1-based line and column (in characters) of the offending key.
    pub line: u32,
    pub column: u32,
    pub error: ConfigError,
}

impl std::fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.error.message)
    }
}

/// Reads `root/dossier.toml`; defaults when there is none.
pub fn read_config(root: &Path) -> Result<Config, ConfigFileError> {
    let path = root.join(CONFIG_FILE);
    let text = match fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            let error = ConfigError { range: Default::default(), message: format!("cannot read: {e}") };
            return Err(ConfigFileError { path, line: 1, column: 1, error });
        }
    };
    let text = match String::from_utf8(text) {
        Ok(text) => text,
        Err(_) => {
            let error = ConfigError { range: Default::default(), message: "not valid UTF-8".into() };
            return Err(ConfigFileError { path, line: 1, column: 1, error });
        }
    };
    Config::parse(&text).map_err(|error| {
        let pos = LineIndex::new(&text).line_col(&text, error.range.start as usize, Encoding::Utf32);
        ConfigFileError { path, line: pos.line + 1, column: pos.col + 1, error }
    })
}

/// What a walk of a root found.
#[derive(Debug, Default)]
pub struct Listing {
    pub files: Vec<PathBuf>,
    /// Paths that look like notes but cannot be read as files, with why.
    pub problems: Vec<(PathBuf, String)>,
    /// Folders below the root with a `dossier.toml` of their own: separate
    /// workspaces, left out of this one.
    pub nested_roots: Vec<PathBuf>,
}

/// The path of `path` relative to `root`, with `/` separators, for globs.
pub fn relative_slash<'p>(root: &Path, path: &'p Path) -> Cow<'p, str> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // Most paths are already written that way (one `/` between plain
    // names): then they are used as they are, without a copy per file.
    let mut joined_len = 0;
    let mut plain = true;
    for component in rel.components() {
        plain &= matches!(component, std::path::Component::Normal(_));
        joined_len += component.as_os_str().len() + 1;
    }
    if let Some(text) = rel.to_str().filter(|t| plain && MAIN_SEPARATOR == '/' && t.len() + 1 == joined_len.max(1)) {
        return text.into();
    }
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/").into()
}

/// Lists the notes of the workspace at `root`.
pub fn list(root: &Path, config: &Config) -> Listing {
    let mut files = Vec::new();
    let mut listing = list_each(root, config, &mut |path| files.push(path));
    files.sort_by_cached_key(|path| path_order(path));
    listing.files = files;
    listing
}

/// A key that sorts paths as [`Path`]'s own order does (component by
/// component) for the paths a walk makes, one separator between names: the
/// bytes, with each separator made the lowest byte, which no name holds.
/// Comparing keys is a `memcmp`; comparing paths parses both into
/// components each time, and sorting the walk that way (each folder's
/// entries by name, as the walk went) cost more than reading some notes.
fn path_order(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| if std::path::is_separator(b as char) { 0 } else { b })
        .collect()
}

/// Walks the workspace at `root`, handing each note to `found` as the walk
/// reaches it, in no particular order; returns the rest of the listing (its
/// `files` empty).
fn list_each(root: &Path, config: &Config, found: &mut dyn FnMut(PathBuf)) -> Listing {
    let nested = Arc::new(Mutex::new(Vec::new()));
    let nested_in_filter = Arc::clone(&nested);
    let walk_root = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .follow_links(true)
        .require_git(false)
        .filter_entry(move |entry| {
            let is_nested_root = entry.depth() > 0
                && entry.file_type().is_some_and(|t| t.is_dir())
                && entry.path() != walk_root
                && entry.path().join(CONFIG_FILE).is_file();
            if is_nested_root {
                nested_in_filter.lock().unwrap().push(entry.path().to_path_buf());
            }
            !is_nested_root
        })
        .build();

    let mut listing = Listing::default();
    // The folders the walk entered through a symbolic link: a note below one
    // (or a link itself) is known by its real path when that is inside the
    // root, so that a note reached by two paths is one document. Other
    // paths below a real root are real already.
    let mut linked_dirs: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                listing.problems.push((path, error_message(&err)));
                continue;
            }
        };
        if entry.depth() == 0 || !config.includes(&relative_slash(root, entry.path())) {
            continue;
        }
        match entry.file_type() {
            Some(t) if t.is_file() => {
                let linked = entry.path_is_symlink() || linked_dirs.iter().any(|d| entry.path().starts_with(d));
                found(if linked { real_path_inside(root, entry.into_path()) } else { entry.into_path() })
            }
            // A folder matched by a glob like `notes/**` is just a folder; one
            // named like a note (`x.md/`) is worth a word.
            Some(t) if t.is_dir() => {
                if entry.path_is_symlink() {
                    linked_dirs.push(entry.path().to_path_buf());
                }
                if entry.path().extension().is_some_and(|e| e == "md") {
                    let why = "is a directory, not a note (its notes are still checked)";
                    listing.problems.push((entry.into_path(), why.into()));
                }
            }
            _ => listing.problems.push((entry.into_path(), "is not a regular file".into())),
        }
    }
    listing.nested_roots = std::mem::take(&mut *nested.lock().unwrap());
    listing.problems.sort();
    listing.nested_roots.sort();
    listing
}

/// The path with every symbolic link resolved, or as it is where that
/// fails (a link to nothing: reading it says so).
pub fn real_path(path: PathBuf) -> PathBuf {
    fs::canonicalize(&path).unwrap_or(path)
}

/// A linked note's real path if it lies inside `root` (where the walk may
/// reach it by that path too), else the link's path: a note that lives
/// outside is known by the path that brings it in.
fn real_path_inside(root: &Path, path: PathBuf) -> PathBuf {
    match fs::canonicalize(&path) {
        Ok(real) if real.starts_with(root) => real,
        _ => path,
    }
}

/// The path a file is known by in a workspace walked from real folders:
/// its real path, or for a file that does not exist (yet) its real folder
/// and its name.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    match (path.parent().and_then(|dir| fs::canonicalize(dir).ok()), path.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

/// What went wrong, without the path (the diagnostic is already on it) and
/// in the reader's terms rather than the library's.
fn error_message(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Loop { .. } => "is a symbolic link that loops back to a folder above it: it is skipped".into(),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        ignore::Error::Io(e) => io_message(e),
        other => format!("cannot be read: {other}"),
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "is a symbolic link to a file that does not exist".into(),
        _ => read_error(e),
    }
}

/// `cannot be read: …` with the system's reason alone: the walker wraps it
/// in an error that repeats the whole (absolute) path, which the diagnostic
/// already gives relative to the current folder.
fn read_error(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        return "cannot be read: permission denied".into();
    }
    match e.get_ref().and_then(|inner| inner.source()) {
        Some(cause) => format!("cannot be read: {cause}"),
        None => format!("cannot be read: {e}"),
    }
}

/// Why a note named on the command line is missing although it was there
/// when the check started.
const VANISHED: &str = "no longer exists: it was deleted or renamed during the check";

/// The largest note Dossier reads; offsets are 32-bit.
const MAX_FILE_SIZE: u64 = u32::MAX as u64;

/// Reads and parses one note. Never fails: what cannot be read becomes a
/// document with a [`super::Problem`].
pub fn read_document(path: PathBuf) -> Document {
    read_document_with(path, Keep::OUTLINE)
}

/// [`read_document`], choosing what its parse keeps.
pub fn read_document_with(path: PathBuf, keep: Keep) -> Document {
    read_note(path, keep).unwrap_or_else(|path| Document::unreadable(path, VANISHED.into()))
}

/// Reads and parses one note if it is (still) there: `None` when the file
/// is gone, as when it was deleted since an event about it was sent. For
/// the language server, to which a vanished file is a removal, not an error.
pub fn read_if_present(path: PathBuf, keep: Keep) -> Option<Document> {
    read_note(path, keep).ok()
}

/// Reads and parses one note; `Err` with the path when nothing is there any
/// more (no file, nor a symbolic link): it was deleted or renamed since it
/// was listed.
fn read_note(path: PathBuf, keep: Keep) -> Result<Document, PathBuf> {
    read_file(path, keep, None)
}

/// Reads a bibliography file as `format`; `None` when there is no such
/// file (the config's entry for it is then reported).
pub fn read_bibliography(path: PathBuf, format: Format) -> Option<Document> {
    read_file(path, Keep::OUTLINE, Some(format)).ok()
}

/// Reads a note, or with `bibliography` a bibliography file in that format.
fn read_file(path: PathBuf, keep: Keep, bibliography: Option<Format>) -> Result<Document, PathBuf> {
    let mut read = read_bytes(path, keep, bibliography)?;
    // What could not be read is still that bibliography (its rule says so).
    if bibliography.is_some() {
        read.bibliography = bibliography;
    }
    Ok(read)
}

fn read_bytes(path: PathBuf, keep: Keep, bibliography: Option<Format>) -> Result<Document, PathBuf> {
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound && !path.is_symlink();
    // What is checked is the file that was opened, not the path a moment
    // before: a note swapped for a FIFO in between must not block the read.
    let mut file = match open_without_blocking(&path) {
        Ok(file) => file,
        Err(e) if gone(&e) => return Err(path),
        Err(e) => return Ok(Document::unreadable(path, io_message(&e))),
    };
    let meta = match file.metadata() {
        Ok(meta) => meta,
        Err(e) => return Ok(Document::unreadable(path, read_error(&e))),
    };
    match &meta {
        meta if !meta.is_file() => {
            let what = if meta.is_dir() { "is a directory, not a note" } else { "is not a regular file" };
            return Ok(Document::unreadable(path, what.into()));
        }
        meta if meta.len() > MAX_FILE_SIZE => {
            return Ok(Document::unreadable(path, format!("is too large ({} bytes; the limit is 4 GiB)", meta.len())));
        }
        _ => {}
    }
    // Sized from the metadata above. `File::read_to_end` would ask the
    // system for the size and position again, two calls per note; through
    // `take` it reads into the room given and probes once for the end (a
    // file that grew since is still read whole).
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    match std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, u64::MAX), &mut bytes) {
        Ok(_) => {
            let mut document = match bibliography {
                Some(format) => Document::bibliography_from_bytes(path, bytes, format),
                None => Document::from_bytes_with(path, bytes, keep),
            };
            document.stamp = FileStamp::of(&meta);
            Ok(document)
        }
        Err(e) => Ok(Document::unreadable(path, read_error(&e))),
    }
}

/// Opens a path for reading without waiting on it: opening a FIFO (or a
/// device) must not block until a writer comes. A regular file reads the
/// same either way.
fn open_without_blocking(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// Loads a workspace: the listed notes plus `extra` files, read and parsed
/// on every core, then indexed.
///
/// A listed note that has disappeared by the time it is read (deleted or
/// renamed since the walk) is left out without a word, as if the walk had
/// come a moment later: the check reports the folder as it is, and a file
/// that is simply gone is not an error. One of the `extra` files, which the
/// user named, is reported instead (`unreadable-file`).
pub fn load(root: PathBuf, config: Config, listing: Listing, extra: &[PathBuf]) -> Workspace {
    // The listing's paths become the documents' own: a copy of each would
    // be kept until the end of a check.
    let mut paths = listing.files;
    paths.extend(extra.iter().cloned());
    paths.sort();
    paths.dedup();
    let named: FxHashSet<&PathBuf> = extra.iter().collect();
    // Each document goes into its `Arc` where it is read: a list of the
    // documents themselves (a few hundred bytes each) would be a second
    // copy of them all at the peak of the load.
    let documents: Vec<Arc<Document>> =
        paths.into_par_iter().filter_map(|path| read_listed(path, Keep::OUTLINE, &named)).collect();
    index(root, config, documents, listing.problems, Usage::Full)
}

/// Walks `folders` (as [`list`]) and reads each note as soon as the walk
/// finds it, then indexes them all, like [`load`] of their listing; also
/// returns the nested roots the walk left out. `keep` and `usage` say what
/// the parses and the reverse index keep. A walk is one core's work,
/// folder after folder: the other cores read and parse meanwhile, instead
/// of waiting for the whole listing.
pub fn walk_and_load(
    root: PathBuf,
    config: Config,
    folders: &[PathBuf],
    extra: &[PathBuf],
    keep: Keep,
    usage: Usage,
) -> (Workspace, Vec<PathBuf>) {
    // Notes go to the readers in batches: one task per note would cost more
    // in handing over than some notes take to parse.
    const BATCH: usize = 64;
    let named: FxHashSet<&PathBuf> = extra.iter().collect();
    let mut walked_named: FxHashSet<&PathBuf> = FxHashSet::default();
    let read: Mutex<Vec<Arc<Document>>> = Mutex::default();
    let mut problems = Vec::new();
    let mut nested_roots = Vec::new();
    rayon::scope(|scope| {
        let (read, named) = (&read, &named);
        let hand_over = |batch: Vec<PathBuf>| {
            scope.spawn(move |_| {
                let documents: Vec<_> = batch.into_iter().filter_map(|path| read_listed(path, keep, named)).collect();
                read.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).extend(documents);
            });
        };
        let mut batch = Vec::with_capacity(BATCH);
        for folder in folders {
            let listing = list_each(folder, &config, &mut |path| {
                if let Some(&named) = named.get(&path) {
                    walked_named.insert(named);
                }
                batch.push(path);
                if batch.len() == BATCH {
                    hand_over(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            });
            problems.extend(listing.problems);
            nested_roots.extend(listing.nested_roots);
        }
        batch.extend(extra.iter().filter(|path| !walked_named.contains(path)).cloned());
        hand_over(batch);
    });
    // The documents are indexed in path order, whatever order the walk and
    // the readers took: a note's slot does not depend on the file system.
    // A note reached twice (folders given inside each other) is kept once;
    // the walk spells a path one way, so its bytes tell (comparing `Path`s
    // parses both into components: 3 ms for 10,000 notes).
    let mut documents = read.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    documents.par_sort_by_cached_key(|document| path_order(&document.path));
    documents.dedup_by(|a, b| a.path.as_os_str() == b.path.as_os_str());
    problems.sort();
    nested_roots.sort();
    (index(root, config, documents, problems, usage), nested_roots)
}

/// Reads and parses a listed note; `None` if it vanished since the walk,
/// unless the user named it (`named`): that is worth a word.
fn read_listed(path: PathBuf, keep: Keep, named: &FxHashSet<&PathBuf>) -> Option<Arc<Document>> {
    match read_note(path, keep) {
        Ok(document) => Some(Arc::new(document)),
        Err(path) if named.contains(&path) => Some(Arc::new(Document::unreadable(path, VANISHED.into()))),
        Err(_) => None,
    }
}

/// The workspace of the documents read, with a document for each path the
/// listing could not read.
fn index(
    root: PathBuf,
    config: Config,
    mut documents: Vec<Arc<Document>>,
    problems: Vec<(PathBuf, String)>,
    usage: Usage,
) -> Workspace {
    documents.extend(problems.into_iter().map(|(path, why)| Arc::new(Document::unreadable(path, why))));
    let mut workspace = Workspace::with_usage(root, config, usage);
    // Last: a bibliography that a glob also listed is read as one.
    let bibliographies: Vec<(PathBuf, Format)> =
        workspace.bibliographies().map(|(path, entry)| (path.to_path_buf(), entry.format)).collect();
    documents.extend(
        bibliographies
            .into_par_iter()
            .filter_map(|(path, format)| read_bibliography(path, format))
            .map(Arc::new)
            .collect::<Vec<_>>(),
    );
    workspace.insert_many(documents);
    workspace
}

/// Whether the walk of `root` would skip `path` for `.gitignore` or for
/// being hidden: used for files that appear later (watched-file events), so
/// they follow the same rules as the first listing.
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else { return true };
    if relative.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')) {
        return true;
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| d.starts_with(root)) {
        let gitignore = d.join(".gitignore");
        if gitignore.is_file() {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(d);
            builder.add(&gitignore);
            if let Ok(matcher) = builder.build()
                && matcher.matched_path_or_any_parents(path, false).is_ignore()
            {
                return true;
            }
        }
        dir = d.parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::path::{Path, PathBuf};

    use super::{path_order, relative_slash};

    #[test]
    fn path_order_sorts_as_paths_do() {
        // A separator sorts before every byte a name can hold: `a/b` comes
        // before `a-b`, `a.b` and `a b` (component `a` before `a-b`), which
        // plain byte order would put after them.
        let mut paths: Vec<PathBuf> = [
            "/ws/a.md",
            "/ws/a/b.md",
            "/ws/a-b/c.md",
            "/ws/a b.md",
            "/ws/a.b/c.md",
            "/ws/a/b/c.md",
            "/ws/ab.md",
            "/ws/Z.md",
            "/ws/é/x.md",
            "/ws/e/x.md",
            "/ws/a/b-c.md",
            "/ws/a/b.c/d.md",
            "/ws/a/b/c/d.md",
        ]
        .into_iter()
        .map(PathBuf::from)
        .collect();
        let mut by_key = paths.clone();
        by_key.sort_by_cached_key(|p| path_order(p));
        paths.sort();
        assert_eq!(by_key, paths);
    }

    #[test]
    fn relative_slash_borrows_a_plain_path_and_rewrites_any_other() {
        let root = Path::new("/ws");
        let cases = [
            ("/ws/notes/a.md", "notes/a.md", true),
            ("/ws/a.md", "a.md", true),
            ("/ws//notes///a.md", "notes/a.md", false),
            ("/ws/notes/./a.md", "notes/a.md", false),
            ("/ws/notes/", "notes", true),
            ("/ws", "", true),
        ];
        for (path, expected, borrowed) in cases {
            let relative = relative_slash(root, Path::new(path));
            assert_eq!(relative, expected, "{path}");
            assert_eq!(matches!(relative, Cow::Borrowed(_)), borrowed, "{path}");
        }
    }
}
