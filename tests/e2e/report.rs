//! `dossier report -o DIR` (SPEC §8) on the built binary: every claim
//! marked with its kind and sourcing state, hostile notes shown as text
//! and never as markup, every relative link landing on a file (and an
//! anchor) that exists, no reference to anywhere but the analyst's own
//! `url:` links, and the exit codes. The report in a real browser:
//! tests/report/test_report.py.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{Run, run_with_env, workspace};

const TODAY: (&str, &str) = ("DOSSIER_TODAY", "2024-06-15");

fn dossier(dir: &Path, args: &[&str]) -> Run {
    run_with_env(dir, args, &[TODAY])
}

/// Every file of a report, by path relative to its folder.
fn files(dir: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).expect("the report folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                found.insert(rel, std::fs::read_to_string(&path).expect("a text file"));
            }
        }
    }
    found
}

/// The values of `attr="…"` in `html`, entities decoded as a browser would.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let start = at + needle.len();
            let end = start + html[start..].find('"').expect("a closing quote");
            html[start..end]
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .collect()
}

/// `(id, class)` of every claim mark that opens a claim (not its continuations).
fn claim_marks(html: &str) -> Vec<(String, String)> {
    html.match_indices("<mark class=\"")
        .filter_map(|(at, _)| {
            let tag = &html[at..at + html[at..].find('>').expect("a closed tag")];
            let class = attr_values(tag, "class").pop()?;
            let id = attr_values(tag, "id").pop()?;
            assert!(tag.contains(" tabindex=\"0\""), "a claim is focusable: {tag}");
            assert!(tag.contains(&format!(" aria-describedby=\"card-{id}\"")), "{tag}");
            assert!(html.contains(&format!("<span class=\"card\" role=\"tooltip\" id=\"card-{id}\">")), "{id}'s card");
            Some((id, class))
        })
        .collect()
}

fn page<'f>(report: &'f BTreeMap<String, String>, suffix: &str) -> &'f str {
    let found: Vec<_> = report.iter().filter(|(p, _)| p.starts_with("notes/") && p.ends_with(suffix)).collect();
    assert_eq!(found.len(), 1, "one page ending {suffix}: {:?}", report.keys().collect::<Vec<_>>());
    found[0].1
}

const NOTES: &[(&str, &str)] = &[
    ("dossier.toml", ""),
    ("actors.md", "@x: Speaker X\n  kind: person\n@alice: Alice Ånström\n  kind: person\n"),
    (
        "sources.md",
        "^good: Good wire\n  reliability: B2\n  url: https://example.org/good?a=1&b=2\n^weak: Rumour mill\n  reliability: E5\n^ungraded: A blog\n",
    ),
    (
        "notes/a.md",
        "# Notes ’ — Кремль 中俄 🛢\n\n\
         ’ — Кремль 中俄 🛢 {Fact by @x | #one ^good}, {Fact two unsourced} and\n\
         {Quote of [Alice](@alice) | kind:quote by:@x ^weak}.\n\
         {Weak fact | #weak-one ^weak supports:#one}\n\
         {Assessment *with* emphasis | kind:assessment conf:high ^good contradicts:#one}\n\
         {Overdue | kind:forecast est:likely due:2020}\n",
    ),
];

