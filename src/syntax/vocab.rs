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
    /// The probability range of the ICD 203 term: "55–80%".
    pub fn probability(self) -> &'static str {
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
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    if parts.is_empty() || parts.len() > 3 || !digits(parts[0], 4) {
        return false;
    }
    let year: u32 = parts[0].parse().unwrap_or(0);
    let Some(month) = parts.get(1) else {
        return true;
    };
    if !digits(month, 2) {
        return false;
    }
    let month: u32 = month.parse().unwrap_or(0);
    if !(1..=12).contains(&month) {
        return false;
    }
    let Some(day) = parts.get(2) else { return true };
    if !digits(day, 2) {
        return false;
    }
    let day: u32 = day.parse().unwrap_or(0);
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&day)
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
            assert!(estimate.meaning().ends_with(&format!("({})", estimate.probability())), "{estimate:?}");
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
    fn urls_are_absolute_http() {
        assert!(is_valid_url("https://www.reuters.com/article/x"));
        assert!(is_valid_url("http://un.org"));
        for bad in ["www.reuters.com", "ftp://x.org/a", "https://", "https://a b.org", "mailto:a@b.org"] {
            assert!(!is_valid_url(bad), "{bad}");
        }
    }
}
