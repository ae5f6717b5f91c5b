//! `dossier check --fix`, `--unsafe-fixes` and `--diff` (SPEC §6): the
//! fixes the core proposes, applied to the notes in memory until none is
//! left, then written to disk (each file atomically, and only if it still
//! holds what was read) or shown as a unified diff. Which fixes exist, and
//! which are safe, is the core's business (`analysis::safe_fixes`,
//! `analysis::unsafe_fixes`); this module only applies them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::{self, Action, Checker, FileEdit, Host, Replacement, RuleContext};
use crate::syntax::Keep;
use crate::workspace::{DocId, Document, FileStamp, Workspace};

/// The most passes of fixes over the notes: a fix can make another
/// possible (a claim closed by `--unsafe-fixes` shows its misspelt
/// metadata), and today's chains are two or three long. A bound keeps a
/// cycle, should one ever appear, from running forever.
const MAX_PASSES: usize = 10;

/// A note the fixes changed: the document as read from disk, the same
/// with the fixes applied, and how many findings they fixed.
pub struct FixedNote {
    pub doc: DocId,
    pub read: Arc<Document>,
    pub after: Arc<Document>,
    pub fixed: usize,
}

/// What the fixes did to the notes of one workspace, in memory.
pub struct Fixed {
    /// In no particular order.
    pub notes: Vec<FixedNote>,
    /// The last pass still found fixes to apply: a second run may change more.
    pub unfinished: bool,
}

/// Applies the fixes to the notes `writable` allows, in `host`'s memory,
/// pass after pass until a pass finds nothing (or [`MAX_PASSES`]): the
/// safe fixes, and with `unsafe_fixes` the unsafe fix of each finding that
/// has exactly one (see [`analysis::unsafe_fixes`]). The host then holds
/// the fixed texts, parsed as `keep` says.
pub fn fix_in_memory(host: &mut Host, writable: &[DocId], unsafe_fixes: bool, keep: Keep) -> Fixed {
    // A note that is not valid UTF-8 (or unreadable) has no parse, hence
    // no fixes; it is left out all the same, so it can never be written.
    let writable: Vec<DocId> = writable
        .iter()
        .copied()
        .filter(|&doc| host.workspace().get(doc).is_some_and(|d| d.problem.is_none()))
        .collect();
    let is_writable: rustc_hash::FxHashSet<DocId> = writable.iter().copied().collect();
    let mut read: FxHashMap<DocId, (Arc<Document>, usize)> = FxHashMap::default();
    let mut candidates = writable;
    let mut unfinished = true;
    for _ in 0..MAX_PASSES {
        let workspace = host.workspace();
        let context = RuleContext::new(workspace);
        // Only the unsafe fixes need the findings of every rule.
        let checker = unsafe_fixes.then(|| Checker::new(workspace, &context));
        let proposed: Vec<Action> = candidates
            .par_iter()
            .flat_map_iter(|&doc| {
                let mut actions = analysis::safe_fixes(workspace, &context, doc);
                if let Some(checker) = &checker {
                    actions.extend(analysis::unsafe_fixes(workspace, &context, doc, &checker.check(doc)));
                }
                actions
            })
            .collect();
        let actions = analysis::non_overlapping(applicable(proposed, |doc| is_writable.contains(&doc)));
        if actions.is_empty() {
            unfinished = false;
            break;
        }
        let (replacements, counts) = by_document(&actions);
        for (&doc, &count) in &counts {
            let path = &workspace.document(doc).path;
            let entry = read.entry(doc).or_insert_with(|| (workspace.shared(path).expect("a live document"), 0));
            entry.1 += count;
        }
        let documents: Vec<Document> = replacements
            .into_par_iter()
            .map(|(doc, replacements)| {
                let document = workspace.document(doc);
                let text = analysis::apply(&document.text, &replacements);
                // A fix is a word in one paragraph, most often: that
                // paragraph is parsed again, not the whole note.
                Document::reparsed(document, text, keep)
            })
            .collect();
        candidates = documents.iter().filter_map(|d| workspace.doc_id(&d.path)).collect();
        host.replace_documents(documents);
    }
    let workspace = host.workspace();
    let notes = read
        .into_par_iter()
        .filter_map(|(doc, (read, fixed))| {
            let now = workspace.shared(&read.path)?;
            (now.text != read.text).then_some(FixedNote { doc, read, after: now, fixed })
        })
        .collect();
    Fixed { notes, unfinished }
}

/// The actions whose every edit is a replacement in a document `writable`
/// allows: a fix that would create a file, or edit one outside the paths
/// given (a definition file, say), is not applied.
fn applicable(actions: Vec<Action>, writable: impl Fn(DocId) -> bool) -> Vec<Action> {
    actions
        .into_iter()
        .filter(|action| {
            !action.edits.is_empty()
                && action.edits.iter().all(|edit| match edit {
                    FileEdit::Edit { doc, .. } => writable(*doc),
                    FileEdit::Create { .. } => false,
                })
        })
        .collect()
}

