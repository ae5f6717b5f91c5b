//! Data safety (issue #5, item 5): the edits the server proposes change
//! exactly the bytes they mean to, only in files of the workspace, against
//! the text the client holds; and the server itself never writes a file.
//!
//! Behaviour pinned here (the README's guarantees):
//! - The server proposes edits only to files under the workspace folders,
//!   judged by their real path (a symbolic link inside pointing outside does
//!   not count). A note the client opens from outside them is analysed like
//!   any other (diagnostics, hover, its mentions count) while it is open, but
//!   a rename never edits it; a rename started from it, or of an id defined
//!   in it, is refused with a message saying so, rather than done by half.
//! - Rename edits are `documentChanges` carrying the version the client last
//!   sent for open documents, and `null` for the others (edited from disk).
//! - Before answering a rename, the notes it would edit from disk are
//!   compared with the disk, and any that changed without a watcher event
//!   are re-read, so the edits fit the bytes the client will edit.
//! - Completion edits replace only the id or value being typed, on its line,
//!   up to the cursor, with nothing else attached.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::support::*;

// ---------------------------------------------------------------- helpers

/// Every entry under `root`: relative path → (kind, bytes or link target,
/// modification time, permissions).
type Snapshot = BTreeMap<PathBuf, (&'static str, Vec<u8>, SystemTime, u32)>;

fn snapshot(root: &Path) -> Snapshot {
    fn walk(root: &Path, dir: &Path, out: &mut Snapshot) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions());
            #[cfg(not(unix))]
            let mode = meta.permissions().readonly() as u32;
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let modified = meta.modified().unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap();
                out.insert(relative, ("link", target.to_string_lossy().as_bytes().to_vec(), modified, mode));
            } else if meta.is_dir() {
                out.insert(relative, ("dir", Vec::new(), modified, mode));
                walk(root, &path, out);
            } else {
                out.insert(relative, ("file", std::fs::read(&path).unwrap(), modified, mode));
            }
        }
    }
    let mut out = Snapshot::new();
    walk(root, root, &mut out);
    out
}

/// A rename's `documentChanges` as uri → (version, edits), each document once.
fn document_changes(edit: &Value) -> BTreeMap<String, (Value, Vec<Value>)> {
    assert!(edit.get("changes").is_none(), "versioned documentChanges only: {edit}");
    let mut out = BTreeMap::new();
    for change in edit["documentChanges"].as_array().unwrap_or_else(|| panic!("no documentChanges: {edit}")) {
        let doc = &change["textDocument"];
        // The version must be there, as null when the document is not open.
        let version = doc.get("version").unwrap_or_else(|| panic!("no version: {change}")).clone();
        let uri = doc["uri"].as_str().unwrap().to_string();
        let previous = out.insert(uri.clone(), (version, change["edits"].as_array().unwrap().clone()));
        assert!(previous.is_none(), "{uri} twice in {edit}");
    }
    out
}

fn rename(lsp: &mut Lsp, path: &str, text: &str, needle: &str, new_name: &str) -> Value {
    let mut params = lsp.doc_pos(path, lsp.at(text, needle, 0, 1));
    params["newName"] = json!(new_name);
    lsp.call("textDocument/rename", params)
}

