//! The readers on realistic exports (tests/data/bibliography/) and on
//! broken files: byte ranges, abbreviations, crossref, `{}` protection.

use super::{Format, parse};
use crate::syntax::{Parse, SyntaxErrorKind};
use crate::text::TextRange;

const BIBTEX: &str = include_str!("../../tests/data/bibliography/zotero-better-bibtex.bib");
const CSL: &str = include_str!("../../tests/data/bibliography/zotero-better-csl.json");

/// An entry as a test compares it: key, title, and the fields in order.
type Read = (String, String, Vec<(String, String)>);

fn entries(parse: &Parse, text: &str) -> Vec<Read> {
    parse
        .definitions
        .iter()
        .map(|d| {
            let entry = d.entry.as_ref().expect("a bibliography entry");
            let fields = entry.fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            (d.name(text).to_string(), entry.title.clone(), fields)
        })
        .collect()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The range of the `n`th occurrence (from 0) of `needle` in `text`.
fn nth(text: &str, needle: &str, n: usize) -> TextRange {
    let start = text.match_indices(needle).nth(n).expect("in the text").0;
    TextRange::new(start, start + needle.len())
}

/// (kind, text of the range, message) of each error.
fn errors(parse: &Parse, text: &str) -> Vec<(SyntaxErrorKind, String, String)> {
    parse.errors.iter().map(|e| (e.kind, e.range.of(text).to_string(), e.message.clone())).collect()
}

#[test]
fn a_better_bibtex_export_reads_every_entry_with_macros_crossref_and_protection_removed() {
    let parse = parse(BIBTEX, Format::Bibtex);
    assert_eq!(errors(&parse, BIBTEX), []);
    assert_eq!(
        entries(&parse, BIBTEX),
        [
            (
                "paxton2014ChinaRussiaSign".into(),
                "China, Russia Sign $400 Billion Gas Deal after Decade of Talks".into(),
                fields(&[
                    ("publisher", "Reuters"),
                    ("date", "2014-05"),
                    ("url", "https://www.reuters.com/article/us-china-russia-gas-idUSBREA4K07K20140521"),
                    ("reliability", "B2"),
                    ("author", "Paxton, Robin; Dyomkin, Denis"),
                    ("type", "article"),
                ])
            ),
            (
                "tass2014PutinGasContract".into(),
                "Путин: газовый контракт с Китаем — «эпохальное событие»".into(),
                fields(&[
                    ("publisher", "TASS Russian News Agency"),
                    ("date", "2014-05-21"),
                    ("reliability", "C3"),
                    ("author", "ТАСС"),
                    ("type", "article"),
                ])
            ),
            (
                "eia2014ChinaEnergy".into(),
                "China Energy Outlook: Sino-Russian Gas Trade".into(),
                fields(&[
                    ("publisher", "U.S. Energy Information Administration (EIA)"),
                    ("date", "2014-06"),
                    ("url", "https://www.eia.gov/international/analysis/country/CHN"),
                    ("reliability", "A2"),
                    ("type", "report"),
                ])
            ),
            (
                // Its own title; publisher, date, URL and grade from its crossref.
                "henderson2014PowerSiberia".into(),
                "The Power of Siberia: Schönes Pipeline Economics — a Café Talk".into(),
                fields(&[
                    ("publisher", "U.S. Energy Information Administration (EIA)"),
                    ("date", "2014-06"),
                    ("url", "https://www.eia.gov/international/analysis/country/CHN"),
                    ("reliability", "A2"),
                    ("author", "Henderson, James"),
                    ("type", "inproceedings"),
                ])
            ),
            (
                "weibo2014GasDeal".into(),
                "中俄天然气协议 🛢 签署".into(),
                fields(&[
                    ("publisher", "Sina Weibo"),
                    ("date", "2014-05-21"),
                    ("reliability", "E5"),
                    ("author", "人民日报"),
                    ("type", "online"),
                ])
            ),
        ]
    );
}

#[test]
fn a_bibtex_key_range_is_the_key_after_the_type_and_brace() {
    let parse = parse(BIBTEX, Format::Bibtex);
    let keys: Vec<TextRange> = parse.definitions.iter().map(|d| d.id).collect();
    assert_eq!(
        keys,
        [
            nth(BIBTEX, "paxton2014ChinaRussiaSign", 0),
            nth(BIBTEX, "tass2014PutinGasContract", 0),
            nth(BIBTEX, "eia2014ChinaEnergy", 0),
            nth(BIBTEX, "henderson2014PowerSiberia", 0),
            nth(BIBTEX, "weibo2014GasDeal", 0),
        ]
    );
    // The entry runs from `@` to its closing brace.
    let first = &parse.definitions[0];
    assert!(first.range.of(BIBTEX).starts_with("@article{paxton2014ChinaRussiaSign,"));
    assert!(first.range.of(BIBTEX).ends_with("note = {reliability: B2}\n}"));
}

#[test]
fn a_zotero_csl_json_export_reads_every_item_with_the_id_range_inside_its_quotes() {
    let parse = parse(CSL, Format::CslJson);
    assert_eq!(errors(&parse, CSL), []);
    assert_eq!(
        entries(&parse, CSL),
        [
            (
                "gazprom2014Contract".into(),
                "Gazprom and CNPC sign 30-year contract for gas supplies to China via the eastern route".into(),
                fields(&[
                    ("publisher", "Gazprom"),
                    ("date", "2014-05-21"),
                    ("url", "https://www.gazprom.com/press/news/2014/may/article191451/"),
                    ("reliability", "B1"),
                    ("type", "webpage"),
                ])
            ),
            (
                "kommersant2014Kremlin".into(),
                "Кремль: «Сила Сибири» — сделка века".into(),
                fields(&[
                    ("publisher", "Коммерсантъ"),
                    ("date", "2014-05"),
                    ("reliability", "C2"),
                    ("author", "Габуев, Александр"),
                    ("type", "article-newspaper"),
                ])
            ),
            (
                "xinhua2014Deal".into(),
                "中俄签署东线天然气合作协议".into(),
                fields(&[("publisher", "新华社"), ("date", "2014-05-21"), ("type", "article-newspaper")])
            ),
        ]
    );
    let keys: Vec<TextRange> = parse.definitions.iter().map(|d| d.id).collect();
    assert_eq!(
        keys,
        [nth(CSL, "gazprom2014Contract", 0), nth(CSL, "kommersant2014Kremlin", 0), nth(CSL, "xinhua2014Deal", 0)]
    );
    assert!(parse.definitions[2].range.of(CSL).starts_with('{'));
    assert!(parse.definitions[2].range.of(CSL).ends_with('}'));
}

#[test]
fn a_broken_bibtex_entry_is_reported_where_it_breaks_and_the_others_count() {
    let text = "@article{first,\n  title = {Кремль {Talks}\n}\n@article{second, title = {Fine}}\n\
                @article{third,\n  title {x},\n}\n@book{fourth, title = {Also fine}, publisher = unknownmacro}\n";
    let parse = parse(text, Format::Bibtex);
    assert_eq!(
        errors(&parse, text),
        [
            (
                SyntaxErrorKind::InvalidBibliography,
                "{".into(),
                "entry `first` is not closed before the next entry starts: add `}`".into()
            ),
            (
                SyntaxErrorKind::InvalidBibliography,
                "{".into(),
                "expected `=` after the field name `title`, found `{`".into()
            ),
            (
                SyntaxErrorKind::InvalidBibliography,
                "unknownmacro".into(),
                "unknown abbreviation `unknownmacro`: define it earlier with `@string{unknownmacro = {…}}`, or put the value in braces".into()
            ),
        ]
    );
    // `first`'s title swallows the closing line (braces balance there); the
    // entry itself is never closed before `@article{second`.
    assert_eq!(parse.errors[0].range, nth(text, "{", 0));
    let brace = nth(text, "{x}", 0).start as usize;
    assert_eq!(parse.errors[1].range, TextRange::new(brace, brace + 1));
    let names: Vec<&str> = parse.definitions.iter().map(|d| d.name(text)).collect();
    assert_eq!(names, ["first", "second", "third", "fourth"]);
}

#[test]
fn an_unclosed_value_stops_at_the_next_entry_and_an_unclosed_entry_at_the_end() {
    let text = "’ — Кремль 中俄 🛢\n@misc{a, title = {Never closed,\n  year = 2014\n@misc{b, title = \"Fine\"}\n@misc{c, title = {x}";
    let parse = parse(text, Format::Bibtex);
    let brace = nth(text, "{Never", 0).start as usize;
    let last = nth(text, "{c", 0).start as usize;
    assert_eq!(
        errors(&parse, text),
        [
            (
                SyntaxErrorKind::InvalidBibliography,
                "{".into(),
                "this `{` is never closed: the value runs into the next entry or the end of the file".into()
            ),
            (SyntaxErrorKind::InvalidBibliography, "{".into(), "entry `c` is never closed: add `}` at its end".into()),
        ]
    );
    assert_eq!(parse.errors[0].range, TextRange::new(brace, brace + 1));
    assert_eq!(parse.errors[1].range, TextRange::new(last, last + 1));
    let names: Vec<&str> = parse.definitions.iter().map(|d| d.name(text)).collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[test]
fn strings_comments_preambles_and_parentheses_are_read_as_bibtex_does() {
    let text = "% a comment line @misc{not, an entry}\n@preamble{ \"\\newcommand{\\noop}[1]{}\" }\n\
                @STRING(pub = \"Kommersant\")\n@String{full = pub # \" Daily\"}\n\
                @Article(k1, Title = \"{Sch{\\\"o}n} \\& {\\'E}tat\", Journal = full, Month = dec, Year = 1999)\n\
                @comment{@misc{hidden, title={no}}}\n";
    let parse = parse(text, Format::Bibtex);
    assert_eq!(errors(&parse, text), []);
    assert_eq!(
        entries(&parse, text),
        [(
            "k1".into(),
            "Schön & État".into(),
            fields(&[("publisher", "Kommersant Daily"), ("date", "1999-12"), ("type", "article")])
        )]
    );
}

#[test]
fn values_are_checked_as_block_fields_are_and_an_uncitable_key_is_left_out() {
    let text = "@misc{ok, date = {2014-02-30}, url = {www.example.org}, reliability = {b2}}\n\
                @misc{ok2, year = {14}, note = {First line\n   reliability: Z9}}\n@misc{has:colon, title = {x}}\n";
    let parse = parse(text, Format::Bibtex);
    let found: Vec<(SyntaxErrorKind, String)> =
        parse.errors.iter().map(|e| (e.kind, e.range.of(text).to_string())).collect();
    assert_eq!(
        found,
        [
            (SyntaxErrorKind::InvalidField, "{2014-02-30}".into()),
            (SyntaxErrorKind::InvalidField, "{www.example.org}".into()),
            (SyntaxErrorKind::InvalidField, "{b2}".into()),
            (SyntaxErrorKind::InvalidField, "{14}".into()),
            (SyntaxErrorKind::InvalidField, "Z9".into()),
            (SyntaxErrorKind::InvalidField, "has:colon".into()),
        ]
    );
    let names: Vec<&str> = parse.definitions.iter().map(|d| d.name(text)).collect();
    assert_eq!(names, ["ok", "ok2"]);
}

#[test]
fn broken_csl_json_keeps_the_items_before_the_error_and_reports_bad_items() {
    let text = "[\n  {\"id\": \"good\", \"title\": \"Кремль 🛢\", \"note\": \"x\\nreliability: D4\"},\n  \
                {\"title\": \"no id\"},\n  {\"id\": \"ITEM 1\"},\n  {\"id\": \"typed\", \"title\": 3},\n  \
                {\"id\": \"fine\", \"issued\": {\"raw\": \"2014-13\"}}\n  {\"id\": \"lost\"}\n]\n";
    let parse = parse(text, Format::CslJson);
    let names: Vec<&str> = parse.definitions.iter().map(|d| d.name(text)).collect();
    assert_eq!(names, ["good", "typed", "fine"]);
    assert_eq!(parse.definitions[0].field(text, "reliability"), Some("D4"));
    let found: Vec<(SyntaxErrorKind, String)> =
        parse.errors.iter().map(|e| (e.kind, e.range.of(text).to_string())).collect();
    assert_eq!(
        found,
        [
            (SyntaxErrorKind::InvalidBibliography, "{".into()),
            (SyntaxErrorKind::InvalidField, "ITEM 1".into()),
            (SyntaxErrorKind::InvalidField, "{\"raw\": \"2014-13\"}".into()),
            (SyntaxErrorKind::InvalidBibliography, "{".into()),
        ]
    );
    assert_eq!(parse.errors[0].message, "this item has no `id`: it cannot be cited");
    // The missing comma: serde_json stops at the next item's `{`.
    assert_eq!(parse.errors[3].range.start as usize, text.find("{\"id\": \"lost\"").unwrap());
    assert!(parse.errors[3].message.starts_with("invalid JSON: expected `,` or `]`"), "{}", parse.errors[3].message);
}

#[test]
fn what_is_not_a_csl_array_is_one_error_at_its_start() {
    for text in ["{\"id\": \"x\"}", "", "[", "\u{1F6E2}"] {
        let parse = parse(text, Format::CslJson);
        assert_eq!(parse.definitions.len(), 0, "{text:?}");
        assert_eq!(parse.errors.len(), 1, "{text:?}");
        assert!(parse.errors[0].range.end as usize <= text.len());
    }
}

#[test]
fn readers_never_panic_on_garbage() {
    let samples = [
        "@",
        "@{",
        "@misc{",
        "@misc{k",
        "@misc{k,",
        "@misc{k, t",
        "@misc{k, t =",
        "@misc{k, t = {",
        "@misc{k, t = \"",
        "@misc{k, t = \"a}\"}",
        "@string{",
        "@comment",
        "@preamble{",
        "{{{{",
        "}}}}",
        "@misc(k, t = {)}",
        "\\",
        "@misc{k, t = a # }",
        "@misc{k, t = {\\}",
        "@misc{😀, t = {é}}",
        "@misc{k, crossref = {k}}",
    ];
    for text in samples {
        let _ = parse(text, Format::Bibtex);
        let _ = parse(text, Format::CslJson);
    }
}

#[test]
fn abbreviations_built_from_each_other_stop_growing_with_an_error() {
    // Each @string doubles the last: 2^60 bytes if expanded in full.
    let mut text = String::from("@string{s0 = {xxxxxxxxxxxxxxxx}}\n");
    for i in 1..=60 {
        text.push_str(&format!("@string{{s{i} = s{} # s{}}}\n", i - 1, i - 1));
    }
    text.push_str("@misc{big, publisher = s60}\n");
    let parse = parse(&text, Format::Bibtex);
    let publisher = parse.definitions[0].field(&text, "publisher").unwrap_or("");
    assert!(publisher.len() <= 4 * text.len() + (1 << 16), "{}", publisher.len());
    let first = &parse.errors[0];
    assert_eq!(first.kind, SyntaxErrorKind::InvalidBibliography);
    assert!(first.message.contains("expands too far"), "{}", first.message);
}

#[test]
fn a_crossref_is_followed_one_level_and_shares_the_parents_values() {
    let text = "@misc{grand, publisher = {Grand}, year = 2001}\n@misc{parent, crossref = {GRAND}, note = {reliability: A1}}\n\
                @misc{child, title = {Child}, crossref = {parent}}\n@misc{self, crossref = {self}}\n@misc{orphan, crossref = {elsewhere}}\n";
    let parse = parse(text, Format::Bibtex);
    assert_eq!(errors(&parse, text), []);
    let got = entries(&parse, text);
    // `parent` takes `grand`'s values; `child` only `parent`'s own grade.
    assert_eq!(got[1].2, fields(&[("publisher", "Grand"), ("date", "2001"), ("reliability", "A1"), ("type", "misc")]));
    assert_eq!(got[2].2, fields(&[("reliability", "A1"), ("type", "misc")]));
    assert_eq!(got[3].2, fields(&[("type", "misc")]));
    assert_eq!(got[4].2, fields(&[("type", "misc")]));
    // Shared, not copied.
    let grade = |i: usize| {
        let fields = &parse.definitions[i].entry.as_ref().unwrap().fields;
        fields.iter().find(|(k, _)| *k == "reliability").unwrap().1.clone()
    };
    assert!(std::sync::Arc::ptr_eq(&grade(1), &grade(2)));
}

#[test]
fn an_element_that_is_not_an_item_is_reported_on_its_first_character() {
    let text = "[\"’ — Кремль\", [[1]], {\"id\": \"ok\"}]";
    let parse = parse(text, Format::CslJson);
    assert_eq!(parse.definitions.iter().map(|d| d.name(text)).collect::<Vec<_>>(), ["ok"]);
    let at: Vec<usize> = parse.errors.iter().map(|e| e.range.start as usize).collect();
    assert_eq!(at, [1, text.find("[[1]]").unwrap()]);
    assert!(parse.errors.iter().all(|e| e.range.len() == 1 && e.message.starts_with("expected an item")));
}