/// The replacements of non-overlapping `actions` per document, sorted, and
/// how many findings each document had fixed (an action counts for the
/// document of its first edit, the note of its finding).
fn by_document(actions: &[Action]) -> (FxHashMap<DocId, Vec<Replacement>>, FxHashMap<DocId, usize>) {
    let mut replacements: FxHashMap<DocId, Vec<Replacement>> = FxHashMap::default();
    let mut counts: FxHashMap<DocId, usize> = FxHashMap::default();
    for action in actions {
        let mut first = true;
        for edit in &action.edits {
            if let FileEdit::Edit { doc, replacements: edits } = edit {
                if first {
                    *counts.entry(*doc).or_default() += 1;
                    first = false;
                }
                replacements.entry(*doc).or_default().extend(edits.iter().cloned());
            }
        }
    }
    for list in replacements.values_mut() {
        list.sort_by_key(|r| (r.range.start, r.range.end));
    }
    (replacements, counts)
}

/// The notes of `workspace` that `fix` may write: those `in_scope`
/// accepts, by their path and by the real path of their file (through any
/// symbolic link, of the file or of a folder above it), each with the
/// `lstat` of its path, for [`write_fixed`]. On every core; each folder is
/// resolved once.
pub fn writable_notes(
    workspace: &Workspace,
    in_scope: &(dyn Fn(&Path) -> bool + Sync),
) -> Vec<(DocId, std::fs::Metadata)> {
    let notes: Vec<(DocId, &Path)> =
        workspace.documents().filter(|(_, d)| in_scope(&d.path)).map(|(id, d)| (id, d.path.as_path())).collect();
    let folders: rustc_hash::FxHashSet<&Path> = notes.iter().filter_map(|(_, path)| path.parent()).collect();
    let real_folders: FxHashMap<&Path, PathBuf> =
        folders.into_par_iter().filter_map(|folder| Some((folder, std::fs::canonicalize(folder).ok()?))).collect();
    notes
        .into_par_iter()
        .filter_map(|(doc, path)| {
            let link = std::fs::symlink_metadata(path).ok()?;
            let real = if link.file_type().is_symlink() {
                std::fs::canonicalize(path).ok()?
            } else {
                real_folders.get(path.parent()?)?.join(path.file_name()?)
            };
            in_scope(&real).then_some((doc, link))
        })
        .collect()
}

