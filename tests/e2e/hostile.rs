//! Hostile workspaces (issue #5, item 3): what a real folder can throw at
//! `dossier check` — a huge note, a hundred thousand notes, folders nested
//! past the system's path limit, files that cannot be read, a FIFO, binary
//! files, a note deleted while the check runs, a garbage `dossier.toml`.
//!
//! The promise under test: no panic, no hang, memory bounded, and a clear
//! diagnostic (or, for a note deleted mid-check, a silent skip) wherever
//! something was left out. Each test drives the built binary with a time
//! limit (the child is killed and the test fails past it) and measures the
//! child's peak resident memory.
//!
//! A symbolic-link loop is covered in `tests/e2e/cli.rs`
//! (`a_symlink_loop_is_reported_without_hanging`,
//! `a_self_referencing_symlink_is_reported`); it is not repeated here.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use dossier::analysis::check_workspace;
use dossier::diagnostic::Severity;
use dossier::workspace::loader;

use crate::support::{
    RUN_TIME_LIMIT, brief_with_message as brief, briefs_with_messages as briefs, check_json, parse_findings, run,
    run_as, tempdir, write,
};

// ---------------------------------------------------------------- helpers

/// The longest path the system accepts, terminating NUL included (Linux).
const PATH_MAX: usize = libc::PATH_MAX as usize;

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

const UNSOURCED: &str = "claim cites no source: add `| ^source-key` before its closing brace";
const UNKNOWN_GHOST: &str = "unknown actor `@ghost`: define it with a line `@ghost: Name` (e.g. in actors.md)";

/// A valid note kept beside every bad input: it must still be reported.
const VALID: (&str, &str) = ("ok.md", "Met @ghost.\n");
fn valid_finding() -> String {
    format!("ok.md:1:5-1:11 error[unknown-actor] {UNKNOWN_GHOST}")
}

// ------------------------------------------------------------ a huge note

const ACTORS: &str = "@putin: Vladimir Putin\n  kind: person\n  aliases: Putin\n\n@xi: Xi Jinping\n  kind: person\n\n@gazprom: Gazprom\n  kind: organization\n";
const SOURCES: &str =
    "^reuters: China, Russia sign gas deal\n  reliability: B2\n\n^tass: Putin on the deal\n  reliability: C3\n";

/// One section of the huge note: every kind of markup, all of it valid, in
/// text with curly quotes, dashes, Cyrillic, CJK and emoji, plus the places
/// where markup is not read. Every 997th section adds an unsourced claim and
/// every 1009th an unknown actor, at positions the test predicts.
fn section(i: usize, line: usize, expected: &mut Vec<String>) -> String {
    let mut s = format!(
        "## Section {i}\n\
         \n\
         {{[Russian President Vladimir Putin](@putin) met @xi in Shanghai’s — Кремль 中俄 😀 | #c{i} ^reuters(p. {i}) kind:fact @gazprom}}\n\
         {{@gazprom will deliver gas for 30 years | kind:forecast est:likely supports:#c{i} ^tass}}\n\
         {{“We are partners,” said the aide | kind:quote by:@putin ^tass(para. 2)}}\n\
         {{The deal strengthens Beijing’s hand | kind:assessment conf:moderate contradicts:#c{i}}}\n\
         According to [Reuters](^reuters), @putin and [Xi](@xi) signed. Not markup: `{{@nobody}}`, \\{{x\\}}, a@b.com,\n\
         <!-- {{@nobody | ^nothing}} --> {{{{ template }}}} {{#anchor}} {{.class}}\n\
         \n\
         ```\n\
         {{@nobody in a fence}}\n\
         ```\n\
         \n"
    );
    let mut line = line + s.matches('\n').count();
    if i.is_multiple_of(997) {
        s.push_str(&format!("{{Unsourced claim {i}}}\n"));
        let end = format!("{{Unsourced claim {i}}}").chars().count() + 1;
        expected.push(format!("big.md:{line}:1-{line}:{end} warning[unsourced-claim] {UNSOURCED}"));
        line += 1;
    }
    if i.is_multiple_of(1009) {
        s.push_str("Met @ghost.\n");
        expected.push(format!("big.md:{line}:5-{line}:11 error[unknown-actor] {UNKNOWN_GHOST}"));
    }
    s
}

