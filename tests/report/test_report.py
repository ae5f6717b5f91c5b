#!/usr/bin/env python3
"""The HTML report (`dossier report -o DIR`) in a real browser.

Builds the report of a copy of examples/china-russia with one hostile note
added (a <script> that would set window.__pwned and the title, an <img
onerror>, an inline handler), opens it from file:// in headless Chromium
(Debian's, driven by Playwright for Python from
editors/vscode/e2e/install.sh's virtualenv) and checks:

  1. no request leaves file:// (every other request is failed and counted);
  2. every claim `dossier export` lists is on its note's page, a <mark>
     with the classes of its kind and sourcing state;
  3. keyboard Tab reaches a claim, its card shows on focus, the next Tab
     goes into the card (still shown), Escape hides it;
  4. the hostile note's script did not run, and shows as text;
  5. at phone width (390 px) nothing is wider than the screen and a card
     opens as a sheet inside it;
  6. the stylesheet loaded (the content security policy lets it in).

Screenshots go to $DOSSIER_REPORT_OUT (default <repo>/target/report-e2e):
the article with a card open (desktop and phone). With
DOSSIER_UPDATE_SCREENSHOT=1 the desktop one is also written to
docs/report.png. Where Chromium or Playwright is missing the test says
`skipped: ...` and exits 0, unless DOSSIER_REQUIRE_CHROMIUM=1, when it
fails. The last line is `report-e2e: N passed, N failed`.

Environment: DOSSIER_BIN (default: $CARGO_TARGET_DIR or <repo>/target,
then debug/dossier), DOSSIER_CHROMIUM (default: chromium on the PATH),
DOSSIER_E2E_TOOLS (where install.sh installed Playwright).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXAMPLE = REPO / "examples" / "china-russia"
ARTICLE = "diplomat-2014-06-02.md"
CHECKS = 6

if os.geteuid() == 0:
    TOOLS = Path(os.environ.get("DOSSIER_E2E_TOOLS", "/opt/dossier-vscode-e2e"))
else:
    TOOLS = Path(os.environ.get("DOSSIER_E2E_TOOLS", Path.home() / ".cache" / "dossier-vscode-e2e"))
VENV_PYTHON = TOOLS / "venv" / "bin" / "python"

HOSTILE = """# Hostile note ’ — Кремль 中俄 🛢

<script>window.__pwned = 1; document.title = "PWNED";</script>

’ — Кремль 中俄 🛢 Inline <img src=x onerror="window.__pwned = 2"> and
<b onclick="window.__pwned = 3">bold</b>.

