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

#[test]
fn areas_are_found_by_their_councils_names_and_ons_codes() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"name = "P"
[agreement]
first_year = "2008/09"
last_year = "2010/11"
[[areas]]
code = "LEICS"
name = "Leicestershire"
county = true
[[areas]]
code = "HIN"
name = "Hinckley & Bosworth"
[[areas]]
code = "BLA"
name = "Blaby"
[[areas]]
code = "NEW"
name = "Newcastle"
aliases = ["Newcastle upon Tyne"]
[[areas]]
code = "NUL"
name = "Newcastle-under-Lyme"
aliases = ["Newcastle District"]
[[themes]]
code = "safer"
name = "Safer"
[benchmark]
authority = "E10000018"
[benchmark.areas]
bla = "E07000129"
"#;
    std::fs::write(dir.path().join(SETTINGS_FILE), text).unwrap();
    let ws = Workspace::open(dir.path()).unwrap();
    let code = |t: &str| ws.find_area(t).map(|a| a.code.as_str());
    assert_eq!(code("Blaby District Council"), Some("BLA"));
    assert_eq!(code("Hinckley and Bosworth Borough Council"), Some("HIN"));
    assert_eq!(code("The Borough of Hinckley & Bosworth"), Some("HIN"));
    assert_eq!(code("Leicestershire County Council"), Some("LEICS"));
    assert_eq!(code("E07000129"), Some("BLA"), "the ONS code of [benchmark.areas]");
    assert_eq!(code("e10000018"), Some("LEICS"), "the county's, from [benchmark] authority");
    assert_eq!(code("Blaby Parish"), None);
    // two areas matching equally: neither, and both named
    assert_eq!(code("Newcastle City Council"), None);
    let both: Vec<&str> = ws.area_clash("Newcastle City Council").iter().map(|a| a.code.as_str()).collect();
    assert_eq!(both, ["NEW", "NUL"]);
    assert_eq!(code("Newcastle"), Some("NEW"), "its own name is exact");
}

proptest::proptest! {
    /// Without a council word, a name's council form is its plain form: the lookup that skips
    /// `council_norm` then finds what it would have found.
    #[test]
    fn a_name_without_council_words_has_its_plain_form_as_council_form(s in "[A-Za-z0-9&' .-]{0,24}|\\PC{0,12}") {
        if !super::has_council_word(&s) {
            proptest::prop_assert_eq!(super::council_norm(&s), crate::domain::text::norm(&s));
        }
    }
}