/// One note of 50 MB, markup-rich, is checked completely, with the exact
/// findings planted in it, and the checker's peak memory stays under eight
/// times the note's size.
#[test]
fn a_50_mb_note_is_checked_in_bounded_memory() {
    const SIZE: usize = 50 << 20;
    let dir = tempdir();
    write(dir.path(), "dossier.toml", b"");
    write(dir.path(), "actors.md", ACTORS.as_bytes());
    write(dir.path(), "sources.md", SOURCES.as_bytes());
    let mut text = String::with_capacity(SIZE + 4096);
    let mut expected = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while text.len() < SIZE {
        let s = section(i, line, &mut expected);
        line += s.matches('\n').count();
        text.push_str(&s);
        i += 1;
    }
    write(dir.path(), "big.md", text.as_bytes());

    let (run, findings) = check_json(dir.path(), &[]);
    let ratio = run.peak_rss as f64 / text.len() as f64;
    eprintln!(
        "50 MB note: {} sections, {:.1} MB, checked in {:.1?}, peak RSS {:.0} MB ({ratio:.2}× the note)",
        i,
        mb(text.len() as u64),
        run.elapsed,
        mb(run.peak_rss)
    );
    assert_eq!(briefs(&findings), expected);
    assert_eq!(expected.len(), i.div_ceil(997) + i.div_ceil(1009));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(ratio < 8.0, "peak RSS {:.0} MB is {ratio:.1}× the note", mb(run.peak_rss));
}

// ------------------------------------------------- a hundred thousand notes

/// 100,000 one-line notes in 100 folders: every one is found and checked
/// (each holds one unsourced claim, so each appears in the report exactly
/// once), and every 1,000th also mentions an unknown actor.
#[test]
fn a_hundred_thousand_tiny_notes_are_all_checked() {
    const NOTES: usize = 100_000;
    // Creating and removing 100,000 files on this machine's disk takes about
    // 50 s each way (the checker itself needs a few seconds): in memory
    // (tmpfs) where there is one, so that the suite stays quick.
    let shm = Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm).unwrap_or_else(|_| tempdir()) } else { tempdir() };
    write(dir.path(), "dossier.toml", b"");
    write(dir.path(), "actors.md", b"@a: A\n");
    let mut bytes = 0;
    for i in 0..NOTES {
        let folder = dir.path().join(format!("notes/{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&folder).unwrap();
        }
        let ghost = if i % 1000 == 999 { "Met @ghost.\n" } else { "" };
        let note = format!("{{Claim {i} by @a}}\n{ghost}");
        bytes += note.len();
        std::fs::write(folder.join(format!("n{i:05}.md")), note).unwrap();
    }

    let (run, findings) = check_json(dir.path(), &[]);
    eprintln!(
        "100,000 notes ({:.1} MB): checked in {:.1?}, peak RSS {:.0} MB, {} findings",
        mb(bytes as u64),
        run.elapsed,
        mb(run.peak_rss),
        findings.len()
    );
    assert_eq!(findings.len(), NOTES + NOTES / 1000);
    // In path order, then position: note i's claim, then (every 1,000th) its ghost.
    let mut at = 0;
    for i in 0..NOTES {
        let path = format!("notes/{:03}/n{i:05}.md", i / 1000);
        let end = format!("{{Claim {i} by @a}}").chars().count() + 1;
        assert_eq!(brief(&findings[at]), format!("{path}:1:1-1:{end} warning[unsourced-claim] {UNSOURCED}"));
        at += 1;
        if i % 1000 == 999 {
            assert_eq!(brief(&findings[at]), format!("{path}:2:5-2:11 error[unknown-actor] {UNKNOWN_GHOST}"));
            at += 1;
        }
    }
    assert_eq!(run.code, 1);
    assert!(run.peak_rss < 1 << 30, "peak RSS {:.0} MB for 100,000 tiny notes", mb(run.peak_rss));
}

// ------------------------------------------------------------- deep folders

