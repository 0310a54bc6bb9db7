use super::*;
use crate::workspace::{Settings, TEMPLATE_SETTINGS};

fn read_csv(text: &str) -> Result<(Agreement, Catalogue), AgreementError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.csv");
    std::fs::write(&path, text).unwrap();
    let settings: Settings = toml::from_str(TEMPLATE_SETTINGS).unwrap();
    let ws = Workspace::new(dir.path().to_path_buf(), settings);
    let mut cat = Catalogue::shipped();
    Agreement::read(&path, "agreement.csv", &ws, &mut cat).map(|a| (a, cat))
}

const HEADER: &str = "Indicator,Title,Type,Lead theme,Polarity,Baseline,Target 2008/09,Target 2009/10,Target 2010/11,Band low,Band high,Performance without reward,Stretch target,Maximum grant\n";

#[test]
fn local_indicators_bands_and_reward_terms() {
    let (a, cat) = read_csv(&format!(
        "{HEADER}L09,Debt advice referrals,local,safer,,400,450,450,450,420,480,,,\nNI 154,,designated,Community Safety Partnership,,2900,3000,3100,3200,,,2950,3300,800000\n"
    ))
    .unwrap();
    let l09 = a.get("L09").unwrap();
    assert_eq!((l09.kind, l09.band), (Kind::Local, Some((420.0, 480.0))));
    assert_eq!(cat.get("L09").unwrap().title, "Debt advice referrals");
    let ni154 = a.get("NI 154").unwrap();
    assert_eq!(ni154.theme, "safer", "found by the theme partnership's name");
    assert_eq!(ni154.target_for(2009), Some(3100.0));
    assert_eq!(ni154.reward.unwrap().stretch_target, 3300.0);
    assert_eq!(ni154.reward.unwrap().max_grant, Some(800000.0));
    // a band alone stands in for polarity: no warning
    let findings = check(&a, &cat, &[2008, 2009, 2010], &[], "agreement.csv", false);
    assert!(findings.iter().all(|f| f.indicator.as_deref() != Some("L09")), "{findings:?}");
}

#[test]
fn bad_rows_name_their_cells() {
    let err = read_csv(&format!("{HEADER}L09,x,local,safer,,1,2,3,4,480,420,,,\nNI 154,,designated,nowhere,,1,2,3,4,,,2950,,\nNI 999,,designated,safer,,1,2,3,4,,,,,\n")).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("agreement.csv: J2: the target band's low end is above its high end"), "{text}");
    assert!(text.contains("agreement.csv: D3: \"nowhere\" is not a theme"), "{text}");
    assert!(text.contains("agreement.csv: L3: a reward target needs both"), "{text}");
    assert!(text.contains("agreement.csv: A4: NI 999 is not in the National Indicator Set catalogue"), "{text}");
}

#[test]
fn reward_rows_name_the_assessed_year_an_interim_level_and_parking() {
    let header = "Indicator,Lead theme,Baseline,Target 2010/11,Performance without reward,Stretch target,Maximum grant,Assessed,Interim level,Reward status\n";
    let (a, _) = read_csv(&format!(
        "{header}NI 154,safer,2900,3200,2900,3150,800000,cumulative,3050,\nNI 152,safer,8.9,8.3,8.8,8.2,,2009/10,,Parked\nNI 20,safer,6.4,5.9,6.3,5.9,450000,,,Withdrawn\n"
    ))
    .unwrap();
    let r154 = a.get("NI 154").unwrap().reward.unwrap();
    assert_eq!(
        (r154.assessed, r154.interim_level, r154.status),
        (Some(Assessed::Cumulative), Some(3050.0), RewardStatus::Active)
    );
    let r152 = a.get("NI 152").unwrap().reward.unwrap();
    assert_eq!((r152.assessed, r152.max_grant, r152.status), (Some(Assessed::Year(2009)), None, RewardStatus::Parked));
    assert_eq!(a.get("NI 20").unwrap().reward.unwrap().status, RewardStatus::Withdrawn);
    // no maximum grant is an error unless net_budget shares out the pot
    let cat = Catalogue::shipped();
    let no_max = |pot| {
        check(&a, &cat, &[2010], &[], "agreement.csv", pot)
            .into_iter()
            .filter(|f| f.message.contains("needs a maximum grant"))
            .count()
    };
    assert_eq!((no_max(false), no_max(true)), (1, 0));
    let err =
        read_csv(&format!("{header}NI 154,safer,2900,3200,2900,3150,800000,someday,,maybe\n")).unwrap_err().to_string();
    assert!(err.contains("agreement.csv: H2: \"someday\" is not a year"), "{err}");
    assert!(err.contains("agreement.csv: J2: \"maybe\" is not a reward status"), "{err}");
}

#[test]
fn an_override_that_parks_an_active_target_is_found_naming_both() {
    let header = "Indicator,Lead theme,Baseline,Target 2010/11,Performance without reward,Stretch target,Maximum grant,Reward status\n";
    let (a, _) = read_csv(&format!(
        "{header}NI 152,safer,8.9,8.3,8.8,8.2,400000,\nNI 154,safer,2900,3200,2900,3150,800000,Parked\nNI 20,safer,6.4,5.9,6.3,5.9,450000,Withdrawn\n"
    ))
    .unwrap();
    let ov = |code: &str, reason: &str| crate::workspace::overrides::Override {
        indicator: code.into(),
        area: "COUNTY".into(),
        period: "2009/10 Q2".parse().unwrap(),
        rating: crate::domain::rag::Rag::Amber,
        reason: reason.into(),
        author: "Head of Policy".into(),
        at: "overrides.xlsx: Overrides!E4".into(),
    };
    let found = check_overrides(
        &a,
        &[
            ov("NI 152", "Target parked for renegotiation in the 2009 refresh"),
            ov("NI 154", "Parked while the refresh is agreed"),
            ov("NI 20", "Target parked"),
            ov("NI 152", "seasonal peak"),
        ],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    let m = &found[0].message;
    assert_eq!(found[0].location, "overrides.xlsx: Overrides!E4");
    assert!(m.contains("says its target is parked") && m.contains("agreement.csv: A2") && m.contains("active"), "{m}");
    assert!(m.contains("£400,000 is counted"), "{m}");
    assert!(found[1].message.contains("reward status withdrawn"), "{}", found[1].message);
}
