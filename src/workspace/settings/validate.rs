//! Checks of partnership.toml once parsed: areas, themes, settings and the comparator group.

use super::*;

impl Settings {
    pub(crate) fn validate(&self) -> Result<(), String> {
        let counties = self.areas.iter().filter(|a| a.county).count();
        if counties != 1 {
            return Err(format!("exactly one area must have `county = true` (found {counties})"));
        }
        if self.themes.is_empty() {
            return Err("at least one [[themes]] entry is needed".into());
        }
        // each code normalised once (compared pairwise, a national workspace of 1,400 areas
        // normalised two million codes on every command)
        let mut seen = std::collections::HashSet::new();
        for a in &self.areas {
            if !seen.insert(norm(&a.code)) {
                return Err(format!("area code {:?} appears twice", a.code));
            }
        }
        let (first, last) = (&self.agreement.first_year, &self.agreement.last_year);
        if !matches!(first, Period::Year { .. }) || !matches!(last, Period::Year { .. }) || first > last {
            return Err(format!(
                "[agreement] first_year and last_year must be financial years in order, e.g. \"2008/09\" and \"2010/11\" (found {first} and {last})"
            ));
        }
        let r = &self.reward;
        if !(0.0..=1.0).contains(&r.threshold) || r.cap <= 0.0 {
            return Err("[reward] threshold must be between 0 and 1 and cap above 0".into());
        }
        for (name, v) in [
            ("pot_share", r.pot_share),
            ("interim_share", r.interim_share),
            ("reduction", r.reduction),
            ("capital_share", r.capital_share),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("[reward] {name} must be between 0 and 1 (found {v})"));
            }
        }
        if r.net_budget.is_some_and(|b| !b.is_finite() || b < 0.0) {
            return Err("[reward] net_budget must be a positive amount".into());
        }
        if r.reduction_from.is_some() && r.reduction_date().is_none() {
            return Err(format!(
                "[reward] reduction_from {:?} is not a date (e.g. \"2010-06-01\")",
                r.reduction_from.as_deref().unwrap_or_default()
            ));
        }
        if self.rating.tolerance < 0.0 {
            return Err("[rating] tolerance must not be negative".into());
        }
        self.validate_returns()?;
        self.benchmark.validate(&self.areas)
    }

    /// `[returns]` and each theme's contacts: every address an address, every fixed due date a
    /// date for a quarter of the agreement.
    fn validate_returns(&self) -> Result<(), String> {
        use crate::domain::mailbox::Mailbox;
        let not_address = |key: String, text: &str| {
            format!("{key}: {text:?} is not an e-mail address (write it as \"Name <name@example.org>\")")
        };
        for t in &self.themes {
            for c in &t.contacts {
                if Mailbox::parse(c).is_none() {
                    return Err(not_address(format!("[[themes]] {:?} contacts", t.code), c));
                }
            }
        }
        let r = &self.returns;
        if let Some(f) = &r.from
            && Mailbox::parse(f).is_none()
        {
            return Err(not_address("[returns] from".into(), f));
        }
        let (first, last) = (self.agreement.first_year.year(), self.agreement.last_year.year());
        for (q, d) in &r.due {
            let p: Period = q.parse().map_err(|e| format!("[returns] due: {q:?}: {e}"))?;
            if !matches!(p, Period::Quarter { .. }) || p.year() < first || p.year() > last {
                return Err(format!(
                    "[returns] due: {q:?} is not a quarter of the agreement ({} to {})",
                    self.agreement.first_year, self.agreement.last_year
                ));
            }
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(format!("[returns] due: {q} = {d:?} is not a date (write it as \"2010-01-29\")"));
            }
        }
        Ok(())
    }
}

impl BenchmarkSettings {
    /// ONS codes as the comparator store keeps them: trimmed, upper case.
    pub(crate) fn normalise(&mut self) {
        let up = |c: &mut String| *c = c.trim().to_ascii_uppercase();
        self.authority.iter_mut().for_each(up);
        self.areas.values_mut().for_each(up);
        self.groups.values_mut().flatten().for_each(up);
    }

    pub(crate) fn validate(&self, areas: &[Area]) -> Result<(), String> {
        use crate::domain::authorities::is_authority_code;
        let code = |c: &str, what: &str| {
            if is_authority_code(c) {
                Ok(())
            } else {
                Err(format!(
                    "[benchmark] {what}: {c:?} is not an ONS code of an English authority (e.g. \"E10000018\")"
                ))
            }
        };
        if let Some(c) = &self.authority {
            code(c, "authority")?;
        }
        let ours: std::collections::HashSet<String> = areas.iter().map(|a| norm(&a.code)).collect();
        for (area, c) in &self.areas {
            if !ours.contains(&norm(area)) {
                return Err(format!("[benchmark] areas: {area:?} is not an area of this partnership"));
            }
            code(c, &format!("areas.{area}"))?;
        }
        for (name, codes) in &self.groups {
            if codes.is_empty() {
                return Err(format!("[benchmark] groups: {name:?} lists no authorities"));
            }
            for c in codes {
                code(c, &format!("groups.{name}"))?;
            }
        }
        if let Some(g) = &self.group
            && !self.groups.contains_key(g)
        {
            return Err(format!("[benchmark] group {g:?} is not one of [benchmark.groups]"));
        }
        Ok(())
    }
}
