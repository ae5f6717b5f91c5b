//! The report's stylesheet and script, written beside its pages (the pages
//! refer to them relatively, so the report works from `file://` and loads
//! nothing from anywhere else). Every colour is a variable of the palette,
//! and the text colours are checked against WCAG AA in the tests below.

/// The palette: light background, dark text; the claim kinds as tints.
pub const PALETTE: &[(&str, &str)] = &[
    ("bg", "#ffffff"),
    ("fg", "#1f2328"),
    ("muted", "#57606a"),
    ("link", "#0550ae"),
    ("rule", "#8c959f"),
    ("panel", "#f6f8fa"),
    ("fact", "#ddeeff"),
    ("assessment", "#ece6ff"),
    ("quote", "#ddf5e3"),
    ("forecast", "#fff1c9"),
    ("error", "#b42318"),
    ("warning", "#8a5a00"),
    ("info", "#0550ae"),
    ("focus", "#0969da"),
    ("bar", "#0969da"),
];

/// Text colour on background colour, for every pair the stylesheet uses
/// for text: each must reach 4.5:1.
#[cfg(test)]
pub const TEXT_PAIRS: &[(&str, &str)] = &[
    ("fg", "bg"),
    ("muted", "bg"),
    ("link", "bg"),
    ("fg", "panel"),
    ("muted", "panel"),
    ("link", "panel"),
    ("error", "bg"),
    ("warning", "bg"),
    ("info", "bg"),
    ("error", "panel"),
    ("warning", "panel"),
    ("fg", "fact"),
    ("fg", "assessment"),
    ("fg", "quote"),
    ("fg", "forecast"),
    ("link", "fact"),
    ("link", "assessment"),
    ("link", "quote"),
    ("link", "forecast"),
];

/// Marks that are not text (the unsourced underline, focus ring, bars)
/// against the background they sit on: each must reach 3:1.
#[cfg(test)]
pub const GRAPHIC_PAIRS: &[(&str, &str)] =
    &[("error", "fact"), ("error", "quote"), ("warning", "fact"), ("focus", "bg"), ("bar", "panel"), ("rule", "bg")];

