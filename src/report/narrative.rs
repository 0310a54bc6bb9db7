//! The board paper's numbered summary paragraphs, generated from the report's figures by
//! templates with correct plurals and ordering — no text that the figures do not support.

use super::{Counts, ReportData};
use crate::domain::numbers::money;
use crate::domain::rag::Rag;

/// The figures the narrative speaks of.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub period: String,
    pub previous_period: Option<String>,
    pub counts: Counts,
    pub previous_counts: Option<Counts>,
    /// (theme name, reds), in the partnership's theme order.
    pub theme_reds: Vec<(String, usize)>,
    /// (indicator, title, before, after) for ratings that changed on their figures.
    pub changes: Vec<(String, String, Rag, Rag)>,
    /// Changes that an override made (now or last quarter): never called an improvement.
    pub changes_by_override: usize,
    pub reward_targets: usize,
    pub reward_below_threshold: usize,
    pub reward_max: f64,
    pub reward_projected: f64,
    pub reward_at_risk: f64,
    pub threshold: f64,
    /// What an annual indicator between results is rated on, in words.
    pub between_results: String,
}

impl Facts {
    pub fn of(d: &ReportData) -> Facts {
        Facts {
            period: d.period.to_string(),
            previous_period: d.previous_period.map(|p| p.to_string()),
            counts: d.counts,
            previous_counts: d.previous_counts,
            theme_reds: d.themes.iter().map(|t| (t.name.clone(), t.counts.red)).collect(),
            changes: d
                .changes
                .iter()
                .filter(|c| !c.by_override())
                .map(|c| (c.rating.indicator.clone(), c.rating.title.clone(), c.before, c.rating.effective_rating))
                .collect(),
            changes_by_override: d.changes.iter().filter(|c| c.by_override()).count(),
            reward_targets: d.reward_totals.targets,
            reward_below_threshold: d.rewards.iter().filter(|p| !p.parked && p.rating == Rag::Red).count(),
            reward_max: d.reward_totals.max_grant,
            reward_projected: d.reward_totals.projected_grant,
            reward_at_risk: d.reward_totals.grant_at_risk,
            threshold: d.reward_threshold,
            between_results: d.between_results.clone(),
        }
    }
}

/// "1 indicator", "2 indicators".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn is_are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

/// Severity order for "improved" and "deteriorated": red < amber < green; grey is neither.
fn rank(r: Rag) -> Option<u8> {
    match r {
        Rag::Red => Some(0),
        Rag::Amber => Some(1),
        Rag::Green => Some(2),
        Rag::Grey => None,
    }
}

/// The Summary section's paragraphs, in order.
pub fn summary(f: &Facts) -> Vec<String> {
    let mut out = vec![ratings(f)];
    out.push(since_last_quarter(f));
    out.push(themes(f));
    if let Some(p) = movers(f) {
        out.push(p);
    }
    out.push(reward(f));
    out
}

fn ratings(f: &Facts) -> String {
    let c = &f.counts;
    let total = c.total();
    if total == 0 {
        return format!("No LAA indicator could be rated for {}.", f.period);
    }
    if c.green == total {
        return if total == 1 {
            format!("The 1 LAA indicator rated for {} is green: on course to meet its target.", f.period)
        } else {
            format!("All {total} LAA indicators rated for {} are green: on course to meet their targets.", f.period)
        };
    }
    let mut parts: Vec<String> = [(c.green, "green"), (c.amber, "amber"), (c.red, "red")]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| format!("{n} {w}"))
        .collect();
    // an override touching a red is said beside the count
    let red_note = c.red_text().strip_prefix(&format!("{} red", c.red)).unwrap_or_default().to_string();
    // the first count carries the verb: "6 are green, 25 amber and 24 red"
    if let Some(first) = parts.first_mut() {
        let n: usize = first.split(' ').next().and_then(|x| x.parse().ok()).unwrap_or(0);
        *first = first.replacen(' ', &format!(" {} ", is_are(n)), 1);
    }
    if c.red_between_results > 0
        && let Some(last) = parts.last_mut().filter(|p| p.ends_with(" red"))
    {
        // a board sees apart what happened and what is forecast
        *last += &format!(
            " (of which {} {} between results, rated on {})",
            c.red_between_results,
            if c.red_between_results == 1 { "is an annual indicator" } else { "are annual indicators" },
            f.between_results
        );
    }
    if !red_note.is_empty()
        && let Some(last) = parts.iter_mut().find(|p| p.ends_with(" red") || p.contains(" red ("))
        && let Some(at) = last.find(" red")
    {
        last.insert_str(at + 4, &red_note);
    }
    let body = if parts.is_empty() { "none is red, amber or green".to_string() } else { join_and(&parts) };
    let grey = if c.grey > 0 {
        format!("; {} {} grey (no data, target or polarity)", c.grey, is_are(c.grey))
    } else {
        String::new()
    };
    format!("Of the {} rated for {}, {body}{grey}.", count(total, "LAA indicator", "LAA indicators"), f.period)
}