#[test]
fn every_claim_is_marked_with_its_kind_sourcing_state_and_findings() {
    let ws = workspace(NOTES);
    let out = dossier(ws.path(), &["report", "-o", "site", "."]);
    assert_eq!((out.code, out.stderr.as_str()), (0, ""), "no progress line when stderr is not a terminal");
    assert_eq!(out.stdout, "wrote site/index.html (3 notes)\n");
    let report = files(&ws.path().join("site"));
    let note = page(&report, "-notes-a.html");
    assert_eq!(
        claim_marks(note),
        [
            ("c-one", "claim kind-fact src-sourced"),
            ("n1", "claim kind-fact src-unsourced f-unsourced-claim sev-warning"),
            ("n2", "claim kind-quote src-weak"),
            ("c-weak-one", "claim kind-fact src-weak f-weak-sourcing sev-info"),
            ("n4", "claim kind-assessment src-sourced f-thin-sourcing sev-info"),
            ("n5", "claim kind-forecast src-unsourced f-overdue-forecast sev-info"),
        ]
        .map(|(id, class)| (id.to_string(), class.to_string()))
    );
    // The text before the markup is intact, the braces and metadata are
    // not shown, and a mention shows its actor's name.
    assert!(note.contains("’ — Кремль 中俄 🛢 <mark class=\"claim kind-fact src-sourced\" id=\"c-one\""), "{note}");
    assert!(note.contains("Fact by <a class=\"actor\" href=\"../actors.html#a-x\">Speaker X</a></mark>, "), "{note}");
    assert!(!note.contains("#weak-one ^weak") && !note.contains("{Fact"), "metadata and braces are hidden");
    assert!(note.contains("<em>with</em>"), "Markdown inside a claim is rendered");
    // Cards: grades spelled out, speaker, relations both ways, the forecast's standing.
    assert!(note.contains("B2 — usually reliable; probably true"));
    assert!(note.contains("<span class=\"grade weak\">E5 — unreliable; improbable</span>"));
    assert!(note.contains("<b>Supported by</b> <a href=\"0002-notes-a.html#c-weak-one\">#weak-one</a>"), "{note}");
    assert!(note.contains("<b>Contradicted by</b> <a href=\"0002-notes-a.html#n4\">"), "{note}");
    assert!(note.contains("2020 — <span class=\"warn\">overdue</span>"));
    assert!(note.contains("<b>By</b> <a class=\"actor\" href=\"../actors.html#a-x\">Speaker X</a>"));
    // The actors' and sources' cards list the claims naming them.
    let actors = &report["actors.html"];
    assert!(actors.contains("<section class=\"entity actor\" id=\"a-alice\">"));
    assert!(
        actors.contains(
            "<h3>Claims naming it (1)</h3>\n<ul>\n<li><a href=\"notes/0002-notes-a.html#n2\">Quote of Alice</a></li>"
        ),
        "{actors}"
    );
    assert!(actors.contains("<a href=\"notes/0002-notes-a.html#c-one\">Fact by Speaker X</a></li>"), "{actors}");
    let sources = &report["sources.html"];
    assert!(
        sources.contains(
            "<dd><a class=\"web\" href=\"https://example.org/good?a=1&amp;b=2\" rel=\"noopener noreferrer\">"
        )
    );
    assert!(sources.contains("<dt>reliability</dt><dd>E5 — unreliable; improbable</dd>"));
    // The overview: the core's numbers.
    let index = &report["index.html"];
    assert!(index.contains("<li><span class=\"bar-label\">fact</span>"));
    assert!(index.contains("<td>3/4 (75%)<svg class=\"share\""), "{index}");
    assert!(index.contains("Facts and quotes citing a source: 3 of 4 (75%). Facts resting on weak sources only: 1."));
}

