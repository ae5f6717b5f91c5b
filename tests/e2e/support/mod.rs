//! What the end-to-end test modules share: the child-process helpers
//! (`process`: temporary workspaces, one run of the built binary, its JSON
//! findings), and the LSP test client of `lsp`, `protocol_abuse` and
//! `data_safety`: the fixtures, position helpers, a stdio JSON-RPC client
//! for the built `dossier lsp`, and assertion helpers.

#![allow(dead_code)]

mod process;
pub use process::*;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// How long any single wait may take before the test fails instead of hanging.
pub const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------- fixtures

/// The non-ASCII run that precedes the markup on fixture lines.
pub const WIDE: &str = "’ — Кремль 中俄 😀";

pub const ACTORS: &str = "\
# Actors

@putin: Vladimir Putin
  kind: person
  role: President of the Russian Federation
  Met ’ — Кремль 中俄 😀 @xi in Shanghai.

@xi: Xi Jinping
  kind: person

@gazprom: Gazprom
  kind: organization
";

pub const SOURCES: &str = "\
# Sources

^reuters-2014-05-21: China, Russia sign $400 billion gas deal
  publisher: Reuters
  date: 2014-05-21
  url: https://www.reuters.com/article/gas-deal
  reliability: B2

^tass-2014: Gas deal signed in Shanghai
  publisher: TASS
  date: 2014
  reliability: C3
";

pub const DEAL: &str = "\
# Gas deal

’ — Кремль 中俄 😀 @putin met [President Xi](@xi): {’ — Кремль 中俄 😀 @putin signed the deal with @gazprom | ^reuters-2014-05-21(p. 3) #deal conf:high ^tass-2014}.

## Reactions

’ — Кремль 中俄 😀 {The deal helps @xi | ^tass-2014 supports:#deal #help}

’ — Кремль 中俄 😀 {Unsourced talk by @putin}

’ — Кремль 中俄 😀 @nobody said something.
";

pub const OTHER: &str = "\
# Other view

’ — Кремль 中俄 😀 {@putin praised it | ^tass-2014 supports:#deal}
";

pub const FILES: &[(&str, &str)] =
    &[("actors.md", ACTORS), ("sources.md", SOURCES), ("notes/deal.md", DEAL), ("notes/other.md", OTHER)];

// ---------------------------------------------------------------- positions

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Enc {
    Utf8,
    Utf16,
}

pub const BOTH: [Enc; 2] = [Enc::Utf8, Enc::Utf16];

/// Byte offset of the `nth` (0-based) occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str, nth: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("occurrence {nth} of {needle:?} not found in {text:?}"))
        .0
}

/// (line, character) of a byte offset, the character counted in `enc` units.
pub fn line_col(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    let segment = &text[line_start..offset];
    let col = match enc {
        Enc::Utf8 => segment.len(),
        Enc::Utf16 => segment.encode_utf16().count(),
    };
    (line, col as u32)
}

/// The LSP position of a byte offset, lines ending at `\n`, `\r\n` or a
/// lone `\r` (`line_col` counts `\n` only). The offset must not fall
/// between the `\r` and the `\n` of a CRLF.
pub fn position_of(text: &str, offset: usize, enc: Enc) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count();
    let line_start = before.rfind(['\n', '\r']).map_or(0, |p| p + 1);
    let segment = &before[line_start..];
    let col = match enc {
        Enc::Utf8 => segment.len(),
        Enc::Utf16 => segment.encode_utf16().count(),
    };
    (line as u32, col as u32)
}

/// The byte offset of an LSP position that names a character boundary
/// within a line of `text` (its end included), or `None`. Lines end at
/// `\n`, `\r\n` or `\r`, as in LSP.
pub fn offset_at(text: &str, line: u32, character: u32, enc: Enc) -> Option<usize> {
    let mut start = 0;
    for _ in 0..line {
        let rest = &text[start..];
        let brk = rest.find(['\n', '\r'])?;
        start += brk + if rest[brk..].starts_with("\r\n") { 2 } else { 1 };
    }
    let content = &text[start..];
    let content = &content[..content.find(['\n', '\r']).unwrap_or(content.len())];
    let mut units = 0;
    for (i, c) in content.char_indices().chain([(content.len(), '\0')]) {
        if units == character {
            return Some(start + i);
        }
        if units > character || i == content.len() {
            return None;
        }
        units += match enc {
            Enc::Utf8 => c.len_utf8(),
            Enc::Utf16 => c.len_utf16(),
        } as u32;
    }
    None
}

/// `text` with LSP `TextEdit`s (`{range, newText}`) applied, all their
/// ranges read against `text` as it was, as the protocol says. Panics when
/// a range is not exact (not on a character boundary, past a line's end)
/// or two ranges overlap: a server must not send such edits.
pub fn apply_text_edits(text: &str, edits: &[Value], enc: Enc) -> String {
    let at = |p: &Value| {
        let (line, character) = (p["line"].as_u64().unwrap() as u32, p["character"].as_u64().unwrap() as u32);
        offset_at(text, line, character, enc).unwrap_or_else(|| panic!("{p} is not a position in {text:?}"))
    };
    let mut spans: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| (at(&e["range"]["start"]), at(&e["range"]["end"]), e["newText"].as_str().unwrap()))
        .collect();
    spans.sort_by_key(|&(start, end, _)| (start, end));
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "overlapping edits: {edits:?}");
    }
    let mut out = text.to_string();
    for &(start, end, new_text) in spans.iter().rev() {
        assert!(start <= end, "an edit ends before it starts: {edits:?}");
        out.replace_range(start..end, new_text);
    }
    out
}

