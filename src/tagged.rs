//! Tagged enums decoded without serde's `Content` buffer.
//!
//! serde's derived `Deserialize` for an internally tagged enum (`#[serde(tag = "type")]`) reads
//! the whole value into its private `Content` buffer before it knows the variant, and so does an
//! adjacently tagged one (`tag`, `content`) whenever the content comes first: every such type
//! carries a second decoder, from that buffer, into the phone's wasm. The enums the phone reads
//! (rule scopes, periods and filters; subjects and link targets; a record's sync state) decode
//! instead into a plain struct of the tag and every variant's fields, each optional (a struct
//! takes its keys in any order), and then ask for the tag's own fields with [`required`] and
//! [`absent`]. Their `Serialize` stays derived, so the JSON is the same both ways.

use serde::de;

/// A field the value's tag needs: serde's own "missing field" error when it is not there.
pub fn required<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// A content field a unit variant must not carry (serde's adjacently tagged decoding refused
/// anything but `null` there too).
pub fn absent<T, E: de::Error>(value: Option<T>, field: &'static str, tag: &str) -> Result<(), E> {
    match value {
        Some(_) => Err(E::custom(format_args!("`{tag}` takes no `{field}`"))),
        None => Ok(()),
    }
}