fn did_change(lsp: &mut Lsp, path: &str, version: i32, changes: Value) {
    let uri = lsp.uri(path);
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

/// A note written piece by piece, remembering where each `putin` that a
/// rename of `@putin` must replace lies: the expected result is computed from
/// these spans alone, independently of the server.
#[derive(Clone, Default)]
struct Note {
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Note {
    fn add(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// `before` + `putin` (to be renamed) + `after`.
    fn mention(&mut self, before: &str, after: &str) -> &mut Self {
        self.text.push_str(before);
        self.spans.push((self.text.len(), self.text.len() + "putin".len()));
        self.text.push_str("putin");
        self.text.push_str(after);
        self
    }

    /// The text with every span replaced by `new`.
    fn renamed(&self, new: &str) -> String {
        let mut out = self.text.clone();
        for &(start, end) in self.spans.iter().rev() {
            out.replace_range(start..end, new);
        }
        out
    }

    /// This note behind `prefix` (a line the editor added and did not save).
    fn after(&self, prefix: &Note) -> Note {
        let shift = prefix.text.len();
        Note {
            text: format!("{}{}", prefix.text, self.text),
            spans: prefix
                .spans
                .iter()
                .copied()
                .chain(self.spans.iter().map(|&(s, e)| (s + shift, e + shift)))
                .collect(),
        }
    }
}

// ---------------------------------------------------------------- outside the workspace

const STRAY: &str = "# Stray\n\n’ — Кремль 中俄 😀 {@putin and @xi, from elsewhere | ^tass-2014}\n";
const DEFS: &str = "# Defs\n\n@ghost: Ghost\n  kind: person\n";
const GHOSTLY: &str = "# Ghostly\n\n’ — Кремль 中俄 😀 {@ghost was there | ^tass-2014}\n";
const LINKED: &str = "# Linked\n\n’ — Кремль 中俄 😀 {@putin, through a link | ^tass-2014}\n";

/// The workspace folder `ws/`, and beside it `outside/`, which the client
/// may open files from; `ws/notes/linked.md` links to a file in `outside/`.
fn with_outside(enc: Enc) -> Lsp {
    let files = [
        ("ws/actors.md", ACTORS),
        ("ws/sources.md", SOURCES),
        ("ws/notes/deal.md", DEAL),
        ("ws/notes/other.md", OTHER),
        ("ws/notes/ghostly.md", GHOSTLY),
        ("outside/stray.md", STRAY),
        ("outside/defs.md", DEFS),
        ("outside/linked-target.md", LINKED),
    ];
    let mut lsp = Lsp::spawn(enc, &files);
    #[cfg(unix)]
    std::os::unix::fs::symlink(lsp.root.join("outside/linked-target.md"), lsp.root.join("ws/notes/linked.md")).unwrap();
    let params = lsp.initialize_params(true, &["ws"]);
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();
    lsp
}

#[test]
fn a_rename_never_edits_a_file_outside_the_workspace_folders() {
    for enc in BOTH {
        let mut lsp = with_outside(enc);
        let outside = |lsp: &Lsp, path: &str| lsp.root.join(path).display().to_string();

        // A note opened from outside is analysed: its mention resolves.
        lsp.open("outside/stray.md", 1, STRAY);
        let hover = lsp.hover("outside/stray.md", lsp.at(STRAY, "@putin", 0, 2));
        assert!(hover["contents"]["value"].as_str().unwrap().starts_with("**Vladimir Putin**"), "{enc:?}: {hover}");
        assert_eq!(hover["range"], lsp.range_of(STRAY, "@putin", 0));
        // So is the linked note, which the workspace walk follows.
        #[cfg(unix)]
        {
            let hover = lsp.hover("ws/notes/linked.md", lsp.at(LINKED, "@putin", 0, 2));
            assert_eq!(hover["range"], lsp.range_of(LINKED, "@putin", 0), "{enc:?}");
        }

        // But a rename edits only the notes inside the folder.
        let edit = rename(&mut lsp, "ws/notes/deal.md", DEAL, "@putin", "vladimir-putin");
        let uris: Vec<String> = document_changes(&edit["result"]).into_keys().collect();
        let inside: Vec<String> =
            ["ws/actors.md", "ws/notes/deal.md", "ws/notes/other.md"].iter().map(|p| lsp.uri(p)).collect();
        assert_eq!(uris, inside, "{enc:?}: {edit}");

        // A rename started from outside is refused, before and after the new name.
        let refusal = |path: String| json!({"code": -32602, "message": format!("{path} is outside the workspace folders (or links to a file outside them): Dossier renames only in notes inside them")});
        let params = lsp.doc_pos("outside/stray.md", lsp.at(STRAY, "@putin", 0, 2));
        assert_eq!(lsp.call("textDocument/prepareRename", params)["error"], refusal(outside(&lsp, "outside/stray.md")));
        let edit = rename(&mut lsp, "outside/stray.md", STRAY, "@putin", "vladimir-putin");
        assert_eq!(edit["error"], refusal(outside(&lsp, "outside/stray.md")), "{enc:?}");
        #[cfg(unix)]
        {
            let edit = rename(&mut lsp, "ws/notes/linked.md", LINKED, "@putin", "vladimir-putin");
            assert_eq!(edit["error"], refusal(outside(&lsp, "ws/notes/linked.md")), "{enc:?}");
        }

        // So is the rename of an id defined outside: renaming its mentions
        // and not its definition would break them all.
        lsp.open("outside/defs.md", 1, DEFS);
        let edit = rename(&mut lsp, "ws/notes/ghostly.md", GHOSTLY, "@ghost", "spectre");
        let message = format!(
            "`@ghost` is defined in {}, outside the workspace folders (or a link to a file outside them): Dossier does not edit files there",
            outside(&lsp, "outside/defs.md")
        );
        assert_eq!(edit["error"], json!({"code": -32602, "message": message}), "{enc:?}");
    }
}

// ---------------------------------------------------------------- versions

#[test]
fn rename_edits_carry_the_versions_of_open_documents_and_null_for_the_others() {
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        // deal.md open at 7, then edited unsaved at 2 (a version going
        // backwards is still the one the client last sent); other.md open at
        // 3, edited unsaved at 4 with a new mention.
        lsp.open("notes/deal.md", 7, DEAL);
        let mut deal = DEAL.to_string();
        let start = find(&deal, "@putin", 0);
        let changes = json!([{"range": lsp.range(&deal, start, start), "text": "😀 "}]);
        did_change(&mut lsp, "notes/deal.md", 2, changes);
        deal.insert_str(start, "😀 ");
        lsp.open("notes/other.md", 3, OTHER);
        let added = format!("{WIDE} unsaved @putin line\n");
        let changes = json!([{"range": lsp.range(OTHER, 0, 0), "text": added}]);
        did_change(&mut lsp, "notes/other.md", 4, changes);
        let other = format!("{added}{OTHER}");

        let edit = rename(&mut lsp, "notes/deal.md", &deal, "@putin", "@vladimir-putin");
        let changes = document_changes(&edit["result"]);
        let expected = [
            ("actors.md", Value::Null, ACTORS.to_string()),
            ("notes/deal.md", json!(2), deal.clone()),
            ("notes/other.md", json!(4), other.clone()),
        ];
        assert_eq!(changes.len(), expected.len(), "{enc:?}: {edit}");
        for (path, version, text) in expected {
            let (got_version, edits) = &changes[&lsp.uri(path)];
            assert_eq!(*got_version, version, "{enc:?} {path}");
            assert_eq!(
                apply_text_edits(&text, edits, enc),
                text.replace("@putin", "@vladimir-putin"),
                "{enc:?} {path}"
            );
        }
    }
}

#[test]
fn unversioned_client_gets_plain_changes() {
    // A client that does not declare `workspace.workspaceEdit.documentChanges`
    // cannot take versioned edits: the same edits come as `changes` by URI.
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, FILES);
        let mut params = lsp.initialize_params(true, &[""]);
        params["capabilities"]["workspace"].as_object_mut().unwrap().remove("workspaceEdit");
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        lsp.open("notes/deal.md", 7, DEAL);
        let edit = rename(&mut lsp, "notes/deal.md", DEAL, "@putin", "@vladimir-putin");
        let result = &edit["result"];
        assert!(result.get("documentChanges").is_none(), "{enc:?}: {edit}");
        let changes = result["changes"].as_object().unwrap_or_else(|| panic!("no changes: {edit}"));
        let mut paths: Vec<&str> = changes.keys().map(|uri| &uri[lsp.uri("").len()..]).collect();
        paths.sort();
        assert_eq!(paths, ["/actors.md", "/notes/deal.md", "/notes/other.md"], "{enc:?}");
        for (path, text) in [("actors.md", ACTORS), ("notes/deal.md", DEAL), ("notes/other.md", OTHER)] {
            let edits = changes[&lsp.uri(path)].as_array().unwrap();
            assert_eq!(apply_text_edits(text, edits, enc), text.replace("@putin", "@vladimir-putin"), "{enc:?} {path}");
        }
    }
}