/// Writes `text` over the note `read` came from, atomically: a temporary
/// file in the same folder, with the note's permissions (and owner, where
/// the system allows), renamed over it. A note reached through a symbolic
/// link is written at the link's target, which stays a link; the target
/// must itself be a file `allowed` accepts. The file must still hold
/// exactly what was read. When the file still has the stamp the loader
/// took as it read it (see [`FileStamp`]), it does; otherwise its content
/// is read again and compared. Its stamp is looked at once more just
/// before the rename, so that a change made meanwhile is kept and this fix
/// dropped. `link` is the `lstat` of the note's path if already taken
/// (after the note was read), or `None`.
pub fn write_fixed(
    read: &Document,
    text: &str,
    link: Option<std::fs::Metadata>,
    allowed: impl Fn(&Path) -> bool,
) -> Result<(), String> {
    let path = &read.path;
    let again = |e: std::io::Error| format!("cannot be read again: {e}");
    let link = match link {
        Some(link) => link,
        None => std::fs::symlink_metadata(path).map_err(again)?,
    };
    let (target, meta) = if link.file_type().is_symlink() {
        let target =
            std::fs::canonicalize(path).map_err(|e| format!("is a symbolic link that cannot be followed: {e}"))?;
        if !allowed(&target) {
            return Err("is a symbolic link to a file outside the paths given: left alone".into());
        }
        let meta = std::fs::metadata(&target).map_err(again)?;
        (target, meta)
    } else {
        (path.clone(), link)
    };
    if !meta.is_file() {
        return Err("is no longer a regular file: left alone".into());
    }
    // Taken before any read: a change after it shows in the stamp below.
    let stamp = FileStamp::current(&meta);
    let bom = match stamp.and_then(|stamp| unchanged_since_read(read, stamp)) {
        Some(bom) => bom,
        None => {
            let on_disk = std::fs::read(&target).map_err(again)?;
            // The loader drops a byte order mark; it goes back where it was.
            let (bom, body) = match on_disk.strip_prefix(BOM) {
                Some(body) => (true, body),
                None => (false, &on_disk[..]),
            };
            if body != read.text.as_bytes() {
                return Err(CHANGED.into());
            }
            bom
        }
    };
    let dir = target.parent().ok_or("has no folder")?;
    let name = target.file_name().ok_or("has no file name")?.to_string_lossy();
    let (temp_path, mut temp) = temporary_file(dir, &name, &meta)?;
    let outcome = (|| {
        if bom {
            std::io::Write::write_all(&mut temp, BOM).map_err(|e| format!("cannot be written: {e}"))?;
        }
        std::io::Write::write_all(&mut temp, text.as_bytes()).map_err(|e| format!("cannot be written: {e}"))?;
        drop(temp);
        test_pause();
        // Looked at again after the pause a test may inject: the window
        // between this look and the rename is as short as it gets.
        let now = std::fs::metadata(&target).map_err(again)?;
        if FileStamp::current(&now) != stamp {
            return Err(CHANGED.to_string());
        }
        std::fs::rename(&temp_path, &target).map_err(|e| format!("cannot be replaced: {e}"))
    })();
    if outcome.is_err() {
        let _ = std::fs::remove_file(&temp_path);
    }
    outcome
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

const CHANGED: &str = "changed on disk since it was read: left alone (run the fix again)";

/// Whether the file, now stamped `now`, provably still holds what `read`
/// was read from, without reading it: it has the stamp the loader took
/// (trusted only for a file not modified in the seconds before the read),
/// and then the bytes read were `read`'s text, after a byte order mark if
/// the size says so. `Some(bom)` then; `None` when only reading tells.
fn unchanged_since_read(read: &Document, now: FileStamp) -> Option<bool> {
    if read.stamp != Some(now) {
        return None;
    }
    let len = read.text.len() as u64;
    match now.len {
        n if n == len => Some(false),
        n if n == len + BOM.len() as u64 => Some(true),
        _ => None,
    }
}

/// A new file beside the note, hidden (a walk skips it), with the note's
/// permission bits and, where the system allows, its owner.
fn temporary_file(dir: &Path, name: &str, meta: &std::fs::Metadata) -> Result<(PathBuf, std::fs::File), String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Created with the note's permission bits, which the umask may narrow:
    // they are looked at below and set again only then.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(
        &mut options,
        std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777,
    );
    for attempt in 0..100u32 {
        let temp = dir.join(format!(".{name}.dossier-fix.{}.{attempt}.tmp", process_id()));
        match options.open(&temp) {
            Ok(file) => {
                if let Err(e) = keep_permissions_and_owner(&file, meta) {
                    let _ = std::fs::remove_file(&temp);
                    return Err(format!("cannot keep its permissions: {e}"));
                }
                return Ok((temp, file));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(format!("cannot be written (no temporary file in its folder: {e})")),
        }
    }
    Err("cannot be written: no free temporary file name in its folder".into())
}

/// Gives the new `file` the note's permissions and, where they differ and
/// the system allows, its owner and group (only root may give a file away;
/// anyone else keeps the owner they are). One look at the new file tells
/// what differs; most often nothing does.
#[cfg(unix)]
fn keep_permissions_and_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let ours = file.metadata()?;
    if (ours.uid(), ours.gid()) != (meta.uid(), meta.gid()) {
        let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    }
    // After the owner: giving a file away clears its set-id bits.
    if ours.mode() & 0o7777 != meta.mode() & 0o7777 || (ours.uid(), ours.gid()) != (meta.uid(), meta.gid()) {
        file.set_permissions(meta.permissions())?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn keep_permissions_and_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// This process's id, asked of the system once (it is one call per note
/// otherwise).
fn process_id() -> u32 {
    static ID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *ID.get_or_init(std::process::id)
}

/// In debug builds (those the test suite runs) only: with
/// `DOSSIER_TEST_PAUSE_BEFORE_WRITE` set, before the first file is
/// compared with what was read, say so on stderr and wait for a line on
/// stdin. The end-to-end tests change a file during that pause, the race a
/// real editor could cause, deterministically. Release builds have no such
/// pause.
fn test_pause() {
    #[cfg(debug_assertions)]
    {
        static PAUSED: std::sync::Once = std::sync::Once::new();
        if std::env::var_os("DOSSIER_TEST_PAUSE_BEFORE_WRITE").is_some() {
            PAUSED.call_once(|| {
                eprintln!("dossier: paused before writing");
                let _ = std::io::stdin().read_line(&mut String::new());
            });
        }
    }
}

/// The unified diff of one note, `---`/`+++` both naming `shown`.
pub fn unified_diff(shown: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after).unified_diff().context_radius(3).header(shown, shown).to_string()
}

