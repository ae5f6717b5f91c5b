//! Hover: the card of the token under the cursor, or of the claim around it,
//! over the marked range.

use super::{Fixture, fixture, with_defs};
use crate::analysis::{Location, hover};

/// The hover at the cursor, its range checked against the one marked range;
/// returns the card's Markdown.
fn card(fx: &str) -> String {
    let fx = fixture(fx);
    let answer = hover(&fx.workspace, fx.doc, fx.offset).expect("a hover card");
    let range = Location { doc: fx.doc, range: answer.range };
    assert_eq!(fx.show(&range), fx.show(&fx.the_marked()));
    answer.markdown
}

/// Notes that mention, cite and relate so that the cards have counts to show.
const NOTES: &str = "//- notes/deal.md
# Gas deal
’ — Кремль 中俄 😀 @putin met [Xi Jinping](@xi): {@putin signed the deal with @xi | ^reuters(p. 3) #deal conf:high}.
//- notes/other.md
’ — Кремль 中俄 😀 {Xi welcomed it | ^tass supports:#deal by:@xi kind:quote}
";

fn with_notes(note: &str) -> String {
    with_defs(&format!("{NOTES}//- notes/cursor.md\n{note}"))
}

#[test]
fn on_an_actor_mention() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 then [[@pu$0tin]] left.\n")), @r"
    **Vladimir Putin** `@putin` — person

    President of the Russian Federation

    *Also:* Putin


    Defined at actors.md:2 · 3 mentions · in 1 claim
    ");
}

#[test]
fn on_a_link_form_mention_its_id() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 [Vladimir Putin]([[@$0putin]]) left.\n")), @r"
    **Vladimir Putin** `@putin` — person

    President of the Russian Federation

    *Also:* Putin


    Defined at actors.md:2 · 3 mentions · in 1 claim
    ");
}

#[test]
fn on_a_source_citation_with_a_locator() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 {Signed | [[^reu$0ters]](p. 3, para 2)}\n")), @r"
    **China, Russia sign $400 billion gas deal** `^reuters`

    Reuters · 2014-05-21

    Reliability: **B2 — usually reliable; probably true**


    Cited by 2 claims · defined at sources.md:2
    ");
}

