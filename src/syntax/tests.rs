//! Parser tests: each test parses a fixture and compares a readable dump of
//! everything found (kind, byte range, the exact text covered) to a snapshot.

use std::fmt::Write;

use super::{Keep, Namespace, Parse, Role, parse, parse_keeping, prose as prose_of};
use crate::text::TextRange;

fn show(text: &str, range: TextRange) -> String {
    format!("{:?} {:?}", range, range.of(text))
}

fn dump(text: &str) -> String {
    dump_parse(text, &parse(text))
}

fn dump_parse(text: &str, p: &Parse) -> String {
    let mut out = String::new();
    for r in &p.references {
        let ns = match r.namespace() {
            Namespace::Actor => "actor",
            Namespace::Source => "source",
            Namespace::Claim => "claim",
        };
        let role = match r.role() {
            Role::Mention => "mention".to_string(),
            Role::Link { text: t } => format!("link text={:?}", t.of(text)),
            Role::Involved => "involved".into(),
            Role::Speaker => "speaker".into(),
            Role::Citation { locator: None } => "citation".into(),
            Role::Citation { locator: Some(l) } => format!("citation locator={:?}", l.of(text)),
            Role::Supports => "supports".into(),
            Role::Contradicts => "contradicts".into(),
        };
        let claim = r.claim().map_or(String::new(), |c| format!(" in claim {c}"));
        writeln!(out, "ref {ns} {role} {}{claim}", show(text, r.range)).unwrap();
    }
    for (i, c) in p.claims.iter().enumerate() {
        writeln!(out, "claim {i} {}", show(text, c.range)).unwrap();
        writeln!(out, "  text {}", show(text, c.text())).unwrap();
        if let Some(m) = c.metadata() {
            writeln!(out, "  metadata {}", show(text, m)).unwrap();
        }
        if let Some(id) = c.id() {
            writeln!(out, "  id {}", show(text, id)).unwrap();
        }
        if let Some(k) = c.kind_token() {
            writeln!(out, "  kind {} {}", k.value.as_str(), show(text, k.range)).unwrap();
        }
        if let Some(k) = c.confidence() {
            writeln!(out, "  conf {} {}", k.value.as_str(), show(text, k.range)).unwrap();
        }
        if let Some(k) = c.estimate() {
            writeln!(out, "  est {} {}", k.value.as_str(), show(text, k.range)).unwrap();
        }
        if let Some(k) = c.due() {
            writeln!(out, "  due {} {}", k.value, show(text, k.range)).unwrap();
        }
        if let Some(k) = c.outcome() {
            writeln!(out, "  outcome {} {}", k.value.as_str(), show(text, k.range)).unwrap();
        }
        if let Some(s) = c.speaker() {
            writeln!(out, "  speaker {}", show(text, s)).unwrap();
        }
    }
    for d in &p.definitions {
        writeln!(out, "def {:?} id {} title {:?} block {:?}", d.namespace, show(text, d.id), d.title.of(text), d.range)
            .unwrap();
        for f in &d.fields {
            writeln!(out, "  field {:?} = {}", f.key.of(text), show(text, f.value)).unwrap();
        }
        for l in &d.description {
            writeln!(out, "  description {}", show(text, *l)).unwrap();
        }
    }
    for h in &p.headings {
        writeln!(out, "heading {} {:?} {:?}", h.level, h.title, h.range).unwrap();
    }
    for e in &p.errors {
        writeln!(out, "error {:?} {}: {}", e.kind, show(text, e.range), e.message).unwrap();
    }
    out
}

fn prose(text: &str) -> Vec<&str> {
    prose_of(text).iter().map(|r| r.of(text)).collect()
}

#[test]
fn short_mentions_need_a_non_word_character_before_the_at() {
    insta::assert_snapshot!(dump("@putin's visit; a@b.com \\@esc _@u .@d @@x (@china.) Кремль@no —@yes"));
}

#[test]
fn link_forms_keep_the_articles_words() {
    insta::assert_snapshot!(dump(
        "’ — Кремль 中俄 😀 [Russian President Vladimir Putin](@putin) said, according to [Reuters](^reuters-2014-05-21). [web](https://x.org/@no) [bad]( @no ) [t](@ok \"title\")"
    ));
}

#[test]
fn claim_with_every_metadata_token() {
    insta::assert_snapshot!(dump(
        "’ — Кремль 中俄 😀 {@china and [Russia](@russia) sign | ^gazprom-2014(p. 3) ^reuters #gas-deal @cnpc kind:quote conf:high est:likely by:@keck supports:#a contradicts:#b}"
    ));
}

#[test]
fn due_and_outcome_belong_to_forecasts_whatever_the_order() {
    insta::assert_snapshot!(dump(
        "’ — Кремль 中俄 🛢 {a | due:2020 kind:forecast outcome:true est:likely}\n\
         {b | kind:forecast due:2024-02 outcome:false}\n\
         {c | due:2020-06-15 kind:assessment outcome:true conf:high}\n\
         {d | outcome:maybe due:2020-02-30 due:2021 kind:forecast outcome:true outcome:false}\n\
         {e | due:2020}\n"
    ));
}