/// Creates `depth` nested folders named `name` under `parent`, one by one by
/// handle (a path that long cannot be passed to the system whole), and
/// writes `note` at the bottom. The folders go with the temporary
/// directory: `remove_dir_all` works by handle too.
fn nest_by_handle(parent: &Path, name: &str, depth: usize, note: (&str, &str)) {
    let cstr = |s: &str| std::ffi::CString::new(s).unwrap();
    let path = cstr(parent.to_str().unwrap());
    let mut fd = unsafe { libc::open(path.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY) };
    assert!(fd >= 0, "open {}", parent.display());
    for _ in 0..depth {
        let name = cstr(name);
        assert_eq!(unsafe { libc::mkdirat(fd, name.as_ptr(), 0o755) }, 0, "{}", std::io::Error::last_os_error());
        let next = unsafe { libc::openat(fd, name.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY) };
        assert!(next >= 0, "{}", std::io::Error::last_os_error());
        unsafe { libc::close(fd) };
        fd = next;
    }
    let file = cstr(note.0);
    let out = unsafe { libc::openat(fd, file.as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o644) };
    assert!(out >= 0, "{}", std::io::Error::last_os_error());
    let written = unsafe { libc::write(out, note.1.as_ptr().cast(), note.1.len()) };
    assert_eq!(written, note.1.len() as isize);
    unsafe {
        libc::close(out);
        libc::close(fd)
    };
}

/// Folders 250+ levels deep: a note whose path is just under the system's
/// limit is found and reported; past the limit, the first folder that cannot
/// be opened is one `unreadable-file` diagnostic, and the run goes on.
#[test]
fn deep_nesting_near_and_past_path_max() {
    let dir = tempdir();
    write(dir.path(), "dossier.toml", b"");
    write(dir.path(), VALID.0, VALID.1.as_bytes());
    let root_len = dir.path().as_os_str().len();
    const NAME: &str = "ddddddddddddddd"; // 15 characters, 16 with the separator

    // Chain `a/`: as deep as a 40-character note name allows within PATH_MAX.
    let note = format!("{}.md", "n".repeat(37));
    let depth = (PATH_MAX - 1 - root_len - "/a".len() - 1 - note.len()) / (NAME.len() + 1);
    let mut near = PathBuf::from("a");
    for _ in 0..depth {
        near.push(NAME);
    }
    let near = near.join(&note);
    write(dir.path(), near.to_str().unwrap(), b"{Deep claim}\n");
    let absolute = dir.path().join(&near).as_os_str().len();
    assert!(depth >= 200 && absolute < PATH_MAX && absolute > PATH_MAX - 20, "depth {depth}, {absolute} bytes");

    // Chain `b/`: 300 levels (4,800 characters), past PATH_MAX, with a note at the bottom.
    std::fs::create_dir(dir.path().join("b")).unwrap();
    nest_by_handle(&dir.path().join("b"), NAME, 300, ("far.md", "{Too far}\n"));
    // The shallowest folder of chain b whose absolute path reaches PATH_MAX:
    // listing it is where the system refuses.
    let mut too_long = PathBuf::from("b");
    while root_len + 1 + too_long.as_os_str().len() < PATH_MAX {
        too_long.push(NAME);
    }

    let (run, findings) = check_json(dir.path(), &[]);
    eprintln!("deep folders ({depth} and 300 levels): checked in {:.1?}", run.elapsed);
    assert_eq!(
        briefs(&findings),
        [
            format!("{}:1:1-1:13 warning[unsourced-claim] {UNSOURCED}", near.display()),
            format!(
                "{}:1:1-1:1 error[unreadable-file] this path cannot be read: File name too long (os error 36)",
                too_long.display()
            ),
            valid_finding(),
        ]
    );
    assert_eq!(run.code, 1);
}

// ------------------------------------------------- files that cannot be read