// ---------------------------------------------------------------- a rename across 100 files

/// Note `i` of the hundred, with its line breaks (`nl`): mentions of every
/// form (prose, claim text, `by:`, link form, `@putin's`, `@putin.`) after
/// wide characters, and look-alikes that are not mentions of `@putin`; every
/// fourth note has only the look-alikes.
fn hundred_note(i: usize, nl: &str) -> Note {
    let mut n = Note::default();
    if i % 10 == 1 {
        n.add(&format!("---{nl}title: @putin is front matter{nl}---{nl}"));
    }
    n.add(&format!("# Note {i}{nl}{nl}"));
    if i % 4 != 3 {
        n.mention(&format!("{WIDE} @"), &format!(" met @xi.{nl}{nl}"));
        n.mention(&format!("{WIDE} {{Claim by @"), " | ^tass-2014 by:@").mention("", &format!("}}{nl}{nl}"));
        n.mention(&format!("{WIDE} [Vladimir Putin](@"), "), then @").mention("", "'s deal, then @");
        n.mention("", &format!(".{nl}{nl}"));
    }
    n.add(&format!("{WIDE} @putinism, a@putin.com, \\@putin, `@putin`, @Putin, putin <!-- @putin -->{nl}{nl}"));
    n.add(&format!("```{nl}@putin in code{nl}```{nl}"));
    n
}