#[test]
fn hostile_notes_are_shown_as_text_and_never_run() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@evil: x\" onmouseover=\"alert(1)\n  role: <script>alert(2)</script>\n"),
        ("sources.md", "^s: <img src=x onerror=alert(3)>\n  url: javascript:alert(4)\n  reliability: B2\n"),
        (
            "hostile.md",
            "<script>alert(5); document.title = 'PWNED'</script>\n\n\
             ’ — 🛢 Inline <img src=x onerror=alert(6)> and <b onclick=alert(7)>bold</b>.\n\n\
             {A claim <script>alert(8)</script> by @evil | ^s(\"><script>alert(9)</script>)}\n\n\
             [click](javascript:alert(10)) ![pic](http://tracker.example/pixel.png) [web](https://example.org/\"x)\n\n\
             <!-- a comment <script>alert(11)</script> -->\n",
        ),
    ]);
    let out = dossier(ws.path(), &["report", "-o", "out", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = files(&ws.path().join("out"));
    for (path, html) in &report {
        if !path.ends_with(".html") {
            continue;
        }
        let own_scripts = html.matches("<script src=\"").count();
        assert_eq!(html.matches("<script").count(), own_scripts, "{path}: a script tag from a note");
        for src in attr_values(html, "src") {
            assert!(src.ends_with("report.js") && !src.contains(':'), "{path}: src={src}");
        }
        assert_only_our_markup(path, html);
        assert_well_formed(path, html);
        for href in attr_values(html, "href") {
            assert!(!href.to_ascii_lowercase().starts_with("javascript"), "{path}: {href}");
        }
    }
    let note = page(&report, "-hostile.html");
    assert!(note.contains("&lt;script&gt;alert(5); document.title = &#39;PWNED&#39;&lt;/script&gt;"), "{note}");
    assert!(note.contains("Inline <span class=\"raw-html\">&lt;img src=x onerror=alert(6)&gt;</span>"), "{note}");
    assert!(note.contains("A claim <span class=\"raw-html\">&lt;script&gt;</span>alert(8)"), "{note}");
    assert!(note.contains("(&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;)"), "the locator, escaped: {note}");
    assert!(note.contains("[image: pic]"), "an image is its description, never loaded");
    assert!(!note.contains("alert(11)"), "comments stay out");
    assert!(note.contains("href=\"https://example.org/&quot;x\" rel=\"noopener noreferrer\""), "{note}");
    let actors = &report["actors.html"];
    assert!(actors.contains("x&quot; onmouseover=&quot;alert(1)"));
    assert!(actors.contains("<dd>&lt;script&gt;alert(2)&lt;/script&gt;</dd>"));
    let sources = &report["sources.html"];
    assert!(sources.contains("<dd>javascript:alert(4)</dd>"), "an invalid url: is text, not a link");
}

#[test]
fn every_relative_link_lands_on_a_file_and_an_anchor_and_only_url_fields_go_out() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/china-russia");
    let out_dir = tempfile::tempdir().expect("a temporary folder");
    let out = dossier(&example, &["report", "-o", out_dir.path().to_str().expect("UTF-8"), "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = files(out_dir.path());
    let url_fields: Vec<String> = std::fs::read_to_string(example.join("sources.md"))
        .expect("sources.md")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("url: ").map(str::to_string))
        .collect();
    assert!(url_fields.len() >= 5);
    let mut checked = 0;
    for (path, html) in report.iter().filter(|(p, _)| p.ends_with(".html")) {
        let folder = Path::new(path).parent().map(PathBuf::from).unwrap_or_default();
        for href in attr_values(html, "href").into_iter().chain(attr_values(html, "src")) {
            if href.starts_with("http") {
                assert!(url_fields.contains(&href), "{path}: {href} is not one of the analyst's url: fields");
                continue;
            }
            assert!(!href.contains(':') && !href.starts_with('/'), "{path}: {href}");
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() { path.clone() } else { normalize(&folder.join(file)) };
            let body = report.get(&target).unwrap_or_else(|| panic!("{path}: {href} → {target} does not exist"));
            if !fragment.is_empty() {
                assert!(body.contains(&format!(" id=\"{fragment}\"")), "{path}: {href}: no such anchor in {target}");
            }
            checked += 1;
        }
        // Nothing else names the web: no CDN, font, namespace or tracker.
        let web_refs = html.matches("http://").count() + html.matches("https://").count();
        let links = attr_values(html, "href").iter().filter(|h| h.starts_with("http")).count();
        assert_eq!(web_refs, links * 2, "{path}: `http` outside the url: links (each shown as its own label)");
    }
    assert!(checked > 100, "{checked} links checked");
    for far in ["http", "url(", "@import"] {
        assert!(!report["style.css"].contains(far), "style.css: {far}");
    }
    assert!(!report["report.js"].contains("http"));
}

/// Every tag in `html` is one the report writes, with only the attributes
/// it writes (no `on…` handler, no `style`, no `srcset`): note text can
/// only have become text.
fn assert_only_our_markup(path: &str, html: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "link",
        "script",
        "body",
        "a",
        "header",
        "nav",
        "main",
        "footer",
        "article",
        "section",
        "p",
        "pre",
        "code",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "ol",
        "ul",
        "li",
        "em",
        "b",
        "strong",
        "del",
        "br",
        "hr",
        "span",
        "mark",
        "div",
        "dl",
        "dt",
        "dd",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "svg",
        "rect",
        "small",
    ];
    const ATTRS: &[&str] = &[
        "lang",
        "charset",
        "name",
        "content",
        "http-equiv",
        "rel",
        "href",
        "src",
        "defer",
        "class",
        "id",
        "tabindex",
        "role",
        "title",
        "start",
        "hidden",
        "scope",
        "colspan",
        "viewBox",
        "preserveAspectRatio",
        "width",
        "height",
        "focusable",
        "aria-hidden",
        "aria-label",
        "aria-labelledby",
        "aria-describedby",
    ];
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag = &rest[at + 1..];
        let end = tag.find('>').unwrap_or_else(|| panic!("{path}: an unclosed tag"));
        let tag = tag[..end].trim_start_matches('/');
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(TAGS.contains(&name), "{path}: a <{name}> tag");
        while !attrs.trim().is_empty() {
            attrs = attrs.trim_start();
            if name == "!DOCTYPE" {
                break;
            }
            let stop = attrs.find(['=', ' ']).unwrap_or(attrs.len());
            let attr = &attrs[..stop];
            assert!(ATTRS.contains(&attr), "{path}: attribute `{attr}` on <{name}>");
            attrs = &attrs[stop..];
            if let Some(value) = attrs.strip_prefix("=\"") {
                let close = value.find('"').unwrap_or_else(|| panic!("{path}: unquoted value of {attr}"));
                attrs = &value[close + 1..];
            }
        }
        rest = &rest[at + 1 + end..];
    }
}