/// A note without read permission and a folder that cannot be listed are
/// each one `unreadable-file` diagnostic; the other notes are checked.
///
/// Root reads everything whatever the mode, so when the tests run as root
/// the checker is run as the unprivileged user `nobody` (uid 65534) instead;
/// if it cannot be started that way the permission part is skipped with a
/// message. A file whose every read fails with an I/O error needs no
/// permissions trick: `/proc/self/mem` at offset 0 (a link to it is a note
/// "on a bad disk"), checked whoever runs the test.
#[test]
fn unreadable_files_and_folders_are_reported() {
    let dir = tempdir();
    write(dir.path(), "dossier.toml", b"");
    write(dir.path(), VALID.0, VALID.1.as_bytes());
    std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("mem.md")).unwrap();
    write(dir.path(), "locked.md", b"{Secret}\n");
    write(dir.path(), "closed/inner.md", b"{Hidden}\n");
    let set_mode = |path: &str, mode| std::fs::set_permissions(dir.path().join(path), PermissionsExt::from_mode(mode));
    set_mode("locked.md", 0o000).unwrap();
    set_mode("closed", 0o000).unwrap();
    // `nobody` must reach the workspace itself.
    set_mode(".", 0o755).unwrap();

    let io_error = "mem.md:1:1-1:1 error[unreadable-file] this path cannot be read: Input/output error (os error 5)";
    let as_root = unsafe { libc::geteuid() } == 0;
    let args = ["check", "--format", "json"];
    let unprivileged = if as_root { run_as(dir.path(), &args, Some(65534)) } else { Ok(run(dir.path(), &args)) };
    match unprivileged {
        Ok(run) => {
            let findings = parse_findings(&run);
            assert_eq!(
                briefs(&findings),
                [
                    "closed:1:1-1:1 error[unreadable-file] this path cannot be read: permission denied".to_string(),
                    "locked.md:1:1-1:1 error[unreadable-file] this path cannot be read: permission denied".into(),
                    io_error.into(),
                    valid_finding(),
                ]
            );
            assert_eq!(run.code, 1);
        }
        Err(e) => {
            eprintln!("SKIPPED the permission cases: cannot run the checker as `nobody` ({e})");
            let (_, findings) = check_json(dir.path(), &[]);
            assert!(briefs(&findings).contains(&io_error.to_string()), "{findings:?}");
        }
    }
    // Let the temporary folder be removed.
    set_mode("closed", 0o755).unwrap();
}

/// FIFOs named like notes — in the walk, behind a symbolic link, named on
/// the command line — are reported and never opened (opening one for reading
/// would wait for a writer forever). A FIFO named `dossier.toml` is not a
/// config file: the workspace above it applies.
#[test]
fn a_fifo_named_like_a_note_is_reported_never_read() {
    let dir = tempdir();
    write(dir.path(), "dossier.toml", b"[rules]\nunsourced-claim = \"error\"\n");
    write(dir.path(), VALID.0, VALID.1.as_bytes());
    write(dir.path(), "sub/note.md", b"{Under a FIFO config}\n");
    mkfifo(&dir.path().join("x.md"));
    mkfifo(&dir.path().join("sub/dossier.toml"));
    std::os::unix::fs::symlink("x.md", dir.path().join("link.md")).unwrap();

    let not_regular = "error[unreadable-file] this path is not a regular file";
    let (run, findings) = check_json(dir.path(), &[]);
    assert_eq!(
        briefs(&findings),
        [
            format!("link.md:1:1-1:1 {not_regular}"),
            valid_finding(),
            format!("sub/note.md:1:1-1:22 error[unsourced-claim] {UNSOURCED}"),
            format!("x.md:1:1-1:1 {not_regular}"),
        ]
    );
    assert_eq!(run.code, 1);

    let (run, findings) = check_json(dir.path(), &["x.md"]);
    assert_eq!(briefs(&findings), [format!("x.md:1:1-1:1 {not_regular}")]);
    assert_eq!(run.code, 1);
}

// ------------------------------------------------------------ binary files

/// Deterministic pseudo-random bytes (xorshift), NULs and invalid UTF-8 among them.
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Line and character column (1-based) of byte `at`, counting LF, CR and
/// CRLF as line ends — worked out here, independently of `LineIndex`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = std::str::from_utf8(&bytes[..at]).unwrap();
    let mut line = 1;
    let mut col = 1;
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                line += 1;
                col = 1;
            }
            _ => col += 1,
        }
    }
    (line, col)
}

