//! Text tables for the terminal (columns aligned by display width, so CJK
//! and emoji line up) and for Markdown.

use unicode_width::UnicodeWidthStr;

/// A table: a header row and rows of cells; the first `text_columns`
/// columns are text (left-aligned), the others numbers (right-aligned).
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub text_columns: usize,
}

/// A cell shown on one line: control characters (a line break in a path)
/// are written escaped.
fn cell(text: &str) -> String {
    crate::cli::one_line(text)
}

impl Table {
    /// Aligned columns, two spaces apart, a rule under the header.
    pub fn to_text(&self) -> String {
        let rows: Vec<Vec<String>> =
            std::iter::once(&self.header).chain(&self.rows).map(|r| r.iter().map(|c| cell(c)).collect()).collect();
        let columns = self.header.len();
        let widths: Vec<usize> =
            (0..columns).map(|i| rows.iter().map(|r| r.get(i).map_or(0, |c| c.width())).max().unwrap_or(0)).collect();
        let mut out = format!("{}\n", cell(&self.title));
        for (n, row) in rows.iter().enumerate() {
            let mut line = String::new();
            for (i, text) in row.iter().enumerate() {
                let pad = " ".repeat(widths[i].saturating_sub(text.width()));
                if i > 0 {
                    line.push_str("  ");
                }
                if i < self.text_columns {
                    line.push_str(text);
                    line.push_str(&pad);
                } else {
                    line.push_str(&pad);
                    line.push_str(text);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
            if n == 0 {
                let total: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
                out.push_str(&"-".repeat(total));
                out.push('\n');
            }
        }
        out
    }

    /// A GitHub-flavoured Markdown table under a `###` heading; `|` in a
    /// cell is escaped.
    pub fn to_markdown(&self) -> String {
        let escape = |c: &str| cell(c).replace('\\', "\\\\").replace('|', "\\|");
        let mut out = format!("### {}\n\n", escape(&self.title));
        let row =
            |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | "));
        out.push_str(&row(&self.header));
        let rule: Vec<&str> =
            (0..self.header.len()).map(|i| if i < self.text_columns { "---" } else { "---:" }).collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for r in &self.rows {
            out.push_str(&row(r));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let table = Table {
            title: "T".into(),
            header: vec!["note".into(), "n".into()],
            rows: vec![vec!["中俄.md".into(), "1".into()], vec!["a|b 😀.md".into(), "22".into()]],
            text_columns: 1,
        };
        // 中 and 😀 are two columns wide each.
        assert_eq!(table.to_text(), "T\nnote        n\n-------------\n中俄.md     1\na|b 😀.md  22\n");
        assert_eq!(
            table.to_markdown(),
            "### T\n\n| note | n |\n| --- | ---: |\n| 中俄.md | 1 |\n| a\\|b 😀.md | 22 |\n"
        );
    }
}