#[test]
fn the_last_pipe_splits_text_from_metadata() {
    insta::assert_snapshot!(dump("{a | b \\| c | ^src}"));
}

#[test]
fn claims_may_span_lines_but_not_a_blank_line() {
    insta::assert_snapshot!(dump("{first line\nsecond @line | ^s}\n\n{never\n\nclosed}"));
}

#[test]
fn unclosed_at_end_of_file_and_before_a_definition() {
    insta::assert_snapshot!(dump("{open @a\n@putin: Vladimir Putin\n{also open"));
}

#[test]
fn claims_do_not_nest() {
    insta::assert_snapshot!(dump("{outer {inner} rest}"));
}

#[test]
fn templating_braces_stay_plain_text() {
    insta::assert_snapshot!(dump(
        "{{ var }} {% tag %} {#anchor} {.class} {:attr} {} \\{not\\} {claim {{ x }} here | ^s}"
    ));
}

#[test]
fn invalid_metadata_tokens() {
    insta::assert_snapshot!(dump(
        "{a | ^ ^1x #x #y kind:fact kind:quote conf:sure est:maybe by:putin by:@a by:@b supports:x foo @a,b ^k(x)y ^ok(p. 3}"
    ));
}

#[test]
fn markup_is_not_recognised_in_code_comments_or_front_matter() {
    let text = "---\ntitle: {not} @front\n---\n`@span {x}` ``@two ` ticks`` <!-- @comment {x} -->\n\n```\n@fenced {x}\n```\n\n~~~\n{tilde}\n~~~\n\n    @indented {x}\n\n<!--\n@block {x}\n-->\n@real\n";
    insta::assert_snapshot!(dump(text));
}

#[test]
fn front_matter_needs_its_closing_line() {
    insta::assert_snapshot!(dump("---\n@not-front-matter\n"));
}

#[test]
fn definition_blocks_with_fields_and_description() {
    let text = "# Actors\n\n@putin: Vladimir Putin\n  kind: person\n  aliases: Putin, Vladimir Putin\n\tNote: former KGB officer; see @kgb and [the FSB](@fsb).\n  role:\nafter the block @x\n^reuters-2014-05-21: China, Russia sign $400 billion gas deal\n  date: 2014-05-21\n  reliability: B2\n";
    insta::assert_snapshot!(dump(text));
}

#[test]
fn invalid_fields_point_at_the_value() {
    let text = "@a: A\n  kind: persn\n  aliases: A,, B\n  kind: person\n^s: S\n  date: 2014-02-30\n  reliability: G7\n  url: www.x.org\n  publisher: anything goes\n";
    insta::assert_snapshot!(dump(text));
}

#[test]
fn definition_headers_need_column_zero_and_a_space() {
    insta::assert_snapshot!(dump(" @a: indented\n@b:no-space\n@c:\n"));
}

#[test]
fn headings_are_collected() {
    insta::assert_snapshot!(dump("# Top `code`\n\ntext\n\nSetext\n------\n### Deep {#anchor}\n"));
}

#[test]
fn a_parse_without_the_outline_differs_only_in_its_headings() {
    let text = "# Top `@x`\n\n{@a said | ^s}\n\nSetext @b\n------\n### Deep {#anchor}\n```\n@c\n```\n";
    let full = parse(text);
    assert_eq!(full.headings.len(), 3);
    let (lean, prose) = parse_keeping(text, Keep { prose: false, outline: false });
    assert!(lean.headings.is_empty() && prose.is_empty());
    assert_eq!(Parse { headings: full.headings.clone(), ..lean }, full);
    let (_, prose) = parse_keeping(text, Keep { prose: true, outline: false });
    assert_eq!(prose, prose_of(text));
}

#[test]
fn crlf_and_cr_line_endings() {
    insta::assert_snapshot!(dump("{a\r\nb | ^s}\r\n\r\n{c\r\rd}\r@x: X\r  kind: state\r"));
}

#[test]
fn prose_excludes_tokens_metadata_links_and_definitions() {
    let text = "Putin met [Xi Jinping](@xi) and @china {Putin spoke | ^src by:@putin} `Putin`\n@putin: Vladimir Putin\n  Putin description\nPutin again";
    assert_eq!(prose(text), vec!["Putin met ", " and ", " ", "Putin spoke ", " ", "\n", "\nPutin again"]);
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "{",
        "}",
        "|",
        "@",
        "^",
        "[",
        "](@",
        "{|",
        "{\\",
        "\\",
        "@a:",
        "^k:",
        "{a|}",
        "[x](@a",
        "\u{FEFF}{x}",
        "{`}`}",
        "{<!--}-->}",
        "---",
        "---\n---",
    ] {
        let _ = dump(text);
    }
}

