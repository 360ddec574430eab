//! A TOML document read a few lines at a time, its items handed on one at a time, so a
//! big export is never whole in memory.
//!
//! The `toml` crate reads only whole documents, so the file is cut at the lines that,
//! alone, parse as a table header (`[[items]]`, `[mission]`, `[[items.comments]]` …).
//! An item is the run of lines from its `[[items]]` to the next header that is not its
//! own (`[[items.comments]]` is); it is parsed alone and staged. Every other run is
//! parsed alone too, then kept: together they are the document without its items,
//! parsed at the end. A cut inside a multi-line string (or array) leaves it open in the
//! run before it, which then does not parse: the line is taken into that run, which is
//! tried again at the next header. So every cut made is a header, and the runs say what
//! the whole file says. Anything else (a run that still does not parse after
//! [`MAX_TRIES`] headers, or at the end; items written inline, as `items = [ … ]`) gives
//! up, and the caller reads the file whole, which gives the whole file's verdict in its
//! words.

use std::io::BufRead;

use serde::Deserialize;

use super::read::BOM;
use super::staged::ItemStager;
use super::{Document, ItemDoc};
use crate::store::StoreError;

/// How many header-like lines one run (an item with its comments, or another table)
/// may take in, as lines of its multi-line values, before the stream gives up: each one
/// parses the run again.
const MAX_TRIES: usize = 64;

/// One item's lines, parsed alone.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemRun {
    items: Vec<ItemDoc>,
}

/// What a header line begins.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    /// `[[items]]`: the next item.
    Item,
    /// Another table of the items (`[[items.comments]]`): part of the item before it.
    OfItem,
    /// Any other table.
    Other,
}

/// What a line that parses alone as a table header begins; `None` for any other line.
fn header(line: &str) -> Option<Header> {
    if !line.trim_start().starts_with('[') {
        return None;
    }
    let table: toml::Table = toml::from_str(line).ok()?;
    let (key, value) = table.iter().next()?;
    Some(match (key.as_str(), value) {
        ("items", toml::Value::Array(_)) => Header::Item,
        ("items", _) => Header::OfItem,
        _ => Header::Other,
    })
}

/// The document read from `reader`, its items into `items`; `None` if it must be read
/// whole instead (see the module's doc). Only staging an item can fail.
pub(super) fn read_toml(
    mut reader: impl BufRead,
    items: &mut ItemStager,
) -> Result<Option<Document>, StoreError> {
    let mut head = String::new();
    let mut run = String::new();
    let mut in_item = false;
    let mut tries = 0;
    let mut line = String::new();
    if reader.fill_buf().is_ok_and(|b| b.starts_with(BOM)) {
        reader.consume(BOM.len());
    }
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => {}
            // Not UTF-8, or not readable: the whole read says which, in its words.
            Err(_) => return Ok(None),
        }
        match header(&line) {
            // A table of this item; outside one, a table of the items where they cannot
            // be streamed, or a line of a multi-line value: the run's parse tells.
            Some(Header::OfItem) | None => {}
            Some(next) => {
                if end_run(&run, in_item, &mut head, items)? {
                    run.clear();
                    in_item = next == Header::Item;
                    tries = 0;
                } else if tries < MAX_TRIES {
                    tries += 1;
                } else {
                    return Ok(None);
                }
            }
        }
        run.push_str(&line);
    }
    if !end_run(&run, in_item, &mut head, items)? {
        return Ok(None);
    }
    Ok(toml::from_str(&head).ok())
}