/// `text` without its `$0` cursor markers, and the byte offset of each.
pub fn cursors(marked: &str) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut offsets = Vec::new();
    for (i, part) in marked.split("$0").enumerate() {
        if i > 0 {
            offsets.push(text.len());
        }
        text.push_str(part);
    }
    (text, offsets)
}

pub fn uri_of(path: &Path) -> String {
    url::Url::from_file_path(path).expect("absolute path").to_string()
}

// ---------------------------------------------------------------- the client

/// One running `dossier lsp` on a temporary workspace, seen from the client.
pub struct Lsp {
    pub child: Child,
    pub stdin: ChildStdin,
    pub inbox: Receiver<Value>,
    pub stderr: Arc<Mutex<String>>,
    pub enc: Enc,
    pub next_id: i64,
    /// Responses not yet claimed, keyed by their id as JSON text (`7`, `"a"`).
    pub responses: HashMap<String, Value>,
    /// Error responses whose id is null (to frames the server could not read), in order.
    pub null_id_replies: Vec<Value>,
    /// While set, requests from the server are kept in `held`, unanswered.
    pub hold_server_requests: bool,
    pub held: Vec<Value>,
    /// `window/logMessage` and `window/showMessage` params, in order.
    pub logs: Vec<Value>,
    /// The latest `publishDiagnostics` params per URI.
    pub published: HashMap<String, Value>,
    /// Every `publishDiagnostics` as (uri, version), in arrival order.
    pub history: Vec<(String, Value)>,
    /// Methods of the requests the server sent us (answered with null).
    pub server_requests: Vec<String>,
    /// Whether the server reported the end of its initial indexing.
    pub indexed: bool,
    pub init: Value,
    pub root: PathBuf,
    pub _dir: TempDir,
    /// Set once a test has ended the process itself.
    pub finished: bool,
}

impl Lsp {
    /// Writes `files` into a fresh folder, starts the server on it, and runs
    /// `initialize` + `initialized`. `Enc::Utf8` offers UTF-8 (and UTF-16);
    /// `Enc::Utf16` offers no encoding at all, so the default applies.
    pub fn start(enc: Enc, files: &[(&str, &str)]) -> Lsp {
        let mut lsp = Lsp::launch(enc, files);
        lsp.wait_until_indexed();
        lsp
    }

    /// Like `start`, but returns right after sending `initialized`, as an
    /// editor does, without waiting for the initial indexing to end.
    pub fn launch(enc: Enc, files: &[(&str, &str)]) -> Lsp {
        Lsp::launch_with(enc, files, true, &[""])
    }

    /// `rich`: whether the client offers work-done progress and dynamic
    /// registration of file watchers (a plain client offers neither);
    /// `folders`: the workspace folders, relative to the temporary root.
    pub fn launch_with(enc: Enc, files: &[(&str, &str)], rich: bool, folders: &[&str]) -> Lsp {
        let mut lsp = Lsp::spawn(enc, files);
        let params = lsp.initialize_params(rich, folders);
        lsp.init = lsp.request("initialize", params);
        lsp.notify("initialized", json!({}));
        lsp
    }

