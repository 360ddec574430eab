//! An exchange file, read and checked into a [`StagedDocument`] before any board is
//! touched.
//!
//! Both formats are streamed: a buffered reader, the items staged one at a time, so
//! memory does not grow with the file (JSON: see `stream`; TOML: see `toml_stream`). A
//! TOML file whose layout the stream cannot follow is parsed whole, then staged like a
//! document held in memory.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::staged::{ItemStager, StageError, StagedDocument, stage};
use super::stream::{StreamError, read_json};
use super::toml_stream::read_toml;
use super::{Format, format_for_path, parse};

/// The UTF-8 byte order mark some editors write first: not content.
pub(super) const BOM: &[u8] = b"\xef\xbb\xbf";

/// Read, check and stage the document in `path` (`.json` or `.toml`). The message of a
/// refusal names the file and, for a parse error, the line and column.
pub fn read_file(path: &Path) -> Result<StagedDocument, String> {
    let shown = path.display();
    let format =
        format_for_path(path).ok_or_else(|| format!("{shown}: expected a .json or .toml file"))?;
    let cannot_read = |e: io::Error| format!("cannot read {shown}: {e}");
    let staged = match format {
        Format::Json => {
            let file = File::open(path).map_err(cannot_read)?;
            let reader =
                without_bom(BufReader::with_capacity(64 * 1024, file)).map_err(cannot_read)?;
            let mut items = ItemStager::new().map_err(|e| staging_failed(path, e.into()))?;
            match read_json(reader, &mut items) {
                Ok(head) => items.finish(head),
                Err(StreamError::Json(e)) if e.is_io() => return Err(cannot_read(e.into())),
                Err(StreamError::Json(e)) => Err(StageError::Refused(format!("invalid JSON: {e}"))),
                Err(StreamError::Store(e)) => Err(StageError::Store(e)),
            }
        }
        Format::Toml => match read_toml_streamed(path) {
            Some(staged) => staged,
            None => {
                let text = std::fs::read_to_string(path).map_err(cannot_read)?;
                let doc = parse(&text, Format::Toml).map_err(|e| format!("{shown}: {e}"))?;
                drop(text);
                stage(&doc)
            }
        },
    };
    staged.map_err(|e| staging_failed(path, e))
}

/// The TOML file at `path` streamed (see `toml_stream`); `None` when it must be read
/// whole, which also words any refusal (a streamed document is checked as usual).
fn read_toml_streamed(path: &Path) -> Option<Result<StagedDocument, StageError>> {
    let file = File::open(path).ok()?;
    let mut items = match ItemStager::new() {
        Ok(items) => items,
        Err(e) => return Some(Err(e.into())),
    };
    match read_toml(BufReader::with_capacity(64 * 1024, file), &mut items) {
        Ok(Some(head)) => Some(items.finish(head)),
        Ok(None) => None,
        Err(e) => Some(Err(e.into())),
    }
}

fn staging_failed(path: &Path, e: StageError) -> String {
    match e {
        StageError::Refused(why) => format!("{}: {why}", path.display()),
        StageError::Store(e) => format!(
            "{}: its items could not be set aside in a temporary file: {e}",
            path.display()
        ),
    }
}

