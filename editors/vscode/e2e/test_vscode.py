#!/usr/bin/env python3
"""End-to-end test of the VS Code extension (editors/vscode) in a real VS Code.

VS Code 1.100.3 runs as code-server 4.100.3 on 127.0.0.1, headless Chromium
drives its web UI through Playwright, and the extension is installed from the
platform .vsix that `npm run package:server` builds as editors/vscode/README.md
says, with the server inside: DOSSIER_VSIX, or one built here around the
binary under test (DOSSIER_BIN, by default <repo>/target/debug/dossier).
`dossier.server.path` is not set and no `dossier` is on code-server's PATH, so
the extension can only run the binary it carries. The test works on a
temporary copy of examples/china-russia and checks, through the UI only
(step 8 looks at the processes):

  1. the example's unsourced-claim finding is in the Problems panel, at the
     line and column `dossier check --format json` gives;
  2. no error notification shows at any point (toasts, sampled all along,
     and the notification centre at the end);
  3. a hover on `@putin` in the article shows the actor's card;
  4. F12 on `@putin` opens actors.md at the `@putin:` line;
  5. completion after a typed `@` lists the actors (and narrows as one types);
  6. F2 on `@keck` in the article renames the actor in actors.md too, a note
     that was never opened: after Save All, both files on disk hold the new id;
  7. typing a claim without a source at the end of the article adds an
     unsourced-claim finding on that line to the Problems panel;
  8. the language server running is the binary inside the installed .vsix;
  9. the code lens (SPEC §7) over `@putin:` in actors.md reads
     `N mentions · M claims`, and clicking it opens the references peek with
     @putin's mentions; a server without codeLensProvider fails it.

The tools come from install.sh beside this file. Where code-server, Chromium
or Playwright is missing the test says `skipped: ...` and exits 0, unless
DOSSIER_REQUIRE_VSCODE=1, when it fails. Each step leaves a screenshot in
$DOSSIER_E2E_OUT (default <repo>/target/vscode-e2e), with code-server's log;
a failed step's screenshot is named *-FAILED.png. No step starts after
DOSSIER_E2E_TIMEOUT seconds (default 300); 20 s later a watchdog kills every
process the test started, whatever hangs. The last line is
`vscode-e2e: N passed, N failed`; the exit status is 0 only if all passed.

Environment: DOSSIER_BIN, DOSSIER_VSIX (a built .vsix; otherwise the test
builds one with `npm run package`), DOSSIER_E2E_TOOLS (where install.sh
installed), DOSSIER_CODE_SERVER, DOSSIER_CHROMIUM, DOSSIER_E2E_OUT,
DOSSIER_E2E_TIMEOUT, DOSSIER_REQUIRE_VSCODE.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from pathlib import Path

CODE_SERVER_VERSION = "4.100.3"
HERE = Path(__file__).resolve().parent
EXTENSION = HERE.parent
REPO = EXTENSION.parent.parent
EXAMPLE = REPO / "examples" / "china-russia"
ARTICLE = "diplomat-2014-06-02.md"
ACTORS = "actors.md"
RENAME_FROM, RENAME_TO = "keck", "zachary-keck"

if os.geteuid() == 0:
    TOOLS = Path(os.environ.get("DOSSIER_E2E_TOOLS", "/opt/dossier-vscode-e2e"))
else:
    TOOLS = Path(os.environ.get("DOSSIER_E2E_TOOLS", Path.home() / ".cache" / "dossier-vscode-e2e"))
VENV_PYTHON = TOOLS / "venv" / "bin" / "python"


def log(message: str) -> None:
    print(f"vscode-e2e: {message}", flush=True)


def skip_or_fail(why: str) -> None:
    if os.environ.get("DOSSIER_REQUIRE_VSCODE") == "1":
        log(f"FAILED: DOSSIER_REQUIRE_VSCODE=1 but {why}")
        print("vscode-e2e: 0 passed, all failed", flush=True)
        sys.exit(1)
    print(f"skipped: the VS Code end-to-end test: {why} (run editors/vscode/e2e/install.sh)", flush=True)
    sys.exit(0)


# Playwright lives in install.sh's virtualenv: run this file with its Python.
try:
    from playwright.sync_api import sync_playwright
except ImportError:
    if VENV_PYTHON.exists() and os.environ.get("DOSSIER_E2E_REEXEC") != "1":
        os.environ["DOSSIER_E2E_REEXEC"] = "1"
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    skip_or_fail(f"Playwright for Python is not installed (not importable, and no {VENV_PYTHON})")


# ---------------------------------------------------------------- processes


def descendants(root: int) -> list[int]:
    """The pids below `root`, children first found, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces: split after it.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


