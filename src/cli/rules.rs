//! `dossier rules [ID]`: the rule table, printed from `rule::Rule` itself.

use std::fmt::Write;

use crate::analysis::Fix;
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
    let _ = writeln!(out, "{}", fixes(rule));
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

/// The code actions that fix a rule's findings, read from the fix table
/// itself (so this cannot drift from what the server offers).
fn fixes(rule: Rule) -> String {
    let mut out = String::from("Fixes (code actions in the editor):\n");
    let mut any = false;
    for fix in Fix::of_rule(rule) {
        any = true;
        let _ = writeln!(out, "  - {} ({}: {})", fix.does(), fix.safety().as_str(), fix.why());
    }
    if !any {
        out = "Fixes: none; the message says what to do.\n".into();
    }
    out
}

fn indent(text: &str) -> String {
    text.lines().map(|line| if line.is_empty() { "\n".to_string() } else { format!("    {line}\n") }).collect()
}
