//! The officers' own files of the demo: the agreement, the priorities, the timetable and the
//! overrides.

use super::*;

/// Results published nationally (the Place Survey, the TellUs survey, DECC's emissions): no
/// partner owes them.
const PUBLISHED_NATIONALLY: &[&str] = &["NI 1", "NI 4", "NI 6", "NI 7", "NI 21", "NI 110", "NI 119", "NI 186"];

pub(crate) fn write_agreement(root: &Path, all: &[Ind]) {
    let mut g: Grid = vec![
        vec![s("Leicestershire Together (illustrative) — Local Area Agreement 2008–11")],
        vec![s("Illustrative figures for the laa demo; not the real agreement.")],
        vec![],
    ];
    // the same columns as the template `laa template agreement` writes
    g.push(laa::workspace::agreement::template_headers(&[2008, 2009, 2010]).into_iter().map(V::S).collect());
    for ind in all {
        // local indicators are defined here; NI 119 has no polarity in the reference list, so the
        // partnership sets it
        let (t, pol, unit) = ind.local.map_or((String::new(), "", ""), |(t, p, u)| (t.to_string(), p, u));
        let pol = if ind.code == "NI 119" { "higher" } else { pol };
        let freq = if ind.local.is_some() { "quarterly" } else { "" };
        let measure =
            if ind.local.is_some() { if ind.measure == Cumulative { "cumulative" } else { "snapshot" } } else { "" };
        let by = if ind.kind == "statutory" { "AY 2007/08" } else { "2007/08" };
        let mut row = vec![
            s(ind.code),
            s(t),
            s(ind.kind),
            s(theme_partnership(ind.theme)),
            s(pol),
            s(unit),
            s(freq),
            s(measure),
            V::N(ind.baseline),
            s(by),
        ];
        row.extend(ind.targets.iter().map(|t| V::N(*t)));
        if let Some((w, st, grant)) = ind.reward {
            row.extend([V::N(w), V::N(st), V::N(grant)]);
            // parked for renegotiation in the 2009 refresh (the override says why): listed with
            // its status, never counted in the reward
            if ind.code == "NI 152" {
                row.resize(18, V::E);
                row.push(s("Parked"));
            }
        }
        // who is chased for it, and for which areas: results a survey or a government department
        // publishes are owed by no partner; the crime rates' county figure is derived from the
        // districts', so the districts are owed
        let national = ind.kind == "statutory" || PUBLISHED_NATIONALLY.contains(&ind.code);
        let districts = matches!(ind.code, "NI 15" | "NI 16" | "NI 20");
        if national || districts {
            row.resize(23, V::E);
            row.push(if national { s("national") } else { V::E });
            row.push(if districts { s("districts") } else { V::E });
        }
        g.push(row);
    }
    save_xlsx(&root.join("agreement.xlsx"), vec![("Agreement".into(), g)]);
}

pub(crate) fn write_priorities(root: &Path) {
    let outcomes: &[(&str, &str, &str)] = &[
        ("Stronger communities", "People from different backgrounds get on well together", "NI 1"),
        ("Stronger communities", "People can influence decisions that affect their area", "NI 4"),
        ("Stronger communities", "A thriving voluntary and community sector and more volunteering", "NI 6, NI 7, L01"),
        ("Stronger communities", "Better access to services in rural areas", ""),
        ("Safer communities", "Less serious and acquisitive crime", "NI 15, NI 16"),
        ("Safer communities", "Less violent crime and domestic abuse", "NI 20, NI 32"),
        ("Safer communities", "Less harm from drugs and alcohol", "NI 39, NI 40"),
        ("Safer communities", "Safer roads for children", "NI 48"),
        ("Safer communities", "Less anti-social behaviour and more confidence in how it is dealt with", "NI 21, L02"),
        ("Children and young people", "Children are healthy", "NI 53, NI 56"),
        ("Children and young people", "Young people make a positive contribution", "NI 110, NI 111"),
        ("Children and young people", "Fewer teenage conceptions", "NI 112"),
        ("Children and young people", "Young people in education, employment or training", "NI 117"),
        (
            "Children and young people",
            "Children achieve at school",
            "NI 72, NI 73, NI 74, NI 75, NI 83, NI 87, NI 92, NI 93, NI 94, NI 95, NI 96, NI 97, NI 98",
        ),
        ("Children and young people", "Looked after children achieve at school", "NI 99, NI 100, NI 101"),
        ("Health and wellbeing", "People live longer, healthier lives", "NI 119, NI 120, NI 123"),
        ("Health and wellbeing", "Older people live independently", "NI 125, NI 130, NI 131, NI 136"),
        ("Health and wellbeing", "Carers are supported", "NI 135"),
        ("Health and wellbeing", "More people are active", "NI 8, L03"),
        ("Economic development", "More people in work", "NI 151, NI 152"),
        ("Economic development", "More homes, and more affordable homes", "NI 154, NI 155"),
        ("Economic development", "A better-skilled workforce", "NI 163"),
        ("Economic development", "New and growing businesses", "NI 171, NI 172"),
        ("Environment", "Reduce carbon emissions across the county", "NI 186"),
        ("Environment", "Less waste, more recycling", "NI 191, NI 192"),
        ("Environment", "Cleaner streets", "NI 195, NI 1955"),
        ("Environment", "Affordable warmth", "NI 187"),
    ];
    let mut g: Grid = vec![
        vec![s("Leicestershire Together (illustrative) — Sustainable Community Strategy priority outcomes")],
        vec![],
    ];
    g.push(["Theme", "Priority outcome", "Indicators", "Lead theme partnership"].map(s).to_vec());
    for (theme, outcome, inds) in outcomes {
        let lead = match *theme {
            "Stronger communities" => "communities",
            "Safer communities" => "safer",
            "Children and young people" => "cyp",
            "Health and wellbeing" => "health",
            "Economic development" => "economy",
            _ => "environment",
        };
        g.push(vec![s(*theme), s(*outcome), s(*inds), s(theme_partnership(lead))]);
    }
    save_xlsx(&root.join("priorities.xlsx"), vec![("Priorities".into(), g)]);
}

