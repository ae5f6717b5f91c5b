//! What day it is for `overdue-forecast`: the local date, or the date in
//! `DOSSIER_TODAY` (for tests, CI and looking at a workspace as of a day).

use crate::syntax::Date;

/// The environment variable that sets today's date.
pub const VAR: &str = "DOSSIER_TODAY";

/// Today's date: `DOSSIER_TODAY` when it is set, else the local date.
/// A value that is not a real `YYYY-MM-DD` date is an error, which the
/// command line reports (exit 2) and the server shows (keeping the local
/// date).
pub fn from_env() -> Result<Date, String> {
    match std::env::var_os(VAR) {
        None => Ok(local()),
        Some(value) => {
            let value = value.to_string_lossy();
            parse_day(&value).ok_or_else(|| format!("{VAR}=`{value}` is not a date: write it as YYYY-MM-DD"))
        }
    }
}

/// [`from_env`], or the local date when `DOSSIER_TODAY` is bad (the edges
/// have reported that already).
pub fn current() -> Date {
    from_env().unwrap_or_else(|_| local())
}

/// The local calendar date.
pub fn local() -> Date {
    use chrono::Datelike;
    let now = chrono::Local::now().date_naive();
    Date { year: now.year().clamp(0, 9999) as u16, month: now.month() as u8, day: now.day() as u8 }
}

/// A whole day, `YYYY-MM-DD` (a year or month alone is not a day).
pub fn parse_day(s: &str) -> Option<Date> {
    Date::parse(s).filter(|d| d.day != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_whole_real_day() {
        assert_eq!(parse_day("2026-02-28"), Some(Date { year: 2026, month: 2, day: 28 }));
        for bad in ["2026", "2026-02", "2026-02-30", "26-02-01", "today", ""] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        let today = local();
        assert!(today.year >= 2024 && today.day != 0);
    }
}