#[test]
fn a_rename_across_a_hundred_files_changes_exactly_the_id_spans() {
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, &[("actors.md", ACTORS), ("sources.md", SOURCES), ("dossier.toml", "[rules]\n")]);
        let root = lsp.root.clone();
        // LF, CRLF and lone CR line breaks; a byte order mark on some.
        let mut notes: Vec<(String, Note, &[u8])> = Vec::new();
        for i in 0..100 {
            let nl = ["\n", "\r\n", "\n", "\r\n", "\n", "\r", "\n"][i % 7];
            let bom: &[u8] = if i % 25 == 0 { b"\xEF\xBB\xBF" } else { b"" };
            let path = format!("notes/n{i:03}.md");
            std::fs::create_dir_all(root.join("notes")).unwrap();
            std::fs::write(root.join(&path), [bom, hundred_note(i, nl).text.as_bytes()].concat()).unwrap();
            notes.push((path, hundred_note(i, nl), bom));
        }
        // Not in the workspace: a gitignored draft and a file beside the root.
        std::fs::write(root.join(".gitignore"), "drafts/\n").unwrap();
        std::fs::create_dir_all(root.join("drafts")).unwrap();
        std::fs::write(root.join("drafts/scratch.md"), "{@putin in a draft}\n").unwrap();
        let params = lsp.initialize_params(true, &[""]);
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        let before = snapshot(&root);

        // Every fifth note open with an unsaved line added on top (itself
        // with a mention), the next one open as on disk; the rest closed.
        let mut buffers: HashMap<String, (Note, i32)> = HashMap::new();
        for (i, (path, note, _)) in notes.iter().enumerate() {
            let nl = ["\n", "\r\n", "\n", "\r\n", "\n", "\r", "\n"][i % 7];
            if i % 5 == 0 {
                lsp.open(path, 1, &note.text);
                let mut line = Note::default();
                line.mention(&format!("{WIDE} unsaved @"), &format!(" line{nl}"));
                let top = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
                did_change(&mut lsp, path, 2, json!([{"range": top, "text": line.text}]));
                buffers.insert(path.clone(), (note.after(&line), 2));
            } else if i % 5 == 1 {
                lsp.open(path, 5, &note.text);
                buffers.insert(path.clone(), (note.clone(), 5));
            }
        }

        // Rename from a mention in note 1 (open), the new name with its sigil.
        let (from, _) = &buffers["notes/n001.md"];
        let at = lsp.pos(&from.text, from.spans[0].0);
        let mut params = lsp.doc_pos("notes/n001.md", at);
        params["newName"] = json!("@vladimir-putin");
        let edit = lsp.request("textDocument/rename", params);
        let mut changes = document_changes(&edit);

        // Apply it as a client would, to copies of the files on disk and to
        // the open buffers, and compare with the spans replaced.
        let copies = tempfile::tempdir().unwrap();
        for (relative, (kind, bytes, _, _)) in &before {
            let path = copies.path().join(relative);
            match *kind {
                "dir" => std::fs::create_dir_all(&path).unwrap(),
                "file" => std::fs::write(&path, bytes).unwrap(),
                _ => unreachable!("no links here"),
            }
        }
        let mut expected_files: BTreeMap<PathBuf, Vec<u8>> = before
            .iter()
            .filter(|(_, (kind, _, _, _))| *kind == "file")
            .map(|(p, (_, bytes, _, _))| (p.clone(), bytes.clone()))
            .collect();
        let mut targets: Vec<(String, Note, &[u8])> = notes.clone();
        let mut actors = Note::default();
        actors.add(&ACTORS[..find(ACTORS, "@putin:", 0) + 1]).mention("", &ACTORS[find(ACTORS, "@putin:", 0) + 6..]);
        targets.push(("actors.md".into(), actors, b""));
        for (path, note, bom) in targets {
            let buffer = buffers.get(&path);
            let mentions = buffer.map_or(&note, |(buffer, _)| buffer).spans.len();
            let Some((version, edits)) = changes.remove(&lsp.uri(&path)) else {
                assert_eq!(mentions, 0, "{enc:?}: no edit for {path}, which mentions @putin");
                continue;
            };
            assert!(mentions > 0, "{enc:?}: an edit for {path}, which does not mention @putin");
            if let Some((buffer, open_version)) = buffer {
                assert_eq!(version, json!(open_version), "{enc:?} {path}");
                assert_eq!(
                    apply_text_edits(&buffer.text, &edits, enc),
                    buffer.renamed("vladimir-putin"),
                    "{enc:?} {path}"
                );
                continue;
            }
            assert_eq!(version, Value::Null, "{enc:?} {path} is not open");
            // As an editor does: the byte order mark is not part of the text.
            let copy = copies.path().join(&path);
            let bytes = std::fs::read(&copy).unwrap();
            let text = std::str::from_utf8(bytes.strip_prefix(bom).unwrap()).unwrap();
            std::fs::write(&copy, [bom, apply_text_edits(text, &edits, enc).as_bytes()].concat()).unwrap();
            expected_files.insert(PathBuf::from(&path), [bom, note.renamed("vladimir-putin").as_bytes()].concat());
        }
        assert!(changes.is_empty(), "{enc:?}: edits for other files: {:?}", changes.keys());
        // Every file of the copy is what it should be: renamed where meant,
        // byte-identical everywhere else.
        let after_copy: BTreeMap<PathBuf, Vec<u8>> = snapshot(copies.path())
            .into_iter()
            .filter(|(_, (kind, _, _, _))| *kind == "file")
            .map(|(p, (_, bytes, _, _))| (p, bytes))
            .collect();
        assert_eq!(after_copy.keys().collect::<Vec<_>>(), expected_files.keys().collect::<Vec<_>>());
        for (path, want) in &expected_files {
            assert!(
                after_copy[path] == *want,
                "{enc:?} {}:\n{:?}\nwant\n{:?}",
                path.display(),
                String::from_utf8_lossy(&after_copy[path]),
                String::from_utf8_lossy(want)
            );
        }
        // And the server wrote nothing itself.
        assert!(snapshot(&root) == before, "{enc:?}: the workspace changed on disk");
    }
}