/// "3 findings", "1 file", "1 remains": a count with its noun, singular for one.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{ActionKind, Fix};
    use crate::text::TextRange;

    /// A note on disk, loaded as if it had not been touched for an hour
    /// before (a stamp the loader trusts): the stamp is taken as `read_at`
    /// an hour from now.
    fn loaded_old_note(dir: &Path, bytes: &[u8]) -> Document {
        let path = dir.join("n.md");
        std::fs::write(&path, bytes).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        let mut read = crate::workspace::loader::read_document(path);
        let hour_later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        read.stamp = FileStamp::of_read_at(&meta, hour_later);
        assert!(read.stamp.is_some(), "an hour-old file has a trusted stamp");
        read
    }

    #[test]
    fn an_unchanged_note_is_written_on_its_stamp_alone_keeping_its_byte_order_mark() {
        let dir = tempfile::tempdir().unwrap();
        let read = loaded_old_note(dir.path(), "\u{FEFF}Кремль {claim}\n".as_bytes());
        let now = FileStamp::current(&std::fs::metadata(&read.path).unwrap()).unwrap();
        assert_eq!(unchanged_since_read(&read, now), Some(true), "the stamp decides; the size tells the mark");

        write_fixed(&read, "Кремль {claim} fixed\n", None, |_| true).unwrap();
        assert_eq!(std::fs::read(&read.path).unwrap(), "\u{FEFF}Кремль {claim} fixed\n".as_bytes());
    }

    #[test]
    fn a_note_rewritten_at_the_same_size_and_time_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let read = loaded_old_note(dir.path(), b"{claim one}\n");
        // Past the coarsest change-time tick, then rewritten at the same
        // size with the modification time put back (as `cp -p` or an
        // archive would): only the change time tells.
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&read.path, b"{claim two}\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&read.path)
            .unwrap()
            .set_modified(read.stamp.unwrap().modified)
            .unwrap();
        let now = FileStamp::current(&std::fs::metadata(&read.path).unwrap()).unwrap();
        assert_eq!(now.len, read.stamp.unwrap().len);
        assert_eq!(now.modified, read.stamp.unwrap().modified);
        assert_eq!(unchanged_since_read(&read, now), None, "the stamp no longer vouches for the text");

        assert_eq!(write_fixed(&read, "{claim one} fixed\n", None, |_| true), Err(CHANGED.to_string()));
        assert_eq!(std::fs::read(&read.path).unwrap(), b"{claim two}\n", "the change made meanwhile is kept");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
    }

    #[test]
    fn a_note_modified_just_before_it_was_read_is_compared_by_its_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.md");
        std::fs::write(&path, b"{claim}\n").unwrap();
        let read = crate::workspace::loader::read_document(path.clone());
        assert_eq!(read.stamp, None, "racy: written this second");

        write_fixed(&read, "{claim} fixed\n", None, |_| true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{claim} fixed\n");
    }

    fn action(edits: Vec<FileEdit>) -> Action {
        Action { title: "t".into(), kind: ActionKind::QuickFix, fix: Some(Fix::ValueSpelling), fixes: None, edits }
    }

    fn edit(doc: u32, at: usize) -> FileEdit {
        FileEdit::Edit {
            doc: DocId(doc),
            replacements: vec![Replacement { range: TextRange::empty(at), text: "x".into() }],
        }
    }

    #[test]
    fn a_fix_touching_a_file_outside_the_given_paths_is_not_applied() {
        let inside_only = action(vec![edit(0, 1)]);
        let also_outside = action(vec![edit(0, 5), edit(1, 0)]);
        let creates = action(vec![FileEdit::Create { path: "actors.md".into(), text: "@x: x\n".into() }]);
        let kept = applicable(vec![inside_only.clone(), also_outside, creates], |doc| doc == DocId(0));
        assert_eq!(kept, vec![inside_only]);
    }

    #[test]
    fn replacements_are_grouped_and_counted_by_the_note_of_their_first_edit() {
        let (replacements, counts) = by_document(&[action(vec![edit(1, 9), edit(0, 3)]), action(vec![edit(1, 2)])]);
        assert_eq!(replacements[&DocId(1)].iter().map(|r| r.range.start).collect::<Vec<_>>(), vec![2, 9]);
        assert_eq!(replacements[&DocId(0)].len(), 1);
        assert_eq!(counts[&DocId(1)], 2);
        assert_eq!(counts.get(&DocId(0)), None);
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "finding", "findings"), "1 finding");
        assert_eq!(count(0, "finding", "findings"), "0 findings");
        assert_eq!(count(2, "file", "files"), "2 files");
    }

    #[test]
    fn a_diff_names_the_path_on_both_header_lines() {
        let diff = unified_diff("notes/a.md", "a\n{x | conf:hgh}\n", "a\n{x | conf:high}\n");
        assert_eq!(diff, "--- notes/a.md\n+++ notes/a.md\n@@ -1,2 +1,2 @@\n a\n-{x | conf:hgh}\n+{x | conf:high}\n");
    }
}