# Process groups this test started (code-server's): their members may have
# lost their parent, and so no longer be found below this process.
GROUPS: list[int] = []


def signal_all(sig: int, pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    for group in GROUPS:
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            pass


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def kill_all_children(grace: float = 5.0) -> None:
    """Ends every process this test started (and theirs): TERM, then KILL."""
    pids = descendants(os.getpid())
    signal_all(signal.SIGTERM, pids)
    end = time.monotonic() + grace
    while time.monotonic() < end and any(alive(p) for p in pids + descendants(os.getpid())):
        time.sleep(0.1)
    signal_all(signal.SIGKILL, descendants(os.getpid()) + pids)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- the run


class StepFailed(Exception):
    pass


class Stopped(BaseException):
    """SIGTERM: not a step's failure, the end of the run."""


class Run:
    def __init__(self, out: Path, deadline: float):
        self.out = out
        self.deadline = deadline
        self.page = None
        self.shot = 0
        self.results: dict[int, str | None] = {}  # step -> None (passed) or why it failed
        self.toasts_seen: list[str] = []
        self.error_toasts: list[str] = []

    # --- waiting -------------------------------------------------------

    def wait_for(self, what: str, probe, timeout: float = 30.0, interval: float = 0.2):
        """Polls `probe` until it returns something truthy; fails after `timeout`."""
        end = min(time.monotonic() + timeout, self.deadline)
        last = None
        while True:
            self.sample_toasts()
            try:
                last = probe()
            except StepFailed:
                raise
            except Exception as error:  # the DOM changes under our feet
                last = error
            if last and not isinstance(last, Exception):
                return last
            if time.monotonic() > end:
                raise StepFailed(f"timed out waiting for {what} (last seen: {last!r})")
            time.sleep(interval)

    # --- the page ------------------------------------------------------

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def visible_texts(self, selector: str) -> list[str]:
        return self.js(
            """(sel) => [...document.querySelectorAll(sel)]
                .filter(e => { const r = e.getBoundingClientRect();
                               return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; })
                .map(e => e.innerText.replace(/\u00a0/g, ' '))""",
            selector,
        )

    def press(self, *keys: str) -> None:
        for key in keys:
            # Escape hides the toasts: look at them first.
            self.sample_toasts()
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=15)

    def screenshot(self, name: str) -> Path:
        self.shot += 1
        path = self.out / f"{self.shot:02d}-{name}.png"
        try:
            self.page.screenshot(path=str(path))
        except Exception as error:
            log(f"could not take screenshot {path.name}: {error}")
        return path

    def sample_toasts(self) -> None:
        """Records the notification toasts on screen; error ones fail step 2."""
        if self.page is None:
            return
        try:
            toasts = self.js(
                """() => [...document.querySelectorAll('.notifications-toasts .notification-list-item')]
                    .map(e => ({ text: e.innerText.replace(/\\s+/g, ' ').trim(),
                                 error: !!e.querySelector('.codicon-error, .codicon-notifications-error') }))"""
            )
        except Exception:
            return
        for toast in toasts:
            text = toast["text"]
            if text not in self.toasts_seen:
                self.toasts_seen.append(text)
                log(f"notification: {text!r}")
            bad = toast["error"] or any(w in text.lower() for w in ("dossier", "language server", "erroring", "connection to server"))
            if bad and text not in self.error_toasts:
                self.error_toasts.append(text)
                self.screenshot("error-notification")

    def active_tab(self) -> str:
        return self.js(
            """() => { const t = document.querySelector('.editor-group-container.active .tab.active');
                       return t ? (t.getAttribute('aria-label') || t.innerText) : ''; }"""
        ) or ""

    def tab_labels(self) -> list[str]:
        return self.js("() => [...document.querySelectorAll('.tabs-container .tab')].map(t => t.getAttribute('aria-label') || t.innerText)")

    def cursor(self) -> str:
        """The status bar's `Ln N, Col M`."""
        return self.js(
            """() => { const s = document.getElementById('status.editor.selection');
                       return s ? s.innerText.trim() : ''; }"""
        ) or ""

    def focused_in(self, selector: str) -> bool:
        """Whether the keyboard focus is inside an element matching `selector`."""
        return self.js("(sel) => !!(document.activeElement && document.activeElement.closest(sel))", selector)

    def wait_editor_focus(self) -> None:
        """Keys typed now go to the active editor's text."""
        self.wait_for("the keyboard focus in the active editor",
                      lambda: self.focused_in(".editor-group-container.active .monaco-editor"), 10)

    def quick_input(self, keys: str, text: str, prefix: str = "") -> None:
        """Opens a quick input with `keys` and types `text` into it, once it has the focus."""
        self.press("Escape")
        self.press(keys)
        box = self.page.locator(".quick-input-widget .quick-input-box input")
        self.wait_for(f"the quick input of {keys}",
                      lambda: box.is_visible() and self.focused_in(".quick-input-widget .quick-input-box"), 10)
        self.type(text)
        self.wait_for(f"{prefix + text!r} in the quick input", lambda: box.input_value() == prefix + text, 10)

    def run_command(self, title: str) -> None:
        """Runs a command by its title from the command palette."""
        self.quick_input("F1", title, ">")
        self.wait_for(
            f"command {title!r} in the palette",
            lambda: any(r.split("\n")[0].strip() == title for r in self.visible_texts(".quick-input-list .monaco-list-row.focused")),
            10,
        )
        self.press("Enter")

    def open_file(self, name: str) -> None:
        self.quick_input("Control+P", name)
        self.wait_for(
            f"{name} in quick open",
            lambda: any(r.startswith(name) for r in self.visible_texts(".quick-input-list .monaco-list-row.focused")),
            15,
        )
        self.press("Enter")
        self.wait_for(f"{name} to be the active editor", lambda: self.active_tab().startswith(name), 15)
        self.wait_for(f"the cursor in {name}", lambda: self.cursor().startswith("Ln "), 10)
        self.wait_editor_focus()

    def go_to(self, line: int, column: int) -> None:
        """Puts the cursor at line:column (Ctrl+G), and makes sure it stays:
        an editor just opened may restore its former cursor a moment later."""
        where = f"Ln {line}, Col {column}"
        for attempt in range(3):
            self.quick_input("Control+G", f"{line}:{column}", ":")
            self.press("Enter")
            self.wait_for(f"the cursor at {where}", lambda: self.cursor() == where or self.cursor().startswith(where + " "), 10)
            self.wait_editor_focus()
            time.sleep(0.3)
            if self.cursor().startswith(where):
                return
            log(f"the cursor moved from {where} to {self.cursor()}: going there again")
        raise StepFailed(f"the cursor does not stay at {where} (now {self.cursor()})")

    def expect_cursor(self, line: int, column: int) -> None:
        where = f"Ln {line}, Col {column}"
        self.wait_for(f"the cursor at {where}", lambda: self.cursor() == where or self.cursor().startswith(where + " "), 5)

    def show_problems(self) -> None:
        """Shows the Problems panel (Ctrl+Shift+M toggles it: only when hidden)."""
        panel = self.page.locator(".markers-panel")
        if not (panel.count() and panel.first.is_visible()):
            self.press("Control+Shift+M")
        self.wait_for("the Problems panel", lambda: panel.count() and panel.first.is_visible(), 10)

    def problems(self) -> list[str]:
        """The Problems panel's marker rows, as shown (message, source, [Ln N, Col M])."""
        return [
            " ".join(t.split())
            for t in self.visible_texts(".markers-panel .monaco-list-row")
        ]

    # --- steps ---------------------------------------------------------

    def step(self, number: int, name: str, body) -> None:
        if time.monotonic() > self.deadline:
            self.results[number] = "not run: out of time"
            log(f"step {number} ({name}): not run, out of time")
            return
        log(f"step {number}: {name}")
        started = time.monotonic()
        try:
            body()
        except Exception as error:
            why = str(error) if isinstance(error, StepFailed) else "".join(traceback.format_exception_only(error)).strip()
            shot = self.screenshot(f"step{number}-FAILED")
            self.dump_dom(f"step{number}-FAILED")
            self.results[number] = why
            log(f"step {number} FAILED: {why} (screenshot {shot})")
            try:
                self.press("Escape", "Escape")
            except Exception:
                pass
            return
        shot = self.screenshot(f"step{number}")
        self.results[number] = None
        log(f"step {number} passed in {time.monotonic() - started:.1f}s (screenshot {shot})")

    def dump_dom(self, name: str) -> None:
        try:
            (self.out / f"{self.shot:02d}-{name}.html").write_text(self.page.content())
        except Exception:
            pass