// ---------------------------------------------------------------- disk changes the server was not told of

#[test]
fn a_rename_fits_notes_changed_on_disk_without_a_watcher_event() {
    for enc in BOTH {
        // A plain client: no file watching, so nothing reports disk changes
        // (Neovim on Linux does not watch files either).
        let gone = "# Gone\n\n{’ — @putin, soon deleted | ^tass-2014}\n";
        let files =
            [("actors.md", ACTORS), ("sources.md", SOURCES), ("notes/other.md", OTHER), ("notes/gone.md", gone)];
        let mut lsp = Lsp::launch_with(enc, &files, false, &[""]);
        lsp.barrier();
        // Another program edits other.md (a new first line, wide characters
        // before the mention, a second mention) and deletes gone.md.
        let other = format!("{WIDE} a new first line\n{}", OTHER.replace("{@putin", "{😀😀 @putin and @putin"));
        lsp.write("notes/other.md", &other);
        std::fs::remove_file(lsp.root.join("notes/gone.md")).unwrap();

        let edit = rename(&mut lsp, "actors.md", ACTORS, "@putin:", "vladimir-putin");
        let changes = document_changes(&edit["result"]);
        assert_eq!(
            changes.keys().collect::<Vec<_>>(),
            vec![&lsp.uri("actors.md"), &lsp.uri("notes/other.md")],
            "{enc:?}"
        );
        let (_, edits) = &changes[&lsp.uri("notes/other.md")];
        assert_eq!(apply_text_edits(&other, edits, enc), other.replace("@putin", "@vladimir-putin"), "{enc:?}");
        // The rest of the session sees the new text too.
        let hover = lsp.hover("notes/other.md", lsp.at(&other, "@putin", 1, 2));
        assert_eq!(hover["range"], lsp.range_of(&other, "@putin", 1), "{enc:?}");
    }
}

