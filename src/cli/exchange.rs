//! Boards in and out: `init` (from the starter, a template or empty), `export` and
//! `import`.

use std::io::Write;
use std::path::Path;

use super::ExportFormat;
use crate::context::{Context, Failure, create_board};
use crate::exchange;
use crate::format::escape_path;

/// `obeya init [--empty | --template FILE]`.
pub fn init(
    ctx: &Context,
    empty: bool,
    template: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let doc = match (empty, template) {
        (true, _) => None,
        (false, Some(t)) => Some(exchange::read_file(t)?),
        (false, None) => Some(exchange::starter_on(ctx.today())),
    };
    create_board(ctx, doc.as_ref())?;
    let what = if doc.is_none() {
        "an empty board"
    } else {
        "a board"
    };
    writeln!(out, "created {what} at {}", escape_path(&ctx.db))?;
    Ok(())
}

/// `obeya export [--format F] [--output FILE]`.
pub fn export(
    ctx: &Context,
    format: ExportFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let text = match format {
        ExportFormat::Json => exchange::to_json(&exchange::export(&store)?),
        ExportFormat::Toml => exchange::to_toml(&exchange::export(&store)?),
        ExportFormat::Md => exchange::to_markdown(&store.load_board()?, ctx.tz()),
        ExportFormat::Csv => exchange::items_csv(&store.load_board()?),
    };
    match output {
        // Whole or not at all, and never through a link planted at that name.
        Some(path) => crate::store::files::replace_whole(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

/// `obeya import FILE`: read and checked before the board is opened, so a bad file is
/// named first.
pub fn import(ctx: &Context, file: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let doc = exchange::read_file(file)?;
    let mut store = ctx.open()?;
    let report = exchange::import(&mut store, &doc)?;
    writeln!(out, "imported {}: {report}", escape_path(file))?;
    Ok(())
}
