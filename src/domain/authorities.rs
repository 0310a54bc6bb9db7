//! English local authorities: the shipped register (ONS codes of the time and of today, names,
//! tiers), the tier an ONS code belongs to, and which authorities a partnership is compared with.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::text::norm;

/// The register shipped with laa (`datasets/authorities/authorities.csv`).
pub const SHIPPED_CSV: &str = include_str!("../../datasets/authorities/authorities.csv");

/// What kind of body an ONS code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Country,
    Region,
    County,
    Unitary,
    Metropolitan,
    London,
    District,
}

impl Tier {
    /// The tier of a nine-character ONS code, from its prefix (E10 county, E06 unitary, E08
    /// metropolitan district, E09 London borough, E07 district, E12 region, E92 England).
    pub fn of_code(code: &str) -> Option<Tier> {
        let c = code.trim();
        if c.len() != 9 || !c[3..].bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match &c[..3].to_ascii_uppercase()[..] {
            "E92" => Some(Tier::Country),
            "E12" => Some(Tier::Region),
            "E10" => Some(Tier::County),
            "E06" => Some(Tier::Unitary),
            "E08" => Some(Tier::Metropolitan),
            "E09" => Some(Tier::London),
            "E07" => Some(Tier::District),
            _ => None,
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        Some(match norm(text).as_str() {
            "country" => Tier::Country,
            "region" => Tier::Region,
            "county" => Tier::County,
            "unitary" => Tier::Unitary,
            "metropolitan" => Tier::Metropolitan,
            "london" => Tier::London,
            "district" => Tier::District,
            _ => return None,
        })
    }

    /// An authority, not an aggregate of them (England, a region).
    pub fn is_authority(self) -> bool {
        !matches!(self, Tier::Country | Tier::Region)
    }

    /// Authorities an authority of this tier is ranked among: a county among the upper tier
    /// (counties, unitaries, metropolitan districts, London boroughs), a district among the
    /// lower tier (districts and the single-tier authorities, which are both).
    pub fn peers(self, other: Tier) -> bool {
        match self {
            Tier::Country | Tier::Region => false,
            Tier::District => matches!(other, Tier::District | Tier::Unitary | Tier::Metropolitan | Tier::London),
            _ => matches!(other, Tier::County | Tier::Unitary | Tier::Metropolitan | Tier::London),
        }
    }

    /// Who an authority of this tier is ranked among, in words.
    pub fn peers_name(self) -> &'static str {
        match self {
            Tier::District => "English districts and single-tier authorities",
            _ => "English upper-tier authorities",
        }
    }
}

/// Is this a nine-character ONS code of an English local authority (E06, E07, E08, E09, E10)?
pub fn is_authority_code(text: &str) -> bool {
    Tier::of_code(text).is_some_and(Tier::is_authority)
}

/// One authority of the register.
#[derive(Debug, Clone)]
pub struct Authority {
    pub code: String,
    pub name: String,
    pub tier: Tier,
    /// The ONS code of the time (before the nine-character codes of 2011).
    pub old_code: Option<String>,
    /// Codes the same authority was given later.
    pub other_codes: Vec<String>,
    pub aliases: Vec<String>,
}

/// The authorities laa knows by name.
#[derive(Debug, Clone, Default)]
pub struct Authorities {
    pub list: Vec<Authority>,
    /// Normalised code, old code, later code, name or alias → index in `list`.
    index: HashMap<String, usize>,
    /// Spellings shared by two or more authorities ("Newcastle"): never matched.
    clashes: HashMap<String, Vec<usize>>,
}

