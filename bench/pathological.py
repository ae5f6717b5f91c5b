#!/usr/bin/env python3
"""Dossier on hostile inputs: one note each, timed in `dossier check` and per
keystroke in the language server.

    python3 bench/pathological.py [--bin PATH] [--size BYTES] [--timeout S]

Each input is one note of about --size bytes (1 MB by default) that a person
or an editor can produce: a paste of braces, a line of backticks, a claim as
long as the note, a line with a finding every few bytes. For each it reports

  - `check json` / `check human`: the whole `dossier check NOTE_DIR` process
    with that output format (best of 3), and the size of what it printed;
  - `open`: `didOpen` of the note -> its `publishDiagnostics`;
  - `keystroke`: `didChange` inserting one character at the start of the
    note's longest line (so every finding on it moves and is re-published)
    -> the `publishDiagnostics` of that version, median of 6 edits that
    alternately insert and delete it;
  - `code actions`: `textDocument/codeAction` on a selection of the whole
    note (every kind), then with the cursor at the start of its longest
    line, each answered with how many actions.
  - `tokens + hints + lenses`: `semanticTokens/full`, then `inlayHint` and
    `codeLens` over the whole note, one after the other (after the open).
  - `fix --diff`: `dossier check --unsafe-fixes --diff NOTE_DIR`, every fix
    of the note computed (pass after pass) and shown as a diff, nothing
    written (best of 3).

A run that takes longer than --timeout seconds is cut and shown as such.
Without --bin it runs `cargo build --release` and uses target/release/dossier.
Prints a Markdown table and the machine; see bench/README.md. Python 3
standard library only (the LSP client is lsp_bench.py's).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsp_bench  # noqa: E402  (the client and machine description)

ROOT = lsp_bench.ROOT


def inputs(size):
    """(name, text) of every hostile note, each about `size` bytes."""
    def times(piece, total=size):
        return piece * max(1, total // len(piece))
    return [
        ("1 MB of `{` on one line", times("{") + "\n"),
        ("1 MB of `{a ` (unclosed claims)", times("{a ") + "\n"),
        ("100,000 findings on one line", "{a} " * 100_000 + "\n"),
        ("100,000 findings after 😀 on one line", "😀 " + "{é} " * 100_000 + "\n"),
        ("1 MB of `@`", times("@") + "\n"),
        ("1 MB of `[x](@`", times("[x](@") + "\n"),
        ("100,000 nested `[`", "[" * 100_000 + "\n"),
        ("a 1 MB claim", "{" + times("word ") + "}\n"),
        ("a 1 MB line of backticks", times("`") + "\n"),
        ("1 MB of `|` in a claim", "{" + times("|") + "}\n"),
        ("10,000 `{` pasted", "{" * 10_000 + "\n"),
        ("1 MB of `{{ ` (templating)", times("{{ ") + "\n"),
        ("66,000 misspelt values on one line", "{a | conf:hgh} " * 66_000 + "\n"),
    ]


def timed(cmd, timeout):
    """(seconds, bytes printed) of one run, or (None, 0) past the timeout."""
    t0 = time.perf_counter()
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return None, 0
    return time.perf_counter() - t0, len(out)


def best_check(binary, folder, fmt, timeout):
    best, size = None, 0
    for _ in range(3):
        t, size = timed([binary, "check", folder, "--format", fmt], timeout)
        if t is None:
            return None, 0
        best = t if best is None else min(best, t)
    return best, size


def measure_server(binary, folder, note, text, timeout):
    """(s from didOpen to its diagnostics, [s per keystroke], s of
    `semanticTokens/full` then `inlayHint` and `codeLens` over the whole
    note, [(s, actions) of the code action requests]); None where cut.

    A change is answered when its diagnostics are published; a note without
    findings publishes nothing, so a hover sent right after the change
    stands for it (the server handles notifications in order)."""
    c = lsp_bench.start(binary, folder, "utf-16")
    uri = lsp_bench.uri_of(note)

    def settle(send, version):
        t0 = time.perf_counter()
        send()
        rid, _ = c.request_async("textDocument/hover", {"textDocument": {"uri": uri},
                                                        "position": {"line": 0, "character": 0}})
        end, _ = c.response(rid, timeout)
        if c.published.get(uri, {}).get("diagnostics") or (uri, version) in c.publish_times:
            c.wait_for(lambda: (uri, version) in c.publish_times, timeout, f"diagnostics of version {version}")
            end = max(end, c.publish_times[(uri, version)])
        return end - t0

    try:
        c.wait_for(lambda: c.progress_end is not None, timeout, "indexing")
        try:
            opened = settle(lambda: c.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "markdown", "version": 1, "text": text}}), 1)
        except lsp_bench.BenchError:
            return None, None, None, None
        lines = text.split("\n")
        doc = {"textDocument": {"uri": uri}}
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
        try:
            shown = 0.0
            for method, params in [("textDocument/semanticTokens/full", doc),
                                   ("textDocument/inlayHint", dict(doc, range=whole)),
                                   ("textDocument/codeLens", doc)]:
                rid, t0 = c.request_async(method, params)
                end, message = c.response(rid, timeout)
                if "error" in message:
                    raise lsp_bench.BenchError(f"{method} failed: {message['error']}")
                shown += end - t0
        except lsp_bench.BenchError:
            shown = None
        lines = text.split("\n")
        line = max(range(len(lines)), key=lambda i: len(lines[i]))
        at = {"line": line, "character": 0}
        times = []
        for version in range(2, 8):
            if version % 2 == 0:
                change = {"range": {"start": at, "end": at}, "text": "x"}
            else:
                change = {"range": {"start": at, "end": {"line": line, "character": 1}}, "text": ""}
            params = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}
            try:
                times.append(settle(lambda: c.notify("textDocument/didChange", params), version))
            except lsp_bench.BenchError:
                return opened, None, shown, None
        actions = []
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines) - 1, "character": 0}}
        for range_ in (whole, {"start": at, "end": at}):
            try:
                dt, result = c.request("textDocument/codeAction", {
                    "textDocument": {"uri": uri}, "range": range_, "context": {"diagnostics": []}}, timeout)
            except lsp_bench.BenchError:
                actions.append(None)
                continue
            actions.append((dt, len(result or [])))
        return opened, times, shown, actions
    finally:
        c.kill()


def best_fix(binary, folder, timeout):
    """Best of 3 runs of `check --unsafe-fixes --diff`: every fix, nothing written."""
    best = None
    for _ in range(3):
        t, _ = timed([binary, "check", folder, "--unsafe-fixes", "--diff"], timeout)
        if t is None:
            return None
        best = t if best is None else min(best, t)
    return best


def fmt_s(t):
    if t is None:
        return "cut"
    return f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", help="the dossier binary (default: cargo build --release)")
    ap.add_argument("--size", type=int, default=1_000_000, help="bytes per note (default 1,000,000)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is cut (default 60)")
    ap.add_argument("--only", help="run only the inputs whose name contains this")
    args = ap.parse_args()
    binary = args.bin
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "dossier")
    binary = os.path.abspath(binary)

    print(f"machine: {lsp_bench.machine()}")
    print(f"binary: {binary}, {args.size:,} bytes per note, cut at {args.timeout:.0f} s\n")
    print("| input | bytes | check json | check human | output (human) | open | keystroke p50 | keystroke max "
          "| tokens + hints + lenses | code actions, whole note | code actions, cursor | fix --diff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, text in inputs(args.size):
        if args.only and args.only not in name:
            continue
        folder = tempfile.mkdtemp(prefix="dossier-patho-")
        try:
            note = os.path.join(folder, "note.md")
            with open(note, "w", encoding="utf-8") as f:
                f.write(text)
            with open(os.path.join(folder, "dossier.toml"), "w") as f:
                f.write("")
            json_t, _ = best_check(binary, folder, "json", args.timeout)
            human_t, human_bytes = best_check(binary, folder, "human", args.timeout)
            fix_t = best_fix(binary, folder, args.timeout)
            # The server starts on a workspace without the note, which the
            # client then opens as a new file: what is timed is the note,
            # not the indexing of it.
            empty = os.path.join(folder, "server")
            os.mkdir(empty)
            with open(os.path.join(empty, "dossier.toml"), "w") as f:
                f.write("")
            opened, keys, decorations, actions = measure_server(binary, empty, os.path.join(empty, "note.md"),
                                                                text, args.timeout)
            shown = [f"{fmt_s(a[0])} ({a[1]})" if a else "cut" for a in (actions or [None, None])]
            p50 = statistics.median(keys) if keys else None
            worst = max(keys) if keys else None
            print(f"| {name} | {len(text.encode()):,} | {fmt_s(json_t)} | {fmt_s(human_t)} | "
                  f"{human_bytes / 1e6:.1f} MB | {fmt_s(opened)} | {fmt_s(p50)} | {fmt_s(worst)} | "
                  f"{fmt_s(decorations)} | {shown[0]} | {shown[1]} | {fmt_s(fix_t)} |", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
