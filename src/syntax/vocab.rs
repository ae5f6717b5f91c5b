//! The closed vocabularies of the markup: metadata values, checked fields,
//! and what each value means (hover and completion spell them out).

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal : $meaning:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            pub fn meaning(self) -> &'static str {
                match self { $($name::$variant => $meaning,)* }
            }

            /// The accepted values, for messages: "fact, assessment, quote or forecast".
            pub fn choices() -> String {
                one_of(&Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>())
            }
        }
    };
}

vocabulary! {
    /// `kind:` of a claim.
    ClaimKind {
        Fact = "fact": "a statement of fact; it must cite a source",
        Assessment = "assessment": "an analytic judgement; it states its confidence with `conf:`",
        Quote = "quote": "someone's words; it names the speaker with `by:` and cites a source",
        Forecast = "forecast": "a judgement about the future; it states its probability with `est:`",
    }
}

vocabulary! {
    /// `conf:` of a claim: analytic confidence.
    Confidence {
        Low = "low": "low confidence: the information is scant, questionable or fragmented",
        Moderate = "moderate": "moderate confidence: credibly sourced and plausible, but not corroborated enough for high confidence",
        High = "high": "high confidence: based on high-quality information from several sources",
    }
}

vocabulary! {
    /// `est:` of a claim: the ICD 203 estimative probability scale.
    Estimate {
        AlmostNoChance = "almost-no-chance": "almost no chance (1–5%)",
        VeryUnlikely = "very-unlikely": "very unlikely (5–20%)",
        Unlikely = "unlikely": "unlikely (20–45%)",
        EvenChance = "even-chance": "roughly even chance (45–55%)",
        Likely = "likely": "likely (55–80%)",
        VeryLikely = "very-likely": "very likely (80–95%)",
        AlmostCertain = "almost-certain": "almost certain (95–99%)",
    }
}

impl Estimate {
    /// The middle of its probability range, which the Brier score counts
    /// it as: `likely` (55–80%) is 0.675.
    pub fn probability(self) -> f64 {
        match self {
            Estimate::AlmostNoChance => 0.03,
            Estimate::VeryUnlikely => 0.125,
            Estimate::Unlikely => 0.325,
            Estimate::EvenChance => 0.5,
            Estimate::Likely => 0.675,
            Estimate::VeryLikely => 0.875,
            Estimate::AlmostCertain => 0.97,
        }
    }

    /// The probability range of the ICD 203 term: "55–80%".
    pub fn range_text(self) -> &'static str {
        match self {
            Estimate::AlmostNoChance => "1–5%",
            Estimate::VeryUnlikely => "5–20%",
            Estimate::Unlikely => "20–45%",
            Estimate::EvenChance => "45–55%",
            Estimate::Likely => "55–80%",
            Estimate::VeryLikely => "80–95%",
            Estimate::AlmostCertain => "95–99%",
        }
    }
}

vocabulary! {
    /// `outcome:` of a forecast: how it resolved.
    Outcome {
        True = "true": "it came true",
        False = "false": "it did not come true",
    }
}

vocabulary! {
    /// `kind:` field of an actor definition.
    ActorKind {
        Person = "person": "a person",
        State = "state": "a state",
        Organization = "organization": "an organization",
        Group = "group": "a group",
        Other = "other": "another kind of actor",
    }
}

/// "a, b, c or d".
pub fn one_of(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// An Admiralty (NATO) grade: source reliability A–F, information credibility 1–6.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Admiralty {
    pub reliability: u8,
    pub credibility: Option<u8>,
}

impl Admiralty {
    pub fn parse(s: &str) -> Option<Admiralty> {
        match s.as_bytes() {
            [r @ b'A'..=b'F'] => Some(Admiralty { reliability: *r, credibility: None }),
            [r @ b'A'..=b'F', c @ b'1'..=b'6'] => Some(Admiralty { reliability: *r, credibility: Some(*c) }),
            _ => None,
        }
    }

    /// E, F, 5 or 6: a grade that cannot carry a fact alone.
    pub fn is_weak(self) -> bool {
        matches!(self.reliability, b'E' | b'F') || matches!(self.credibility, Some(b'5' | b'6'))
    }