/// The stream past a UTF-8 byte order mark, if it starts with one.
fn without_bom(mut r: impl Read) -> io::Result<impl Read> {
    let mut start = [0u8; 3];
    let mut got = 0;
    while got < start.len() {
        match r.read(&mut start[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let keep = if start[..got] == *BOM { 0 } else { got };
    Ok(io::Cursor::new(start).take(keep as u64).chain(r))
}

#[cfg(test)]
mod tests {
    use super::super::validate;
    use super::*;

    /// The verdict on `text` as a `.json` file: streamed, and read whole by `Document`'s
    /// derived code then validated (as `obeya import` read files before it streamed).
    /// They must agree, word for word. (The whole document is read from a reader too:
    /// serde_json places a few errors one column further on a reader than on a string.)
    fn streamed_as_parsed(text: &str) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.json");
        std::fs::write(&path, text).unwrap();
        let streamed = read_file(&path).map(|_| ());
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let whole = serde_json::from_reader::<_, super::super::Document>(text.as_bytes())
            .map_err(|e| format!("invalid JSON: {e}"))
            .and_then(|doc| validate(&doc))
            .map_err(|e| format!("{}: {e}", path.display()));
        assert_eq!(streamed, whole, "{text}");
        streamed
    }

    fn read(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        without_bom(bytes).unwrap().read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_nothing_else() {
        assert_eq!(read(b"\xef\xbb\xbf{}"), b"{}");
        assert_eq!(read(b"{}"), b"{}");
        assert_eq!(read(b"{"), b"{");
        assert_eq!(read(b""), b"");
        assert_eq!(read(b"\xef\xbb{}"), b"\xef\xbb{}");
    }

    #[test]
    fn a_streamed_file_is_read_and_refused_as_a_whole_one_was() {
        let ok = [
            r#"{"format":"obeya","version":2}"#,
            // Keys in any order: items before the personas and stages they name.
            r#"{"items":[{"title":"a","persona":"maria","stage":"Buy"}],"version":2,
                "stages":[{"name":"buy"}],"personas":[{"name":"Maria"}],"format":"obeya"}"#,
            r#"{"format":"obeya","version":2,"items":null,"personas":null,"mission":null}"#,
            "\u{feff}{\"format\":\"obeya\",\"version\":1,\"items\":[{\"title\":\"BOM\"}]}",
            "  {\"format\":\"obeya\",\"version\":2,\"items\":[]}  \n",
            // The derived code reads an object's fields from an array too, in order.
            r#"["obeya", 2, null, [], [], [], [{"title":"x"}]]"#,
        ];
        for text in ok {
            assert_eq!(streamed_as_parsed(text), Ok(()), "{text}");
        }
        let refused = [
            "",
            "null",
            "[]",
            r#"["obeya"]"#,
            r#"["obeya", 2, null, null, null, null, null, null, null, null, null]"#,
            r#"{"format":"obeya","verison":1}"#,
            r#"{"format":"obeya","format":"obeya","version":2}"#,
            r#"{"format":"obeya","version":2,"items":[],"items":[]}"#,
            r#"{"format":"obeya","version":2,"items":{}}"#,
            r#"{"format":"obeya","version":2,"items":5}"#,
            r#"{"format":"obeya","version":2,"items":[1]}"#,
            r#"{"format":"obeya","version":2,"items":[{"title":"x","status":"doing"}]}"#,
            r#"{"format":"obeya","version":2,"items":[{"title":"x"}"#,
            r#"{"format":"obeya","version":2} x"#,
            r#"{"format":"obeya","version":2,"personas":[{"name":1}]}"#,
            // Validation comes after parsing, and the document's own order decides.
            r#"{"items":[{"title":" "}],"format":"trello"}"#,
            r#"{"items":[{"title":"x","persona":"Nobody"},{"title":""}],"format":"obeya","version":2}"#,
            r#"{"items":[{"title":"x","id":1},{"title":"y","id":1}],"format":"obeya","version":2}"#,
            r#"{"items":[{"title":"x","uid":"u"},{"title":"y","uid":" u"}],"format":"obeya","version":2}"#,
            r#"{"items":[{"title":" "}],"format":"obeya","version":2,"bogus":1}"#,
        ];
        for text in refused {
            let err = streamed_as_parsed(text).unwrap_err();
            assert!(err.contains("doc.json: "), "{err}");
        }
        let err = streamed_as_parsed(r#"{"format":"obeya","verison":1}"#).unwrap_err();
        assert!(
            err.contains("invalid JSON")
                && err.contains("verison")
                && err.contains("line 1 column"),
            "{err}"
        );
    }
}