// ---------------------------------------------------------------- the server writes nothing

#[test]
fn a_long_session_leaves_every_file_of_the_workspace_as_it_was() {
    let files = [
        ("ws/actors.md", ACTORS),
        ("ws/sources.md", SOURCES),
        ("ws/notes/deal.md", DEAL),
        ("ws/notes/other.md", OTHER),
        ("ws/dossier.toml", "[rules]\nunsourced-claim = \"error\"\n"),
        ("ws/.gitignore", "drafts/\n"),
        ("ws/drafts/scratch.md", "{@putin in a draft}\n"),
        ("outside/stray.md", STRAY),
    ];
    let mut lsp = Lsp::spawn(Enc::Utf16, &files);
    let root = lsp.root.clone();
    // Old enough that a rewrite of the same bytes would show in the mtime.
    for (path, _) in &files {
        let file = std::fs::File::options().write(true).open(root.join(path)).unwrap();
        file.set_modified(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000)).unwrap();
    }
    let before = snapshot(&root);
    let params = lsp.initialize_params(true, &["ws"]);
    lsp.init = lsp.request("initialize", params);
    lsp.notify("initialized", json!({}));
    lsp.wait_until_indexed();

    // An editor's session: open, type, save (with and without the text),
    // rename and apply the rename to the buffers (opening the files it
    // edits, as VS Code does), watched-file events, close.
    let mut buffers: BTreeMap<String, (String, i32)> = BTreeMap::new();
    for path in ["ws/notes/deal.md", "outside/stray.md"] {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        lsp.open(path, 1, &text);
        buffers.insert(path.to_string(), (text, 1));
    }
    for round in 0..40 {
        // Type a mention at the end of deal.md, then save.
        let (text, version) = buffers.get_mut("ws/notes/deal.md").unwrap();
        let end = lsp.pos(text, text.len());
        *version += 1;
        let typed = format!("{WIDE} @xi {round}\n");
        text.push_str(&typed);
        let change = json!([{"range": {"start": end, "end": end}, "text": typed}]);
        let version = *version;
        did_change(&mut lsp, "ws/notes/deal.md", version, change);
        let uri = lsp.uri("ws/notes/deal.md");
        let save = if round % 2 == 0 {
            json!({"textDocument": {"uri": uri}})
        } else {
            json!({"textDocument": {"uri": uri}, "text": "x"})
        };
        lsp.notify("textDocument/willSave", json!({"textDocument": {"uri": uri}, "reason": 1}));
        lsp.notify("textDocument/didSave", save);
        lsp.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri, "type": 2}]}));

        // Rename an actor back and forth, applying each rename to buffers.
        let (old, new) = if round % 2 == 0 { ("xi", "xi-jinping") } else { ("xi-jinping", "xi") };
        let deal = buffers["ws/notes/deal.md"].0.clone();
        let edit = rename(&mut lsp, "ws/notes/deal.md", &deal, &format!("@{old}"), new);
        for (uri, (_, edits)) in document_changes(&edit["result"]) {
            let path = files.iter().map(|(p, _)| p.to_string()).find(|p| lsp.uri(p) == uri).expect("a known file");
            if !buffers.contains_key(&path) {
                let text = std::fs::read_to_string(root.join(&path)).unwrap();
                lsp.open(&path, 1, &text);
                buffers.insert(path.clone(), (text, 1));
            }
            let (text, version) = buffers.get_mut(&path).unwrap();
            *text = apply_text_edits(text, &edits, Enc::Utf16);
            *version += 1;
            let (text, version) = (text.clone(), *version);
            did_change(&mut lsp, &path, version, json!([{"text": text}]));
        }
    }
    for path in buffers.keys() {
        lsp.notify("textDocument/didClose", json!({"textDocument": {"uri": lsp.uri(path)}}));
    }
    lsp.barrier();
    assert_eq!(lsp.request("shutdown", Value::Null), Value::Null);
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(0));
    // Nothing created, deleted, rewritten or touched.
    let after = snapshot(&root);
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
    for (path, entry) in &before {
        assert!(after[path] == *entry, "{} changed", path.display());
    }
}