    /// "B2 — usually reliable; probably true".
    pub fn spelled_out(self) -> String {
        let reliability = match self.reliability {
            b'A' => "completely reliable",
            b'B' => "usually reliable",
            b'C' => "fairly reliable",
            b'D' => "not usually reliable",
            b'E' => "unreliable",
            _ => "reliability cannot be judged",
        };
        let code = self.reliability as char;
        match self.credibility {
            None => format!("{code} — {reliability}"),
            Some(c) => {
                let credibility = match c {
                    b'1' => "confirmed by other sources",
                    b'2' => "probably true",
                    b'3' => "possibly true",
                    b'4' => "doubtful",
                    b'5' => "improbable",
                    _ => "truth cannot be judged",
                };
                format!("{code}{} — {reliability}; {credibility}", c as char)
            }
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, naming a real calendar date.
pub fn is_valid_date(s: &str) -> bool {
    Date::parse(s).is_some()
}

/// A calendar date as the markup writes it: a year, a month of a year, or
/// a day. A missing month or day is 0, so dates of one precision order as
/// the calendar does.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub struct Date {
    pub year: u16,
    /// 1–12, or 0 for a whole year.
    pub month: u8,
    /// 1–31, or 0 for a whole month or year.
    pub day: u8,
}

impl Date {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, naming a real calendar date.
    pub fn parse(s: &str) -> Option<Date> {
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let mut parts = s.split('-');
        let year = parts.next().filter(|p| digits(p, 4))?;
        let month = parts.next();
        let day = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let year: u16 = year.parse().ok()?;
        let Some(month) = month else { return Some(Date { year, month: 0, day: 0 }) };
        let month: u8 = month.parse().ok().filter(|m| digits(month, 2) && (1..=12).contains(m))?;
        let Some(day) = day else { return Some(Date { year, month, day: 0 }) };
        let day: u8 = day.parse().ok().filter(|d| digits(day, 2) && (1..=days_in_month(year, month)).contains(d))?;
        Some(Date { year, month, day })
    }

    /// The last day the date covers: 2020 → 2020-12-31, 2020-02 → 2020-02-29.
    pub fn last_day(self) -> Date {
        match (self.month, self.day) {
            (0, _) => Date { year: self.year, month: 12, day: 31 },
            (month, 0) => Date { year: self.year, month, day: days_in_month(self.year, month) },
            _ => self,
        }
    }

    /// Whether the whole date is before `today` (a day): a forecast due in
    /// 2020 is past from 2021-01-01 on, one due 2020-06-15 from 2020-06-16.
    pub fn is_before(self, today: Date) -> bool {
        self.last_day() < today.last_day()
    }

    /// How long the date is when written: 4, 7 or 10 bytes.
    pub fn written_len(self) -> usize {
        match (self.month, self.day) {
            (0, _) => 4,
            (_, 0) => 7,
            _ => 10,
        }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if self.month != 0 {
            write!(f, "-{:02}", self.month)?;
        }
        if self.day != 0 {
            write!(f, "-{:02}", self.day)?;
        }
        Ok(())
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// An absolute `http`/`https` URL with a host.
pub fn is_valid_url(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    match url::Url::parse(s) {
        Ok(url) => matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admiralty_grades_are_spelled_out() {
        assert_eq!(Admiralty::parse("B2").unwrap().spelled_out(), "B2 — usually reliable; probably true");
        assert_eq!(Admiralty::parse("F").unwrap().spelled_out(), "F — reliability cannot be judged");
        assert!(Admiralty::parse("E1").unwrap().is_weak());
        assert!(Admiralty::parse("A5").unwrap().is_weak());
        assert!(!Admiralty::parse("D4").unwrap().is_weak());
        for bad in ["G1", "B7", "b2", "B22", "", "B0"] {
            assert_eq!(Admiralty::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_estimate_states_its_probability_in_its_meaning() {
        for estimate in Estimate::ALL {
            assert!(estimate.meaning().ends_with(&format!("({})", estimate.range_text())), "{estimate:?}");
            // The Brier score's probability is the middle of that range.
            let (low, high) = estimate.range_text().trim_end_matches('%').split_once('–').unwrap();
            let middle = (low.parse::<f64>().unwrap() + high.parse::<f64>().unwrap()) / 200.0;
            assert!((estimate.probability() - middle).abs() < 1e-9, "{estimate:?}");
        }
    }

    #[test]
    fn dates_must_exist() {
        for good in ["2014", "2014-05", "2014-05-21", "2016-02-29", "2000-02-29"] {
            assert!(is_valid_date(good), "{good}");
        }
        for bad in ["14", "2014-5", "2014-13", "2014-02-30", "1900-02-29", "2014-05-21T10", "2014/05/21", "20145"] {
            assert!(!is_valid_date(bad), "{bad}");
        }
    }

    #[test]
    fn dates_know_their_last_day_and_order() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(d("2020").last_day(), d("2020-12-31"));
        assert_eq!(d("2020-02").last_day(), d("2020-02-29"));
        assert_eq!(d("2021-02").last_day(), d("2021-02-28"));
        assert!(d("2020").is_before(d("2021-01-01")));
        assert!(!d("2020").is_before(d("2020-12-31")));
        assert!(d("2020-06-15").is_before(d("2020-06-16")));
        assert!(!d("2020-06-15").is_before(d("2020-06-15")));
        for s in ["2020", "2020-02", "2020-02-29", "0001-01-01"] {
            assert_eq!(d(s).to_string(), s);
            assert_eq!(d(s).written_len(), s.len());
        }
        assert_eq!(Date::parse("+202-01"), None);
    }

    #[test]
    fn urls_are_absolute_http() {
        assert!(is_valid_url("https://www.reuters.com/article/x"));
        assert!(is_valid_url("http://un.org"));
        for bad in ["www.reuters.com", "ftp://x.org/a", "https://", "https://a b.org", "mailto:a@b.org"] {
            assert!(!is_valid_url(bad), "{bad}");
        }
    }
}
