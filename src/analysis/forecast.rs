//! What a forecast's `due:` and `outcome:` say, for hover cards: whether it
//! is resolved, overdue or still open on a given day.

use std::fmt::Write;

use super::hover::Hover;
use crate::syntax::{Claim, ClaimKind, Date, Outcome};

/// Where a forecast stands on `today`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Standing {
    Resolved(Outcome),
    /// Due before today, with no outcome: `overdue-forecast`.
    Overdue(Date),
    /// Due today or later, with no outcome.
    Open(Date),
    /// Neither a due date nor an outcome.
    Undated,
}

/// Where `claim` (a forecast) stands on `today`; `None` for other kinds.
pub fn standing(claim: &Claim, today: Date) -> Option<Standing> {
    if claim.kind() != ClaimKind::Forecast {
        return None;
    }
    Some(match (claim.outcome(), claim.due()) {
        (Some(outcome), _) => Standing::Resolved(outcome.value),
        (None, Some(due)) if due.value.is_before(today) => Standing::Overdue(due.value),
        (None, Some(due)) => Standing::Open(due.value),
        (None, None) => Standing::Undated,
    })
}

/// The claim card's lines on a forecast's due date and outcome.
pub(super) fn card_lines(out: &mut String, claim: &Claim, today: Date) {
    let due = claim.due().map(|d| d.value);
    match (standing(claim, today), due) {
        (Some(Standing::Resolved(outcome)), due) => {
            if let Some(due) = due {
                let _ = writeln!(out, "- Due: {due}");
            }
            let _ = writeln!(out, "- Outcome: {} — {}", outcome.as_str(), outcome.meaning());
        }
        (Some(Standing::Overdue(due)), _) => {
            let _ = writeln!(out, "- Due: {due} — **overdue** (today is {today}): record its `outcome:`");
        }
        (Some(Standing::Open(due)), _) => {
            let _ = writeln!(out, "- Due: {due} — not yet due (today is {today})");
        }
        _ => {}
    }
}

/// The card of a `due:` or `outcome:` token under `offset`.
pub(super) fn value_card(claim: &Claim, offset: usize, today: Date) -> Option<Hover> {
    if let Some(due) = claim.due().filter(|d| d.range.contains_inclusive(offset)) {
        let state = match standing(claim, today) {
            Some(Standing::Resolved(_)) => "resolved".to_string(),
            Some(Standing::Overdue(_)) => format!("**overdue**: past (today is {today}) and no `outcome:` yet"),
            _ => format!("not yet due (today is {today})"),
        };
        let last = due.value.last_day();
        let markdown =
            format!("**due: {}** — the date by which this forecast resolves (through {last}); {state}", due.value);
        return Some(Hover { markdown, range: due.range });
    }
    let outcome = claim.outcome().filter(|o| o.range.contains_inclusive(offset))?;
    Some(Hover {
        markdown: format!(
            "**outcome: {}** — {}: how this forecast resolved",
            outcome.value.as_str(),
            outcome.value.meaning()
        ),
        range: outcome.range,
    })
}