    /// Writes `files` into a fresh folder and starts the server there,
    /// sending nothing yet.
    pub fn spawn(enc: Enc, files: &[(&str, &str)]) -> Lsp {
        Lsp::spawn_with_env(enc, files, &[])
    }

    /// [`Lsp::spawn`], with these environment variables set for the server.
    pub fn spawn_with_env(enc: Enc, files: &[(&str, &str)], env: &[(&str, &str)]) -> Lsp {
        let dir = workspace(files);
        let root = dir.path().canonicalize().unwrap();
        let mut child = dossier()
            .envs(env.iter().copied())
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dossier lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, inbox) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err_pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Lsp {
            child,
            stdin,
            inbox,
            stderr,
            enc,
            next_id: 0,
            responses: HashMap::new(),
            null_id_replies: Vec::new(),
            hold_server_requests: false,
            held: Vec::new(),
            logs: Vec::new(),
            published: HashMap::new(),
            history: Vec::new(),
            server_requests: Vec::new(),
            indexed: false,
            init: Value::Null,
            root: root.clone(),
            _dir: dir,
            finished: false,
        }
    }

    /// The `initialize` params of this client (see `launch_with`).
    pub fn initialize_params(&self, rich: bool, folders: &[&str]) -> Value {
        let root = &self.root;
        // Versioned rename edits (`documentChanges`) are what the tests check;
        // `unversioned_client_gets_plain_changes` covers the other kind.
        let mut capabilities = json!({
            "textDocument": {"rename": {"prepareSupport": true}},
            "workspace": {"workspaceEdit": {"documentChanges": true}},
        });
        if rich {
            capabilities["window"] = json!({"workDoneProgress": true});
            capabilities["workspace"]["didChangeWatchedFiles"] = json!({"dynamicRegistration": true});
            capabilities["workspace"]["workspaceFolders"] = json!(true);
        }
        if self.enc == Enc::Utf8 {
            capabilities["general"] = json!({"positionEncodings": ["utf-8", "utf-16"]});
        }
        let root_uri = uri_of(&root.join(folders[0]));
        let folders: Vec<Value> = folders.iter().map(|f| json!({"uri": uri_of(&root.join(f)), "name": f})).collect();
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": folders,
            "capabilities": capabilities,
        })
    }

    /// Waits for the `$/progress` end of the initial indexing (the client
    /// offers work-done progress), so a test's requests meet a full index.
    pub fn wait_until_indexed(&mut self) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.indexed {
            if !self.pump(deadline) {
                panic!("no end of indexing reported within {TIMEOUT:?}");
            }
        }
    }

    pub fn send(&mut self, message: Value) {
        self.write_frame(&message).expect("write to the server");
    }

    pub fn write_frame(&mut self, message: &Value) -> std::io::Result<()> {
        let body = serde_json::to_vec(message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len())?;
        self.stdin.write_all(&body)?;
        self.stdin.flush()
    }

    /// Handles one incoming message, waiting at most until `deadline`;
    /// `false` when nothing came in time.
    pub fn pump(&mut self, deadline: Instant) -> bool {
        let wait = deadline.saturating_duration_since(Instant::now());
        let message = match self.inbox.recv_timeout(wait) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => return false,
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed its output; stderr:\n{}", self.stderr.lock().unwrap())
            }
        };
        match (message.get("method").and_then(Value::as_str), message.get("id")) {
            // A server → client request (progress token, registration): accept it.
            (Some(method), Some(id)) => {
                self.server_requests.push(method.to_string());
                if self.hold_server_requests {
                    self.held.push(message.clone());
                } else {
                    let id = id.clone();
                    self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                }
            }
            (Some("textDocument/publishDiagnostics"), None) => {
                let uri = message["params"]["uri"].as_str().unwrap().to_string();
                self.history.push((uri.clone(), message["params"]["version"].clone()));
                self.published.insert(uri, message["params"].clone());
            }
            (Some("$/progress"), None) => {
                if message["params"]["value"]["kind"] == "end" {
                    self.indexed = true;
                }
            }
            (Some("window/logMessage" | "window/showMessage"), None) => self.logs.push(message["params"].clone()),
            (Some(_), None) => {}
            (None, Some(Value::Null)) => self.null_id_replies.push(message),
            (None, Some(id)) => {
                self.responses.insert(id.to_string(), message);
            }
            (None, None) => panic!("not a JSON-RPC message: {message}"),
        }
        true
    }

    /// Sends a request and waits for its whole response message.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting: its id, for `response`.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message);
        id
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.response_to(&json!(id))
    }

    /// Waits for the response to the request with this id (a number or a string).
    pub fn response_to(&mut self, id: &Value) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(response) = self.responses.remove(&id.to_string()) {
                return response;
            }
            if !self.pump(deadline) {
                panic!("no response to request {id} within {TIMEOUT:?}; stderr:\n{}", self.stderr.lock().unwrap());
            }
        }
    }

    /// A request that must succeed: its `result`.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params.clone());
        assert!(response.get("error").is_none(), "{method} {params} failed: {response}");
        response["result"].clone()
    }

    /// A request that must fail: its `error`.
    pub fn request_error(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params.clone());
        response.get("error").cloned().unwrap_or_else(|| panic!("{method} {params} should fail: {response}"))
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(message);
    }

    /// Writes raw bytes to the server's stdin (for malformed frames).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).and_then(|_| self.stdin.flush()).expect("write to the server");
    }

    /// Waits for the next error reply with a null id, and takes it.
    pub fn null_id_reply(&mut self) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        while self.null_id_replies.is_empty() {
            assert!(self.pump(deadline), "no reply with a null id within {TIMEOUT:?}");
        }
        self.null_id_replies.remove(0)
    }

    /// Answers the server requests held while `hold_server_requests` was set.
    pub fn release_held(&mut self) {
        self.hold_server_requests = false;
        for request in std::mem::take(&mut self.held) {
            self.send(json!({"jsonrpc": "2.0", "id": request["id"], "result": null}));
        }
    }

    /// A request answered only once every message sent before it has been
    /// handled (the server applies messages in order), then whatever output
    /// is still on its way.
    pub fn barrier(&mut self) {
        self.request("workspace/symbol", json!({"query": "no-such-symbol-anywhere"}));
        self.drain(Duration::from_millis(50));
    }

    /// Waits for the process to end (after `exit`, or stdin closed) and
    /// returns its status.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.finished = true;
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit within {TIMEOUT:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the latest diagnostics published for `uri` satisfy `accept`.
    pub fn diagnostics_for(&mut self, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.publish_for(uri, |p| accept(p["diagnostics"].as_array().unwrap()))["diagnostics"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// Waits until the latest `publishDiagnostics` params for `uri` satisfy `accept`.
    pub fn publish_for(&mut self, uri: &str, accept: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(params) = self.published.get(uri)
                && accept(params)
            {
                return params.clone();
            }
            if !self.pump(deadline) {
                panic!("no accepted diagnostics for {uri} within {TIMEOUT:?}; latest: {:#}", self.published[uri]);
            }
        }
    }

    /// Lets the server's output settle: handles messages until none comes for `quiet`.
    pub fn drain(&mut self, quiet: Duration) {
        while self.pump(Instant::now() + quiet) {}
    }

    // ------------------------------------------------ workspace and positions

    pub fn uri(&self, path: &str) -> String {
        uri_of(&self.root.join(path))
    }

    pub fn write(&self, path: &str, text: &str) {
        write(&self.root, path, text.as_bytes());
    }

    pub fn pos(&self, text: &str, offset: usize) -> Value {
        let (line, character) = line_col(text, offset, self.enc);
        json!({"line": line, "character": character})
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Value {
        json!({"start": self.pos(text, start), "end": self.pos(text, end)})
    }

    /// The range of the `nth` occurrence of `needle` itself.
    pub fn range_of(&self, text: &str, needle: &str, nth: usize) -> Value {
        let start = find(text, needle, nth);
        self.range(text, start, start + needle.len())
    }

    /// A position `delta` bytes into the `nth` occurrence of `needle`.
    pub fn at(&self, text: &str, needle: &str, nth: usize, delta: usize) -> Value {
        self.pos(text, find(text, needle, nth) + delta)
    }

    pub fn doc_pos(&self, path: &str, position: Value) -> Value {
        json!({"textDocument": {"uri": self.uri(path)}, "position": position})
    }

    pub fn open(&mut self, path: &str, version: i32, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    pub fn hover(&mut self, path: &str, position: Value) -> Value {
        let params = self.doc_pos(path, position);
        self.request("textDocument/hover", params)
    }
}

impl Drop for Lsp {
    /// `shutdown` then `exit`, as an editor would; a server that does not
    /// end by itself is killed so no test leaves a process behind.
    fn drop(&mut self) {
        if !self.finished {
            self.next_id += 1;
            let id = self.next_id;
            let _ = self.write_frame(&json!({"jsonrpc": "2.0", "id": id, "method": "shutdown"}));
            let _ = self.write_frame(&json!({"jsonrpc": "2.0", "method": "exit"}));
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One framed message, or `None` at the end of the stream.
pub fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length.expect("a Content-Length header")];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a JSON body"))
}

// ---------------------------------------------------------------- assertions

/// A diagnostic reduced to what the spec fixes: (rule, severity, range).
pub fn summary(d: &Value) -> (String, u64, Value) {
    (d["code"].as_str().unwrap_or_default().to_string(), d["severity"].as_u64().unwrap(), d["range"].clone())
}

/// Diagnostics as sorted (rule, severity, range) triples.
/// What the `DEAL` fixture reports on disk: its unsourced claim (at the
/// given severity) and the unknown `@nobody`.
pub fn deal_findings(lsp: &Lsp, unsourced_severity: u64) -> Vec<(String, u64, Value)> {
    let claim = (find(DEAL, "{Unsourced", 0), find(DEAL, "@putin}", 0) + "@putin}".len());
    vec![
        ("unsourced-claim".to_string(), unsourced_severity, lsp.range(DEAL, claim.0, claim.1)),
        ("unknown-actor".to_string(), 1, lsp.range_of(DEAL, "@nobody", 0)),
    ]
}

pub fn summaries(diagnostics: &[Value]) -> Vec<(String, u64, Value)> {
    let mut out: Vec<_> = diagnostics.iter().map(summary).collect();
    out.sort_by_key(|(rule, _, range)| {
        (range["start"]["line"].as_u64(), range["start"]["character"].as_u64(), rule.clone())
    });
    out
}

pub fn has_rule(diagnostics: &[Value], rule: &str) -> bool {
    diagnostics.iter().any(|d| d["code"] == rule)
}

/// A definition/references answer (Location, Location[] or LocationLink[])
/// as sorted (uri, range) pairs.
pub fn locations(result: &Value) -> Vec<(String, Value)> {
    let items = match result {
        Value::Null => Vec::new(),
        Value::Array(items) => items.clone(),
        single => vec![single.clone()],
    };
    let mut out: Vec<(String, Value)> = items
        .iter()
        .map(|l| match l.get("targetUri") {
            Some(uri) => (uri.as_str().unwrap().to_string(), l["targetSelectionRange"].clone()),
            None => (l["uri"].as_str().unwrap().to_string(), l["range"].clone()),
        })
        .collect();
    out.sort_by_key(|(uri, r)| (uri.clone(), r["start"]["line"].as_u64(), r["start"]["character"].as_u64()));
    out
}

pub fn sorted_ranges(mut ranges: Vec<Value>) -> Vec<Value> {
    ranges.sort_by_key(|r| (r["start"]["line"].as_u64(), r["start"]["character"].as_u64()));
    ranges
}

/// A WorkspaceEdit as uri → (version, sorted (range, newText)).
pub fn edits_by_uri(edit: &Value) -> HashMap<String, (Value, Vec<(Value, String)>)> {
    let mut out = HashMap::new();
    let mut add = |uri: &str, version: Value, edits: &Value| {
        let mut list: Vec<(Value, String)> = edits
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["range"].clone(), e["newText"].as_str().unwrap().to_string()))
            .collect();
        list.sort_by_key(|(r, _)| (r["start"]["line"].as_u64(), r["start"]["character"].as_u64()));
        out.insert(uri.to_string(), (version, list));
    };
    if let Some(changes) = edit.get("documentChanges").and_then(Value::as_array) {
        for change in changes {
            let doc = &change["textDocument"];
            add(doc["uri"].as_str().unwrap(), doc["version"].clone(), &change["edits"]);
        }
    } else if let Some(changes) = edit.get("changes").and_then(Value::as_object) {
        for (uri, edits) in changes {
            add(uri, Value::Null, edits);
        }
    }
    out
}
