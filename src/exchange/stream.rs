//! A JSON document read from a stream with its items handed on one at a time, so the
//! document is never whole in memory: the top-level object is read by hand (a serde
//! visitor), each of its small parts into a [`Document`] as the derived code would, and
//! the `items` array item by item into an [`ItemStager`].
//!
//! What it accepts and how it words errors follow `Document`'s derived `Deserialize`:
//! keys in any order, each at most once, unknown keys refused, `null` or absent for a
//! default, the object's fields also as an array in their declared order.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::staged::ItemStager;
use super::{Document, ItemDoc};
use crate::store::StoreError;

/// The top-level keys, in `Document`'s order.
const FIELDS: &[&str] = &[
    "format",
    "version",
    "mission",
    "personas",
    "stages",
    "feelings",
    "items",
    "wip_limits",
    "standups",
    "parked",
];

/// Why a stream could not be read.
#[derive(Debug)]
pub(super) enum StreamError {
    /// Not a document: the message names the line and column.
    Json(serde_json::Error),
    /// An item could not be staged.
    Store(StoreError),
}

/// Read the JSON document from `reader` (already past any byte order mark), its items
/// into `items`; returns the rest of it.
pub(super) fn read_json(
    reader: impl Read,
    items: &mut ItemStager,
) -> Result<Document, StreamError> {
    let mut staging_error = None;
    let mut de = serde_json::Deserializer::from_reader(reader);
    let read = DocumentSeed {
        items,
        staging_error: &mut staging_error,
    }
    .deserialize(&mut de)
    .and_then(|head| de.end().map(|()| head));
    match (read, staging_error) {
        (_, Some(e)) => Err(StreamError::Store(e)),
        (Ok(head), None) => Ok(head),
        (Err(e), None) => Err(StreamError::Json(e)),
    }
}

struct DocumentSeed<'s> {
    items: &'s mut ItemStager,
    /// Where a staging failure is kept (serde's errors can only carry text).
    staging_error: &'s mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for DocumentSeed<'_> {
    type Value = Document;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        d.deserialize_struct("Document", FIELDS, self)
    }
}

/// Absent fields are their type's default, as `#[serde(default)]` makes them (not
/// `Document::default()`, which says format "obeya").
/// Every field written out, so a field added to `Document` fails to build here until
/// `FIELDS` and `set_field` know it too.
fn empty_head() -> Document {
    Document {
        format: String::new(),
        version: 0,
        mission: Default::default(),
        personas: Vec::new(),
        stages: Vec::new(),
        feelings: Vec::new(),
        items: Vec::new(),
        wip_limits: Default::default(),
        standups: Vec::new(),
        parked: Vec::new(),
    }
}

impl<'de> Visitor<'de> for DocumentSeed<'_> {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct Document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut head = empty_head();
        let mut seen = [false; FIELDS.len()];
        while let Some(Field(k)) = map.next_key()? {
            if std::mem::replace(&mut seen[k], true) {
                return Err(de::Error::duplicate_field(FIELDS[k]));
            }
            if FIELDS[k] == "items" {
                map.next_value_seed(ItemsSeed {
                    items: &mut *self.items,
                    staging_error: &mut *self.staging_error,
                })?;
            } else {
                set_field(&mut head, k, &mut MapValues(&mut map))?;
            }
        }
        Ok(head)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut head = empty_head();
        for (k, name) in FIELDS.iter().enumerate() {
            let present = if *name == "items" {
                seq.next_element_seed(ItemsSeed {
                    items: &mut *self.items,
                    staging_error: &mut *self.staging_error,
                })?
                .is_some()
            } else {
                set_field(&mut head, k, &mut SeqValues(&mut seq))?
            };
            if !present {
                break;
            }
        }
        Ok(head)
    }
}

/// Where the fields' values come from: an object's values or an array's elements.
trait Values<'de> {
    type Error: de::Error;
    /// The next value (`None`: the array has no more elements).
    fn next<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, Self::Error>;
}

struct MapValues<'a, A>(&'a mut A);

impl<'de, A: MapAccess<'de>> Values<'de> for MapValues<'_, A> {
    type Error = A::Error;
    fn next<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, A::Error> {
        self.0.next_value().map(Some)
    }
}

struct SeqValues<'a, A>(&'a mut A);

impl<'de, A: SeqAccess<'de>> Values<'de> for SeqValues<'_, A> {
    type Error = A::Error;
    fn next<T: Deserialize<'de>>(&mut self) -> Result<Option<T>, A::Error> {
        self.0.next_element()
    }
}

/// Read field `k` (not `items`) into `head`, `null` as the default. Returns false at
/// the end of an array.
fn set_field<'de, V: Values<'de>>(
    head: &mut Document,
    k: usize,
    values: &mut V,
) -> Result<bool, V::Error> {
    fn read<'de, T: Deserialize<'de> + Default, V: Values<'de>>(
        slot: &mut T,
        values: &mut V,
    ) -> Result<bool, V::Error> {
        Ok(match values.next::<Option<T>>()? {
            Some(value) => {
                *slot = value.unwrap_or_default();
                true
            }
            None => false,
        })
    }
    match FIELDS[k] {
        "format" => read(&mut head.format, values),
        "version" => read(&mut head.version, values),
        "mission" => read(&mut head.mission, values),
        "personas" => read(&mut head.personas, values),
        "stages" => read(&mut head.stages, values),
        "feelings" => read(&mut head.feelings, values),
        "wip_limits" => read(&mut head.wip_limits, values),
        "standups" => read(&mut head.standups, values),
        "parked" => read(&mut head.parked, values),
        other => unreachable!("{other} is read as it comes"),
    }
}

/// A top-level key, by its index in [`FIELDS`]; any other key is refused.
struct Field(usize);

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                match FIELDS.iter().position(|f| *f == v) {
                    Some(k) => Ok(Field(k)),
                    None => Err(E::unknown_field(v, FIELDS)),
                }
            }
        }
        d.deserialize_identifier(V)
    }
}

/// The `items` value: `null`, or an array whose items are staged one by one.
struct ItemsSeed<'s> {
    items: &'s mut ItemStager,
    staging_error: &'s mut Option<StoreError>,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<ItemDoc>()? {
            if let Err(e) = self.items.push(&item) {
                *self.staging_error = Some(e);
                return Err(de::Error::custom("the items could not be staged"));
            }
        }
        Ok(())
    }
}