/// Every element of `html` is closed, in order (void elements aside).
fn assert_well_formed(path: &str, html: &str) {
    const VOID: &[&str] = &["!DOCTYPE", "meta", "link", "br", "hr"];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let tag = &rest[at + 1..];
        let end = tag.find('>').expect("a closed tag");
        let tag = &tag[..end];
        match tag.strip_prefix('/') {
            Some(name) => assert_eq!(open.pop(), Some(name), "{path}: </{name}> closes the wrong element"),
            None => {
                let name = tag.split(' ').next().unwrap_or(tag);
                if !VOID.contains(&name) {
                    open.push(name);
                }
            }
        }
        rest = &rest[at + 1 + end..];
    }
    assert!(open.is_empty(), "{path}: left open: {open:?}");
}

#[test]
fn claims_cut_by_markdown_elements_stay_well_formed() {
    let ws = workspace(&[
        ("dossier.toml", ""),
        ("actors.md", "@x: X\n"),
        (
            "n.md",
            "’ — 🛢 *emphasis {opens* before | ^s} the claim\n\n\
             - {a claim across\n- two list items | #two ^s}\n\n\
             # A heading {that runs\non | ^s}\n\n\
             {**bold {nested} claim** | ^s} and {unclosed\n\n\
             [link {inside](https://example.org) | ^s}\n",
        ),
    ]);
    let out = dossier(ws.path(), &["report", "-o", "out", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = files(&ws.path().join("out"));
    for (path, html) in report.iter().filter(|(p, _)| p.ends_with(".html")) {
        assert_well_formed(path, html);
        assert_only_our_markup(path, html);
    }
    let note = page(&report, "-n.html");
    assert!(note.contains("<em>emphasis <mark class=\"claim kind-fact src-sourced\" id=\"n0\""), "{note}");
    assert!(
        note.contains("opens</mark></em><mark class=\"claim kind-fact src-sourced cont\"> before</mark> the claim"),
        "{note}"
    );
    assert!(note.contains("<li><mark class=\"claim kind-fact src-sourced\" id=\"c-two\""), "{note}");
    assert_eq!(note.matches(" tabindex=\"0\"").count(), claim_marks(note).len());
}

/// `a/./b/../c` → `a/c`, as a relative URL resolves.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn report_exits_2_with_one_line_when_it_cannot_work() {
    let ws = workspace(&[("dossier.toml", ""), ("a.md", "{x}\n"), ("taken", "a file")]);
    let one_line = |out: &Run, needle: &str| {
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
        assert!(out.stderr.contains(needle), "{}", out.stderr);
    };
    one_line(&dossier(ws.path(), &["report", "-o", "taken", "."]), "cannot write the report into `taken`");
    one_line(&dossier(ws.path(), &["report", "-o", "taken/sub", "."]), "cannot write the report into `taken/sub`");
    one_line(&dossier(ws.path(), &["report", "."]), "required arguments");
    one_line(&dossier(ws.path(), &["report", "-o", "new", "missing"]), "path `missing` does not exist");
    assert!(!ws.path().join("new").exists(), "nothing is made on a usage error");
    let out = run_with_env(ws.path(), &["report", "-o", "r", "."], &[("DOSSIER_TODAY", "soon")]);
    one_line(&out, "DOSSIER_TODAY=`soon` is not a date");
    let bad_config = workspace(&[("dossier.toml", "[rules]\nthin-sourcing = \"loud\"\n"), ("a.md", "{x}\n")]);
    one_line(&dossier(bad_config.path(), &["report", "-o", "r", "."]), "dossier.toml:2");
    // A folder made on the way, and one bad file does not stop the others.
    let mixed = workspace(&[("dossier.toml", ""), ("good.md", "’ — {fine | ^s}\n")]);
    crate::support::write(mixed.path(), "bad.md", b"\xff\xfe not UTF-8 {x}\n");
    let out = dossier(mixed.path(), &["report", "-o", "deep/er/site", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = files(&mixed.path().join("deep/er/site"));
    assert_eq!(report.keys().filter(|p| p.starts_with("notes/")).count(), 1, "{:?}", report.keys());
    assert!(
        report["index.html"].contains("<th scope=\"row\">bad.md</th><td colspan=\"4\" class=\"warn\">not rendered: "),
        "{}",
        report["index.html"]
    );
}

/// docs/cli.md's command, run as written from the repository root.
#[test]
fn the_report_command_in_the_docs_writes_the_example_report() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(repo.join("docs/cli.md")).expect("docs/cli.md");
    assert!(docs.contains("```sh\ndossier report examples/china-russia -o target/report\n```"));
    let out = dossier(repo, &["report", "examples/china-russia", "-o", "target/report"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, "wrote target/report/index.html (3 notes)\n"), "{}", out.stderr);
    let report = files(&repo.join("target/report"));
    assert!(report["index.html"].contains("<h1>Dossier report</h1>"));
}

/// A card links the first ten claims that support it and counts the rest.
#[test]
fn a_card_lists_ten_supporting_claims_and_counts_the_rest() {
    let mut note = String::from("’ — 🛢 {Target | #t ^s}\n");
    for i in 0..12 {
        note.push_str(&format!("{{Support {i} | #s{i} ^s supports:#t}}\n"));
    }
    let ws = workspace(&[("dossier.toml", ""), ("n.md", &note)]);
    let out = dossier(ws.path(), &["report", "-o", "out", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report = files(&ws.path().join("out"));
    let page = page(&report, "-n.html");
    let card = &page[page.find("id=\"card-c-t\"").expect("the card")..];
    let card = &card[..card.find("</mark>").expect("its end")];
    let links: Vec<String> = attr_values(card, "href").into_iter().filter(|h| h.contains("#c-s")).collect();
    assert_eq!(links, (0..10).map(|i| format!("0001-n.html#c-s{i}")).collect::<Vec<_>>());
    assert!(card.contains("</a> and 2 more</span>"), "{card}");
}
