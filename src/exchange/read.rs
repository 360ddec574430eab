//! An exchange file read whole into a [`Document`] and checked, before any board is
//! touched: JSON through a buffered reader, TOML as text (the `toml` crate reads whole
//! documents). Memory grows with the document (see the README's performance notes).

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::{Document, ExchangeError, Format, ParseError, format_for_path, parse, validate};

/// The UTF-8 byte order mark some editors write first: not content.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Read and check the document in `path` (`.json` or `.toml`). A refusal names the
/// file and, for a parse error, the line and column.
pub fn read_file(path: &Path) -> Result<Document, ExchangeError> {
    let format =
        format_for_path(path).ok_or_else(|| ExchangeError::UnknownFormat(path.to_path_buf()))?;
    let cannot_read = |error: io::Error| ExchangeError::Read {
        path: path.to_path_buf(),
        error,
    };
    let doc = match format {
        Format::Json => {
            let file = File::open(path).map_err(cannot_read)?;
            let reader =
                without_bom(BufReader::with_capacity(64 * 1024, file)).map_err(cannot_read)?;
            match serde_json::from_reader(reader) {
                Ok(doc) => doc,
                Err(e) if e.is_io() => return Err(cannot_read(e.into())),
                Err(e) => return Err(ExchangeError::from(ParseError::json(&e)).in_file(path)),
            }
        }
        Format::Toml => {
            let text = std::fs::read_to_string(path).map_err(cannot_read)?;
            parse(&text, Format::Toml).map_err(|e| ExchangeError::from(e).in_file(path))?
        }
    };
    validate(&doc).map_err(|e| ExchangeError::from(e).in_file(path))?;
    Ok(doc)
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
    use super::*;

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

    /// The verdict on `text` written to a file named `name`, as shown.
    fn verdict(name: &str, text: &str) -> Result<Document, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        read_file(&path).map_err(|e| {
            let shown = e.to_string();
            let prefix = format!("{}: ", path.display());
            shown.strip_prefix(&prefix).unwrap_or(&shown).to_owned()
        })
    }

    #[test]
    fn a_file_is_read_whole_and_refused_in_words_that_name_it_and_the_place() {
        // Keys in any order: items before the personas and stages they name; a BOM.
        let doc = verdict(
            "doc.json",
            "\u{feff}{\"items\":[{\"title\":\"a\",\"persona\":\"maria\",\"stage\":\"Buy\"}],\
             \"version\":2,\"stages\":[{\"name\":\"buy\"}],\"personas\":[{\"name\":\"Maria\"}],\
             \"format\":\"obeya\"}",
        )
        .unwrap();
        assert_eq!(doc.items[0].title, "a");
        let doc = verdict(
            "doc.toml",
            "\u{feff}format = \"obeya\"\r\nversion = 1\r\n[[items]]\r\ntitle = \"crlf\"\r\n",
        )
        .unwrap();
        assert_eq!(doc.items[0].title, "crlf");

        let err = verdict("doc.json", "{\"format\":\"obeya\",\n\"verison\":1}").unwrap_err();
        assert!(
            err.starts_with("invalid JSON: unknown field `verison`"),
            "{err}"
        );
        assert!(err.ends_with(" at line 2 column 10"), "{err}");
        let err = verdict(
            "doc.toml",
            "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n",
        )
        .unwrap_err();
        assert!(
            err.starts_with("invalid TOML: TOML parse error at line 4, column 1"),
            "{err}"
        );
        assert!(err.contains("titel"), "{err}");
        assert_eq!(
            verdict(
                "doc.json",
                r#"{"format":"obeya","version":2,"items":[{"title":" "}]}"#
            )
            .unwrap_err(),
            "item 1 has an empty title"
        );
        assert_eq!(
            verdict("doc.txt", "").unwrap_err(),
            "expected a .json or .toml file"
        );
    }

    #[test]
    fn a_parse_error_carries_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.toml");
        std::fs::write(&path, "format = \"obeya\"\nversion = 1\n  bogus = 1\n").unwrap();
        match read_file(&path) {
            Err(ExchangeError::Parse { file, error }) => {
                assert_eq!(file.as_deref(), Some(path.as_path()));
                assert_eq!(error.format, Format::Toml);
                assert_eq!(error.location, Some((3, 3)));
                assert!(error.message.contains("bogus"), "{}", error.message);
            }
            other => panic!("{other:?}"),
        }
        let path = dir.path().join("doc.json");
        std::fs::write(&path, "{\"format\": \"obeya\",\n  \"version\": x}").unwrap();
        match read_file(&path) {
            Err(ExchangeError::Parse { error, .. }) => {
                assert_eq!(error.format, Format::Json);
                assert_eq!(error.location, Some((2, 14)));
                assert_eq!(error.message, "expected value");
            }
            other => panic!("{other:?}"),
        }
    }
}
