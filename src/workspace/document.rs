//! One note: its path, text, line index and parse, or why it could not be read.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::bibliography::{self, Format};
use crate::syntax::{self, Keep, Namespace, Parse};
use crate::text::{Encoding, LineIndex, Positions, TextRange};

/// Why a file contributes nothing but one diagnostic.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Problem {
    /// Not UTF-8; `at` is the byte offset of the first bad sequence, which
    /// the (lossily decoded) text shows as U+FFFD.
    InvalidUtf8 { at: usize },
    /// Could not be read at all (permissions, a directory, a symlink loop…).
    Unreadable(String),
}

#[derive(Clone, Debug)]
pub struct Document {
    pub path: PathBuf,
    pub text: String,
    /// Built on first use: most notes of a workspace are never shown or
    /// have nothing to report, and need no positions.
    line_index: OnceLock<LineIndex>,
    pub parse: Parse,
    pub problem: Option<Problem>,
    /// When read from disk: the file's size and modification time then, to
    /// tell cheaply whether it has changed since.
    pub stamp: Option<FileStamp>,
    prose: OnceLock<Vec<TextRange>>,
    /// See [`Document::mentioned`].
    mentioned: OnceLock<Box<[Mentioned]>>,
    /// Set when the file is a bibliography (`[sources] bibliography`): its
    /// parse then holds its entries as source definitions, and no prose.
    pub bibliography: Option<Format>,
    /// Tells this version of the note from every other (a clone is the
    /// same version): what was computed from one version can be kept for
    /// the next, see [`Document::edited_from`].
    serial: u64,
    /// See [`Document::edited_from`].
    edited_from: Option<(u64, syntax::Region)>,
}

/// The serials of documents: one counter for the process, so no two
/// versions of any note share one.
static SERIALS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// An id a document mentions: its namespace, a hash of its name, and where
/// one of its mentions spells the name (without the sigil).
pub type Mentioned = (Namespace, u64, TextRange);

/// What tells that a file changed since it was read: its size and
/// modification time and, on Unix, its device, inode and change time (an
/// editor saving by rename makes a new inode; a tool that writes and then
/// sets an old modification time still moves the change time, which no
/// one can set).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FileStamp {
    pub len: u64,
    pub modified: std::time::SystemTime,
    #[cfg(unix)]
    changed: (u64, u64, i64, i64),
}

impl FileStamp {
    /// The stamp of a file just read, or `None` when it cannot be trusted
    /// to reveal a later change: modified or changed so recently (as with
    /// git's "racy" files) that a rewrite of the same size could keep the
    /// same coarse timestamps.
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStamp> {
        FileStamp::of_read_at(meta, std::time::SystemTime::now())
    }

    /// [`FileStamp::of`] for a file read at `now`.
    pub fn of_read_at(meta: &std::fs::Metadata, now: std::time::SystemTime) -> Option<FileStamp> {
        const RACY: std::time::Duration = std::time::Duration::from_secs(2);
        let stamp = FileStamp::current(meta)?;
        let old = |then: std::time::SystemTime| now.duration_since(then).is_ok_and(|age| age > RACY);
        #[cfg(unix)]
        let changed = {
            let (_, _, secs, nanos) = stamp.changed;
            let since_epoch = std::time::Duration::new(u64::try_from(secs).ok()?, u32::try_from(nanos).ok()?);
            std::time::UNIX_EPOCH + since_epoch
        };
        #[cfg(not(unix))]
        let changed = stamp.modified;
        (old(stamp.modified) && old(changed)).then_some(stamp)
    }

