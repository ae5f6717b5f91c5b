//! What a forecast's `due:` and `outcome:` say: whether it is resolved,
//! overdue or still open on a given day (for hover cards, the stats and the
//! report).

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