// ---------------------------------------------------------------- completion edits

#[test]
fn completion_edits_replace_only_what_is_being_typed() {
    let note =
        format!("# Typing\n\n{WIDE} @pu and [x](^ta and {{{WIDE} text | ^tass-2014 supports:#de conf:h kind:qu #new\n");
    for enc in BOTH {
        let mut lsp = Lsp::start(enc, FILES);
        lsp.open("notes/typing.md", 1, &note);
        for (typed, label) in
            [("@pu", "putin"), ("^ta", "tass-2014"), ("supports:#de", "deal"), ("conf:h", "high"), ("kind:qu", "quote")]
        {
            // The cursor right after what was typed; the edit must replace
            // exactly the part after the sigil or colon, and be the only edit.
            let cursor = find(&note, typed, 0) + typed.len();
            let word = cursor - typed.rsplit(['@', '^', '#', ':']).next().unwrap().len();
            let params = lsp.doc_pos("notes/typing.md", lsp.pos(&note, cursor));
            let items = lsp.request("textDocument/completion", params);
            let items = items.as_array().unwrap_or_else(|| panic!("{enc:?} {typed}: {items}"));
            let item =
                items.iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("{enc:?} {typed}: {items:?}"));
            for item in items {
                assert_eq!(item["textEdit"]["range"], lsp.range(&note, word, cursor), "{enc:?} {typed}: {item}");
                for extra in ["additionalTextEdits", "command", "insertText"] {
                    assert!(item.get(extra).is_none(), "{enc:?} {typed}: {item}");
                }
            }
            let applied = apply_text_edits(&note, &[item["textEdit"].clone()], enc);
            assert_eq!(applied, format!("{}{label}{}", &note[..word], &note[cursor..]), "{enc:?} {typed}");
        }
    }
}

#[test]
fn without_a_workspace_folder_a_rename_edits_the_open_notes_only() {
    // A single-file session (no root, no folder): the documents the client
    // opened are the whole workspace, and they are what a rename edits;
    // the files beside them on disk are not indexed, so never edited.
    for enc in BOTH {
        let mut lsp = Lsp::spawn(enc, FILES);
        let mut params = lsp.initialize_params(true, &[""]);
        params["rootUri"] = Value::Null;
        params["workspaceFolders"] = Value::Null;
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp.wait_until_indexed();
        lsp.open("actors.md", 3, ACTORS);
        lsp.open("notes/deal.md", 4, DEAL);
        let edit = rename(&mut lsp, "notes/deal.md", DEAL, "@putin", "vladimir-putin");
        let changes = document_changes(&edit["result"]);
        assert_eq!(
            changes.keys().collect::<Vec<_>>(),
            vec![&lsp.uri("actors.md"), &lsp.uri("notes/deal.md")],
            "{enc:?}"
        );
        for (path, text, version) in [("actors.md", ACTORS, 3), ("notes/deal.md", DEAL, 4)] {
            let (got_version, edits) = &changes[&lsp.uri(path)];
            assert_eq!(*got_version, json!(version));
            assert_eq!(apply_text_edits(text, edits, enc), text.replace("@putin", "@vladimir-putin"), "{enc:?} {path}");
        }
    }
}