    /// A file's stamp as its metadata gives it now, to compare with a
    /// stamp taken when it was read.
    pub fn current(meta: &std::fs::Metadata) -> Option<FileStamp> {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Some(FileStamp {
            len: meta.len(),
            modified: meta.modified().ok()?,
            #[cfg(unix)]
            changed: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Whether the file at `path` still has this stamp.
    pub fn matches(self, path: &std::path::Path) -> bool {
        std::fs::metadata(path).ok().as_ref().and_then(FileStamp::current) == Some(self)
    }
}

impl Document {
    pub fn new(path: PathBuf, text: String) -> Document {
        Document::parsed(path, text, Keep::OUTLINE)
    }

    /// Parses `text`, keeping what `keep` says (the prose ranges, if not
    /// now, are computed on demand).
    pub fn parsed(path: PathBuf, text: String, keep: Keep) -> Document {
        let (parse, ranges) = syntax::parse_keeping(&text, keep);
        let prose = if keep.prose { OnceLock::from(ranges) } else { OnceLock::new() };
        Document::assembled(path, text, parse, prose, None)
    }

    /// A document from its parts; what is built on first use starts empty.
    fn assembled(
        path: PathBuf,
        text: String,
        parse: Parse,
        prose: OnceLock<Vec<TextRange>>,
        problem: Option<Problem>,
    ) -> Document {
        Document {
            path,
            text,
            line_index: OnceLock::new(),
            parse,
            problem,
            stamp: None,
            prose,
            mentioned: OnceLock::new(),
            bibliography: None,
            serial: SERIALS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            edited_from: None,
        }
    }

    /// This version of the note (see the field).
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// When this document is an edit of the version `serial` whose parse
    /// was kept but for the region returned (`syntax::reparse_region`): what
    /// lies before the region is the old text and parse, what lies after it
    /// the old ones shifted.
    pub fn edited_from(&self, serial: u64) -> Option<syntax::Region> {
        self.edited_from.as_ref().filter(|(from, _)| *from == serial).map(|(_, region)| region.clone())
    }

    /// A bibliography file's text, read as `format`.
    pub fn bibliography(path: PathBuf, text: String, format: Format) -> Document {
        let parse = bibliography::parse(&text, format);
        let mut document = Document::assembled(path, text, parse, OnceLock::from(Vec::new()), None);
        document.bibliography = Some(format);
        document
    }

    /// A bibliography file from raw bytes, as [`Document::from_bytes`].
    pub fn bibliography_from_bytes(path: PathBuf, mut bytes: Vec<u8>, format: Format) -> Document {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let mut document = match String::from_utf8(bytes) {
            Ok(text) => return Document::bibliography(path, text, format),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Document::unparsed(path, text, Some(Problem::InvalidUtf8 { at }))
            }
        };
        document.bibliography = Some(format);
        document
    }

    /// `text`, an edit of `previous` (same path, parsed with the same
    /// `keep`), parsed as `keep` says: only the edited paragraph when that
    /// is enough ([`syntax::reparse`]), otherwise in full. The server's
    /// keystrokes and `--fix`'s corrections go this way.
    pub fn reparsed(previous: &Document, text: String, keep: Keep) -> Document {
        let path = previous.path.clone();
        if let Some(format) = previous.bibliography {
            return Document::bibliography(path, text, format);
        }
        if previous.problem.is_some() {
            return Document::parsed(path, text, keep);
        }
        let old_prose = keep.prose.then(|| previous.prose());
        match syntax::reparse_region(&previous.text, &previous.parse, old_prose, &text) {
            Some((parse, prose, region)) => {
                let prose = prose.map_or_else(OnceLock::new, OnceLock::from);
                let mut document = Document::assembled(path, text, parse, prose, None);
                document.edited_from = Some((previous.serial, region));
                document
            }
            None => Document::parsed(path, text, keep),
        }
    }

    /// A document from raw bytes: parsed when they are UTF-8, otherwise kept
    /// only to point at the first bad byte.
    pub fn from_bytes(path: PathBuf, bytes: Vec<u8>) -> Document {
        Document::from_bytes_with(path, bytes, Keep::OUTLINE)
    }

    pub fn from_bytes_with(path: PathBuf, mut bytes: Vec<u8>, keep: Keep) -> Document {
        // A byte order mark is not text: editors neither show nor count it.
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Document::parsed(path, text, keep),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Document::unparsed(path, text, Some(Problem::InvalidUtf8 { at }))
            }
        }
    }

    pub fn unreadable(path: PathBuf, why: String) -> Document {
        Document::unparsed(path, String::new(), Some(Problem::Unreadable(why)))
    }

    /// A text shown as it is, with nothing parsed in it: a file that is not
    /// a note (invalid UTF-8, or the server's `dossier.toml`).
    pub fn unparsed(path: PathBuf, text: String, problem: Option<Problem>) -> Document {
        Document::assembled(path, text, Parse::default(), OnceLock::from(Vec::new()), problem)
    }

    /// Where each line starts, to turn offsets into lines and columns.
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Positions in this document, columns counted in `encoding`.
    pub fn positions(&self, encoding: Encoding) -> Positions<'_> {
        Positions::new(&self.text, self.line_index(), encoding)
    }

    /// Each id this document mentions, once, sorted by namespace, hash,
    /// then name. Built when an update first compares this version of the
    /// document with another (once as the new version, then reused when
    /// the next keystroke replaces it): a big note mentions thousands of
    /// times, and collecting the distinct ids four times per keystroke was a
    /// good part of it. Never built for notes that are only loaded.
    pub fn mentioned(&self) -> &[Mentioned] {
        self.mentioned.get_or_init(|| {
            let text = &self.text;
            let mut seen: rustc_hash::FxHashSet<(Namespace, &str)> = Default::default();
            let mut out: Vec<Mentioned> = Vec::new();
            for r in &self.parse.references {
                let name = r.name(text);
                if seen.insert((r.namespace(), name)) {
                    out.push((r.namespace(), super::fx_hash(name), r.range.without_sigil()));
                }
            }
            out.sort_unstable_by(|a, b| (a.0, a.1, a.2.of(text)).cmp(&(b.0, b.1, b.2.of(text))));
            out.into_boxed_slice()
        })
    }

    /// The prose and claim text where an actor's name written untagged
    /// counts (see [`syntax::prose`]), computed once.
    pub fn prose(&self) -> &[TextRange] {
        self.prose.get_or_init(|| syntax::prose(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::FileStamp;

    #[test]
    fn a_stamp_tells_a_changed_file_and_is_withheld_from_a_racy_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.md");
        std::fs::write(&path, "@putin met @xi\n").unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(FileStamp::of(&meta), None, "just written: a same-size rewrite could keep its time");

        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(3600)).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(FileStamp::of(&meta), None, "an old modification time, but changed (`touch`ed) just now");
        let hour_later = SystemTime::now() + Duration::from_secs(3600);
        let stamp = FileStamp::of_read_at(&meta, hour_later).expect("neither modified nor changed in the hour before");
        assert!(stamp.matches(&path));
        // Rewritten at the same size: the new modification time tells.
        std::fs::write(&path, "@xi met @putin\n").unwrap();
        assert!(!stamp.matches(&path));
        std::fs::remove_file(&path).unwrap();
        assert!(!stamp.matches(&path));
    }
}
