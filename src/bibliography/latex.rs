//! BibTeX field values (LaTeX) → plain text for hover and completion:
//! `{}` case protection removed, accents composed (`{\"o}` → `ö`), the
//! common symbol commands and ligatures (`--` → `–`) spelled out, and runs
//! of white space made one space. One pass; unknown commands lose their name
//! and keep their argument, so nothing the author wrote is hidden.

use unicode_normalization::UnicodeNormalization;

/// The combining mark an accent command puts on the next letter.
fn accent(command: &str) -> Option<char> {
    Some(match command {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30C}',
        "H" => '\u{30B}',
        "c" => '\u{327}',
        "k" => '\u{328}',
        "r" => '\u{30A}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        _ => return None,
    })
}

/// What a symbol command stands for.
fn symbol(command: &str) -> Option<&'static str> {
    Some(match command {
        "ss" => "ß",
        "o" => "ø",
        "O" => "Ø",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "aa" => "å",
        "AA" => "Å",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteright" => "’",
        "textquoteleft" => "‘",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "dots" | "ldots" | "textellipsis" => "…",
        "S" => "§",
        "P" => "¶",
        "copyright" | "textcopyright" => "©",
        "pounds" | "textsterling" => "£",
        "texteuro" | "euro" => "€",
        "textdollar" => "$",
        "textunderscore" => "_",
        "textasciitilde" => "~",
        "textbackslash" => "\\",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        _ => return None,
    })
}

struct Reader<'s> {
    s: &'s str,
    at: usize,
    out: String,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.at..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            if !self.out.is_empty() && !self.out.ends_with(' ') {
                self.out.push(' ');
            }
        } else {
            self.out.push(c);
        }
    }

    /// After a control word, TeX drops the spaces that follow it.
    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            self.at += 1;
        }
    }

    /// The letter an accent applies to: `{o}`, `{\i}`, or the next character.
    fn accent_base(&mut self) -> Option<char> {
        self.skip_spaces();
        let braced = self.peek() == Some('{');
        if braced {
            self.at += 1;
        }
        let base = match self.bump()? {
            '\\' => {
                let start = self.at;
                while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.at += 1;
                }
                match &self.s[start..self.at] {
                    "i" => 'i',
                    "j" => 'j',
                    other => symbol(other).and_then(|s| s.chars().next()).unwrap_or(' '),
                }
            }
            '}' if braced => return None,
            c => c,
        };
        if braced && self.peek() == Some('}') {
            self.at += 1;
        }
        Some(base)
    }

    fn command(&mut self) {
        let Some(first) = self.bump() else { return };
        if first.is_ascii_alphabetic() {
            let start = self.at - 1;
            while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                self.at += 1;
            }
            let name = &self.s[start..self.at];
            if let Some(mark) = accent(name) {
                if let Some(base) = self.accent_base() {
                    self.composed(base, mark);
                }
            } else if let Some(text) = symbol(name) {
                self.skip_spaces();
                self.out.push_str(text);
            } else {
                // `\emph{…}`, `\textit{…}`, `\url{…}`: the argument stays.
                self.skip_spaces();
            }
            return;
        }
        let name = &self.s[self.at - first.len_utf8()..self.at];
        match accent(name) {
            Some(mark) => {
                if let Some(base) = self.accent_base() {
                    self.composed(base, mark);
                }
            }
            None => match first {
                '\\' | ' ' | '\n' | '\r' | '\t' | ',' | ';' | ':' | '!' => self.push(' '),
                '-' | '/' => {}
                c => self.out.push(c),
            },
        }
    }

    fn composed(&mut self, base: char, mark: char) {
        let pair: String = [base, mark].into_iter().collect();
        self.out.extend(pair.nfc());
    }
}

/// `s` (a BibTeX value's LaTeX) as plain text.
pub fn to_text(s: &str) -> String {
    let mut r = Reader { s, at: 0, out: String::with_capacity(s.len()) };
    while let Some(c) = r.bump() {
        match c {
            '{' | '}' | '$' => {}
            '\\' => r.command(),
            '~' => r.push(' '),
            '-' if r.s[r.at..].starts_with("--") => {
                r.at += 2;
                r.out.push('—');
            }
            '-' if r.s[r.at..].starts_with('-') => {
                r.at += 1;
                r.out.push('–');
            }
            '`' if r.s[r.at..].starts_with('`') => {
                r.at += 1;
                r.out.push('“');
            }
            '\'' if r.s[r.at..].starts_with('\'') => {
                r.at += 1;
                r.out.push('”');
            }
            c => r.push(c),
        }
    }
    let trimmed = r.out.trim_end().len();
    r.out.truncate(trimmed);
    r.out
}

/// A verbatim value (a URL): only the outer layer of LaTeX escaping goes.
pub fn verbatim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' | '}' => {}
            '\\' if chars.peek().is_some_and(|n| matches!(n, '_' | '%' | '&' | '#' | '$' | '~')) => {
                out.extend(chars.next());
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protection_accents_symbols_and_ligatures_become_text() {
        let cases = [
            ("{{China}}, {Russia} Sign \\$400 Billion Gas Deal", "China, Russia Sign $400 Billion Gas Deal"),
            ("Gazprom and {CNPC} --- a 30-year deal", "Gazprom and CNPC — a 30-year deal"),
            ("pp. 3--5", "pp. 3–5"),
            ("Schr{\\\"o}dinger, \\\"{U}ber, \\'{\\i}ndice, \\c{c}a", "Schrödinger, Über, índice, ça"),
            ("\\v{S}koda and \\'Ecole", "Škoda and École"),
            ("Stra\\ss e, \\o{}resund, \\AE sir", "Straße, øresund, Æsir"),
            ("\\emph{Kommersant}: ``quoted''", "Kommersant: “quoted”"),
            ("Кремль и {中俄}   отношения\n  в 2014", "Кремль и 中俄 отношения в 2014"),
            ("Russia\\textquoteright s pivot~east", "Russia’s pivot east"),
            ("\\unknown{kept} \\& more", "kept & more"),
            ("trailing \\", "trailing"),
            ("\\'", ""),
        ];
        for (latex, text) in cases {
            assert_eq!(to_text(latex), text, "{latex}");
        }
    }

    #[test]
    fn verbatim_drops_braces_and_escapes_only() {
        assert_eq!(verbatim(" https://example.org/a\\_b?x=1\\&y=2 "), "https://example.org/a_b?x=1&y=2");
        assert_eq!(verbatim("{https://example.org/}"), "https://example.org/");
    }
}
