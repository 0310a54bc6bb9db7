//! The name serde gives a unit-like enum's value (its spelling in files and json), read without
//! building a json value: a national listing asks it six times a row.

use serde::Serialize;
use serde::de::value::Error;
use serde::ser::{self, Impossible};

/// The serde name of a unit variant (after any `rename_all`), or `None` for any other value.
pub fn variant_name<T: Serialize + ?Sized>(v: &T) -> Option<&'static str> {
    v.serialize(Name).ok()
}

/// A serializer that accepts a unit variant alone and gives its name.
struct Name;

fn refuse<T>() -> Result<T, Error> {
    Err(ser::Error::custom("not a unit variant"))
}

impl ser::Serializer for Name {
    type Ok = &'static str;
    type Error = Error;
    type SerializeSeq = Impossible<&'static str, Error>;
    type SerializeTuple = Impossible<&'static str, Error>;
    type SerializeTupleStruct = Impossible<&'static str, Error>;
    type SerializeTupleVariant = Impossible<&'static str, Error>;
    type SerializeMap = Impossible<&'static str, Error>;
    type SerializeStruct = Impossible<&'static str, Error>;
    type SerializeStructVariant = Impossible<&'static str, Error>;

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Self::Ok, Error> {
        Ok(variant)
    }
    fn serialize_bool(self, _: bool) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_i8(self, _: i8) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_i16(self, _: i16) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_i32(self, _: i32) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_u8(self, _: u8) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_u16(self, _: u16) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_u32(self, _: u32) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_f32(self, _: f32) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_none(self) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_unit(self) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, _: &T) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Error> {
        refuse()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        refuse()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        refuse()
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Error> {
        refuse()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        refuse()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        refuse()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        refuse()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        refuse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Shape {
        UnitVariant,
        #[serde(rename = "called-so")]
        Renamed,
        Newtype(u8),
    }

    #[test]
    fn a_unit_variant_is_named_as_serde_json_spells_it() {
        for v in [Shape::UnitVariant, Shape::Renamed] {
            let json = serde_json::to_value(&v).unwrap();
            assert_eq!(variant_name(&v), json.as_str());
        }
        assert_eq!(variant_name(&Shape::UnitVariant), Some("unit_variant"));
        assert_eq!(variant_name(&Shape::Renamed), Some("called-so"));
    }

    #[test]
    fn anything_else_has_no_name() {
        assert_eq!(variant_name(&Shape::Newtype(3)), None);
        assert_eq!(variant_name("text"), None);
        assert_eq!(variant_name(&Some(Shape::UnitVariant)), None);
        assert_eq!(variant_name(&1.5), None);
    }
}