’ — 🛢 {A claim <script>window.__pwned = 4</script> naming @putin | ^reuters-2014-05-21}
"""


def log(message: str) -> None:
    print(f"report-e2e: {message}", flush=True)


def skip_or_fail(why: str) -> None:
    if os.environ.get("DOSSIER_REQUIRE_CHROMIUM") == "1":
        log(f"FAILED: DOSSIER_REQUIRE_CHROMIUM=1 but {why}")
        print(f"report-e2e: 0 passed, {CHECKS} failed", flush=True)
        sys.exit(1)
    print(f"skipped: the report's browser test: {why} (run editors/vscode/e2e/install.sh)", flush=True)
    sys.exit(0)


try:
    from playwright.sync_api import sync_playwright
except ImportError:
    if VENV_PYTHON.exists() and os.environ.get("DOSSIER_REPORT_REEXEC") != "1":
        os.environ["DOSSIER_REPORT_REEXEC"] = "1"
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
    skip_or_fail(f"Playwright for Python is not installed (not importable, and no {VENV_PYTHON})")


def dossier_bin() -> Path:
    if os.environ.get("DOSSIER_BIN"):
        return Path(os.environ["DOSSIER_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "dossier"


def expected_state(claim: dict) -> str:
    """The sourcing state the report marks: as the rules read the grades."""
    if not claim["sources"]:
        return "unsourced"
    def weak(grade):
        return grade is not None and (grade[0] in "EF" or grade[1:] in ("5", "6"))
    return "weak" if all(weak(s["grade"]) for s in claim["sources"]) else "sourced"


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def run(self, name, fn):
        try:
            fn()
            self.passed += 1
            log(f"ok: {name}")
        except Exception as error:  # a failed check: say why, go on
            self.failed += 1
            log(f"FAILED: {name}: {error}")


def main() -> int:
    chromium = os.environ.get("DOSSIER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    binary = dossier_bin()
    if not binary.exists():
        subprocess.run(["cargo", "build", "--locked"], cwd=REPO, check=True)
    out = Path(os.environ.get("DOSSIER_REPORT_OUT", Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "report-e2e"))
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DOSSIER_TODAY="2026-01-01")

    with tempfile.TemporaryDirectory(prefix="dossier-report-") as tmp:
        work = Path(tmp) / "ws"
        shutil.copytree(EXAMPLE, work)
        (work / "hostile.md").write_text(HOSTILE, encoding="utf-8")
        report = Path(tmp) / "site"
        made = subprocess.run([str(binary), "report", "-o", str(report), "."], cwd=work, env=env, capture_output=True, text=True)
        if made.returncode != 0:
            log(f"FAILED: dossier report exited {made.returncode}: {made.stderr.strip()}")
            print(f"report-e2e: 0 passed, {CHECKS} failed", flush=True)
            return 1
        exported = subprocess.run(
            [str(binary), "export", "--format", "json", "."], cwd=work, env=env, capture_output=True, text=True, check=True
        )
        claims = json.loads(exported.stdout)["claims"]
        index_url = (report / "index.html").as_uri()
        checks = Checks()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium,
                headless=True,
                args=[
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
            )
            context = browser.new_context(viewport={"width": 1100, "height": 720})
            outside: list[str] = []

            def route(r):
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            context.on("request", lambda req: None if req.url.startswith("file://") else outside.append(req.url))
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(index_url)
            pages = {}
            for link in page.locator("section[aria-labelledby=notes] th a").all():
                pages[link.inner_text()] = (report / link.get_attribute("href")).as_uri()

            def every_claim_marked():
                by_note: dict[str, list[dict]] = {}
                for claim in claims:
                    by_note.setdefault(claim["note"], []).append(claim)
                assert ARTICLE in by_note and len(claims) >= 10, f"{len(claims)} claims"
                for note, expected in by_note.items():
                    assert note in pages, f"{note} has no page in the overview"
                    page.goto(pages[note])
                    marks = page.eval_on_selector_all(
                        "mark.claim[tabindex='0']", "ms => ms.map(m => [m.id, m.className])"
                    )
                    assert len(marks) == len(expected), f"{note}: {len(marks)} marks for {len(expected)} claims"
                    for (anchor, classes), claim in zip(marks, expected):
                        names = classes.split()
                        want = ["claim", f"kind-{claim['kind']}", f"src-{expected_state(claim)}"]
                        assert names[:3] == want, f"{note}:{claim['line']}: {classes} (expected {want})"
                        if claim["id"].startswith("#"):
                            assert anchor == "c-" + claim["id"][1:], f"{anchor} for {claim['id']}"

            def stylesheet_loaded():
                page.goto(pages[ARTICLE])
                colour = page.eval_on_selector("mark.kind-fact", "m => getComputedStyle(m).backgroundColor")
                assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), colour
                assert page.eval_on_selector("mark.claim .card", "c => getComputedStyle(c).display") == "none"

            def card_opens_on_keyboard_focus():
                page.goto(pages[ARTICLE])
                page.locator("body").focus()
                for _ in range(80):
                    page.keyboard.press("Tab")
                    if page.evaluate("document.activeElement.matches('mark.claim')"):
                        break
                else:
                    raise AssertionError("Tab never reached a claim")
                claim_id = page.evaluate("document.activeElement.id")
                card = page.locator(f"#card-{claim_id}")
                assert card.is_visible(), "the focused claim's card is not shown"
                described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
                assert described == f"card-{claim_id}", described
                # The claim a third of the way down, its card below it.
                page.evaluate("window.scrollBy(0, document.activeElement.getBoundingClientRect().top - 200)")
                page.screenshot(path=str(out / "article.png"))
                if os.environ.get("DOSSIER_UPDATE_SCREENSHOT") == "1":
                    # The text column around the card: small enough for the README.
                    clip = {"x": 150, "y": 140, "width": 800, "height": 400}
                    page.screenshot(path=str(REPO / "docs" / "report.png"), clip=clip)
                page.keyboard.press("Tab")
                inside = page.evaluate(f"document.getElementById('card-{claim_id}').contains(document.activeElement)")
                assert inside, "the next Tab does not go into the card"
                assert card.is_visible(), "the card closed when its link took the focus"
                page.keyboard.press("Escape")
                assert not card.is_visible(), "Escape does not dismiss the card"

            def hostile_script_did_not_run():
                page.goto(pages["hostile.md"])
                page.wait_for_load_state("load")
                assert page.evaluate("typeof window.__pwned") == "undefined", "a note's script ran"
                assert "PWNED" not in page.title(), page.title()
                body = page.inner_text("main")
                assert '<script>window.__pwned = 1; document.title = "PWNED";</script>' in body, body
                assert '<img src=x onerror="window.__pwned = 2">' in body, body
                assert page.locator("main img, main script, [onclick], [onerror]").count() == 0
                page.locator("mark.claim").first.focus()
                assert page.evaluate("typeof window.__pwned") == "undefined"
                assert not dialogs, dialogs

            def phone_width():
                phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
                phone.route("**/*", route)
                phone.goto(pages[ARTICLE])
                for url in [pages[ARTICLE], index_url, (report / "sources.html").as_uri()]:
                    phone.goto(url)
                    wide = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    assert wide <= 1, f"{url}: {wide}px wider than the screen"
                phone.goto(pages[ARTICLE])
                phone.locator("mark.claim[tabindex='0']").nth(2).focus()
                card = phone.locator("mark.claim:focus > .card")
                assert card.is_visible()
                box = card.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
                phone.screenshot(path=str(out / "article-phone.png"))
                phone.close()

            def nothing_left_file():
                assert not outside, f"requests outside file://: {outside}"

            checks.run("every claim of the example is marked with its kind and sourcing state", every_claim_marked)
            checks.run("the stylesheet loaded under the content security policy", stylesheet_loaded)
            checks.run("a claim's card opens on keyboard focus and Escape closes it", card_opens_on_keyboard_focus)
            checks.run("a note's <script> and handlers did not run and show as text", hostile_script_did_not_run)
            checks.run("at phone width nothing overflows and the card fits", phone_width)
            checks.run("no request left file://", nothing_left_file)
            browser.close()
    log(f"screenshots in {out}")
    print(f"report-e2e: {checks.passed} passed, {checks.failed} failed", flush=True)
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
