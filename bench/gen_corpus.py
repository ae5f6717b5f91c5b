#!/usr/bin/env python3
"""Deterministic benchmark corpus generator for Dossier.

    python3 bench/gen_corpus.py OUTDIR --notes N [--big-note KB] [--hot-share F] [--seed S]

Writes, under OUTDIR:

    dossier.toml            minimal workspace config
    actors.md               500 actor definition blocks (SPEC §1.5)
    sources.md              2,000 source definition blocks (SPEC §1.5)
    notes/000/n00001.md ... N notes of about 4 KB, 1,000 per folder
    big.md                  (with --big-note KB) one extra note of about KB kilobytes
    corpus.json             statistics and the findings this generator planted

Same arguments, same output, byte for byte: every note is drawn from its own
random.Random seeded with a string (hashed with SHA-512 by Python, independent
of PYTHONHASHSEED), nothing iterates over a set or dict in hash order, and
nothing depends on the clock or the environment. Note n does not depend on N,
so the corpus for N=1000 is a prefix of the corpus for N=10000.

Python 3 standard library only.
"""

import argparse
import calendar
import json
import os
import shutil
import sys
from random import Random

GENERATOR_VERSION = 1
N_ACTORS = 500
N_SOURCES = 2000
SHARD = 1000
# Set from --hot-share in main().
HOT_SHARE = 0.0
NB = "\x00"  # non-breaking space while building lines; becomes " " on output

# --------------------------------------------------------------------------
# Vocabulary. Every capitalised word the prose can produce is listed here or
# built from these lists, and actor name stems are checked against all of it,
# so an actor's name only appears untagged where the generator plants it.
# --------------------------------------------------------------------------

NOUNS = [
    "pipeline", "contract", "price", "deal", "agreement", "export", "market",
    "supply", "volume", "border", "summit", "delegation", "ministry", "sanction",
    "tariff", "loan", "investment", "route", "terminal", "field", "reserve",
    "forecast", "negotiation", "partner", "bank", "currency", "consortium",
    "project", "memorandum", "statement", "report", "analyst", "official",
    "region", "capacity", "tender", "stake", "payment", "discount", "formula",
    "shipment", "refinery", "grid", "treaty", "visit", "ceremony", "schedule",
    "dispute", "clause", "subsidy", "quota", "corridor", "audit", "licence",
]
IRREGULAR_PLURALS = {
    "supply": "supplies", "currency": "currencies", "treaty": "treaties",
    "subsidy": "subsidies", "capacity": "capacities", "ministry": "ministries",
    "analysis": "analyses",
}
ADJS = [
    "bilateral", "long-term", "preliminary", "disputed", "undisclosed",
    "strategic", "annual", "regional", "western", "eastern", "confidential",
    "revised", "final", "earlier", "senior", "state-owned", "binding", "formal",
    "unofficial", "record", "fragile", "lucrative", "contested", "parallel",
]
VERBS = [
    "signed", "announced", "rejected", "delayed", "confirmed", "denied",
    "proposed", "financed", "approved", "questioned", "negotiated", "expanded",
    "suspended", "reported", "estimated", "revised", "cited", "welcomed",
    "criticised", "postponed", "renegotiated", "endorsed",
]
ADVERBS = [
    "reportedly", "publicly", "privately", "quietly", "formally", "repeatedly",
    "later", "again", "finally", "initially",
]
TIMES = [
    "in May", "last year", "in 2014", "after months of talks",
    "by the end of the decade", "within weeks", "during the summit",
    "on 21 May", "in the first quarter", "before the election", "in late 2013",
    "over the weekend", "at the Shanghai meeting", "ahead of the visit",
]
FUTURES = [
    "before 2018", "within two years", "by the end of the decade",
    "next year", "before the contract starts", "in the coming months",
]
CONNECTIVES = ["However", "Meanwhile", "In addition", "By contrast",
               "As a result", "Even so", "At the same time", "Separately"]
PLACES = ["Moscow", "Beijing", "Astana", "Vladivostok", "Shanghai", "Kyiv",
          "Brussels", "Tokyo", "Ulaanbaatar", "Irkutsk", "Harbin"]
AMOUNTS = ["$400 billion", "38 bcm a year", "$25 billion", "68 bcm",
           "$350 per thousand cubic metres", "30 years", "4,000 kilometres",
           "$10 billion", "1.5 per cent", "two thirds"]
HEADINGS = ["Background", "Context", "Analysis", "Key developments", "Timeline",
            "Assessment", "Outlook", "Open questions", "Pricing", "Financing",
            "Reactions", "Implications", "Gaps", "Detail", "Sources and caveats"]
TOPICS = ["gas pricing", "pipeline financing", "border trade", "energy security",
          "the eastern route", "yuan settlement", "upstream stakes",
          "LNG competition", "sanctions exposure", "regional diplomacy"]
