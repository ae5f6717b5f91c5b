//! Completion: what is offered at the cursor, and the range each item
//! replaces (the part of the word already typed, marked `[[…]]`, empty when
//! nothing is typed yet).

use super::{fixture, with_defs};
use crate::analysis::{CompletionKind, Location, complete};

/// The items offered at the cursor as `label (kind) detail`, after checking
/// that each replaces the marked range with its label.
fn items(fx: &str) -> Vec<String> {
    let fx = fixture(fx);
    let document = fx.workspace.document(fx.doc);
    let marked = fx.show(&fx.the_marked());
    complete(&fx.workspace, document, fx.offset)
        .into_iter()
        .map(|c| {
            assert_eq!(fx.show(&Location { doc: fx.doc, range: c.replace }), marked, "{}", c.label);
            assert_eq!(c.insert, c.label);
            let kind = match c.kind {
                CompletionKind::Actor => "actor",
                CompletionKind::Source => "source",
                CompletionKind::Claim => "claim",
                CompletionKind::Value => "value",
                CompletionKind::Keyword => "keyword",
            };
            format!("{} ({kind}) {}", c.label, c.detail)
        })
        .collect()
}

/// Claims with ids in two notes, beside the shared definitions.
fn in_note(note: &str) -> String {
    with_defs(&format!(
        "//- notes/deal.md
’ — Кремль 中俄 😀 {{The deal was signed by @putin and @xi in Shanghai on 21 May 2014, after ten years of talks | ^reuters #deal}}
//- notes/other.md
’ — Кремль 中俄 😀 {{It helps | ^tass #help supports:#deal kind:assessment conf:low}}
//- notes/cursor.md
{note}
"
    ))
}

const ACTORS: [&str; 2] = ["putin (actor) Vladimir Putin — person", "xi (actor) Xi Jinping — person"];

#[test]
fn after_an_at_sign_every_actor() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 met @[[$0]]")), ACTORS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 met @[[pu$0]]")), ACTORS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | by:@[[p$0]]}")), ACTORS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 [Putin](@[[$0]])")), ACTORS);
}

#[test]
fn actor_items_carry_the_hover_card() {
    let fx = fixture(&in_note("’ — Кремль 中俄 😀 met @[[$0]]"));
    let first = complete(&fx.workspace, fx.workspace.document(fx.doc), fx.offset).remove(0);
    let documentation = first.documentation.expect("the actor's card");
    assert!(documentation.starts_with("**Vladimir Putin** `@putin` — person\n"), "{documentation}");
}

#[test]
fn after_a_caret_every_source() {
    let expected = [
        "reuters (source) China, Russia sign $400 billion gas deal · 2014-05-21 · B2 — usually reliable; probably true",
        "tass (source) Gas deal signed in Shanghai · C3 — fairly reliable; possibly true",
    ];
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^[[$0]]}")), expected);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^[[re$0]]")), expected);
}

const CLAIMS: [&str; 2] = [
    "deal (claim) fact: The deal was signed by @putin and @xi in Shanghai on 21 May…",
    "help (claim) assessment: It helps",
];

#[test]
fn after_a_hash_in_metadata_every_claim_id() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass #[[$0]]")), CLAIMS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass #[[he$0]]")), CLAIMS);
}

#[test]
fn after_supports_hash_every_claim_id() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass supports:#[[$0]]}")), CLAIMS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass contradicts:#[[d$0]]")), CLAIMS);
}

#[test]
fn a_hash_in_prose_offers_nothing() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 #[[$0]]")), Vec::<String>::new());
    assert_eq!(items(&in_note("#[[$0]] ’ — Кремль 中俄 😀")), Vec::<String>::new());
}

#[test]
fn after_kind_every_claim_kind() {
    assert_eq!(
        items(&in_note("’ — Кремль 中俄 😀 {x | ^tass kind:[[$0]]}")),
        [
            "fact (value) a statement of fact; it must cite a source",
            "assessment (value) an analytic judgement; it states its confidence with `conf:`",
            "quote (value) someone's words; it names the speaker with `by:` and cites a source",
            "forecast (value) a judgement about the future; it states its probability with `est:`",
        ]
    );
}

#[test]
fn after_conf_every_confidence() {
    assert_eq!(
        items(&in_note("’ — Кремль 中俄 😀 {x | ^tass conf:[[mo$0]]}")),
        [
            "low (value) low confidence: the information is scant, questionable or fragmented",
            "moderate (value) moderate confidence: credibly sourced and plausible, but not corroborated enough for high confidence",
            "high (value) high confidence: based on high-quality information from several sources",
        ]
    );
}

#[test]
fn after_est_every_estimate() {
    assert_eq!(
        items(&in_note("’ — Кремль 中俄 😀 {x | kind:forecast est:[[$0]]")),
        [
            "almost-no-chance (value) almost no chance (1–5%)",
            "very-unlikely (value) very unlikely (5–20%)",
            "unlikely (value) unlikely (20–45%)",
            "even-chance (value) roughly even chance (45–55%)",
            "likely (value) likely (55–80%)",
            "very-likely (value) very likely (80–95%)",
            "almost-certain (value) almost certain (95–99%)",
        ]
    );
}

#[test]
fn an_unknown_key_offers_no_values() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass mood:[[$0]]}")), Vec::<String>::new());
}

const TOKENS: [&str; 8] = [
    "kind: (keyword) the claim's kind: fact, assessment, quote or forecast",
    "conf: (keyword) analytic confidence: low, moderate or high",
    "est: (keyword) estimative probability (ICD 203)",
    "by:@ (keyword) who says or holds it",
    "supports:# (keyword) this claim supports another",
    "contradicts:# (keyword) this claim contradicts another",
    "due: (keyword) a forecast's resolution date: YYYY, YYYY-MM or YYYY-MM-DD",
    "outcome: (keyword) how a forecast resolved: true or false",
];

#[test]
fn metadata_token_names_at_a_word_start_in_metadata() {
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | [[$0]]")), TOKENS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x |[[$0]]}")), TOKENS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x | ^tass [[co$0]]}")), TOKENS);
    assert_eq!(items(&in_note("’ — Кремль 中俄 😀 {x\nover two lines | ^tass [[$0]]")), TOKENS);
}

#[test]
fn no_token_names_outside_metadata() {
    for note in [
        "’ — Кремль 中俄 😀 [[$0]]",
        "’ — Кремль 中俄 😀 {x [[$0]]",
        "’ — Кремль 中俄 😀 {x | ^tass} [[$0]]",
        "’ — Кремль 中俄 😀 {x | ^tass\n\n[[$0]]",
    ] {
        assert_eq!(items(&in_note(note)), Vec::<String>::new(), "{note}");
    }
}

#[test]
fn after_outcome_true_and_false() {
    assert_eq!(
        items(&in_note("’ — Кремль 中俄 🛢 {x | kind:forecast outcome:[[t$0]]}")),
        ["true (value) it came true", "false (value) it did not come true"]
    );
}
