//! Semantic tokens, inlay hints, code lens, links and folding ranges of the
//! note holding `$0` (the cursor only picks the note), shown as readable
//! lines: `start..end what "text"`.

use super::{DEFS, fixture, with_defs};
use crate::analysis::{
    Modifiers, TokenKind, code_lenses, document_links, folding_ranges, inlay_hints, lens_title, semantic_tokens,
};
use crate::syntax::Namespace;
use crate::text::TextRange;

fn show(text: &str, range: TextRange, what: &str) -> String {
    format!("{:?} {what} {:?}", range, range.of(text))
}

fn tokens_in(fx: &str, within: Option<TextRange>) -> String {
    let fx = fixture(fx);
    let document = fx.workspace.document(fx.doc);
    let tokens = semantic_tokens(&fx.workspace, None, document, within);
    // The rules' context only makes the lookups cheaper.
    let context = crate::analysis::RuleContext::new(&fx.workspace);
    assert_eq!(semantic_tokens(&fx.workspace, Some(&context), document, within), tokens);
    let names = ["declaration", "unknown", "unsourced", "weak"];
    tokens
        .iter()
        .map(|t| {
            let mods: Vec<&str> =
                Modifiers::ALL.iter().zip(names).filter(|(m, _)| t.modifiers.contains(**m)).map(|(_, n)| n).collect();
            let kind = format!(
                "{:?}{}",
                t.kind,
                if mods.is_empty() { String::new() } else { format!("[{}]", mods.join(",")) }
            );
            show(&document.text, t.range, &kind)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn tokens(fx: &str) -> String {
    tokens_in(fx, None)
}

/// Every kind of token and every modifier, in one note beside the shared
/// definitions (`^weak` is graded E5).
const EVERY_TOKEN: &str = "//- weak.md
^weak: A rumour mill
  reliability: E5
//- notes/n.md
$0’ — Кремль 中俄 😀 @putin met [Xi](@xi) and @nobody, per [Reuters](^reuters).
’ — Кремль 中俄 😀 {@putin signed | ^reuters(p. 3) ^weak ^gone #deal kind:fact conf:high est:likely by:@xi}
’ — Кремль 中俄 😀 {Unsourced talk | supports:#deal contradicts:#none @xi}
";

#[test]
fn every_kind_of_token_and_every_modifier() {
    insta::assert_snapshot!(tokens(&with_defs(EVERY_TOKEN)), @r##"
    33..39 Actor "@putin"
    49..52 Actor "@xi"
    58..65 Actor[unknown] "@nobody"
    81..89 Source "^reuters"
    125..126 Claim "{"
    126..132 Actor "@putin"
    140..141 Claim "|"
    142..150 Source "^reuters"
    150..156 Locator "(p. 3)"
    157..162 Source[weak] "^weak"
    163..168 Source[unknown] "^gone"
    169..174 ClaimId[declaration] "#deal"
    175..180 MetadataKey "kind:"
    180..184 MetadataValue "fact"
    185..190 MetadataKey "conf:"
    190..194 MetadataValue "high"
    195..199 MetadataKey "est:"
    199..205 MetadataValue "likely"
    206..209 MetadataKey "by:"
    209..212 Actor "@xi"
    212..213 Claim "}"
    247..248 Claim[unsourced] "{"
    263..264 Claim[unsourced] "|"
    265..274 MetadataKey "supports:"
    274..279 ClaimId "#deal"
    280..292 MetadataKey "contradicts:"
    292..297 ClaimId[unknown] "#none"
    298..301 Actor "@xi"
    301..302 Claim[unsourced] "}"
    "##);
}

#[test]
fn definitions_their_ids_and_field_keys() {
    let fx = format!("//- notes/n.md\n{}", DEFS.replacen("//- actors.md\n", "//- actors.md\n$0", 1));
    insta::assert_snapshot!(tokens(&fx), @r##"
    42..48 Actor[declaration] "@putin"
    67..72 FieldKey "kind:"
    82..87 FieldKey "role:"
    126..134 FieldKey "aliases:"
    141..144 Actor[declaration] "@xi"
    159..164 FieldKey "kind:"
    "##);
}

#[test]
fn an_invalid_metadata_token_gets_no_token() {
    // `conf:hgh`, a second `#id`, `by:` without an actor, `^key(` unclosed.
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Said | ^reuters conf:hgh #a #b by:xi ^tass(p. 3}\n");
    insta::assert_snapshot!(tokens(&fx), @r##"
    33..34 Claim "{"
    39..40 Claim "|"
    41..49 Source "^reuters"
    59..61 ClaimId[declaration] "#a"
    81..82 Claim "}"
    "##);
}

#[test]
fn a_locator_across_lines_is_split_and_no_token_holds_a_line_break() {
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Signed | ^reuters(p. 3,\r\n  para 2) ^tass}\n");
    insta::assert_snapshot!(tokens(&fx), @r##"
    33..34 Claim "{"
    41..42 Claim "|"
    43..51 Source "^reuters"
    51..57 Locator "(p. 3,"
    59..68 Locator "  para 2)"
    69..74 Source "^tass"
    74..75 Claim "}"
    "##);
}

#[test]
fn the_unsourced_modifier_follows_the_rule_and_its_configuration() {
    let note = "//- n.md\n$0’ — Кремль 中俄 😀 {A quote | kind:quote by:@xi} {A forecast | kind:forecast}\n";
    let claims = |fx: &str| {
        tokens(fx)
            .lines()
            .filter(|l| l.contains("Claim"))
            .map(|l| l.split(' ').nth(1).unwrap().to_string())
            .collect::<Vec<_>>()
    };
    // A quote citing nothing is unsourced; a forecast needs no source.
    assert_eq!(
        claims(&with_defs(note)),
        ["Claim[unsourced]", "Claim[unsourced]", "Claim[unsourced]", "Claim", "Claim", "Claim"]
    );
    let off = format!("//- dossier.toml\n[rules]\nunsourced-claim = \"off\"\n{}", with_defs(note));
    assert_eq!(claims(&off), ["Claim"; 6]);
}

#[test]
fn a_range_request_keeps_the_tokens_meeting_the_range() {
    let fx = with_defs(EVERY_TOKEN);
    let all = tokens(&fx);
    // From inside `@putin` of the claim to inside `#deal`.
    let within = TextRange::new(128, 171);
    let expected: Vec<&str> = all
        .lines()
        .filter(|l| {
            let (start, end) = l.split(' ').next().unwrap().split_once("..").unwrap();
            start.parse::<u32>().unwrap() < within.end && within.start < end.parse::<u32>().unwrap()
        })
        .collect();
    assert_eq!(expected.first().copied(), Some(r#"126..132 Actor "@putin""#));
    assert_eq!(tokens_in(&fx, Some(within)), expected.join("\n"));
}

#[test]
fn token_kinds_are_in_the_legends_order() {
    assert_eq!(TokenKind::ALL.map(|k| k as usize), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(Modifiers::ALL.map(|m| m.0), [1, 2, 4, 8]);
}

fn hints(fx: &str, within: Option<TextRange>) -> String {
    let fx = fixture(fx);
    let document = fx.workspace.document(fx.doc);
    let within = within.unwrap_or(TextRange::new(0, document.text.len()));
    inlay_hints(&fx.workspace, document, within)
        .iter()
        .map(|h| {
            format!("{} after {:?}: {:?} ({})", h.at, &document.text[h.at.saturating_sub(6)..h.at], h.label, h.tooltip)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn inlay_hints_give_grades_after_citations_and_ranges_after_estimates() {
    let fx = with_defs(
        "//- n.md\n$0’ — Кремль 中俄 😀 {Signed | ^reuters(p. 3) ^tass ^gone est:likely} per [Reuters](^reuters).\n\
         //- ungraded.md\n^plain: No grade here\n",
    );
    insta::assert_snapshot!(hints(&fx, None), @r##"
    57 after "(p. 3)": " B2" (B2 — usually reliable; probably true)
    63 after " ^tass": " C3" (C3 — fairly reliable; possibly true)
    80 after "likely": " 55–80%" (ICD 203: likely (55–80%))
    "##);
    // A source without a grade, or not defined, gets none; nor does a link in prose.
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Signed | ^plain}\n//- ungraded.md\n^plain: No grade here\n");
    assert_eq!(hints(&fx, None), "");
    // Only the hints within the range.
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Signed | ^reuters ^tass}\n");
    assert_eq!(
        hints(&fx, Some(TextRange::new(0, 52))),
        r#"51 after "euters": " B2" (B2 — usually reliable; probably true)"#
    );
}

#[test]
fn code_lenses_count_mentions_claims_and_relations() {
    let fx = fixture(&with_defs(
        "//- notes/a.md\n$0’ — Кремль 中俄 😀 @putin met @xi. {@putin signed | ^reuters #deal by:@putin} {Alone | ^tass #alone}\n\
         ^lonely: Cited by nobody\n\
         //- notes/b.md\n’ — Кремль 中俄 😀 {Yes | ^tass supports:#deal} {No | ^tass contradicts:#deal} {Also | ^tass supports:#deal}\n",
    ));
    let document = fx.workspace.document(fx.doc);
    let shown: Vec<String> = code_lenses(&fx.workspace, document)
        .iter()
        .map(|l| show(&document.text, l.range, &lens_title(&fx.workspace, l.namespace, &l.name)))
        .collect();
    assert_eq!(
        shown,
        [r##"75..80 supported by 2 · contradicted by 1 "#deal""##, r#"115..122 0 mentions · 0 claims "^lonely""#,]
    );
    let title = |ns, name| lens_title(&fx.workspace, ns, name);
    // @putin: three mentions in one claim and prose; @xi: one, in prose.
    assert_eq!(title(Namespace::Actor, "putin"), "3 mentions · 1 claim");
    assert_eq!(title(Namespace::Actor, "xi"), "1 mention · 0 claims");
    assert_eq!(title(Namespace::Source, "tass"), "4 mentions · 4 claims");
}

#[test]
fn links_are_valid_source_urls_only() {
    let fx = fixture(
        "//- sources.md\n$0^a: A\n  url: https://example.org/a?b=1\n  url: https://example.org/second\n\
         ^b: B\n  url: ftp://example.org/b\n^c: C\n  url: not a url\n@d: D\n  url: https://example.org/actor\n",
    );
    let document = fx.workspace.document(fx.doc);
    let links: Vec<String> =
        document_links(document).iter().map(|l| show(&document.text, l.range, &l.target)).collect();
    assert_eq!(links, [r#"13..38 https://example.org/a?b=1 "https://example.org/a?b=1""#]);
}

#[test]
fn folding_covers_definition_blocks_and_claims_spanning_lines() {
    let fx = fixture(
        "//- n.md\n$0’ — Кремль 中俄 😀 {One line | ^a}\n{Two\nlines | ^a}\n\n@p: P\n  kind: person\n@q: Q\n\n^a: A\n",
    );
    let document = fx.workspace.document(fx.doc);
    let folds: Vec<String> = folding_ranges(document).iter().map(|r| show(&document.text, *r, "fold")).collect();
    assert_eq!(folds, [r#"49..65 fold "{Two\nlines | ^a}""#, r#"67..87 fold "@p: P\n  kind: person""#]);
}

/// What a paste can produce: every token is still found, none invented;
/// `bench/pathological.py` times these shapes through the server.
#[test]
fn hostile_shapes_give_exact_tokens() {
    let tokens_of = |text: String| {
        let fx = fixture(&format!("//- n.md\n$0{text}"));
        let document = fx.workspace.document(fx.doc);
        semantic_tokens(&fx.workspace, None, document, None)
    };
    // 10,000 `{` pasted: no claim closes, nothing to show.
    assert!(tokens_of("{".repeat(10_000)).is_empty());
    // A line of about 1 MB: 40,000 claims after an emoji, 7 tokens each.
    let claim = "😀 {a @p | ^k(p. 1) #c} ";
    let tokens = tokens_of(claim.repeat(40_000));
    assert_eq!(tokens.len(), 280_000);
    let last = tokens.last().unwrap();
    assert_eq!((last.kind, last.range.start as usize), (TokenKind::Claim, claim.len() * 40_000 - 2));
    // The braces outside a claim stay text; `{` after `{` opens nothing.
    assert!(tokens.iter().all(|t| t.range.len() <= "(p. 1)".len()));
}

#[test]
fn a_forecasts_due_date_and_outcome_are_metadata_tokens() {
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Built | kind:forecast est:likely due:2019-12 outcome:false}\n");
    let got = tokens(&fx);
    for expected in
        ["MetadataKey \"due:\"", "MetadataValue \"2019-12\"", "MetadataKey \"outcome:\"", "MetadataValue \"false\""]
    {
        assert!(got.contains(expected), "{expected} in\n{got}");
    }
    // On a fact, `due:` is invalid metadata: no token.
    let fx = with_defs("//- n.md\n$0’ — Кремль 中俄 😀 {Built | ^reuters due:2019-12}\n");
    assert!(!tokens(&fx).contains("due:"), "{}", tokens(&fx));
}