/// Binary files named `.md` are one `invalid-utf8` error each, at the first
/// bad byte (line and column counted in characters, NULs and CRs included);
/// a file of NULs is valid UTF-8 and parsed as text.
#[test]
fn binary_files_named_like_notes_report_their_first_bad_byte() {
    let dir = tempdir();
    write(dir.path(), "dossier.toml", b"");
    write(dir.path(), VALID.0, VALID.1.as_bytes());
    // 1 MiB of noise after a valid prefix with line breaks of every kind.
    let mut noise = b"# Noise\r\n\r\nline \x00\x01 three\n".to_vec();
    noise.extend(random_bytes(1 << 20, 0x9E37_79B9_7F4A_7C15));
    let noise_bad = std::str::from_utf8(&noise).unwrap_err().valid_up_to();
    write(dir.path(), "noise.md", &noise);
    // Line 4 (CRLF, then a lone CR), after seven characters and two NULs.
    let mut prefix = "# Title\r\nNUL\0 café — 😀 @x\r\n\rline 4 \0\0".as_bytes().to_vec();
    prefix.extend(b"\xff\xfe more {claim}");
    write(dir.path(), "prefix.md", &prefix);
    write(dir.path(), "image.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let mut nuls = vec![0u8; 4096];
    nuls.extend(b"{After NULs}\n");
    write(dir.path(), "nuls.md", &nuls);

    let (noise_line, noise_col) = line_col(&noise, noise_bad);
    let bad = "file is not valid UTF-8 (the first bad byte is here): save it as UTF-8; it is skipped until then";
    let (run, findings) = check_json(dir.path(), &[]);
    assert_eq!(
        briefs(&findings),
        [
            format!("image.md:1:1-1:2 error[invalid-utf8] {bad}"),
            format!("noise.md:{noise_line}:{noise_col}-{noise_line}:{} error[invalid-utf8] {bad}", noise_col + 1),
            format!("nuls.md:1:4097-1:4109 warning[unsourced-claim] {UNSOURCED}"),
            valid_finding(),
            format!("prefix.md:4:10-4:11 error[invalid-utf8] {bad}"),
        ]
    );
    assert_eq!(line_col(&prefix, prefix.iter().position(|&b| b == 0xff).unwrap()), (4, 10));
    assert_eq!(run.code, 1);
}

// --------------------------------------- a note deleted while the check runs

/// Through the loader's API, the way `dossier check` calls it: the folder
/// is listed, then notes change before they are read. A deleted note is
/// left out silently (the workspace is the folder as it now is: its claims
/// and definitions are gone, mentions of what it defined become unknown); a
/// note replaced by a FIFO or a folder is reported (and the FIFO never
/// opened); a deleted note that was named explicitly is reported.
#[test]
fn a_note_deleted_between_listing_and_reading_is_left_out() {
    let dir = tempdir();
    let root = dir.path().to_path_buf();
    write(&root, "dossier.toml", b"");
    write(&root, "actors.md", b"@putin: Vladimir Putin\n");
    write(&root, "notes/a.md", b"Met @putin.\n");
    write(&root, "notes/fifo.md", b"{Soon a FIFO}\n");
    write(&root, "notes/folder.md", b"{Soon a folder}\n");
    write(&root, "notes/gone.md", b"{Unsourced}\n");

    let config = loader::read_config(&root).unwrap();
    let listing = loader::list(&root, &config);
    let listed: Vec<String> = listing.files.iter().map(|p| loader::relative_slash(&root, p).into_owned()).collect();
    assert_eq!(listed, ["actors.md", "notes/a.md", "notes/fifo.md", "notes/folder.md", "notes/gone.md"]);

    std::fs::remove_file(root.join("actors.md")).unwrap();
    std::fs::remove_file(root.join("notes/gone.md")).unwrap();
    std::fs::remove_file(root.join("notes/fifo.md")).unwrap();
    mkfifo(&root.join("notes/fifo.md"));
    std::fs::remove_file(root.join("notes/folder.md")).unwrap();
    std::fs::create_dir(root.join("notes/folder.md")).unwrap();

    // Loading on another thread, so that a FIFO opened by mistake fails
    // the test instead of hanging it.
    let load = |extra: Vec<PathBuf>| {
        let (root, config) = (root.clone(), config.clone());
        let listing = loader::Listing { files: listing.files.clone(), ..Default::default() };
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let ws = loader::load(root.clone(), config, listing, &extra);
            let mut out = Vec::new();
            for (doc, diagnostics) in check_workspace(&ws, Severity::Hint) {
                let document = ws.document(doc);
                let path = loader::relative_slash(&root, &document.path);
                for d in diagnostics {
                    out.push(format!("{path} {:?} {}[{}] {}", d.range, d.severity.as_str(), d.rule.id(), d.message));
                }
            }
            out.sort();
            send.send(out).unwrap();
        });
        receive.recv_timeout(RUN_TIME_LIMIT).expect("loading did not finish: a FIFO was opened?")
    };

    let unknown = "unknown actor `@putin`: define it with a line `@putin: Name` (e.g. in actors.md)";
    assert_eq!(
        load(Vec::new()),
        [
            format!("notes/a.md 4..10 error[unknown-actor] {unknown}"),
            "notes/fifo.md 0..0 error[unreadable-file] this path is not a regular file".to_string(),
            "notes/folder.md 0..0 error[unreadable-file] this path is a directory, not a note".to_string(),
        ]
    );
    // Named on the command line (after the check started), it is reported.
    let named = load(vec![root.join("notes/gone.md")]);
    assert!(
        named.contains(
            &"notes/gone.md 0..0 error[unreadable-file] this path no longer exists: it was deleted or renamed during the check"
                .to_string()
        ),
        "{named:?}"
    );
    assert_eq!(named.len(), 4);
}