/// Random documents built from the markup's own characters: parsing never
/// panics, and every range lies inside the text on character boundaries.
#[test]
fn random_documents_parse_into_valid_ranges() {
    const PIECES: &[&str] = &[
        "@",
        "^",
        "#",
        "{",
        "}",
        "|",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "`",
        "```\n",
        "~~~\n",
        "<!--",
        "-->",
        "---\n",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "  ",
        "\t",
        "    ",
        ":",
        " ",
        "a",
        "putin",
        "x-1",
        ".",
        "kind:quote",
        "conf:",
        "by:@",
        "supports:#",
        "’",
        "—",
        "Кремль",
        "中俄",
        "😀",
        "\u{0}",
        "@a: A\n",
        "  kind: x\n",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let len = (next() % 60) as usize;
        let text: String = (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
        let p = parse(&text);
        let check = |r: TextRange| {
            assert!(r.start <= r.end && r.end as usize <= text.len(), "{r:?} outside {text:?}");
            assert!(
                text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize),
                "{r:?} in {text:?}"
            );
        };
        p.references.iter().for_each(|r| check(r.range));
        p.errors.iter().for_each(|e| check(e.range));
        let prose = prose_of(&text);
        prose.iter().for_each(|&r| check(r));
        // The one-pass form the server uses finds exactly the same.
        assert_eq!(super::parse_with_prose(&text), (p.clone(), prose), "{text:?}");
        for c in &p.claims {
            [c.range, c.text()].into_iter().chain(c.metadata()).chain(c.id()).for_each(check);
            assert!(c.range.contains_range(c.text()));
        }
        for d in &p.definitions {
            [d.id, d.title, d.range].into_iter().for_each(check);
            d.fields.iter().for_each(|f| {
                check(f.key);
                check(f.value)
            });
        }
    }
}

#[test]
fn a_reference_gives_back_what_it_was_made_of() {
    let range = TextRange::new(40, 47);
    let roles = [
        Role::Mention,
        Role::Link { text: TextRange::new(30, 38) },
        Role::Involved,
        Role::Speaker,
        Role::Citation { locator: None },
        Role::Citation { locator: Some(TextRange::new(48, 52)) },
        Role::Supports,
        Role::Contradicts,
    ];
    for namespace in Namespace::ALL {
        for role in roles {
            for claim in [None, Some(0), Some(7), Some((1 << 27) - 2)] {
                let r = super::Reference::new(namespace, range, role, claim);
                assert_eq!((r.namespace(), r.range, r.role(), r.claim()), (namespace, range, role, claim));
            }
        }
    }
    // Past the packed field's room (a note of over 134 million claims), a
    // reference counts as outside any claim rather than in another one.
    let r = super::Reference::new(Namespace::Actor, range, Role::Mention, Some(u32::MAX - 1));
    assert_eq!((r.namespace(), r.role(), r.claim()), (Namespace::Actor, Role::Mention, None));
}

/// The claims and errors of `text`, as `(kind, covered text, start)`.
fn claims_and_errors(text: &str) -> Vec<(String, String, u32)> {
    let p = parse(text);
    let mut out: Vec<(String, String, u32)> =
        p.claims.iter().map(|c| ("claim".to_string(), c.range.of(text).to_string(), c.range.start)).collect();
    out.extend(p.errors.iter().map(|e| (format!("{:?}", e.kind), e.range.of(text).to_string(), e.range.start)));
    out.sort_by_key(|(_, _, start)| *start);
    out
}

/// The scanner remembers its forward searches (closers of templating
/// blocks, where an unclosed claim's search stopped) so that a run of
/// openers stays linear; every answer must be the one a fresh search gives.
#[test]
fn remembered_searches_give_the_answers_of_fresh_ones() {
    type Found<'a> = &'a [(&'a str, &'a str, u32)];
    let cases: &[(&str, Found)] = &[
        // A templating block's `}}` ends it; the claim after is one.
        ("{{ x }} {a}", &[("claim", "{a}", 8)]),
        // No `}}` on the line: each `{{` is just its braces, later ones too.
        ("{{ {{ {a}", &[("claim", "{a}", 6)]),
        // A remembered `}}` further on still closes a later block.
        ("{{ a {{ b }} {c}", &[("claim", "{c}", 13)]),
        // The memo of one line says nothing of the next.
        ("{{ a\n{{ b }} {c}", &[("claim", "{c}", 13)]),
        // `{a` and `{b` end at the blank line, unclosed; `{c}` after it is whole.
        ("{a {b\n\n{c}", &[("UnclosedClaim", "{", 0), ("UnclosedClaim", "{", 3), ("claim", "{c}", 7)]),
        // An unclosed claim's stop is a definition header: the one after it
        // opens afresh.
        ("x {a {b\n@p: P\n{c}", &[("UnclosedClaim", "{", 2), ("UnclosedClaim", "{", 5), ("claim", "{c}", 14)]),
        // A nested `{` is an error of the claim that closes.
        ("{a {b} {c", &[("claim", "{a {b}", 0), ("NestedClaim", "{", 3), ("UnclosedClaim", "{", 7)]),
    ];
    for (text, expected) in cases {
        let expected: Vec<(String, String, u32)> =
            expected.iter().map(|(k, t, s)| (k.to_string(), t.to_string(), *s)).collect();
        assert_eq!(claims_and_errors(text), expected, "{text:?}");
    }
}