# Non-ASCII text that is put on the same line as, and before, some markup.
NON_ASCII = [
    "Кремль —", "中俄 —", "’Power of Siberia’ —", "Газпром’s line — 😀",
    "中国石油天然气集团 😀", "Zhōngguó — «Сила Сибири» —", "¿Qué? 😀 — ’",
    "Ελλάδα ☃ —", "한국어 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 —", "日本語 “quote” —",
]
PUBLISHERS = [
    "Reuters", "Xinhua", "TASS", "Bloomberg", "The Diplomat", "Financial Times",
    "Kommersant", "Caixin", "RIA Novosti", "Interfax", "South China Morning Post",
    "The Moscow Times", "Nikkei Asia", "Platts", "Argus Media", "Ведомости",
    "新华社", "Le Monde", "Associated Press", "Global Times",
]
LOCATORS = ["(p. 3)", "(p. 12)", "(pp. 4–5)", "(para. 7)", "(00:14:32)",
            "(section 2.1)", "(fig. 2)", "(slide 9)", "(p. 1)"]
CONF = ["low", "moderate", "high"]
EST = ["almost-no-chance", "very-unlikely", "unlikely", "even-chance", "likely",
       "very-likely", "almost-certain"]
FIRST_NAMES = ["Ilsa", "Marek", "Tomas", "Elena", "Arkady", "Wen", "Lina",
               "Oskar", "Yuri", "Mira", "Chen", "Sofia", "Pavel", "Nadia", "Ivo",
               "Katya", "Lev", "Hana", "Bogdan", "Rui", "Aigerim", "Daan"]
TITLES = ["Minister", "Director", "General", "Ambassador", "Chairman",
          "Senator", "Governor", "Envoy", "Deputy"]
ROLES = ["Minister of Energy", "Chief Executive", "Deputy Prime Minister",
         "Head of the Pricing Committee", "Ambassador to Beijing",
         "Spokesperson of the Foreign Ministry", "Chief Negotiator",
         "Regional Governor", "Board Chairman", "Senior Analyst"]
ORG_SUFFIX = ["Energy", "Holdings", "Bank", "Petroleum", "Gas Company",
              "Institute", "Pipeline Consortium", "Trading"]
SYLLABLES = ["dra", "vok", "mer", "kel", "tan", "sor", "vin", "lek", "bar",
             "zov", "ril", "nad", "pol", "gru", "hes", "tor", "mal", "quin",
             "fen", "dor", "vas", "lin", "ost", "rav", "kir", "zen", "bel",
             "cor", "yan", "mik", "shu", "pav", "tek", "olm", "ure", "jas"]
KINDS = [("person", 50), ("organization", 20), ("state", 10), ("group", 10),
         ("other", 10)]
NUM_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven",
             "eight", "nine"]


def plural(noun):
    return IRREGULAR_PLURALS.get(noun, noun + "s")


def cap(s):
    return s[:1].upper() + s[1:]


def a_(word):
    return ("an " if word[0] in "aeiou" else "a ") + word


def nb(s):
    """Make s one unbreakable atom for the line wrapper."""
    return s.replace(" ", NB)


def reserved_words():
    words = set()
    for lst in (NOUNS, ADJS, VERBS, ADVERBS, TIMES, FUTURES, CONNECTIVES, PLACES,
                HEADINGS, TOPICS, FIRST_NAMES, TITLES, ROLES, ORG_SUFFIX,
                PUBLISHERS, NUM_WORDS, NON_ASCII, AMOUNTS, LOCATORS,
                ["Republic Government Front Movement Forum Group Note Key "
                 "Actors Sources Reviewer Escaped Templating Queries Inline "
                 "Officials Few Then See The We A According"]):
        for item in lst:
            for w in item.replace("-", " ").split():
                words.add(w.lower())
    for w in IRREGULAR_PLURALS.values():
        words.add(w)
    for n in NOUNS:
        words.add(plural(n))
    return words


# --------------------------------------------------------------------------
# Definitions
# --------------------------------------------------------------------------

class Actor:
    __slots__ = ("i", "id", "kind", "stem", "name", "aliases", "role", "desc_refs")


class Source:
    __slots__ = ("i", "id", "publisher", "title", "date", "grade", "weak")


def is_weak(grade):
    # SPEC §2 weak-sourcing: E/F, or credibility 5/6.
    return grade is not None and (grade[0] in "EF" or grade[1:] in ("5", "6"))


def make_actors(seed):
    rng = Random(f"{seed}:actors")
    taken = reserved_words()
    stems = []
    while len(stems) < N_ACTORS:
        k = 2 if rng.random() < 0.6 else 3
        stem = cap("".join(rng.choice(SYLLABLES) for _ in range(k)))
        if stem.lower() in taken:
            continue
        taken.add(stem.lower())
        stems.append(stem)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    actors = []
    for i in range(1, N_ACTORS + 1):
        a = Actor()
        a.i = i
        a.id = f"actor-{i}"
        a.stem = stem = stems[i - 1]
        a.kind = kind = rng.choices(kinds, weights)[0]
        if kind == "person":
            first = rng.choice(FIRST_NAMES)
            title = rng.choice(TITLES)
            a.name = f"{first} {stem}"
            a.aliases = [stem, f"{first} {stem}", f"{title} {stem}"]
            a.role = rng.choice(ROLES)
        elif kind == "state":
            a.name = f"Republic of {stem}"
            a.aliases = [stem, f"{stem} Government", f"Republic of {stem}"]
            a.role = "Sovereign state; party to the energy talks"
        elif kind == "organization":
            suffix = rng.choice(ORG_SUFFIX)
            a.name = f"{stem} {suffix}"
            a.aliases = [stem, f"{stem} {suffix}", f"{stem} Group"]
            a.role = rng.choice(["State-owned energy company", "Commercial bank",
                                 "Think tank", "Trading house", "Regulator"])
        elif kind == "group":
            a.name = f"{stem} Front"
            a.aliases = [stem, f"{stem} Front", f"{stem} Movement"]
            a.role = "Informal lobby group"
        else:
            a.name = f"{stem} Forum"
            a.aliases = [stem, f"{stem} Forum"]
            a.role = "Multilateral dialogue format"
        # Some descriptions mention another actor (a mention that counts).
        a.desc_refs = []
        if rng.random() < 0.2:
            j = rng.randint(1, N_ACTORS)
            if j != i:
                a.desc_refs.append(j)
        actors.append(a)
    return actors


