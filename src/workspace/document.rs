//! One note: its path, text, line index and parse, or why it could not be read.

use std::path::PathBuf;

use crate::syntax::{self, Parse};
use crate::text::LineIndex;

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
    pub line_index: LineIndex,
    pub parse: Parse,
    pub problem: Option<Problem>,
}

impl Document {
    pub fn new(path: PathBuf, text: String) -> Document {
        let parse = syntax::parse(&text);
        let line_index = LineIndex::new(&text);
        Document { path, text, line_index, parse, problem: None }
    }

    /// A document from raw bytes: parsed when they are UTF-8, otherwise kept
    /// only to point at the first bad byte.
    pub fn from_bytes(path: PathBuf, mut bytes: Vec<u8>) -> Document {
        // A byte order mark is not text: editors neither show nor count it.
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Document::new(path, text),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let line_index = LineIndex::new(&text);
                Document { path, text, line_index, parse: Parse::default(), problem: Some(Problem::InvalidUtf8 { at }) }
            }
        }
    }

    pub fn unreadable(path: PathBuf, why: String) -> Document {
        Document {
            path,
            text: String::new(),
            line_index: LineIndex::new(""),
            parse: Parse::default(),
            problem: Some(Problem::Unreadable(why)),
        }
    }
}