const STYLE: &str = r#"
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
a { color: var(--link); }
a:focus-visible, mark.claim:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--bg); padding: .25rem .5rem; z-index: 20; }
header.top { background: var(--panel); border-bottom: 1px solid var(--rule); }
header.top nav { max-width: 50rem; margin: 0 auto; padding: .5rem 1rem; display: flex; gap: 1rem; flex-wrap: wrap; }
footer.bottom { max-width: 50rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .875rem; }
h1, h2, h3 { line-height: 1.25; }
pre { overflow-x: auto; background: var(--panel); padding: .75rem; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
p, li, dd { overflow-wrap: anywhere; }
.muted, .path { color: var(--muted); }
.raw-html { font-family: ui-monospace, monospace; font-size: .9em; }
.front-matter { color: var(--muted); font-size: .8rem; }
mark.claim { color: var(--fg); border-radius: 3px; padding: 0 .1em; cursor: help; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
mark.kind-fact { background: var(--fact); }
mark.kind-assessment { background: var(--assessment); }
mark.kind-quote { background: var(--quote); }
mark.kind-forecast { background: var(--forecast); }
mark.kind-fact.src-unsourced, mark.kind-quote.src-unsourced { border-bottom: 2px dashed var(--error); }
mark.src-weak { border-bottom: 2px dotted var(--warning); }
mark.claim .card { display: none; position: absolute; margin-top: 1.35em; z-index: 10; width: 26rem; max-width: calc(100vw - 2rem); background: var(--bg); color: var(--fg); border: 1px solid var(--rule); border-radius: 6px; padding: .5rem .75rem; box-shadow: 0 4px 12px rgba(0, 0, 0, .2); font-size: .875rem; line-height: 1.45; cursor: auto; }
mark.claim:hover > .card, mark.claim:focus-within > .card { display: block; }
mark.claim.dismissed > .card { display: none; }
.card > span, .card .list > span { display: block; }
.card .list { display: block; padding-left: 1rem; }
.card-head { margin-bottom: .25rem; }
.row > b { font-weight: 600; }
.badge { display: inline-block; padding: 0 .4em; border-radius: 3px; font-weight: 600; }
.badge.kind-fact { background: var(--fact); }
.badge.kind-assessment { background: var(--assessment); }
.badge.kind-quote { background: var(--quote); }
.badge.kind-forecast { background: var(--forecast); }
.warn, .grade.weak, .unknown { color: var(--error); }
.sev-error .severity, .sev-error > b { color: var(--error); }
.sev-warning .severity, .sev-warning > b { color: var(--warning); }
.sev-info .severity, .sev-info > b { color: var(--info); }
.findings ul { padding-left: 1.25rem; }
.finding .where { font-variant-numeric: tabular-nums; }
.entity { border: 1px solid var(--rule); border-radius: 6px; padding: .25rem 1rem .5rem; margin: 1rem 0; background: var(--panel); }
.entity h2 { font-size: 1.2rem; }
.entity dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0; }
.entity dt { font-weight: 600; }
.entity dd { margin: 0; }
.def-head { font-weight: 600; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .25rem .5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
tbody tr.total { font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
ul.bars { list-style: none; padding: 0; margin: .5rem 0 1.5rem; }
ul.bars li { display: grid; grid-template-columns: 8rem 1fr 4rem; gap: .5rem; align-items: center; }
svg.bar { width: 100%; height: .9rem; background: var(--panel); border: 1px solid var(--rule); }
svg.bar rect { fill: var(--bar); }
.bar-value { text-align: right; font-variant-numeric: tabular-nums; }
svg.share { width: 4rem; height: .7rem; vertical-align: middle; margin-left: .25rem; background: var(--panel); border: 1px solid var(--rule); }
svg.share rect { fill: var(--bar); }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  ul.bars li { grid-template-columns: 5.5rem 1fr 3rem; }
  mark.claim .card { position: fixed; left: .5rem; right: .5rem; top: auto; bottom: .5rem; width: auto; max-width: none; max-height: 55vh; overflow-y: auto; margin: 0 !important; }
}
@media print { mark.claim .card { display: none !important; } }
"#;

/// The stylesheet: the palette as custom properties, then the rules.
pub fn stylesheet() -> String {
    let mut out = String::from("/* Dossier report */\n:root {\n");
    for (name, value) in PALETTE {
        out.push_str(&format!("  --{name}: {value};\n"));
    }
    out.push('}');
    out.push_str(STYLE);
    out
}

/// The script: a card that would pass the window's right edge is moved
/// left; Escape dismisses an open claim card (WCAG 1.4.13), until the
/// pointer or the focus leaves that claim. It reads no note text. Without
/// it the cards still open, where the claim starts.
pub const SCRIPT: &str = r#""use strict";
function place(event) {
  var claim = event.target.closest && event.target.closest("mark.claim");
  var card = claim && claim.querySelector(":scope > .card");
  if (!card || getComputedStyle(card).position !== "absolute") return;
  card.style.marginLeft = "0px";
  var overflow = card.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
  if (overflow > 0) card.style.marginLeft = -overflow + "px";
}
document.addEventListener("focusin", place);
document.addEventListener("mouseover", place);
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  document.querySelectorAll("mark.claim:hover, mark.claim:focus-within").forEach(function (claim) {
    claim.classList.add("dismissed");
  });
});
function undismiss(event) {
  var claim = event.target.closest && event.target.closest("mark.claim");
  if (claim && !(event.relatedTarget && claim.contains(event.relatedTarget))) claim.classList.remove("dismissed");
}
document.addEventListener("focusout", undismiss);
document.addEventListener("mouseout", undismiss);
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn colour(name: &str) -> [f64; 3] {
        let hex = PALETTE.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("no colour {name}")).1;
        let channel = |i: usize| u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).expect("a hex colour");
        [channel(0), channel(1), channel(2)].map(|c| f64::from(c) / 255.0)
    }

    /// WCAG 2 relative luminance.
    fn luminance(name: &str) -> f64 {
        let [r, g, b] = colour(name).map(|c| if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn the_luminance_formula_gives_the_known_extremes() {
        // Black on white is 21:1, and #767676 on white the classic 4.54:1.
        assert!((21.0_f64 - (1.05 / 0.05)).abs() < 1e-9);
        let grey = [0x76 as f64 / 255.0; 3].map(|c| ((c + 0.055) / 1.055).powf(2.4));
        let ratio = 1.05 / (0.2126 * grey[0] + 0.7152 * grey[1] + 0.0722 * grey[2] + 0.05);
        assert!((ratio - 4.54).abs() < 0.01, "{ratio}");
    }

    #[test]
    fn every_text_colour_passes_wcag_aa() {
        for (fg, bg) in TEXT_PAIRS {
            let ratio = contrast(fg, bg);
            assert!(ratio >= 4.5, "{fg} on {bg}: {ratio:.2}:1 is below 4.5:1");
        }
        for (fg, bg) in GRAPHIC_PAIRS {
            let ratio = contrast(fg, bg);
            assert!(ratio >= 3.0, "{fg} on {bg}: {ratio:.2}:1 is below 3:1");
        }
    }

    #[test]
    fn the_stylesheet_uses_only_the_palette_and_loads_nothing() {
        let css = stylesheet();
        for var in css.split("var(--").skip(1) {
            let name = &var[..var.find(')').expect("var( closes")];
            assert!(PALETTE.iter().any(|(n, _)| *n == name), "colour --{name} is not in the palette");
        }
        // Every colour written in the rules is a palette variable (the one
        // shadow is a translucent black, not text).
        assert!(!STYLE.contains('#'), "a literal colour in the rules");
        for far in ["url(", "@import", "http", "//"] {
            assert!(!css.contains(far), "the stylesheet refers to {far}");
        }
        assert!(!SCRIPT.contains("http") && !SCRIPT.contains("fetch") && !SCRIPT.contains("innerHTML"));
    }
}