/// Parse a run alone: stage it if it is an item, else keep it in `head`. False if it
/// does not parse, or names the items where they cannot be streamed.
fn end_run(
    run: &str,
    in_item: bool,
    head: &mut String,
    items: &mut ItemStager,
) -> Result<bool, StoreError> {
    if in_item {
        return match toml::from_str::<ItemRun>(run) {
            Ok(ItemRun { items: one }) if one.len() == 1 => {
                items.push(&one[0])?;
                Ok(true)
            }
            _ => Ok(false),
        };
    }
    match toml::from_str::<toml::Table>(run) {
        Ok(table) if !table.contains_key("items") => {
            head.push_str(run);
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document `text` streams to, and its items as JSON (`None`: read whole).
    fn streamed(text: &str) -> Option<(Document, Vec<ItemDoc>)> {
        let mut stager = ItemStager::new().unwrap();
        let head = read_toml(text.as_bytes(), &mut stager).unwrap()?;
        let items = stager.items().unwrap();
        Some((head, items))
    }

    /// `text` streams, to what the `toml` crate reads from it whole.
    fn streams_as_whole(text: &str) {
        let whole: Document = toml::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        let (head, items) = streamed(text).unwrap_or_else(|| panic!("read whole:\n{text}"));
        assert_eq!(items, whole.items, "{text}");
        assert_eq!(
            head,
            Document {
                items: Vec::new(),
                ..whole
            },
            "{text}"
        );
    }

    #[test]
    fn an_export_streams_item_by_item() {
        let doc = super::super::starter();
        assert!(doc.items.iter().any(|i| !i.comments.is_empty()));
        streams_as_whole(&super::super::to_toml(&doc));
    }

    #[test]
    fn headers_in_strings_quoted_keys_comments_and_crlf_read_as_a_whole_file_does() {
        let tricky = [
            // A line of a multi-line string that looks like a table of the item.
            "format = \"obeya\"\n[[items]]\ntitle = \"a\"\ndetail = \"\"\"\n[[items.comments]]\n\"\"\"\n\
             [[items]]\ntitle = \"c\"\n",
            // A header inside a multi-line string of an item, and of the mission, where
            // the pieces either side of it would parse too.
            "[[items]]\ntitle = \"a\"\ndetail = \"\"\"\n[[items]]\ntitle = \"b\"\n\"\"\"\n",
            "[mission]\nstatement = '''\n[[items]]\ntitle = \"x\"\n'''\n[[items]]\ntitle = \"y\"\n",
            "[mission]\nstatement = \"\"\"\n[[items]]\ntitle = \"x\"\n[other]\na = \"\"\"\n",
            // Quoted keys, spaces and comments in headers; sections after the items.
            "[[ \"items\" ]] # first\ntitle = \"a\"\n[[items . comments]]\ntext = \"hi\"\n\
             [wip_limits]\ndo = 3\n[[ items ]]\ntitle = \"b\"\n",
            "\u{feff}version = 1\r\n[[items]]\r\ntitle = \"crlf\"\r\n",
        ];
        for text in tricky {
            streams_as_whole(text);
        }
    }

    /// Text that looks like TOML's structure: headers, string delimiters, comments.
    fn lookalike_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("[[items]]".to_string()),
            Just("[[items.comments]]".to_string()),
            Just("[items]".to_string()),
            Just("[mission]".to_string()),
            Just("[\"x\"]".to_string()),
            Just("\"\"\"".to_string()),
            Just("'''".to_string()),
            Just("#".to_string()),
            Just("\\".to_string()),
            "[a-z =]{0,4}",
        ];
        proptest::collection::vec(piece, 0..10).prop_map(|v| v.concat())
    }

    #[test]
    fn an_export_of_text_that_looks_like_toml_streams_to_what_it_says_whole() {
        use super::super::{CommentDoc, MissionDoc, to_toml};
        use proptest::test_runner::{Config, RngSeed, TestRunner};
        let config = Config {
            cases: 256,
            rng_seed: RngSeed::Fixed(super::super::safe::tests::seed("exchange::toml_stream")),
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new(config)
            .run(&proptest::collection::vec(lookalike_text(), 5), |t| {
                let item = |title: &str, detail: &str, comment: &str| ItemDoc {
                    title: title.into(),
                    detail: detail.into(),
                    comments: vec![CommentDoc {
                        text: comment.into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                };
                let doc = Document {
                    mission: MissionDoc {
                        statement: t[0].clone(),
                        customer: String::new(),
                    },
                    // A title and a comment's text are never empty in a valid document.
                    items: vec![
                        item(&format!("a{}", t[1]), &t[2], &format!("c{}", t[3])),
                        item("b", &t[4], "c"),
                    ],
                    ..Default::default()
                };
                let text = to_toml(&doc);
                let (head, items) = streamed(&text).ok_or_else(|| {
                    proptest::test_runner::TestCaseError::fail(format!("read whole:\n{text}"))
                })?;
                proptest::prop_assert_eq!(&items, &doc.items, "{}", text);
                proptest::prop_assert_eq!(head.mission, doc.mission, "{}", text);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn what_the_cuts_cannot_follow_is_read_whole() {
        let too_many = format!(
            "[[items]]\ntitle = \"a\"\ndetail = '''\n{}'''\n",
            "[x]\n".repeat(MAX_TRIES + 1)
        );
        let whole = [
            // Items written inline, or beside `[[items]]`.
            "items = [{ title = \"a\" }]\n",
            "items = []\n[[items]]\ntitle = \"a\"\n",
            // A table of the items outside any item.
            "[mission]\n[items.comments]\n",
            // More header-like lines in one run's multi-line strings than it tries.
            &too_many,
            // Broken: the whole read finds the words for it.
            "[[items]]\ntitle = \n",
            "[[items]]\ntitle = \"a\"\n[[items]]\ntitle = \"b\"\ntitle = \"c\"\n",
            "[mission]\n[mission]\n",
            "[[items]]\ntitle = \"a\"\ndetail = '''\n[x]\n",
        ];
        for text in whole {
            assert!(streamed(text).is_none(), "{text}");
        }
    }
}