def actors_md(actors, seed):
    rng = Random(f"{seed}:actors-md")
    out = ["# Actors\n\n",
           "Actor registry for the benchmark corpus. Generated; do not edit.\n\n"]
    for a in actors:
        out.append(f"@{a.id}: {a.name}\n")
        out.append(f"  kind: {a.kind}\n")
        out.append(f"  role: {a.role}\n")
        out.append(f"  aliases: {', '.join(a.aliases)}\n")
        desc = rng.choice([
            "Active in the gas pricing talks since 2009.",
            "Frequently quoted by state media; positions shift with the talks.",
            "Key figure on the eastern route — see the 2014 memorandum.",
            "Known in Russian-language reporting as «{}» — Кремль liaison.",
            "Appears in Chinese reporting (中俄能源合作) as a counterpart.",
            "Background unclear; treat attributions with care 😀.",
        ])
        if "{}" in desc:
            desc = desc.format(a.stem)
        if a.desc_refs:
            desc += f" Works closely with @actor-{a.desc_refs[0]}."
        out.append(f"  {desc}\n\n")
    return "".join(out)


def make_sources(seed):
    rng = Random(f"{seed}:sources")
    sources = []
    weak_grades = ["E5", "F6", "E3", "F", "C5", "B6", "E", "D6", "F2", "E1"]
    for i in range(1, N_SOURCES + 1):
        s = Source()
        s.i = i
        s.id = f"src-{i}"
        s.publisher = rng.choice(PUBLISHERS)
        words = [rng.choice(ADJS), rng.choice(NOUNS), rng.choice(VERBS),
                 rng.choice(TIMES)]
        s.title = cap(" ".join(words))
        year = rng.randint(1998, 2024)
        month = rng.randint(1, 12)
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        r = rng.random()
        if r < 0.05:
            s.date = f"{year:04d}"
        elif r < 0.15:
            s.date = f"{year:04d}-{month:02d}"
        else:
            s.date = f"{year:04d}-{month:02d}-{day:02d}"
        r = rng.random()
        if r < 0.03:
            s.grade = None  # no reliability field
        elif r < 0.065:
            s.grade = rng.choice(weak_grades)
        elif r < 0.115:
            s.grade = rng.choice("ABCD")
        else:
            s.grade = rng.choices("ABCD", [10, 35, 30, 15])[0] + rng.choice("1234")
        s.weak = is_weak(s.grade)
        sources.append(s)
    return sources


def sources_md(sources):
    out = ["# Sources\n\n",
           "Source registry for the benchmark corpus. Generated; do not edit.\n\n"]
    for s in sources:
        slug = s.title.lower().replace(" ", "-").replace("$", "")
        out.append(f"^{s.id}: {s.title}\n")
        out.append(f"  publisher: {s.publisher}\n")
        out.append(f"  date: {s.date}\n")
        out.append(f"  url: https://example.org/{s.date[:4]}/{slug}-{s.i}\n")
        if s.grade is not None:
            out.append(f"  reliability: {s.grade}\n")
        out.append("\n")
    return "".join(out)


# --------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------

class Stats:
    """Corpus-wide counts, including the findings the generator planted."""

    def __init__(self):
        self.claims = 0
        self.kinds = {"fact": 0, "assessment": 0, "quote": 0, "forecast": 0}
        self.multiline_claims = 0
        self.actor_mentions = 0
        self.source_mentions = 0
        self.claim_refs = 0
        self.findings = {
            "unknown-actor": 0, "unknown-source": 0, "unknown-claim": 0,
            "unsourced-claim": 0, "weak-sourcing": 0, "untagged-mention": 0,
        }
        self.used_actors = set()
        self.used_sources = set()