/// What a spelling names in the register.
pub enum Found<'a> {
    One(&'a Authority),
    /// A name two authorities share.
    Several(Vec<&'a Authority>),
    None,
}

impl Authorities {
    /// The shipped register, parsed once.
    pub fn shipped() -> &'static Authorities {
        static REG: OnceLock<Authorities> = OnceLock::new();
        REG.get_or_init(|| Authorities::parse(SHIPPED_CSV).expect("the shipped register parses (tested)"))
    }

    /// A register from its CSV text (code,name,tier,old_code,other_codes,aliases).
    pub fn parse(text: &str) -> Result<Authorities, String> {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let mut list = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| format!("line {}: {e}", i + 2))?;
            let field = |n: usize| rec.get(n).unwrap_or("").trim().to_string();
            let split = |s: String| -> Vec<String> {
                s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
            };
            let code = field(0);
            let tier = Tier::parse(&field(2)).ok_or_else(|| format!("line {}: tier {:?}", i + 2, field(2)))?;
            if Tier::of_code(&code) != Some(tier) {
                return Err(format!("line {}: {code} is not a code of a {tier:?}", i + 2));
            }
            let old = field(3);
            list.push(Authority {
                code,
                name: field(1),
                tier,
                old_code: (!old.is_empty()).then_some(old),
                other_codes: split(field(4)),
                aliases: split(field(5)),
            });
        }
        Ok(Authorities::new(list))
    }

    pub fn new(list: Vec<Authority>) -> Authorities {
        let mut spellings: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, a) in list.iter().enumerate() {
            let names = [&a.code, &a.name].into_iter().chain(&a.old_code).chain(&a.other_codes).chain(&a.aliases);
            for s in names {
                let v = spellings.entry(norm(s)).or_default();
                if !v.contains(&i) {
                    v.push(i);
                }
            }
        }
        let mut index = HashMap::new();
        let mut clashes = HashMap::new();
        for (s, v) in spellings {
            if v.len() == 1 {
                index.insert(s, v[0]);
            } else {
                clashes.insert(s, v);
            }
        }
        Authorities { list, index, clashes }
    }

    /// The authority a code, old code, name or alias names (case, spacing, punctuation and
    /// "&"/"and" aside).
    pub fn find(&self, text: &str) -> Found<'_> {
        let n = norm(text);
        if let Some(&i) = self.index.get(&n) {
            return Found::One(&self.list[i]);
        }
        match self.clashes.get(&n) {
            Some(v) => Found::Several(v.iter().map(|&i| &self.list[i]).collect()),
            None => Found::None,
        }
    }

    /// The authority with this code (its own or a later one).
    pub fn get(&self, code: &str) -> Option<&Authority> {
        match self.find(code) {
            Found::One(a) if a.code.eq_ignore_ascii_case(code.trim()) || a.other_codes.iter().any(|c| c == code) => {
                Some(a)
            }
            _ => None,
        }
    }

    /// An authority's name, or its code when the register does not know it.
    pub fn name_of<'a>(&'a self, code: &'a str) -> &'a str {
        self.get(code).map_or(code, |a| a.name.as_str())
    }

    /// The tier of a code: the register's, else the code's prefix.
    pub fn tier_of(&self, code: &str) -> Option<Tier> {
        self.get(code).map(|a| a.tier).or_else(|| Tier::of_code(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_register_parses_and_finds_by_any_spelling() {
        let r = Authorities::shipped();
        assert_eq!(r.list.iter().filter(|a| a.tier.is_authority() && a.tier != Tier::District).count(), 152);
        let code = |t: &str| match r.find(t) {
            Found::One(a) => a.code.clone(),
            Found::Several(v) => format!("{} authorities", v.len()),
            Found::None => "none".into(),
        };
        assert_eq!(code("E10000018"), "E10000018");
        assert_eq!(code("31"), "E10000018");
        assert_eq!(code("leicestershire county"), "E10000018");
        assert_eq!(code("Bristol, City of"), "E06000023");
        assert_eq!(code("00FN"), "E06000016");
        assert_eq!(code("E06000057"), "E06000048");
        assert_eq!(code("Hinckley & Bosworth"), "E07000132");
        assert_eq!(code("Newcastle"), "2 authorities");
        assert_eq!(code("Atlantis"), "none");
    }

    #[test]
    fn tiers_come_from_the_code_and_say_who_is_compared() {
        assert_eq!(Tier::of_code("E07000999"), Some(Tier::District));
        assert_eq!(Tier::of_code("E1000001"), None);
        assert!(is_authority_code("E09000033"));
        assert!(!is_authority_code("E92000001"));
        assert!(Tier::County.peers(Tier::Unitary) && !Tier::County.peers(Tier::District));
        assert!(Tier::District.peers(Tier::Unitary) && !Tier::District.peers(Tier::County));
    }
}
