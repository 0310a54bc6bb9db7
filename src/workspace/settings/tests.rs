use super::*;

#[test]
fn template_settings_parse_and_validate() {
    let s: Settings = toml::from_str(TEMPLATE_SETTINGS).unwrap();
    s.validate().unwrap();
    assert_eq!(s.agreement.first_year, Period::Year { year: 2008 });
    assert_eq!(s.reward.threshold, 0.6);
}

#[test]
fn two_counties_is_invalid() {
    let text = TEMPLATE_SETTINGS.replace("aliases = [\"First\"]", "county = true");
    let s: Settings = toml::from_str(&text).unwrap();
    assert!(s.validate().unwrap_err().contains("exactly one"));
}

#[test]
fn benchmark_codes_are_read_in_any_case_and_areas_by_any_spelling_of_their_code() {
    let dir = tempfile::tempdir().unwrap();
    let first = toml::from_str::<Settings>(TEMPLATE_SETTINGS).unwrap().areas[1].code.clone();
    let text = format!(
        "{TEMPLATE_SETTINGS}\n[benchmark]\nauthority = \" e10000018 \"\n[benchmark.areas]\n{} = \"e07000129\"\n[benchmark.groups]\nn = [\"e10000031\"]\n",
        first.to_lowercase()
    );
    std::fs::write(dir.path().join(SETTINGS_FILE), text).unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    assert_eq!(ws.ons_code(&ws.county().code).as_deref(), Some("E10000018"));
    assert_eq!(ws.ons_code(&first).as_deref(), Some("E07000129"));
    assert_eq!(ws.settings.benchmark.groups["n"], ["E10000031"]);
    // a code that is not an authority's is refused by name
    let bad = TEMPLATE_SETTINGS.to_string() + "\n[benchmark]\nauthority = \"E92000001\"\n";
    std::fs::write(dir.path().join(SETTINGS_FILE), bad).unwrap();
    let err = Workspace::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("[benchmark] authority: \"E92000001\" is not an ONS code of an English authority"), "{err}");
}
