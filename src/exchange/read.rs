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
    let mut start = Vec::with_capacity(BOM.len());
    r.by_ref().take(BOM.len() as u64).read_to_end(&mut start)?;
    if start == BOM {
        start.clear();
    }
    Ok(io::Cursor::new(start).chain(r))
}