fn since_last_quarter(f: &Facts) -> String {
    let (Some(prev), Some(pc)) = (&f.previous_period, &f.previous_counts) else {
        return format!("There is no previous quarter to compare {} with.", f.period);
    };
    let c = &f.counts;
    let moved = |now: usize, before: usize, word: &str| -> String {
        match now.cmp(&before) {
            std::cmp::Ordering::Equal => format!("{word} ratings are unchanged at {now}"),
            std::cmp::Ordering::Greater => format!("{word} ratings rose from {before} to {now}"),
            std::cmp::Ordering::Less => format!("{word} ratings fell from {before} to {now}"),
        }
    };
    let first = format!(
        "Compared with {prev}, {}, {} and {}.",
        moved(c.red, pc.red, "red"),
        moved(c.amber, pc.amber, "amber"),
        moved(c.green, pc.green, "green")
    );
    let improved = f.changes.iter().filter(|x| matches!((rank(x.2), rank(x.3)), (Some(a), Some(b)) if b > a)).count();
    let worse = f.changes.iter().filter(|x| matches!((rank(x.2), rank(x.3)), (Some(a), Some(b)) if b < a)).count();
    let n = f.changes.len();
    let by_override = match f.changes_by_override {
        0 => String::new(),
        k => format!(" {} changed by a manual override, not by its figures.", count(k, "rating", "ratings")),
    };
    if n == 0 {
        return format!("{first} No indicator's rating changed on its figures.{by_override}");
    }
    // a rating from grey is a result that arrived, not a change of performance: said apart
    let arrived = f.changes.iter().filter(|x| x.2 == Rag::Grey && x.3 != Rag::Grey).count();
    let left = f.changes.iter().filter(|x| x.2 != Rag::Grey && x.3 == Rag::Grey).count();
    let mut parts = vec![format!("{improved} improved"), format!("{worse} deteriorated")];
    if arrived > 0 {
        parts.push(format!("{} (grey last quarter)", count(arrived, "is a new result", "are new results")));
    }
    if left > 0 {
        parts.push(format!("{left} {} no rating now (grey)", if left == 1 { "has" } else { "have" }));
    }
    format!(
        "{first} {} changed rating: {}.{}{by_override}",
        count(n, "indicator", "indicators"),
        join_and(&parts),
        reds_why(f)
    )
}

/// The reds split by why they are red: results that arrived this quarter (grey to red), results
/// that worsened (amber or green to red), and the reds that improved; empty when no red moved.
fn reds_why(f: &Facts) -> String {
    let to_red = |from: &dyn Fn(Rag) -> bool| f.changes.iter().filter(|x| x.3 == Rag::Red && from(x.2)).count();
    let new_results = to_red(&|r| r == Rag::Grey);
    let worsened = to_red(&|r| matches!(r, Rag::Amber | Rag::Green));
    let improved = f.changes.iter().filter(|x| x.2 == Rag::Red && matches!(x.3, Rag::Amber | Rag::Green)).count();
    if new_results + worsened + improved == 0 {
        return String::new();
    }
    let mut parts = Vec::new();
    if new_results > 0 {
        parts.push(count(new_results, "is a new result", "are new results") + " that arrived this quarter");
    }
    if worsened > 0 {
        parts.push(format!("{worsened} worsened from amber or green"));
    }
    let mut s = if parts.is_empty() { String::new() } else { format!(" Of the reds, {}.", join_and(&parts)) };
    if improved > 0 {
        s += &format!(" {} improved from red.", count(improved, "indicator", "indicators"));
    }
    s
}