class NoteGen:
    def __init__(self, label, num, rng, actors, sources, stats, max_ref_note):
        self.label = label          # used in claim ids: c-<label>-<k>
        self.num = num              # note number (1-based) or None for big.md
        self.rng = rng
        self.actors = actors
        self.sources = sources
        self.st = stats
        self.max_ref_note = max_ref_note  # notes 1..max_ref_note may be referenced
        self.k = 0                  # claims emitted so far
        self.ids = []               # claim ids defined in this note
        # Findings to plant somewhere in this note.
        self.plant = []

    # -- references -------------------------------------------------------

    def actor(self):
        rng = self.rng
        # --hot-share: one actor mentioned everywhere, for the language
        # server's rename benchmark (the draw is skipped when it is 0, so the
        # default corpora are unchanged).
        if HOT_SHARE and rng.random() < HOT_SHARE:
            return self.actors[0]
        # Mild skew: low-numbered actors are the "main characters".
        if rng.random() < 0.3:
            i = rng.randint(1, 40)
        else:
            i = rng.randint(1, N_ACTORS)
        return self.actors[i - 1]

    def source(self):
        return self.sources[self.rng.randint(1, N_SOURCES) - 1]

    def actor_ref(self, a=None, link=None):
        rng = self.rng
        a = a or self.actor()
        self.st.actor_mentions += 1
        self.st.used_actors.add(a.i)
        if link is None:
            link = rng.random() < 0.35
        if link:
            return nb(f"[{rng.choice(a.aliases[1:] or a.aliases)}](@{a.id})")
        return f"@{a.id}"

    def source_link(self):
        s = self.source()
        self.st.source_mentions += 1
        self.st.used_sources.add(s.i)
        return nb(f"[{s.publisher}](^{s.id})")

    def subject(self):
        rng = self.rng
        r = rng.random()
        if r < 0.45:
            return self.actor_ref()
        if r < 0.7:
            return f"the {rng.choice(ADJS)} {rng.choice(NOUNS)}"
        return f"officials in {rng.choice(PLACES)}"

    # -- prose ------------------------------------------------------------

    def sentence(self):
        rng = self.rng
        t = rng.randrange(10)
        n1, n2 = rng.choice(NOUNS), rng.choice(NOUNS)
        adj, verb, time = rng.choice(ADJS), rng.choice(VERBS), rng.choice(TIMES)
        if t == 0:
            return f"{cap(self.subject())} {rng.choice(ADVERBS)} {verb} the {adj} {n1} {time}."
        if t == 1:
            return f"The {n1} was {verb} by {self.actor_ref()} {time}."
        if t == 2:
            return f"According to {self.source_link()}, the {adj} {n1} was {verb} {time}."
        if t == 3:
            return (f"{cap(self.actor_ref())} and {self.actor_ref()} {verb} {a_(adj)} {n1} "
                    f"on {n2} {plural(rng.choice(NOUNS))}.")
        if t == 4:
            return f"{rng.choice(CONNECTIVES)}, the {n1} was {verb} {time}, {self.actor_ref()} said."
        if t == 5:
            return f"Officials in {rng.choice(PLACES)} described the {n1} as {adj} and {rng.choice(ADJS)}."
        if t == 6:
            return f"The {n1} covers {rng.choice(AMOUNTS)} over {rng.choice(AMOUNTS)}, by most accounts."
        if t == 7:
            return f"{cap(self.source_link())} reported that {self.actor_ref()} had {verb} the {n1}."
        if t == 8:
            return f"Few details of the {adj} {n1} were {verb}, and the {n2} remains {rng.choice(ADJS)}."
        return f"{cap(self.actor_ref())}’s {n1} was {verb} {time}, {self.actor_ref()}’s was not."

    def inline_extra(self):
        """Inline constructs whose contents must not be read as markup."""
        rng = self.rng
        n = self.label
        r = rng.randrange(8)
        if r == 0:
            return nb(f"(the field is `@actor-ghost-{n}` in the export)")
        if r == 1:
            return nb(f"(template: ``{{draft @ghost-{n} | ^ghost-{n} #c-ghost-{n}}}``)")
        if r == 2:
            # attached to the previous word so that it never starts a line
            return nb(f"<!-- reviewer: {{check @ghost-{n} | ^ghost-{n}}} -->")
        if r == 3:
            return nb(r"Escaped braces \{not a claim\} and \@actor-ghost stay text.")
        if r == 4:
            return nb("Templating such as {{ page.title }} or {% include note.md %} stays text.")
        if r == 5:
            return nb(f"Queries went to press@example.org and desk{n}@example.net.")
        if r == 6:
            return nb("A ratio of 3 \\| 4 is not a separator outside a claim.")
        return nb("Inline `code with { and } and @ and ^` is skipped.")

    def plant_prose(self, what):
        rng = self.rng
        if what == "unknown-actor":
            self.st.findings["unknown-actor"] += 1
            bad = rng.choice([f"@actor-{N_ACTORS + rng.randint(1, 9000)}",
                              f"@actr-{rng.randint(1, N_ACTORS)}",
                              f"@actor-{rng.randint(1, N_ACTORS)}x"])
            return f"A later cable also names {bad} as a participant."
        if what == "untagged-mention":
            self.st.findings["untagged-mention"] += 1
            a = self.actor()
            return f"A statement attributed to {a.stem} was {rng.choice(VERBS)} {rng.choice(TIMES)}."
        raise AssertionError(what)

    def paragraph(self, claims=True):
        rng = self.rng
        parts = []
        n_sent = rng.randint(3, 6)
        for _ in range(n_sent):
            r = rng.random()
            if claims and r < 0.45:
                parts.append(self.claim() + rng.choice([".", ".", ",", ";"])
                             + ("" if rng.random() < 0.5 else " " + self.sentence()))
            else:
                parts.append(self.sentence())
        if rng.random() < 0.12:
            extra = self.inline_extra()
            if extra.startswith("<!--"):
                parts[-1] = parts[-1] + NB + extra
            else:
                parts.insert(rng.randrange(len(parts) + 1), extra)
        while self.plant and self.plant[0] in ("unknown-actor", "untagged-mention"):
            parts.insert(rng.randrange(len(parts) + 1), self.plant_prose(self.plant.pop(0)))
        return " ".join(parts)

    # -- claims -----------------------------------------------------------

    def ref_claim(self):
        """A claim id that exists: earlier in this note, or c-M-1..3 of an earlier note."""
        rng = self.rng
        if self.ids and (self.max_ref_note < 1 or rng.random() < 0.6):
            return rng.choice(self.ids)
        if self.max_ref_note < 1:
            return None
        lo = max(1, self.max_ref_note - 200)
        m = rng.randint(lo, self.max_ref_note)
        return f"c-{m}-{rng.randint(1, 3)}"

    def claim(self, force_id=False):
        rng = self.rng
        st = self.st
        self.k += 1
        cid = f"c-{self.label}-{self.k}"
        kind = rng.choices(["fact", "assessment", "quote", "forecast"], [60, 15, 15, 10])[0]
        plant = None
        if self.plant and self.plant[0] in ("unknown-source", "unknown-claim", "unknown-actor-meta"):
            plant = self.plant.pop(0)
            kind = "fact"
        n1, n2 = rng.choice(NOUNS), rng.choice(NOUNS)
        adj, verb = rng.choice(ADJS), rng.choice(VERBS)
        speaker = None
        author = None
        if kind == "quote":
            speaker = self.actor()
            text = (f"“We {verb} the {n1} {rng.choice(TIMES)},” "
                    f"{self.actor_ref(speaker)} said")
        elif kind == "assessment":
            # (pick the template first: an f-string list would call actor_ref()
            # for every template and count mentions that are never written)
            t = rng.randrange(3)
            if t == 0:
                text = f"the {n1} probably reflects {adj} pressure on {self.actor_ref()}"
            elif t == 1:
                text = f"{self.actor_ref()} is unlikely to accept {a_(adj)} {n1} without {a_(n2)}"
            else:
                text = f"the {adj} {n1} strengthens the hand of {self.actor_ref()} in the {n2} talks"
            if rng.random() < 0.5:
                author = self.actor()
        elif kind == "forecast":
            t = rng.randrange(3)
            if t == 0:
                text = f"the {n1} will be {verb} {rng.choice(FUTURES)}"
            elif t == 1:
                text = f"{self.actor_ref()} will seek {a_(adj)} {n1} {rng.choice(FUTURES)}"
            else:
                text = f"first deliveries through the {n1} will start {rng.choice(FUTURES)}"
        else:
            r = rng.random()
            if r < 0.4:
                text = f"{self.actor_ref()} {verb} the {adj} {n1} {rng.choice(TIMES)}"
            elif r < 0.6:
                text = (f"{self.actor_ref()} and {self.actor_ref()} {verb} the {n1} "
                        f"worth {rng.choice(AMOUNTS)}")
            elif r < 0.7:
                text = (f"the {n1} runs {rng.choice(AMOUNTS)} and the {n2} "
                        f"was {verb} {rng.choice(TIMES)}")
            else:
                text = f"the {adj} {n1} was {verb} {rng.choice(TIMES)}"
            if rng.random() < 0.04:
                text += r" (split 3\|4 between the partners)"
        if rng.random() < 0.15:
            # non-ASCII text inside a claim, before a mention on the same line
            text = nb(rng.choice(NON_ASCII)) + NB + text

        # Metadata ------------------------------------------------------
        toks = []
        srcs = []
        # ~1% of fact and quote claims cite nothing (unsourced-claim); half of
        # those carry no metadata at all.
        unsourced = kind in ("fact", "quote") and plant is None and rng.random() < 0.01
        if kind in ("fact", "quote"):
            want_src = not unsourced
        else:
            want_src = rng.random() < 0.7
        if want_src:
            n_src = rng.choices([1, 2, 3], [55, 30, 15])[0]
            for _ in range(n_src):
                s = self.source()
                srcs.append(s)
                st.used_sources.add(s.i)
                loc = rng.choice(LOCATORS) if rng.random() < 0.3 else ""
                toks.append(nb(f"^{s.id}{loc}"))
        if unsourced and not force_id and kind == "fact" and rng.random() < 0.5:
            st.claims += 1
            st.kinds[kind] += 1
            st.findings["unsourced-claim"] += 1
            return "{" + text + "}"
        if plant == "unknown-source":
            st.findings["unknown-source"] += 1
            good = self.source()
            while good.grade is None or good.weak:
                good = self.source()
            srcs.append(good)
            st.used_sources.add(good.i)
            toks.append(f"^{good.id}")
            toks.append(rng.choice([f"^src-{N_SOURCES + rng.randint(1, 9000)}",
                                    f"^scr-{rng.randint(1, N_SOURCES)}"]))
        st.source_mentions += len(toks)
        has_id = force_id or rng.random() < 0.85
        if has_id:
            toks.append(f"#{cid}")
            self.ids.append(cid)
        if kind != "fact" or rng.random() < 0.25:
            toks.append(f"kind:{kind}")
        if kind == "assessment" or (kind == "fact" and rng.random() < 0.1):
            toks.append(f"conf:{rng.choice(CONF)}")
        if kind == "forecast":
            toks.append(f"est:{rng.choice(EST)}")
            if rng.random() < 0.3:
                toks.append(f"conf:{rng.choice(CONF)}")
        if speaker is not None:
            toks.append(f"by:@{speaker.id}")
            st.used_actors.add(speaker.i)
            st.actor_mentions += 1
        if author is not None:
            toks.append(f"by:@{author.id}")
            st.used_actors.add(author.i)
            st.actor_mentions += 1
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                a = self.actor()
                toks.append(f"@{a.id}")
                st.used_actors.add(a.i)
                st.actor_mentions += 1
        if plant == "unknown-actor-meta":
            st.findings["unknown-actor"] += 1
            toks.append(f"@actor-{N_ACTORS + rng.randint(1, 9000)}")
        if rng.random() < 0.2:
            ref = self.ref_claim()
            if ref is not None and ref != cid:
                toks.append(f"supports:#{ref}")
                st.claim_refs += 1
        if rng.random() < 0.05:
            ref = self.ref_claim()
            if ref is not None and ref != cid:
                toks.append(f"contradicts:#{ref}")
                st.claim_refs += 1
        if plant == "unknown-claim":
            st.findings["unknown-claim"] += 1
            toks.append(f"supports:#c-{self.label}-x{rng.randint(1, 99)}")
            st.claim_refs += 1
        if len(toks) > 2 and rng.random() < 0.2:
            head, tail = toks[:1], toks[1:]
            rng.shuffle(tail)
            toks = head + tail

        # Bookkeeping ---------------------------------------------------
        st.claims += 1
        st.kinds[kind] += 1
        if kind in ("fact", "quote") and not srcs and plant != "unknown-source":
            st.findings["unsourced-claim"] += 1
        if kind == "fact" and srcs and all(s.grade is not None and s.weak for s in srcs) \
                and plant != "unknown-source":
            st.findings["weak-sourcing"] += 1
        if not toks:
            return "{" + text + "}"
        return "{" + text + " | " + " ".join(toks) + "}"

    # -- blocks -----------------------------------------------------------

    def wrap(self, text, width, indent_first="", indent_rest=""):
        if width <= 0:
            return indent_first + text.replace(NB, " ") + "\n"
        lines = []
        cur = indent_first
        cur_len = len(cur)
        start = True
        for word in text.split(" "):
            if not word:
                continue
            if not start and cur_len + 1 + len(word) > width:
                lines.append(cur)
                cur = indent_rest + word
                cur_len = len(cur)
            else:
                if start:
                    cur += word
                    cur_len += len(word)
                    start = False
                else:
                    cur += " " + word
                    cur_len += 1 + len(word)
        lines.append(cur)
        out = "\n".join(lines).replace(NB, " ") + "\n"
        return out

    def count_multiline(self, block):
        # A claim spans lines when a newline falls between its { and }.
        depth = False
        esc = False
        for ch in block:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == "{" and not depth:
                depth = True
            elif ch == "}" and depth:
                depth = False
            elif ch == "\n" and depth:
                self.st.multiline_claims += 1
                depth = False  # count once per claim; resync at next {

    def note(self, target, title_num):
        rng = self.rng
        width = 0 if rng.random() < 0.25 else rng.randint(72, 100)
        out = []
        n = self.label
        # Plants (findings) for this note.
        for what, p in (("unknown-actor", 0.008), ("unknown-actor-meta", 0.002),
                        ("unknown-source", 0.006), ("unknown-claim", 0.004),
                        ("untagged-mention", 0.05)):
            if rng.random() < p:
                self.plant.append(what)
        # Claim plants first so the prose plants are not starved by claims.
        self.plant.sort(key=lambda w: 0 if w in ("unknown-source", "unknown-claim",
                                                  "unknown-actor-meta") else 1)

        if rng.random() < 0.25:
            out.append("---\n"
                       f"title: \"Note {title_num}\"\n"
                       f"owner: \"@ghost-owner-{n}\"\n"
                       f"template: \"{{draft | ^ghost-{n}}}\"\n"
                       f"tags: [{rng.choice(TOPICS)}, analysis]\n"
                       "---\n\n")
        out.append(f"# Note {title_num} — {rng.choice(TOPICS)}\n\n")
        out.append(self.wrap(self.paragraph(claims=False), width) + "\n")
        out.append("## Key judgements\n\n")
        for _ in range(3):
            out.append(self.wrap(self.claim(force_id=True) + ".", width,
                                 "- ", "  "))
        out.append("\n")
        # One line per note with non-ASCII text before markup on the same line.
        na = nb(rng.choice(NON_ASCII))
        na_par = (f"{na}{NB}{self.actor_ref(link=False)} and the {rng.choice(NOUNS)}: "
                  f"{nb(rng.choice(NON_ASCII))}{NB}{self.claim()}.")
        dash_actor = self.actor()
        self.st.actor_mentions += 1
        self.st.used_actors.add(dash_actor.i)
        na_par += (f" Then —@{dash_actor.id} {rng.choice(VERBS)} it, per "
                   f"{nb('中俄 😀')}{NB}{self.source_link()}.")
        out.append(self.wrap(na_par, width) + "\n")

        size = sum(len(s.encode("utf-8")) for s in out)
        last_heading = False
        last_list = False
        while size < target or self.plant:
            r = rng.random()
            if last_list and 0.88 <= r < 0.90:
                # An indented block right after a list would continue the list
                # item (it would be prose, not code): write a paragraph instead.
                r = 0.5
            last_list = 0.62 <= r < 0.78
            if r < 0.14 and not last_heading:
                h = rng.choice(HEADINGS)
                level = "##" if rng.random() < 0.7 else "###"
                anchor = f" {{#{h.lower().replace(' ', '-')}}}" if rng.random() < 0.1 else ""
                block = f"{level} {h}{anchor}\n\n"
                last_heading = True
            else:
                last_heading = False
                if r < 0.62:
                    block = self.wrap(self.paragraph(), width) + "\n"
                elif r < 0.78:
                    block = "".join(self.wrap(self.claim() + rng.choice([".", ";", ""]),
                                              width, "- ", "  ")
                                    for _ in range(rng.randint(2, 4))) + "\n"
                elif r < 0.83:
                    a = self.actor()
                    block = ("> " + self.claim_quote_line(a) + "\n\n")
                elif r < 0.88:
                    fence = rng.choice(["```", "~~~"])
                    lang = rng.choice(["text", "markdown", "json", ""])
                    block = (f"{fence}{lang}\n"
                             f"{{fake claim @ghost-{n} | ^ghost-{n} #c-ghost-{n} kind:nonsense}}\n"
                             f"@ghost-def-{n}: Not a definition\n"
                             f"  kind: imaginary\n"
                             f"{{\"json\": [1, 2, {{\"nested\": \"@x\"}}]}}\n"
                             f"{fence}\n\n")
                elif r < 0.90:
                    block = (f"    {{indented code @ghost-{n} | ^ghost-{n}}}\n"
                             f"    ^ghost-src-{n}: not a definition either\n\n")
                elif r < 0.93:
                    block = ("<!--\n"
                             f"Reviewer: {{unsure about this @ghost-{n} | ^ghost-{n} conf:maybe}}\n"
                             f"@ghost-def2-{n}: Not a definition\n"
                             "-->\n\n")
                elif r < 0.96:
                    links = ", ".join(self.source_link() for _ in range(rng.randint(2, 4)))
                    block = self.wrap(f"See also {links}.", width) + "\n"
                else:
                    block = self.wrap(self.paragraph(claims=False), width) + "\n"
            out.append(block)
            size += len(block.encode("utf-8"))
        text = "".join(out).rstrip("\n") + "\n"
        self.count_multiline(text)
        return text

    def claim_quote_line(self, a):
        """A blockquote holding a single-line quote claim (never wrapped)."""
        rng = self.rng
        st = self.st
        self.k += 1
        cid = f"c-{self.label}-{self.k}"
        self.ids.append(cid)
        s = self.source()
        st.used_sources.add(s.i)
        st.used_actors.add(a.i)
        st.source_mentions += 1
        st.actor_mentions += 2
        st.claims += 1
        st.kinds["quote"] += 1
        return (f"{{“The {rng.choice(NOUNS)} is {rng.choice(ADJS)},” said "
                f"[{a.aliases[1] if len(a.aliases) > 1 else a.name}](@{a.id}) "
                f"| ^{s.id} kind:quote by:@{a.id} #{cid}}}")


