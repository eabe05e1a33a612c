//! Reading JSON as the phone reads it: every struct from an object, never from an array.
//!
//! serde_json reads a struct from either form, so each struct the phone reads carries two
//! decoders into the wasm, serde's derived `visit_map` and its `visit_seq`. Nothing Rounds reads
//! is a struct written as an array (serde_json writes them all as objects), so [`from_str`] asks
//! serde_json for a map wherever a struct is asked for, and the array decoders are never built:
//! 66 KB of the shipped main wasm, 12 KB of it brotli (`docs/performance.md`).
//!
//! It wraps serde_json's reader, its visitors and its accessors, and passes everything else
//! through unchanged, so what it reads and the errors it gives are serde_json's own; a struct
//! sent as an array is refused as "invalid type: sequence, expected struct …".

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::fmt;

/// `serde_json::from_str`, with every struct read from an object only.
pub fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> serde_json::Result<T> {
    from_str_seed(text, std::marker::PhantomData::<T>)
}

/// [`from_str`] for a value a seed reads (a record's data, once its kind is known).
pub fn from_str_seed<'de, S: DeserializeSeed<'de>>(text: &'de str, seed: S) -> serde_json::Result<S::Value> {
    let mut reader = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(Objects(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// A deserializer whose structs are maps.
struct Objects<D>(D);

/// A visitor whose nested values are read through [`Objects`] too.
struct Nested<V>(V);

/// A struct variant's fields, read as a map.
struct StructFields<V>(V);

macro_rules! pass_through {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(visitor)
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    // Scalars hold no struct: their visitors go through as they are.
    pass_through! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32
        deserialize_f64 deserialize_char deserialize_str deserialize_string deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Nested(visitor))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Nested(visitor))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Nested(visitor))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_seq(Nested(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Nested(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, name: &'static str, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Nested(visitor))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Nested(visitor))
    }

    /// The one change: a struct is a map.
    fn deserialize_struct<V: Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Nested(visitor))
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Nested(visitor))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! visit_scalars {
    ($($method:ident: $ty:ty)*) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Nested<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    visit_scalars! {
        visit_bool: bool visit_i8: i8 visit_i16: i16 visit_i32: i32 visit_i64: i64 visit_i128: i128
        visit_u8: u8 visit_u16: u16 visit_u32: u32 visit_u64: u64 visit_u128: u128 visit_f32: f32
        visit_f64: f64 visit_char: char visit_str: &str visit_borrowed_str: &'de str visit_string: String
        visit_bytes: &[u8] visit_borrowed_bytes: &'de [u8] visit_byte_buf: Vec<u8>
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Objects(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Objects(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Objects(data))
    }
}

/// A seed whose value is read through [`Objects`].
impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nested<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(deserializer))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Objects<A> {
    type Error = A::Error;

    // A JSON key is a string: no struct in it.
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Nested(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Objects<A> {
    type Error = A::Error;
    type Variant = Objects<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        let (tag, variant) = self.0.variant_seed(seed)?;
        Ok((tag, Objects(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Nested(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Nested(visitor))
    }

    // serde_json's own `struct_variant` would read an array too: the fields are read as the
    // variant's one value instead, a map.
    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, A::Error> {
        self.0.newtype_variant_seed(StructFields(visitor))
    }
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for StructFields<V> {
    type Value = V::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        deserializer.deserialize_map(Nested(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Shape {
        Unit,
        Newtype(Inner),
        Tuple(u8, Inner),
        Struct { inner: Inner, size: Option<u32> },
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        id: u64,
        note: Option<Inner>,
        list: Vec<Inner>,
        shapes: Vec<Shape>,
        by_name: BTreeMap<String, Inner>,
        pair: (i32, Inner),
        flag: bool,
        ratio: f64,
    }

    fn sample() -> Outer {
        let inner = |name: &str| Inner { name: name.into(), tags: vec!["t".into()] };
        Outer {
            id: 7,
            note: Some(inner("n")),
            list: vec![inner("a"), inner("b")],
            shapes: vec![Shape::Unit, Shape::Newtype(inner("x")), Shape::Tuple(3, inner("y")), Shape::Struct { inner: inner("z"), size: None }],
            by_name: [("k".to_string(), inner("v"))].into(),
            pair: (-1, inner("p")),
            flag: true,
            ratio: 0.25,
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = serde_json::to_string(&sample()).unwrap();
        assert_eq!(from_str::<Outer>(&text).unwrap(), sample());
        assert_eq!(from_str::<serde_json::Value>(&text).unwrap(), serde_json::from_str::<serde_json::Value>(&text).unwrap());
    }

    #[test]
    fn gives_serde_jsons_errors() {
        let text = serde_json::to_string(&sample()).unwrap();
        for broken in [text.replace("\"name\":\"a\"", "\"name\":1"), text.replace("\"id\":7,", ""), text[..text.len() - 1].to_string(), format!("{text} x")] {
            let ours = from_str::<Outer>(&broken).unwrap_err().to_string();
            let theirs = serde_json::from_str::<Outer>(&broken).unwrap_err().to_string();
            assert_eq!(ours, theirs, "{broken}");
        }
    }

    #[test]
    fn refuses_a_struct_written_as_an_array() {
        assert!(serde_json::from_str::<Inner>(r#"["a", []]"#).is_ok(), "serde_json alone takes it");
        let error = from_str::<Inner>(r#"["a", []]"#).unwrap_err().to_string();
        assert!(error.starts_with("invalid type: sequence, expected struct Inner"), "{error}");
        let error = from_str::<Shape>(r#"{"Struct": [{"name": "z"}, 1]}"#).unwrap_err().to_string();
        assert!(error.contains("invalid type: sequence"), "{error}");
    }
}