fn themes(f: &Facts) -> String {
    let mut reds: Vec<&(String, usize)> = f.theme_reds.iter().filter(|t| t.1 > 0).collect();
    if reds.is_empty() {
        return "No indicator is rated red, so no theme partnership has an exception to address.".into();
    }
    // most reds first; ties keep the partnership's theme order
    reds.sort_by_key(|t| std::cmp::Reverse(t.1));
    let top = reds[0].1;
    let leaders: Vec<String> = reds.iter().filter(|t| t.1 == top).map(|t| t.0.clone()).collect();
    let rest: Vec<String> = reds.iter().filter(|t| t.1 < top).map(|t| format!("{} ({})", t.0, t.1)).collect();
    let mut s = if leaders.len() == 1 {
        format!("The {} theme has the most red ratings ({}).", leaders[0], top)
    } else {
        format!("The {} themes have the most red ratings ({} each).", join_and(&leaders), top)
    };
    if !rest.is_empty() {
        s += &format!(" Other themes with red ratings: {}.", join_and(&rest));
    }
    s += " Theme partnerships are asked to address every red rating; the exceptions are listed below.";
    s
}

fn movers(f: &Facts) -> Option<String> {
    let describe = |better: bool| -> Vec<String> {
        let mut v: Vec<(u8, String)> = f
            .changes
            .iter()
            .filter_map(|(code, title, b, a)| {
                let (rb, ra) = (rank(*b)?, rank(*a)?);
                let step = if better { ra.checked_sub(rb)? } else { rb.checked_sub(ra)? };
                (step > 0).then(|| (step, format!("{code} {title} ({} to {})", b.name(), a.name())))
            })
            .collect();
        v.sort_by_key(|x| std::cmp::Reverse(x.0));
        v.into_iter().take(3).map(|x| x.1).collect()
    };
    let (up, down) = (describe(true), describe(false));
    let mut parts = Vec::new();
    if !up.is_empty() {
        parts.push(format!(
            "The largest {}: {}.",
            if up.len() == 1 { "improvement" } else { "improvements" },
            join_and(&up)
        ));
    }
    if !down.is_empty() {
        parts.push(format!(
            "The largest {}: {}.",
            if down.len() == 1 { "deterioration" } else { "deteriorations" },
            join_and(&down)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn reward(f: &Facts) -> String {
    if f.reward_targets == 0 {
        return "The agreement has no reward targets, so no Performance Reward Grant is at stake.".into();
    }
    let share = if f.reward_max > 0.0 { f.reward_projected / f.reward_max * 100.0 } else { 0.0 };
    let mut s = format!(
        "On current forecasts the partnership would earn {} of the {} Performance Reward Grant available across {} ({}%); {} is at risk.",
        money(f.reward_projected),
        money(f.reward_max),
        count(f.reward_targets, "reward target", "reward targets"),
        share.round(),
        money(f.reward_at_risk),
    );
    if f.reward_below_threshold > 0 {
        s += &format!(
            " {} {} below the {:.0}% threshold and would earn nothing.",
            count(f.reward_below_threshold, "target", "targets"),
            is_are(f.reward_below_threshold),
            f.threshold * 100.0
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            period: "2009/10 Q2".into(),
            previous_period: Some("2009/10 Q1".into()),
            counts: Counts { red: 3, amber: 2, green: 5, grey: 1, red_between_results: 0, ..Default::default() },
            previous_counts: Some(Counts {
                red: 1,
                amber: 4,
                green: 5,
                grey: 1,
                red_between_results: 0,
                ..Default::default()
            }),
            theme_reds: vec![("Safer Communities".into(), 2), ("Environment".into(), 1), ("Health".into(), 0)],
            changes: vec![
                ("NI 32".into(), "Repeat incidents".into(), Rag::Amber, Rag::Red),
                ("NI 16".into(), "Acquisitive crime".into(), Rag::Green, Rag::Red),
                ("NI 135".into(), "Carers".into(), Rag::Amber, Rag::Green),
            ],
            changes_by_override: 0,
            reward_targets: 4,
            reward_below_threshold: 1,
            reward_max: 2_000_000.0,
            reward_projected: 1_250_000.0,
            reward_at_risk: 750_000.0,
            threshold: 0.6,
            between_results: "the forecast of the next result against its year's target".into(),
        }
    }

    #[test]
    fn reds_are_split_by_why_they_are_red() {
        let mut f = facts();
        f.changes.push(("NI 4".into(), "Influence".into(), Rag::Grey, Rag::Red));
        f.changes.push(("NI 95".into(), "Level 4".into(), Rag::Grey, Rag::Red));
        f.changes.push(("NI 20".into(), "Assault".into(), Rag::Red, Rag::Amber));
        let p = summary(&f);
        assert!(
            p[1].ends_with(
                "6 indicators changed rating: 2 improved, 2 deteriorated and 2 are new results (grey last quarter). Of the reds, 2 are new results that arrived this quarter and 2 worsened from amber or green. 1 indicator improved from red."
            ),
            "{}",
            p[1]
        );
    }

    #[test]
    fn a_typical_quarter() {
        let p = summary(&facts());
        assert_eq!(
            p[0],
            "Of the 11 LAA indicators rated for 2009/10 Q2, 5 are green, 2 amber and 3 red; 1 is grey (no data, target or polarity)."
        );
        assert_eq!(
            p[1],
            "Compared with 2009/10 Q1, red ratings rose from 1 to 3, amber ratings fell from 4 to 2 and green ratings are unchanged at 5. 3 indicators changed rating: 1 improved and 2 deteriorated. Of the reds, 2 worsened from amber or green."
        );
        assert_eq!(
            p[2],
            "The Safer Communities theme has the most red ratings (2). Other themes with red ratings: Environment (1). Theme partnerships are asked to address every red rating; the exceptions are listed below."
        );
        assert_eq!(
            p[3],
            "The largest improvement: NI 135 Carers (amber to green). The largest deteriorations: NI 16 Acquisitive crime (green to red) and NI 32 Repeat incidents (amber to red)."
        );
        assert_eq!(
            p[4],
            "On current forecasts the partnership would earn £1,250,000 of the £2,000,000 Performance Reward Grant available across 4 reward targets (63%); £750,000 is at risk. 1 target is below the 60% threshold and would earn nothing."
        );
    }

    #[test]
    fn an_override_is_said_beside_the_red_count_and_never_called_an_improvement() {
        let mut f = facts();
        // NI 152 computed red, set to amber: counted amber, said beside the reds
        f.counts = Counts { red: 3, amber: 3, green: 5, grey: 1, red_overridden: [1, 0, 0], ..Default::default() };
        f.changes_by_override = 1;
        let p = summary(&f);
        assert!(p[0].contains("and 3 red (4 computed; 1 overridden to amber)"), "{}", p[0]);
        assert!(p[1].ends_with("1 rating changed by a manual override, not by its figures."), "{}", p[1]);
        assert!(!p[3].contains("NI 152"));
    }

    #[test]
    fn reds_between_results_are_counted_apart() {
        let mut f = facts();
        f.counts.red_between_results = 2;
        assert_eq!(
            summary(&f)[0],
            "Of the 11 LAA indicators rated for 2009/10 Q2, 5 are green, 2 amber and 3 red (of which 2 are annual indicators between results, rated on the forecast of the next result against its year's target); 1 is grey (no data, target or polarity)."
        );
    }

    #[test]
    fn singulars_zero_reds_all_green_no_reward_no_previous() {
        let mut f = facts();
        f.counts = Counts { red: 0, amber: 0, green: 1, grey: 0, red_between_results: 0, ..Default::default() };
        f.theme_reds = vec![("Safer Communities".into(), 0)];
        f.previous_period = None;
        f.previous_counts = None;
        f.changes.clear();
        f.reward_targets = 0;
        let p = summary(&f);
        assert_eq!(p[0], "The 1 LAA indicator rated for 2009/10 Q2 is green: on course to meet its target.");
        assert_eq!(p[1], "There is no previous quarter to compare 2009/10 Q2 with.");
        assert_eq!(p[2], "No indicator is rated red, so no theme partnership has an exception to address.");
        assert_eq!(p[3], "The agreement has no reward targets, so no Performance Reward Grant is at stake.");
        f.counts = Counts { red: 1, amber: 1, green: 0, grey: 0, red_between_results: 0, ..Default::default() };
        f.theme_reds = vec![("A".into(), 1), ("B".into(), 1)];
        let p = summary(&f);
        assert_eq!(p[0], "Of the 2 LAA indicators rated for 2009/10 Q2, 1 is amber and 1 red.");
        assert_eq!(
            p[2],
            "The A and B themes have the most red ratings (1 each). Theme partnerships are asked to address every red rating; the exceptions are listed below."
        );
        f.reward_targets = 1;
        f.reward_below_threshold = 2;
        assert!(summary(&f)[3].contains("across 1 reward target ("));
        assert!(summary(&f)[3].ends_with("2 targets are below the 60% threshold and would earn nothing."));
    }

    #[test]
    fn lists() {
        assert_eq!(join_and(&[]), "");
        assert_eq!(join_and(&["a".into()]), "a");
        assert_eq!(join_and(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(count(1, "target", "targets"), "1 target");
        assert_eq!(count(0, "target", "targets"), "0 targets");
    }
}