// ----------------------------------------------------- a garbage config file

/// A `dossier.toml` of garbage — random bytes, binary that happens to be
/// UTF-8, megabytes of it, nesting that would overflow a recursive parser,
/// keys holding line breaks and terminal escapes — stops the check with
/// exit status 2, nothing on stdout and exactly one line on stderr naming
/// the file (and where, when TOML can tell).
#[test]
fn a_garbage_config_stops_the_check_with_one_line() {
    let huge_comment = format!("{}zzz = 1\n", "# filler\n".repeat(2_000_000));
    let huge_key = format!("[rules]\n{} = \"off\"\n", "x".repeat(20 << 20));
    let deep = format!("a = {}\n", "[".repeat(100_000));
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        ("random bytes", random_bytes(4096, 7), "error: dossier.toml:1:1: not valid UTF-8".into()),
        (
            "binary but UTF-8",
            b"\0\x01\x02 abc = \0 \n\x7f".to_vec(),
            // The first error in the file: the NUL that starts it.
            "error: dossier.toml:1:1: invalid TOML: invalid unquoted key, expected letters, numbers, `-`, `_`".into(),
        ),
        (
            "20 MB of comments, then a bad section",
            huge_comment.into_bytes(),
            "error: dossier.toml:2000001:1: unknown section `zzz`: expected `[files]`, `[rules]` or `[sources]`".into(),
        ),
        (
            "a 20 MB key",
            huge_key.into_bytes(),
            format!("error: dossier.toml:2:1: unknown rule `{}…` in `[rules]`", "x".repeat(60)),
        ),
        (
            "100,000 nested arrays",
            deep.into_bytes(),
            // The parser's depth limit keeps the stack safe; the first error
            // in the file is the key in front of the nesting.
            "error: dossier.toml:1:1: unknown section `a`: expected `[files]`, `[rules]` or `[sources]`".into(),
        ),
        (
            "a key with a line break, a NUL and a terminal escape",
            b"[\"a\\nb\\u0000c\\u001b[31mred\"]\n".to_vec(),
            "error: dossier.toml:1:2: unknown section `a\\nb\\0c\\u{1b}[31mred`: expected `[files]`, `[rules]` or `[sources]`"
                .into(),
        ),
    ];
    for (what, bytes, expected) in cases {
        let dir = tempdir();
        write(dir.path(), VALID.0, VALID.1.as_bytes());
        write(dir.path(), "dossier.toml", &bytes);
        let run = run(dir.path(), &["check"]);
        eprintln!("config of {what}: {:.1?}", run.elapsed);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{what}");
        assert_eq!(run.stderr.strip_suffix('\n'), Some(expected.as_str()), "{what}");
    }
}