/// The nine stages of an SCS year, September to June (the shape of a partnership's "Stages &
/// Timescales" table).
/// The partnership's published SCS and LAA timetable of 2007–08 (nine stages; dates as published,
/// the rest in our own words; `datasets/reference/scs-laa-timetable-2007.csv`). A blank start is
/// "now" (under way when it was written), a blank end "onwards".
pub(crate) fn write_timetable(root: &Path) {
    #[rustfmt::skip]
    let stages: [[&str; 8]; 9] = [
        ["Evidence base and draft priority outcomes", "", "2007-09-28", "Now - 28 September 2007",
         "The evidence base is finished and a first set of priority outcomes drafted",
         "Theme and cross-cutting partnerships; district leaders, chief executives and LSPs",
         "Brief theme and district LSP meetings on the SCS/LAA process; send draft evidence reports to theme and cross-cutting leads; gather comments", ""],
        ["Wider partner consultation", "2007-10-03", "2007-10-26", "3 October - 26 October 2007",
         "Partners consulted on the emerging and cross-cutting priorities",
         "Everyone in stage 1, with the LSP Board, the SSOG, key partners, county chief officers and members, and the partnership forum",
         "Circulate the complete evidence reports; identify cross-cutting issues and priorities", ""],
        ["First draft of the SCS", "2007-10-26", "2007-11-09", "26 October - 9 November 2007",
         "The first draft of the Sustainable Community Strategy", "LSP support team",
         "Fold in comments from the partnerships, the Board and the SSOG; finalise the evidence reports; assemble the consultation draft", ""],
        ["LAA drafting and early negotiation", "2007-11-09", "", "9 November 2007 onwards",
         "The LAA is drafted from the draft SCS priorities and early talks with Government begin",
         "LSP support team and LAA lead officers",
         "Indicator set requires checking against SCS priorities (the national set of about 200 indicators came out in October/November 2007); start the LAA from the draft SCS priorities",
         "laa priorities check"],
        ["Public consultation on the draft SCS", "2007-11-12", "2008-01-18", "12 November 2007 - 18 January 2008 (21 December where possible)",
         "The draft SCS goes out to public consultation",
         "The public; all partnerships and districts; county council staff and members",
         "Open the consultation; proof the draft for sustainability, rural and equality effects", ""],
        ["SCS and LAA redraft", "2008-01-18", "2008-02-04", "18 January - 4 February 2008",
         "Both documents redrafted from the consultation", "LSP support team and LAA lead officers",
         "Redraft the SCS and LAA priorities; send the second LAA draft with its chosen indicators to the Government Office (GOEM)",
         "laa agreement check"],
        ["Redraft circulated", "2008-02-04", "2008-02-15", "4 February - 15 February 2008",
         "The redraft goes to the theme partnerships and districts",
         "Theme partnership leads; district leaders and chief executives; LSP Board and SSOG members",
         "Last check of the priority outcomes and content; negotiate the chosen indicators", "laa priorities check"],
        ["Final SCS and LAA drafted", "2008-02-15", "2008-03-21", "15 February - 21 March 2008",
         "The final SCS and LAA are prepared", "LSP support team; theme partnership leads",
         "Prepare the final documents for approval; send the final LAA draft with indicators and target figures to GOEM",
         "laa agreement check"],
        ["Sign-off", "2008-04-02", "2008-06-30", "2 April - June 2008",
         "The SCS and the LAA are approved",
         "LSP Board; SSOG; county council cabinet; theme partnerships and other partners",
         "Take the final SCS/LAA to partnership and council meetings; the LAA is signed after the SCS while target figures are still negotiated", ""],
    ];
    let mut g: Grid = vec![vec![s("Sustainable Community Strategy and LAA: stages and timescales, 2007-08")], vec![]];
    g.push(
        ["Stage", "Start", "End", "Dates as published", "Description", "Who is involved", "Tasks", "laa command"]
            .map(s)
            .to_vec(),
    );
    for row in stages {
        g.push(row.iter().map(|c| if c.is_empty() { V::E } else { s(*c) }).collect());
    }
    save_xlsx(&root.join("timetable.xlsx"), vec![("Timetable".into(), g)]);
}

/// One manual override: a recession-hit target parked for renegotiation in the 2009 refresh.
pub(crate) fn write_overrides(root: &Path) {
    let mut g: Grid = vec![vec![s("Manual rating overrides")], vec![]];
    g.push(["Indicator", "Area", "Period", "Rating", "Reason", "Author"].map(s).to_vec());
    g.push(vec![
        s("NI 152"),
        s("Leicestershire"),
        s("2009/10 Q2"),
        s("Amber"),
        s("Target parked for renegotiation in the 2009 LAA refresh (recession)"),
        s("Head of Policy"),
    ]);
    save_xlsx(&root.join("overrides.xlsx"), vec![("Overrides".into(), g)]);
}
