//! The board paper's first pages: the header block, the decisions for the Board (page 1), the
//! purpose of the report and its summary.

#[allow(unused_imports)]
use super::*;

/// Page 1: what the Board must decide. The reds that need a decision, the reward at risk and
/// what would recover it, and the recommendations; the detail follows.
pub(crate) fn decisions(doc: &mut Doc, d: &ReportData) {
    doc.p("Heading1", "Decisions for the Board");
    let due: Vec<&Rating> = d.exceptions.iter().filter(|r| r.effective_rating == Rag::Red && r.due).collect();
    if due.is_empty() {
        doc.numbered("No indicator is red on this quarter's results: no remedial action needs the Board's decision.");
    } else {
        let codes: Vec<String> = due.iter().map(|r| r.indicator.clone()).collect();
        let without = crate::report::reds_without_an_action(due.iter().copied()).len();
        let none = match without {
            0 => String::new(),
            1 => " 1 of them has no remedial action yet.".to_string(),
            n => format!(" {n} of them have no remedial action yet."),
        };
        doc.numbered(&format!(
            "{} red on this quarter's results and {} the Board's decision on {} remedial action: {}.{none} The exceptions below give each one's reason and action.",
            narrative::count(due.len(), "indicator is", "indicators are"),
            if due.len() == 1 { "needs" } else { "need" },
            if due.len() == 1 { "its" } else { "their" },
            narrative::join_and(&codes)
        ));
    }
    let t = &d.reward_totals;
    if t.max_grant > 0.0 {
        let within: Vec<&crate::assess::reward::Projection> =
            d.rewards.iter().filter(|p| p.trigger_within_reach()).collect();
        let recover: f64 = within.iter().map(|p| p.grant_recovered_at_trigger).sum();
        let how = if within.is_empty() {
            " No target below its trigger is within reach on its own record.".to_string()
        } else {
            let codes: Vec<String> = within.iter().map(|p| p.indicator.clone()).collect();
            format!(
                " Reaching the reward trigger on {}, within reach on {} own record, would recover {}.",
                narrative::join_and(&codes),
                if within.len() == 1 { "its" } else { "their" },
                money(recover)
            )
        };
        doc.numbered(&format!(
            "{} of the {} Performance Reward Grant is at risk ({} projected).{how}",
            money(t.grant_at_risk),
            money(t.max_grant),
            money(t.projected_grant)
        ));
    }
    doc.p("Normal", "The Board is recommended:");
    if d.recommendations.is_empty() {
        doc.p("Recommendation", "that the report be noted");
    }
    for r in &d.recommendations {
        doc.p("Recommendation", r);
    }
}

/// The header block, the purpose of the report and its summary.
pub(crate) fn front(doc: &mut Doc, d: &ReportData) {
    // header block
    if !d.board.is_empty() {
        doc.p("BoardName", &d.board.to_uppercase());
    }
    if let Some(m) = &d.meeting_date {
        doc.p("MeetingDate", &crate::report::long_date(m));
    }
    doc.p("Title", &d.title);
    if !d.officer_group.is_empty() {
        doc.p("Subtitle", &format!("Report of the {}", d.officer_group));
    }
    decisions(doc, d);
    doc.p("Heading1", "Purpose of Report");
    doc.numbered(&format!(
        "The purpose of this report is to inform the {} of progress against the Local Area Agreement targets at {}, to highlight the indicators at risk of missing their targets (rated red), and to assess the risk to the Performance Reward Grant.",
        if d.board.is_empty() { "Board".to_string() } else { d.board.clone() },
        d.period
    ));
    doc.p("Heading1", "Summary");
    for s in narrative::summary(&Facts::of(d)) {
        doc.numbered(&s);
    }
}
