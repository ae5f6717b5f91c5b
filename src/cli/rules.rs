//! `dossier rules [ID]`: the rule table, printed from `rule::Rule` itself.

use std::fmt::Write;

use crate::rule::{EXAMPLE_DEFINITIONS, Rule};

/// Every rule in one aligned line: id, default severity, summary.
pub fn list() -> String {
    let width = Rule::ALL.iter().map(|r| r.id().len()).max().unwrap_or(0);
    let mut out = String::new();
    for rule in Rule::ALL {
        let _ = writeln!(out, "{:width$}  {:7}  {}", rule.id(), rule.default_severity().as_str(), rule.summary());
    }
    out
}

/// One rule explained, with an example that fires and a near miss; `Err`
/// with the message for an id no rule has.
pub fn explain(id: &str) -> Result<String, String> {
    let rule = Rule::from_id(id).ok_or_else(|| format!("unknown rule `{id}`: run `dossier rules` to list them"))?;
    let mut out = String::new();
    let _ = writeln!(out, "{} ({} by default)\n", rule.id(), rule.default_severity().as_str());
    let _ = writeln!(out, "{}\n", rule.explanation());
    if rule.examples_runnable() {
        let beside: Vec<String> = EXAMPLE_DEFINITIONS
            .iter()
            .map(|(path, text)| format!("{path} ({})", text.lines().next().unwrap_or_default()))
            .collect();
        let _ = writeln!(
            out,
            "Each example is a note (or files, each after a `//- path` line) beside {}.\n",
            beside.join(" and ")
        );
    }
    let _ = writeln!(out, "Fires:\n{}", indent(rule.example_fires()));
    let _ = write!(out, "Does not fire:\n{}", indent(rule.example_passes()));
    Ok(out)
}

fn indent(text: &str) -> String {
    text.lines().map(|line| if line.is_empty() { "\n".to_string() } else { format!("    {line}\n") }).collect()
}
