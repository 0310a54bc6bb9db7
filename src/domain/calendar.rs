//! Working days: weekends and the bank holidays of England and Wales (shipped for 2007–2012 in
//! `datasets/calendar/`, more given by a workspace) skipped, for the date a return is due.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// The shipped bank holidays (date,name), 2007–2012.
pub const SHIPPED_CSV: &str = include_str!("../../datasets/calendar/bank-holidays-england-and-wales.csv");

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CalendarError {
    #[error(
        "no bank holidays are known for {0}: add that year's to the file [returns] bank_holidays names (date,name)"
    )]
    MissingYear(i32),
    #[error("{file}: line {line}: {text:?} is not a date (write it as 2009-12-28)")]
    BadDate { file: String, line: usize, text: String },
}

/// The bank holidays known, and the years they cover (a year is covered when any of its
/// holidays is listed: every year has New Year's Day or its substitute).
#[derive(Debug, Clone, Default)]
pub struct BankHolidays {
    dates: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
}

impl BankHolidays {
    /// The shipped holidays.
    pub fn shipped() -> BankHolidays {
        let mut h = BankHolidays::default();
        h.add_csv(SHIPPED_CSV, "datasets/calendar/bank-holidays-england-and-wales.csv")
            .expect("the shipped bank holidays parse");
        h
    }

    /// Add the dates of a csv (a first column of ISO dates; a header line and blank lines are
    /// passed over).
    pub fn add_csv(&mut self, text: &str, file: &str) -> Result<(), CalendarError> {
        for (i, line) in text.lines().enumerate() {
            let first = line.split(',').next().unwrap_or("").trim().trim_matches('"');
            if first.is_empty() || (i == 0 && first.eq_ignore_ascii_case("date")) {
                continue;
            }
            let d = NaiveDate::parse_from_str(first, "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
                file: file.to_string(),
                line: i + 1,
                text: first.to_string(),
            })?;
            self.dates.insert(d);
            self.years.insert(d.year());
        }
        Ok(())
    }

    /// Whether `d` is a working day: not a Saturday, Sunday or bank holiday.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        if !self.years.contains(&d.year()) {
            return Err(CalendarError::MissingYear(d.year()));
        }
        Ok(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.dates.contains(&d))
    }

    /// The `n`th working day after `d` (`d` itself not counted); `d` when `n` is 0.
    pub fn working_days_after(&self, d: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().ok_or(CalendarError::MissingYear(d.year() + 1))?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn twenty_working_days_after_a_quarter_skip_weekends_and_bank_holidays() {
        let h = BankHolidays::shipped();
        // 2009/10 Q2 ends on Wednesday 30 September 2009; October has no bank holiday
        assert_eq!(h.working_days_after(date("2009-09-30"), 20), Ok(date("2009-10-28")));
        // 2009/10 Q3 ends on 31 December 2009: New Year's Day is skipped
        assert_eq!(h.working_days_after(date("2009-12-31"), 1), Ok(date("2010-01-04")));
        // Easter 2009 (Good Friday 10 April, Easter Monday 13 April): Q4 2008/09 ends 31 March
        assert_eq!(h.working_days_after(date("2009-03-31"), 8), Ok(date("2009-04-14")));
        // the substitute Boxing Day of 2009 (Monday 28 December)
        assert_eq!(h.is_working_day(date("2009-12-28")), Ok(false));
        assert_eq!(h.working_days_after(date("2009-06-30"), 0), Ok(date("2009-06-30")));
    }

    #[test]
    fn a_year_without_holidays_is_refused_by_name() {
        let h = BankHolidays::shipped();
        assert_eq!(h.working_days_after(date("2012-12-31"), 3), Err(CalendarError::MissingYear(2013)));
        let mut more = BankHolidays::shipped();
        more.add_csv("date,name\n2013-01-01,New Year's Day\n", "extra.csv").unwrap();
        assert_eq!(more.working_days_after(date("2012-12-31"), 1), Ok(date("2013-01-02")));
        let bad = more.add_csv("date\nnext tuesday\n", "extra.csv").unwrap_err();
        assert!(bad.to_string().contains("extra.csv: line 2"), "{bad}");
    }
}