#[test]
fn on_a_claim_body() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 [[{The deal helps @xi a$0nd @putin | ^reuters ^tass(p. 1) #help contradicts:#deal conf:moderate est:likely by:@putin}]].\n")), @r"
    **Claim** `#help` — fact: a statement of fact; it must cite a source

    > The deal helps @xi and @putin

    - Confidence: moderate confidence: credibly sourced and plausible, but not corroborated enough for high confidence
    - Estimate: likely (55–80%)
    - Speaker: Vladimir Putin (`@putin`)
    - Sources: `^reuters` (B2 — usually reliable; probably true); `^tass`, p. 1 (C3 — fairly reliable; possibly true)
    - Contradicts: `#deal`
    ");
}

#[test]
fn on_a_claim_id_shows_the_claim_and_who_supports_it() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 {More | ^tass supports:[[#d$0eal]]}\n")), @r"
    **Claim** `#deal` — fact: a statement of fact; it must cite a source

    > @putin signed the deal with @xi

    - Confidence: high confidence: based on high-quality information from several sources
    - Sources: `^reuters`, p. 3 (B2 — usually reliable; probably true)
    - Supported by: notes/other.md:1, notes/cursor.md:1
    ");
}

#[test]
fn on_metadata_values() {
    assert_eq!(
        card(&with_notes("’ — Кремль 中俄 😀 {x | ^tass [[conf:hi$0gh]]}\n")),
        "**conf: high** — high confidence: based on high-quality information from several sources"
    );
    assert_eq!(
        card(&with_notes("’ — Кремль 中俄 😀 {x | ^tass kind:forecast [[$0est:likely]]}\n")),
        "**est: likely** — likely (55–80%) (ICD 203 estimative probability)"
    );
    assert_eq!(
        card(&with_notes("’ — Кремль 中俄 😀 {x | ^tass by:@xi [[kind:quote$0]]}\n")),
        "**kind: quote** — someone's words; it names the speaker with `by:` and cites a source"
    );
}

#[test]
fn on_an_unknown_actor_says_how_to_define_it() {
    insta::assert_snapshot!(card(&with_notes("’ — Кремль 中俄 😀 [[@nob$0ody]]\n")), @r"**Unknown actor** `@nobody`: no definition in the workspace. Define it with `@nobody: Name`.");
}

#[test]
fn on_nothing() {
    for note in [
        "’ — Кремль 中俄 😀 plain $0prose @putin\n",
        "’ — Кремль 中俄 😀 mail putin$0@kremlin.ru\n",
        "’ — Кремль 中俄 😀 {x | ^tass}$0 after\n",
        "’ — Кремль 中俄 $0😀 {x | ^tass}\n",
    ] {
        let fx: Fixture = fixture(&with_notes(note));
        assert_eq!(hover(&fx.workspace, fx.doc, fx.offset), None, "{note}");
    }
}

#[test]
fn on_the_words_of_a_link_form_the_card_of_its_id_over_the_whole_link() {
    let putin = card(&with_notes("’ — Кремль 中俄 😀 then [[[Vladimir Pu$0tin](@putin)]] left.\n"));
    assert!(putin.starts_with("**Vladimir Putin** `@putin` — person"), "{putin}");
    // The brackets count as the link's too.
    let at_bracket = card(&with_notes("’ — Кремль 中俄 😀 then [[$0[Vladimir Putin](@putin)]] left.\n"));
    assert_eq!(at_bracket, putin);
    let source = card(&with_notes("’ — Кремль 中俄 😀 as [[[Reu$0ters](^reuters)]] said\n"));
    assert!(source.starts_with("**China, Russia sign $400 billion gas deal** `^reuters`"), "{source}");
}

#[test]
fn inside_a_claim_the_words_of_a_link_form_win_over_the_claim_card() {
    let card = card(&with_notes("’ — Кремль 中俄 😀 {[[[Xi J$0inping](@xi)]] agreed | ^tass}\n"));
    assert!(card.starts_with("**Xi Jinping** `@xi`"), "{card}");
}

#[test]
fn just_outside_a_link_form_nothing() {
    for note in [
        "’ — Кремль 中俄 😀 then$0 [Vladimir Putin](@putin) left.\n",
        "’ — Кремль 中俄 😀 then [Vladimir Putin](@putin) $0left.\n",
        "’ — Кремль 中俄 😀 then [Vladimir Putin](https://example.org/$0putin) left.\n",
    ] {
        let fx: Fixture = fixture(&with_notes(note));
        assert_eq!(hover(&fx.workspace, fx.doc, fx.offset), None, "{note}");
    }
}

/// The card at the cursor as it reads on 2024-06-15.
fn card_on_the_15th(fx: &str) -> String {
    let mut fx = fixture(fx);
    fx.workspace.today = crate::syntax::Date { year: 2024, month: 6, day: 15 };
    let answer = hover(&fx.workspace, fx.doc, fx.offset).expect("a hover card");
    assert_eq!(fx.show(&Location { doc: fx.doc, range: answer.range }), fx.show(&fx.the_marked()));
    answer.markdown
}

#[test]
fn on_a_forecast_its_due_date_outcome_and_whether_overdue() {
    let overdue = "’ — Кремль 中俄 🛢 [[{It will be built by 2019 $0| kind:forecast est:likely due:2019 by:@xi}]]\n";
    insta::assert_snapshot!(card_on_the_15th(&with_notes(overdue)), @r"
    **Claim** — forecast: a judgement about the future; it states its probability with `est:`

    > It will be built by 2019

    - Estimate: likely (55–80%)
    - Due: 2019 — **overdue** (today is 2024-06-15): record its `outcome:`
    - Speaker: Xi Jinping (`@xi`)
    - Sources: none
    ");
    let resolved = "’ — Кремль 中俄 🛢 [[{It was $0built | kind:forecast est:likely due:2019-12 outcome:false}]]\n";
    let card = card_on_the_15th(&with_notes(resolved));
    assert!(card.contains("- Due: 2019-12\n- Outcome: false — it did not come true\n"), "{card}");
    let open = "’ — Кремль 中俄 🛢 [[{It will $0be built | kind:forecast est:likely due:2024-06-15}]]\n";
    let card = card_on_the_15th(&with_notes(open));
    assert!(card.contains("- Due: 2024-06-15 — not yet due (today is 2024-06-15)\n"), "{card}");
}

#[test]
fn on_due_and_outcome_values() {
    assert_eq!(
        card_on_the_15th(&with_notes("’ — Кремль 中俄 🛢 {x | kind:forecast est:likely [[du$0e:2024-02]]}\n")),
        "**due: 2024-02** — the date by which this forecast resolves (through 2024-02-29); **overdue**: past (today is 2024-06-15) and no `outcome:` yet"
    );
    assert_eq!(
        card_on_the_15th(&with_notes("’ — Кремль 中俄 🛢 {x | kind:forecast due:2024 [[outcome:true$0]]}\n")),
        "**outcome: true** — it came true: how this forecast resolved"
    );
}