# --------------------------------------------------------------------------

# Misspelt values with exactly one allowed value within edit distance 2, whose
# corrected claim (a fact citing a sound source) has no finding left.
FIXABLE = ["kind:fcat", "conf:moderat", "conf:lw"]


def fixable_claim(n, sources, st):
    """--fixable: a paragraph of its own ending note n, one claim with one
    misspelt value: one `invalid-metadata` that a safe fix corrects."""
    sound = [s for s in sources if s.grade is not None and not s.weak]
    s = sound[n % len(sound)]
    st.claims += 1
    st.kinds["fact"] += 1
    st.source_mentions += 1
    st.used_sources.add(int(s.id.split("-")[1]))
    st.findings["invalid-metadata"] = st.findings.get("invalid-metadata", 0) + 1
    return f"\n{{A planted claim to fix | ^{s.id} {FIXABLE[n % len(FIXABLE)]}}}\n"


def write(path, text):
    data = text.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--notes", type=int, required=True, help="number of notes")
    ap.add_argument("--big-note", type=int, metavar="KB", default=0,
                    help="also write OUTDIR/big.md of about KB kilobytes")
    ap.add_argument("--hot-share", type=float, default=0.0, metavar="F",
                    help="share of the notes' actor mentions that go to @actor-1 (default 0; "
                         "0.018 gives it about 10,000 mentions in 10,000 notes)")
    ap.add_argument("--seed", default="dossier-bench-1", help="base seed (string)")
    ap.add_argument("--fixable", action="store_true",
                    help="end each note with a claim holding one misspelt metadata value "
                         "that `dossier check --fix` corrects (bench/fix_bench.sh)")
    ap.add_argument("--note-kb", type=float, default=4.0,
                    help="mean note size in KB (default 4)")
    args = ap.parse_args()
    if args.notes < 0:
        ap.error("--notes must be >= 0")
    if not 0.0 <= args.hot_share <= 1.0:
        ap.error("--hot-share must be between 0 and 1")
    global HOT_SHARE
    HOT_SHARE = args.hot_share

    out = args.outdir
    if os.path.exists(out):
        entries = os.listdir(out)
        if entries and "corpus.json" not in entries:
            sys.exit(f"gen_corpus: {out} exists, is not empty and is not a generated "
                     "corpus (no corpus.json); refusing to overwrite it")
        # A previous corpus: remove exactly what this script writes.
        for name in ("notes",):
            if os.path.isdir(os.path.join(out, name)):
                shutil.rmtree(os.path.join(out, name))
        for name in ("dossier.toml", "actors.md", "sources.md", "big.md", "corpus.json"):
            p = os.path.join(out, name)
            if os.path.exists(p):
                os.remove(p)
    os.makedirs(out, exist_ok=True)

    seed = args.seed
    actors = make_actors(seed)
    sources = make_sources(seed)
    st = Stats()
    for a in actors:
        for j in a.desc_refs:
            st.used_actors.add(j)
            st.actor_mentions += 1

    md_bytes = 0
    files = 0
    other_bytes = write(os.path.join(out, "dossier.toml"),
                        "# Generated by bench/gen_corpus.py\n"
                        "[files]\ninclude = [\"**/*.md\"]\n")
    files += 1
    md_bytes += write(os.path.join(out, "actors.md"), actors_md(actors, seed))
    md_bytes += write(os.path.join(out, "sources.md"), sources_md(sources))
    files += 2

    width = max(5, len(str(args.notes)))
    mean = args.note_kb * 1024
    # The last block overshoots the target by half a block (~300 bytes) on
    # average; the range is set so that the mean note lands at about --note-kb.
    lo, hi = int(mean * 0.74), int(mean * 1.12)
    note_bytes = 0
    made_dirs = set()
    for n in range(1, args.notes + 1):
        rng = Random(f"{seed}:note:{n}")
        target = rng.randint(lo, hi)
        g = NoteGen(str(n), n, rng, actors, sources, st, n - 1)
        text = g.note(target, str(n))
        if args.fixable:
            text += fixable_claim(n, sources, st)
        shard = f"{(n - 1) // SHARD:03d}"
        d = os.path.join(out, "notes", shard)
        if shard not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(shard)
        b = write(os.path.join(d, f"n{n:0{width}d}.md"), text)
        note_bytes += b
        files += 1
    md_bytes += note_bytes

    big_bytes = 0
    if args.big_note > 0:
        rng = Random(f"{seed}:big:{args.big_note}")
        g = NoteGen("big", None, rng, actors, sources, st, args.notes)
        text = g.note(args.big_note * 1024, "big")
        big_bytes = write(os.path.join(out, "big.md"), text)
        md_bytes += big_bytes
        files += 1

    unused_actors = N_ACTORS - len(st.used_actors & set(range(1, N_ACTORS + 1)))
    unused_sources = N_SOURCES - len(st.used_sources & set(range(1, N_SOURCES + 1)))
    f = st.findings
    errors = f["unknown-actor"] + f["unknown-source"] + f["unknown-claim"] + f.get("invalid-metadata", 0)
    manifest = {
        "generator": "bench/gen_corpus.py",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "notes": args.notes,
        "big_note_kb": args.big_note,
        "fixable": args.fixable,
        "hot_share": args.hot_share,
        "markdown_files": files - 1,
        "files": files + 1,
        "markdown_bytes": md_bytes,
        "note_bytes": note_bytes,
        "mean_note_bytes": round(note_bytes / args.notes) if args.notes else 0,
        "big_note_bytes": big_bytes,
        "actors": N_ACTORS,
        "sources": N_SOURCES,
        "weak_sources": sum(1 for s in sources if s.weak),
        "ungraded_sources": sum(1 for s in sources if s.grade is None),
        "claims": st.claims,
        "claims_by_kind": st.kinds,
        "multiline_claims": st.multiline_claims,
        "actor_mentions": st.actor_mentions,
        "source_mentions": st.source_mentions,
        "claim_references": st.claim_refs,
        "expected_findings": {
            "_note": "planted by the generator; a correct `dossier check` reports exactly "
                     "these (hints only with --hints). No other rule should fire.",
            **f,
            "unused-definition": unused_actors + unused_sources,
            "errors": errors,
            "warnings": f["unsourced-claim"],
            "infos": f["weak-sourcing"],
            "hints": f["untagged-mention"] + unused_actors + unused_sources,
        },
    }
    other_bytes += write(os.path.join(out, "corpus.json"),
                         json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    total = md_bytes + other_bytes
    print(f"gen_corpus: {out}: {files + 1} files ({files - 1} Markdown: "
          f"{args.notes} notes{' + big.md' if big_bytes else ''} + actors.md + sources.md), "
          f"{total:,} bytes total, {md_bytes:,} bytes Markdown "
          f"({md_bytes / 1e6:.1f} MB), {st.claims:,} claims, "
          f"expected {errors} errors / {f['unsourced-claim']} warnings / "
          f"{f['weak-sourcing']} infos")


if __name__ == "__main__":
    main()