def expected_findings(dossier: Path, workspace: Path) -> list[dict]:
    out = subprocess.run(
        [str(dossier), "check", str(workspace), "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    try:
        findings = json.loads(out.stdout)
    except json.JSONDecodeError:
        raise StepFailed(f"`dossier check --format json` printed no JSON (exit {out.returncode}): {out.stderr[-2000:]}")
    return [f for f in findings if f["rule"] == "unsourced-claim"]


def position_of(text: str, needle: str, skip: int = 0) -> tuple[int, int]:
    """1-based line and column (UTF-16 units, as VS Code counts) of `needle`'s
    first character after `skip` characters of `needle`."""
    index = text.index(needle) + skip
    before = text[:index]
    line = before.count("\n") + 1
    start = before.rfind("\n") + 1
    column = len(text[start:index].encode("utf-16-le")) // 2 + 1
    return line, column


def mentions(text: str, token: str) -> list[int]:
    """Offsets of the whole mentions of `token` (`@putin`), a definition's
    `token:` at the start of a line left out."""
    found, at = [], text.find(token)
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + len(token):at + len(token) + 2]
        whole = not (before.isalnum() or before in "_.@\\") and not (after[:1].isalnum() or
                                                                       (after[:1] in "-_." and after[1:2].isalnum()))
        definition = before == "\n" and after[:1] == ":"
        if whole and not definition:
            found.append(at)
        at = text.find(token, at + 1)
    return found


def claims(text: str) -> list[tuple[int, int]]:
    """The claims `{` … `}` of a note as (first, last) offsets: enough of SPEC
    §1.4 for the example, which has no claim in code."""
    found, start, i = [], None, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 1
        elif start is not None and c == "\n" and text[i + 1:].lstrip(" \t").startswith("\n"):
            start = None
        elif start is None and c == "{" and text[i + 1:i + 2] not in ("{", "%", "#", ".", ":", "}") and text[i - 1:i] != "{":
            start = i
        elif start is not None and c == "}":
            found.append((start, i))
            start = None
        i += 1
    return found


def end_of(text: str) -> tuple[int, int]:
    """1-based line and column just past the end of `text`."""
    line = text.count("\n") + 1
    last = text[text.rfind("\n") + 1:]
    return line, len(last.encode("utf-16-le")) // 2 + 1


def section7_server_required() -> bool:
    """The server has SPEC §7's code lenses: one that does not advertise
    codeLensProvider fails step 9."""
    return True


def server_capabilities(dossier: Path) -> dict:
    """What `dossier lsp` advertises in answer to `initialize`."""
    sys.path.insert(0, str(EXTENSION / "test"))
    from check_vsix import lsp_initialize

    return lsp_initialize(dossier)


def build_vsix(dossier: Path) -> Path:
    """The platform .vsix: DOSSIER_VSIX, or built around `dossier` with
    `npm run package:server`."""
    given = os.environ.get("DOSSIER_VSIX")
    if given:
        return Path(given).resolve()
    npm = shutil.which("npm")
    if not npm:
        skip_or_fail("npm is not on the PATH (needed to build the .vsix)")
    if not (EXTENSION / "node_modules").is_dir():
        log("npm ci (editors/vscode)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=EXTENSION, check=True, stdout=subprocess.DEVNULL)
    log(f"npm run package:server (editors/vscode), with {dossier} inside")
    built = subprocess.run([npm, "run", "package:server"], cwd=EXTENSION, capture_output=True, text=True,
                           env={**os.environ, "DOSSIER_BIN": str(dossier)})
    wrote = [line.split(" wrote ", 1)[1] for line in built.stdout.splitlines() if " wrote " in line]
    if built.returncode != 0 or not wrote:
        raise StepFailed(f"`npm run package:server` failed:\n{built.stdout[-3000:]}\n{built.stderr[-3000:]}")
    return Path(wrote[-1])


def main() -> int:
    started = time.monotonic()
    limit = float(os.environ.get("DOSSIER_E2E_TIMEOUT", "300"))
    deadline = started + limit

    code_server = os.environ.get("DOSSIER_CODE_SERVER") or str(
        TOOLS / f"code-server-{CODE_SERVER_VERSION}" / "node_modules" / ".bin" / "code-server"
    )
    if not os.access(code_server, os.X_OK):
        code_server = shutil.which("code-server") or ""
    if not code_server:
        where = os.environ.get("DOSSIER_CODE_SERVER") or f"not in {TOOLS}"
        skip_or_fail(f"code-server {CODE_SERVER_VERSION} is not installed ({where}, nor on the PATH)")
    chromium = os.environ.get("DOSSIER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        skip_or_fail("Chromium is not installed (no `chromium` on the PATH)")
    dossier = Path(os.environ.get("DOSSIER_BIN") or REPO / "target" / "debug" / "dossier").resolve()
    if not os.access(dossier, os.X_OK):
        log(f"FAILED: no dossier binary at {dossier}: build it (`cargo build`) or set DOSSIER_BIN")
        print("vscode-e2e: 0 passed, all failed", flush=True)
        return 1

    out = Path(os.environ.get("DOSSIER_E2E_OUT") or REPO / "target" / "vscode-e2e").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        if old.suffix in (".png", ".html", ".log"):
            old.unlink()
    log(f"screenshots and logs in {out}")

    run = Run(out, deadline)
    names = {
        1: "the example's unsourced-claim is in Problems at its position",
        2: "no error notification",
        3: "hover on @putin shows the actor's card",
        4: "F12 on @putin opens actors.md at @putin:",
        5: "completion after @ lists the actors",
        6: f"F2 renames @{RENAME_FROM} in the unopened actors.md",
        7: "a typed unsourced claim shows up in Problems",
        8: "the server is the binary bundled in the .vsix",
    }
    capabilities = server_capabilities(dossier)
    if capabilities.get("codeLensProvider") is not None or section7_server_required():
        names[9] = "the code lens on @putin: opens the references peek"
    else:
        log("PENDING step 9 (code lens and dossier.showReferences): the server does not advertise"
            " codeLensProvider yet, and section7_server_required() is false")

    def summary() -> str:
        passed = sum(1 for n in names if n in run.results and run.results[n] is None)
        return f"vscode-e2e: {passed} passed, {len(names) - passed} failed"

    # The backstop: whatever hangs, the run ends at the deadline.
    def on_timeout() -> None:
        log(f"FAILED: the test did not finish within {limit:.0f}s (DOSSIER_E2E_TIMEOUT) and 20s of grace;"
            " killing code-server and Chromium")
        for number, name in names.items():
            if run.results.get(number, "") is not None:
                log(f"  step {number} ({name}): {run.results.get(number, 'not finished')}")
        kill_all_children()
        shutil.rmtree(scratch, ignore_errors=True)
        print(summary(), flush=True)
        os._exit(1)

    scratch = Path(tempfile.mkdtemp(prefix="dossier-vscode-e2e-"))
    # Everything the tools leave behind (code-server's sockets and logs,
    # Chromium's crash reports, Playwright's artifacts) goes to the scratch
    # folder, which goes at the end.
    for variable, folder in (("TMPDIR", "tmp"), ("XDG_CONFIG_HOME", "xdg-config"),
                             ("XDG_DATA_HOME", "xdg-data"), ("XDG_CACHE_HOME", "xdg-cache")):
        (scratch / folder).mkdir()
        os.environ[variable] = str(scratch / folder)
    watchdog = threading.Timer(limit + 20, on_timeout)
    watchdog.daemon = True
    watchdog.start()

    def on_signal(signum, _frame):
        raise Stopped(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)

    try:
        vsix = build_vsix(dossier)
        log(f"extension {vsix.name}, server {dossier}, code-server {code_server}, browser {chromium}")
        drive(run, names, scratch, Path(code_server), chromium, dossier, vsix, capabilities)
    except (Exception, KeyboardInterrupt, Stopped) as error:
        # Outside a step: setting up, or the browser or code-server died.
        why = str(error) if isinstance(error, (StepFailed, Stopped)) else "".join(traceback.format_exception(error)).strip()
        log(f"FAILED: {why}")
    finally:
        kill_all_children()
        watchdog.cancel()
        shutil.rmtree(scratch, ignore_errors=True)
    if time.monotonic() > deadline:
        log(f"FAILED: out of time: the run is limited to {limit:.0f}s (DOSSIER_E2E_TIMEOUT)")
    for number in sorted(names):
        result = run.results.get(number, "not run")
        log(f"  {'ok  ' if result is None else 'FAIL'} {number}. {names[number]}" + ("" if result is None else f": {result}"))
    log(f"took {time.monotonic() - started:.1f}s; screenshots in {out}")
    print(summary(), flush=True)
    passed = all(run.results.get(n, "not run") is None for n in names)
    return 0 if passed else 1


def drive(run: Run, names, scratch: Path, code_server: Path, chromium: str, dossier: Path, vsix: Path,
          capabilities: dict) -> None:
    workspace = scratch / "china-russia"
    shutil.copytree(EXAMPLE, workspace)
    user_data = scratch / "vscode-data"
    extensions = scratch / "vscode-extensions"
    (user_data / "User").mkdir(parents=True)
    settings = {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.welcomePage.walkthroughs.openOnInstall": False,
        "workbench.enableExperiments": False,
        "workbench.editor.enablePreview": False,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "extensions.ignoreRecommendations": True,
        "git.enabled": False,
        "chat.commandCenter.enabled": False,
        "markdown.validate.enabled": False,
        "problems.defaultViewMode": "tree",
        "files.autoSave": "off",
        "editor.autoClosingBrackets": "never",
        "editor.autoClosingQuotes": "never",
        "editor.autoSurround": "never",
        "editor.wordBasedSuggestions": "off",
        "editor.acceptSuggestionOnEnter": "off",
    }
    (user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    config = scratch / "code-server.yaml"
    config.write_text("auth: none\ncert: false\n")
    # No extension gallery: nothing to look up offline.
    # No `dossier` on the PATH either: the extension can only find the binary
    # its .vsix carries.
    path = os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                           if d and not os.access(os.path.join(d, "dossier"), os.X_OK))
    env = {**os.environ, "EXTENSIONS_GALLERY": "{}", "PATH": path}
    common = ["--config", str(config), "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    installed = subprocess.run(
        [str(code_server), *common, "--install-extension", str(vsix), "--force"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    if installed.returncode != 0 or "dossier" not in " ".join(p.name for p in extensions.glob("*")):
        raise StepFailed(f"installing {vsix} failed:\n{installed.stdout}\n{installed.stderr}")
    log(f"installed {vsix.name}: {installed.stdout.strip().splitlines()[-1] if installed.stdout.strip() else ''}")

    port = free_port()
    server_log = open(run.out / "code-server.log", "w")
    server = subprocess.Popen(
        [str(code_server), *common, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none",
         "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
         "--disable-getting-started-override", "--ignore-last-opened"],
        env=env, stdin=subprocess.DEVNULL, stdout=server_log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    GROUPS.append(server.pid)
    base = f"http://127.0.0.1:{port}"

    def healthy():
        if server.poll() is not None:
            raise StepFailed(f"code-server exited with {server.returncode}; see {run.out / 'code-server.log'}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as answer:
                return answer.status == 200
        except OSError:
            return False

    run.wait_for("code-server to answer", healthy, 60)
    log(f"code-server up on {base}")

    article_text = (workspace / ARTICLE).read_text()
    actors_text = (workspace / ACTORS).read_text()

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(scratch / "chromium"),
            executable_path=chromium,
            headless=True,
            viewport={"width": 1600, "height": 1000},
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            run.page = page
            page.goto(f"{base}/?folder={workspace}", timeout=60_000)
            run.wait_for("the workbench", lambda: page.locator(".monaco-workbench .part.editor").count() > 0, 60)
            run.wait_for("the explorer to list the notes",
                         lambda: any(ARTICLE in t for t in run.visible_texts(".explorer-folders-view .monaco-list-row")), 60)
            run.screenshot("workbench")
            run.open_file(ARTICLE)
            run.screenshot("article-open")

            # 1 -------------------------------------------------------
            def step1():
                findings = expected_findings(dossier, workspace)
                if len(findings) != 1:
                    raise StepFailed(f"expected one unsourced-claim from `dossier check`, got {findings}")
                f = findings[0]
                where = f"[Ln {f['line']}, Col {f['column']}]"
                log(f"dossier check: {f['path']} {where} {f['message']}")
                run.press("Escape")
                run.show_problems()
                rows = run.wait_for(
                    f"the unsourced-claim finding at {where} in Problems",
                    lambda: [r for r in run.problems() if f["message"] in r and where in r],
                    45,
                )
                log(f"Problems: {rows[0]!r}")
                others = [r for r in run.problems() if "claim cites no source" in r and r not in rows]
                if others:
                    raise StepFailed(f"more unsourced-claim rows than `dossier check` reports: {others}")

            run.step(1, names[1], step1)

            # 8 -------------------------------------------------------
            def step8():
                installed = extensions.resolve()

                def servers():
                    found = []
                    for pid in descendants(os.getpid()):
                        try:
                            exe = os.readlink(f"/proc/{pid}/exe")
                            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                        except OSError:
                            continue
                        if argv[1:2] == [b"lsp"]:
                            found.append(Path(exe))
                    return found

                running = run.wait_for("a `dossier lsp` process", servers, 20)
                log(f"dossier lsp running from {[str(p) for p in running]}")
                bundled = [p for p in running if p.is_relative_to(installed) and p.parts[-3:-1] == ("server", "linux-x64")]
                if not bundled or len(bundled) != len(running):
                    raise StepFailed(f"the server runs from {running}, not from server/linux-x64/ in {installed}")
                if os.stat(bundled[0]).st_mode & 0o111 != 0o111:
                    raise StepFailed(f"{bundled[0]} lost its execute bits")

            run.step(8, names[8], step8)

            # 3 -------------------------------------------------------
            putin_line, putin_col = position_of(article_text, "| #drill-details @putin", len("| #drill-details @") + 1)

            def step3():
                run.open_file(ARTICLE)
                run.go_to(putin_line, putin_col)
                run.press("Control+K", "Control+I")
                text = run.wait_for(
                    "a hover with the actor card",
                    lambda: "\n".join(t for t in run.visible_texts(".monaco-hover .monaco-hover-content") if "Vladimir Putin" in t),
                    20,
                )
                log(f"hover: {' '.join(text.split())!r}")
                defined = f"Defined at {ACTORS}:{position_of(actors_text, '@putin:')[0]}"
                for expected in ("Vladimir Putin", "@putin", "— person", "President of the Russian Federation", defined):
                    if expected not in text:
                        raise StepFailed(f"the hover lacks {expected!r}: {text!r}")

            run.step(3, names[3], step3)
            run.press("Escape")

            # 5 -------------------------------------------------------
            def step5():
                run.open_file(ARTICLE)
                line, column = end_of(article_text)
                run.go_to(line, column)
                run.type("@")
                run.expect_cursor(line, column + 1)
                labels = lambda: [t.split("\n")[0].strip() for t in run.visible_texts(".suggest-widget .monaco-list-row")]
                first = run.wait_for("the suggest widget with actors", lambda: [l for l in labels() if l in ("china", "cica")], 20)
                log(f"suggestions after @: {labels()}")
                if set(first) != {"china", "cica"}:
                    raise StepFailed(f"expected the actors china and cica after @, got {labels()}")
                run.type("pu")
                run.wait_for("putin among the suggestions after @pu", lambda: "putin" in labels(), 10)
                details = run.visible_texts(".suggest-widget .monaco-list-row")
                log(f"suggestions after @pu: {[' '.join(d.split()) for d in details]}")
                run.screenshot("step5-suggest")
                run.press("Escape")
                run.wait_for("the suggest widget to close", lambda: not labels(), 5)
                # Take the three typed characters out again.
                run.expect_cursor(line, column + 3)
                run.press("Backspace", "Backspace", "Backspace")
                run.expect_cursor(line, column)

            run.step(5, names[5], step5)

            # 6 -------------------------------------------------------
            keck_line, keck_col = position_of(article_text, "by:@keck", len("by:@") + 1)
            article_mentions = article_text.count(f"@{RENAME_FROM}")

            def step6():
                opened = [t for t in run.tab_labels() if t.startswith(ACTORS)]
                if opened:
                    raise StepFailed(f"{ACTORS} is open before the rename: {opened}")
                run.open_file(ARTICLE)
                run.go_to(keck_line, keck_col)
                run.press("F2")
                box = page.locator(".rename-box input")
                run.wait_for("the rename box, focused", lambda: box.is_visible() and run.focused_in(".rename-box"), 15)
                value = run.wait_for("the rename box's value", lambda: box.input_value(), 10)
                if value != RENAME_FROM:
                    raise StepFailed(f"the rename box offers {value!r}, expected {RENAME_FROM!r}")
                box.fill(RENAME_TO)
                run.wait_for(f"{RENAME_TO!r} in the rename box", lambda: box.input_value() == RENAME_TO, 5)
                box.press("Enter")
                run.wait_for("the rename box to close", lambda: not box.is_visible(), 15)
                run.wait_for(f"@{RENAME_TO} in the article's editor",
                             lambda: any(f"@{RENAME_TO}" in t for t in run.visible_texts(".editor-group-container.active .view-lines")), 15)
                before = f"@{RENAME_TO}:" in (workspace / ACTORS).read_text()
                log(f"{ACTORS} on disk before Save All: {'already renamed' if before else 'not yet renamed'}")
                run.run_command("File: Save All Files")

                def on_disk():
                    actors = (workspace / ACTORS).read_text()
                    article = (workspace / ARTICLE).read_text()
                    return (f"@{RENAME_TO}: Zachary Keck" in actors and f"@{RENAME_FROM}:" not in actors
                            and article.count(f"@{RENAME_TO}") == article_mentions and f"@{RENAME_FROM}" not in article)

                run.wait_for(f"@{RENAME_TO} on disk in {ACTORS} and {ARTICLE}", on_disk, 20)
                log(f"editor tabs after the rename: {run.tab_labels()}")
                log(f"on disk: {ACTORS} defines @{RENAME_TO}; {ARTICLE} mentions it {article_mentions} times, @{RENAME_FROM} none")

            run.step(6, names[6], step6)

            # 4 -------------------------------------------------------
            def_line, _ = position_of(actors_text, "@putin:")

            def step4():
                run.open_file(ARTICLE)
                run.go_to(putin_line, putin_col)
                run.press("F12")
                run.wait_for(f"{ACTORS} to be the active editor", lambda: run.active_tab().startswith(ACTORS), 15)
                run.wait_for(f"the cursor on line {def_line} of {ACTORS}", lambda: run.cursor().startswith(f"Ln {def_line},"), 10)
                log(f"F12 -> {run.active_tab()!r} at {run.cursor()!r}")

            run.step(4, names[4], step4)

            # 9 -------------------------------------------------------
            def step9():
                if capabilities.get("codeLensProvider") is None:
                    raise StepFailed("the server does not advertise codeLensProvider (section7_server_required() is true)")
                article = (workspace / ARTICLE).read_text()
                found = mentions(article, "@putin") + [-1 for _ in mentions((workspace / ACTORS).read_text(), "@putin")]
                in_claims = sum(1 for first, last in claims(article) if any(first < at < last for at in mentions(article, "@putin")))
                n = len(found)
                title = f"{n} mention{'' if n == 1 else 's'} · {in_claims} claim{'' if in_claims == 1 else 's'}"
                run.open_file(ACTORS)
                lens = run.page.locator(".editor-group-container.active .codelens-decoration a", has_text=title)
                run.wait_for(f"the code lens {title!r}", lambda: lens.count() > 0 and lens.first.is_visible(), 30)
                log(f"code lenses: {run.visible_texts('.editor-group-container.active .codelens-decoration')}")
                lens.first.click()
                peek = ".editor-group-container.active .peekview-widget"
                rows = run.wait_for(
                    f"the references peek with {n} mentions of @putin",
                    lambda: (lambda r: len([t for t in r if "@putin" in t]) == n and r)(run.visible_texts(f"{peek} .monaco-list-row")),
                    15,
                )
                log(f"references peek: {[' '.join(r.split()) for r in rows]}")
                # Its head names the file of the selected reference and the count.
                head = " ".join(" ".join(run.visible_texts(f"{peek} .peekview-title")).split())
                log(f"references peek title: {head!r}")
                if not head.startswith(ARTICLE) or not head.endswith(f"({n})"):
                    raise StepFailed(f"the peek's title is not {ARTICLE} … ({n}): {head!r}")
                run.press("Escape")

            if 9 in names:
                run.step(9, names[9], step9)

            # 7 -------------------------------------------------------
            def step7():
                run.open_file(ARTICLE)
                current = (workspace / ARTICLE).read_text()  # saved in step 6
                if not current.endswith("\n"):
                    raise StepFailed(f"{ARTICLE} does not end with a newline")
                line, column = end_of(current)
                run.go_to(line, column)
                claim = "{A new claim without a source.}"
                run.type(claim)
                run.expect_cursor(line, column + len(claim))
                where = f"[Ln {line}, Col 1]"
                run.wait_for("the claim in the editor",
                             lambda: any(claim in t for t in run.visible_texts(".editor-group-container.active .view-lines")), 10)
                run.show_problems()
                rows = run.wait_for(
                    f"a new unsourced-claim at {where} in Problems",
                    lambda: [r for r in run.problems() if "claim cites no source" in r and where in r],
                    30,
                )
                log(f"Problems: {rows[0]!r}")
                # The same position as the command line reports, once saved.
                run.press("Control+S")
                run.wait_for("the article saved", lambda: (workspace / ARTICLE).read_text().endswith(claim), 10)
                lines = sorted(f["line"] for f in expected_findings(dossier, workspace))
                if line not in lines:
                    raise StepFailed(f"`dossier check` reports unsourced claims on lines {lines}, not {line}")

            run.step(7, names[7], step7)

            # 2 -------------------------------------------------------
            def step2():
                run.run_command("Notifications: Show Notifications")
                time.sleep(0.5)
                center = run.visible_texts(".notifications-center .notification-list-item")
                errors = run.js(
                    """() => [...document.querySelectorAll('.notifications-center .notification-list-item')]
                        .filter(e => e.querySelector('.codicon-error, .codicon-notifications-error'))
                        .map(e => e.innerText.replace(/\\s+/g, ' ').trim())"""
                )
                log(f"notification centre: {[' '.join(c.split()) for c in center] or 'empty'}")
                bad = run.error_toasts + [e for e in errors if e not in run.error_toasts]
                bad += [c for c in center if any(w in c.lower() for w in ("dossier", "language server", "erroring"))
                        and " ".join(c.split()) not in bad]
                if bad:
                    raise StepFailed(f"error notifications: {bad}")

            run.step(2, names[2], step2)
        except BaseException:
            run.screenshot("FAILED")
            run.dump_dom("FAILED")
            raise
        finally:
            run.page = None
            try:
                context.close()
            except Exception:
                pass

    kill_all_children()
    server.wait()
    server_log.close()


if __name__ == "__main__":
    sys.exit(main())
