//! The workspace boundary: where Dossier may propose edits. Real paths are
//! compared, so a symbolic link inside a folder that points outside does
//! not count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the server may propose edits: a file under a workspace folder, by
/// its real path too, so that a symbolic link inside a folder pointing
/// outside does not count. Included by `[files]` or not: a note the client
/// opened under a folder is the user's. With no folder at all (a
/// single-file session) the documents the client opened are all there is,
/// and they count.
///
/// A rename asks this of thousands of files: real paths are resolved once
/// per folder and once per directory, and the file itself costs one `lstat`.
pub struct Boundary<'s> {
    folders: &'s [PathBuf],
    real_folders: Vec<PathBuf>,
    real_dirs: HashMap<PathBuf, Option<PathBuf>>,
    /// Per folder, whether the (non-link) files in it are inside.
    inside_dirs: HashMap<PathBuf, bool>,
}

impl Boundary<'_> {
    pub fn contains(&mut self, path: &Path) -> bool {
        if self.folders.is_empty() {
            return true;
        }
        let link = std::fs::symlink_metadata(path).ok().map(|meta| meta.file_type().is_symlink());
        self.check(path, link)
    }

    /// Whether `path` is inside, given what its `symlink_metadata` said,
    /// read by the caller (on another core, say): whether it is a link, or
    /// `None` when it could not be read.
    pub fn check(&mut self, path: &Path, link: Option<bool>) -> bool {
        if self.folders.is_empty() {
            return true;
        }
        // A file that is not a link is inside when its folder is: decided
        // once per folder (a rename touches thousands of notes in a few).
        match (link, path.parent()) {
            (Some(false), Some(dir)) if path.file_name().is_some() => match self.inside_dirs.get(dir) {
                Some(&inside) => inside,
                None => {
                    let inside = self.decide(path, link);
                    self.inside_dirs.insert(dir.to_path_buf(), inside);
                    inside
                }
            },
            _ => self.decide(path, link),
        }
    }

    fn decide(&mut self, path: &Path, link: Option<bool>) -> bool {
        let real = link.and_then(|link| self.real_path(path, link));
        self.folders.iter().zip(&self.real_folders).any(|(folder, real_folder)| {
            path.starts_with(folder) && real.as_ref().is_none_or(|real| real.starts_with(real_folder))
        })
    }

    /// The path with every symbolic link resolved; `None` when it cannot be
    /// resolved (gone), which leaves the decision to the path as written.
    fn real_path(&mut self, path: &Path, is_link: bool) -> Option<PathBuf> {
        match (is_link, path.parent(), path.file_name()) {
            (false, Some(dir), Some(name)) => {
                if let Some(real_dir) = self.real_dirs.get(dir) {
                    return Some(real_dir.as_ref()?.join(name));
                }
                let real_dir = std::fs::canonicalize(dir).ok();
                self.real_dirs.insert(dir.to_path_buf(), real_dir.clone());
                Some(real_dir?.join(name))
            }
            _ => std::fs::canonicalize(path).ok(),
        }
    }
}

impl<'s> Boundary<'s> {
    /// The boundary of `folders` as the disk stands now.
    pub fn new(folders: &'s [PathBuf]) -> Boundary<'s> {
        let real = folders.iter().map(|f| std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())).collect();
        Boundary { folders, real_folders: real, real_dirs: HashMap::new(), inside_dirs: HashMap::new() }
    }
}
