#!/usr/bin/env python3
"""Generate a workspace with a large bibliography, for bench/bibliography.sh.

    python3 bench/gen_bibliography.py N OUT_DIR

writes into OUT_DIR (created, emptied of what this script writes):

- refs.bib: N BibTeX entries as Zotero's Better BibTeX exports them (every
  tenth with a crossref to a proceedings entry, `@string` journals, month
  macros, `{}`-protected capitals, Cyrillic and CJK titles, LaTeX accents,
  grades in `note` lines or `reliability` fields);
- refs.json: N CSL-JSON items as Better CSL JSON exports them;
- four workspaces beside them, each a dossier.toml and a note.md: both/
  names both files and cites 200 keys of each; bib/ and json/ name one
  file and cite 200 of its keys; baseline/ names none and holds both/'s
  note, to subtract what a check costs without a bibliography.

The output is a function of N alone (a fixed seed).
"""

import json
import os
import random
import sys

TITLES = [
    "{{China}}, {{Russia}} Sign \\$400 Billion Gas Deal",
    "Путин: газовый контракт с {{Китаем}} — «эпохальное событие»",
    "中俄天然气协议签署 {{Power}} of {{Siberia}}",
    "The {{Sch\\\"{o}nes}} Economics of {{Siberian}} Pipelines --- a {{Caf\\'e}} Talk",
    "{{Gazprom}} and {{CNPC}}: Thirty Years of Talks",
]
JOURNALS = ["reuters", "tass", "kommersant", "xinhua"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
GRADES = ["A1", "B2", "C3", "D4", "E5", "F6", "B1", "C2"]


def bib_entry(rng, i):
    key = f"author{i}Gas{2000 + i % 25}"
    title = rng.choice(TITLES)
    lines = [f"@article{{{key},", f"  title = {{{title} {i}}},"]
    lines.append(f"  author = {{Ivanov, Ivan and Wang, Li and M{{\\\"u}}ller, Anna}},")
    if i % 10 == 9:
        lines.append(f"  crossref = {{proc{i // 10}}},")
    else:
        lines.append(f"  journal = {rng.choice(JOURNALS)},")
        lines.append(f"  year = {{{2000 + i % 25}}},")
        lines.append(f"  month = {rng.choice(MONTHS)},")
    lines.append(f"  url = {{https://example.org/articles/{i}?ref=zotero}},")
    lines.append("  langid = {english},")
    if i % 3 == 0:
        lines.append(f"  note = {{Checked against the original.\nreliability: {rng.choice(GRADES)}}},")
    elif i % 3 == 1:
        lines.append(f"  reliability = {{{rng.choice(GRADES)}}},")
    lines.append("  keywords = {energy,China,Russia}")
    lines.append("}")
    out = "\n".join(lines) + "\n\n"
    if i % 10 == 9:
        out += (
            f"@proceedings{{proc{i // 10},\n  title = {{{{Energy}} Security Conference {i // 10}}},\n"
            f"  publisher = {{{{Energy}} Institute}},\n  date = {{20{i % 25:02d}-06-0{1 + i % 9}}},\n"
            f"  note = {{reliability: B2}}\n}}\n\n"
        )
    return key, out


def csl_item(rng, i):
    key = f"csl{i}Deal{2000 + i % 25}"
    return key, {
        "id": key,
        "type": "article-newspaper",
        "title": rng.choice(["Кремль: «Сила Сибири» — сделка века", "中俄签署东线天然气合作协议", "Gas deal signed"]) + f" {i}",
        "author": [{"family": "Габуев", "given": "Александр"}],
        "container-title": rng.choice(["Коммерсантъ", "新华社", "Reuters"]),
        "issued": {"date-parts": [[2000 + i % 25, 1 + i % 12, 1 + i % 28]]},
        "URL": f"https://example.org/csl/{i}",
        "note": f"reliability: {rng.choice(GRADES)}" if i % 2 else "No grade yet",
    }


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: gen_bibliography.py N OUT_DIR")
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(20140521)
    configs = {
        "both": '[sources]\nbibliography = ["../refs.bib", "../refs.json"]\n',
        "bib": '[sources]\nbibliography = ["../refs.bib"]\n',
        "json": '[sources]\nbibliography = ["../refs.json"]\n',
        "baseline": "",
    }
    for folder in configs:
        os.makedirs(os.path.join(out, folder), exist_ok=True)
    strings = (
        "@string{reuters = {Reuters}}\n@string{tass = {{TASS} Russian News Agency}}\n"
        "@string{kommersant = {Kommersant}}\n@string{xinhua = {Xinhua}}\n\n"
    )
    bib_keys, parts = [], [strings]
    for i in range(n):
        key, text = bib_entry(rng, i)
        bib_keys.append(key)
        parts.append(text)
    with open(os.path.join(out, "refs.bib"), "w", encoding="utf-8") as f:
        f.write("".join(parts))
    items = [csl_item(rng, i) for i in range(n)]
    with open(os.path.join(out, "refs.json"), "w", encoding="utf-8") as f:
        json.dump([item for _, item in items], f, ensure_ascii=False, indent="\t")
    from_bib = rng.sample(bib_keys, min(200, n))
    from_json = rng.sample([k for k, _ in items], min(200, n))

    def note(keys):
        return "# Cited\n\n" + "".join(f"’ — Кремль 中俄 {{Claim {j} | ^{key}}}\n\n" for j, key in enumerate(keys))

    notes = {"both": note(from_bib + from_json), "bib": note(from_bib), "json": note(from_json)}
    notes["baseline"] = notes["both"]
    for folder, config in configs.items():
        with open(os.path.join(out, folder, "note.md"), "w", encoding="utf-8") as f:
            f.write(notes[folder])
        with open(os.path.join(out, folder, "dossier.toml"), "w", encoding="utf-8") as f:
            f.write(config)


if __name__ == "__main__":
    main()
