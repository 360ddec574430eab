//! What one `sqlite_master` entry creates, read from its SQL the way SQLite reads it.
//!
//! When SQLite loads a schema it runs each entry's SQL; the entry's `type` and `name`
//! columns only have to agree with it, ignoring case. So what an entry makes, and
//! whether that runs code, is judged here from the SQL itself: keywords in any case,
//! comments (`--`, `/* */`) and any whitespace between them, names bare or quoted
//! (`"x"`, `[x]`, `` `x` ``, `'x'`), with or without a schema (`main.x`).

/// What kind of object an entry's SQL makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Made {
    Table,
    /// A virtual table: its module's code runs on every read and write.
    VirtualTable,
    /// An index; `on_expression` when it indexes an expression or has a `WHERE`
    /// clause, which SQLite evaluates on every write.
    Index {
        on_expression: bool,
    },
    Trigger,
    View,
}

impl Made {
    /// The word `sqlite_master.type` holds for it.
    pub(super) fn type_name(self) -> &'static str {
        match self {
            Made::Table | Made::VirtualTable => "table",
            Made::Index { .. } => "index",
            Made::Trigger => "trigger",
            Made::View => "view",
        }
    }

    /// Whether SQLite runs code of the board's when it is read or written.
    pub(super) fn runs_code(self) -> bool {
        match self {
            Made::Table => false,
            Made::Index { on_expression } => on_expression,
            Made::VirtualTable | Made::Trigger | Made::View => true,
        }
    }

    /// How a message names it: "trigger", "virtual table", "index on an expression".
    pub(super) fn words(self) -> &'static str {
        match self {
            Made::Table => "table",
            Made::VirtualTable => "virtual table",
            Made::Index {
                on_expression: false,
            } => "index",
            Made::Index {
                on_expression: true,
            } => "index on an expression",
            Made::Trigger => "trigger",
            Made::View => "view",
        }
    }
}

/// An entry's SQL, read: what it makes, its name, and the table an index or trigger
/// is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Created {
    pub made: Made,
    pub name: String,
    pub table: Option<String>,
}

/// One token of SQL; whitespace and comments are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A bare word: a keyword or a name.
    Word(String),
    /// A quoted name (`"x"`, `[x]`, `` `x` ``) or string (`'x'`), unquoted.
    Quoted(String),
    Punct(char),
    /// A number or anything else that is neither a name nor punctuation.
    Other,
}

impl Token {
    fn is(&self, keyword: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(keyword))
    }

    /// The name it spells, if it can be one.
    fn name(&self) -> Option<&str> {
        match self {
            Token::Word(w) | Token::Quoted(w) => Some(w),
            _ => None,
        }
    }
}

/// A character SQLite allows in a bare name (any non-ASCII character too).
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// The tokens of `sql`, at most `limit` of them (an entry is judged by its start).
fn tokens(sql: &str, limit: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = sql.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if out.len() >= limit {
            break;
        }
        match c {
            c if c.is_ascii_whitespace() => {}
            '-' if chars.peek().is_some_and(|(_, n)| *n == '-') => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek().is_some_and(|(_, n)| *n == '*') => {
                chars.next();
                let mut star = false;
                for (_, n) in chars.by_ref() {
                    if star && n == '/' {
                        break;
                    }
                    star = n == '*';
                }
            }
            '"' | '`' | '\'' | '[' => {
                let close = if c == '[' { ']' } else { c };
                let mut text = String::new();
                while let Some((_, n)) = chars.next() {
                    if n == close {
                        // A doubled quote is the quote itself (not so for `]`).
                        if close != ']' && chars.peek().is_some_and(|(_, m)| *m == close) {
                            chars.next();
                            text.push(close);
                            continue;
                        }
                        break;
                    }
                    text.push(n);
                }
                out.push(Token::Quoted(text));
            }
            c if c.is_ascii_digit() => {
                while chars
                    .peek()
                    .is_some_and(|(_, n)| is_id_char(*n) || *n == '.')
                {
                    chars.next();
                }
                out.push(Token::Other);
            }
            c if is_id_char(c) => {
                let mut end = at + c.len_utf8();
                while let Some((i, n)) = chars.peek().copied() {
                    if !is_id_char(n) {
                        break;
                    }
                    end = i + n.len_utf8();
                    chars.next();
                }
                out.push(Token::Word(sql[at..end].to_owned()));
            }
            c => out.push(Token::Punct(c)),
        }
    }
    out
}

/// Reads tokens from the front.
struct Reader {
    tokens: Vec<Token>,
    at: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<&Token> {
        self.at += 1;
        self.tokens.get(self.at - 1)
    }

    /// Take the keyword if it is next.
    fn take(&mut self, keyword: &str) -> bool {
        let found = self.peek().is_some_and(|t| t.is(keyword));
        if found {
            self.at += 1;
        }
        found
    }

    /// `name` or `schema.name`: the name.
    fn qualified_name(&mut self) -> Option<String> {
        let mut name = self.next()?.name()?.to_owned();
        if self.peek() == Some(&Token::Punct('.')) {
            self.at += 1;
            name = self.next()?.name()?.to_owned();
        }
        Some(name)
    }
}

/// Most tokens an entry is read for: the name and, for an index, its columns.
const TOKENS_READ: usize = 4096;

/// What `sql` creates, or `None` if it is not a `CREATE` SQLite would run as a schema
/// entry.
pub(super) fn created(sql: &str) -> Option<Created> {
    let mut r = Reader {
        tokens: tokens(sql, TOKENS_READ),
        at: 0,
    };
    if !r.take("create") {
        return None;
    }
    let _ = r.take("temp") || r.take("temporary");
    let unique = r.take("unique");
    let word = r.next()?.clone();
    let made = match &word {
        t if t.is("table") => Made::Table,
        t if t.is("virtual") && r.take("table") => Made::VirtualTable,
        t if t.is("index") => Made::Index {
            on_expression: false,
        },
        t if t.is("trigger") => Made::Trigger,
        t if t.is("view") => Made::View,
        _ => return None,
    };
    if unique && !matches!(made, Made::Index { .. }) {
        return None;
    }
    if r.take("if") && !(r.take("not") && r.take("exists")) {
        return None;
    }
    let name = r.qualified_name()?;
    let (made, table) = match made {
        Made::Index { .. } => {
            if !r.take("on") {
                return None;
            }
            let table = r.qualified_name()?;
            let on_expression = !plain_columns(&mut r)?;
            (Made::Index { on_expression }, Some(table))
        }
        Made::Trigger => {
            // name [BEFORE | AFTER | INSTEAD OF] event [OF columns] ON table …
            while !r.take("on") {
                r.next()?;
            }
            (made, Some(r.qualified_name()?))
        }
        other => (other, None),
    };
    Some(Created { made, name, table })
}

/// An index's `( … )`: whether every part is a column (a name, with an optional
/// `COLLATE name` and `ASC` or `DESC`) and no `WHERE` follows.
fn plain_columns(r: &mut Reader) -> Option<bool> {
    if r.next()? != &Token::Punct('(') {
        return None;
    }
    let mut plain = true;
    let mut part: Vec<Token> = Vec::new();
    let mut depth = 0usize;
    loop {
        let t = r.next()?.clone();
        match t {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') if depth > 0 => depth -= 1,
            Token::Punct(')') | Token::Punct(',') if depth == 0 => {
                plain &= is_plain_column(&part);
                part.clear();
                if t == Token::Punct(')') {
                    break;
                }
                continue;
            }
            _ => {}
        }
        part.push(t);
    }
    Some(plain && !r.peek().is_some_and(|t| t.is("where")))
}

fn is_plain_column(part: &[Token]) -> bool {
    let rest = match part {
        [column, rest @ ..] if column.name().is_some() => rest,
        _ => return false,
    };
    let rest = match rest {
        [collate, name, rest @ ..] if collate.is("collate") && name.name().is_some() => rest,
        rest => rest,
    };
    match rest {
        [] => true,
        [order] => order.is("asc") || order.is("desc"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn made(sql: &str) -> Option<(Made, String, Option<String>)> {
        created(sql).map(|c| (c.made, c.name, c.table))
    }

    #[test]
    fn the_kind_and_name_are_read_through_case_comments_whitespace_and_quotes() {
        let trigger = Some((Made::Trigger, "rewrite".to_owned(), Some("item".to_owned())));
        for sql in [
            "CREATE TRIGGER rewrite AFTER INSERT ON item BEGIN SELECT 1; END",
            "create trigger rewrite after insert on item begin select 1; end",
            "CrEaTe\t\n TRIGGER/* a comment */rewrite AFTER INSERT ON item BEGIN END",
            "CREATE -- a comment\n TEMP TRIGGER IF NOT EXISTS \"rewrite\" AFTER UPDATE OF title ON [item] BEGIN END",
            "CREATE TRIGGER main.`rewrite` INSTEAD OF DELETE ON 'item' BEGIN END",
        ] {
            assert_eq!(made(sql), trigger, "{sql}");
        }
        assert_eq!(
            made("CREATE/**/VIRTUAL/**/TABLE x USING fts5(a)").map(|m| m.0),
            Some(Made::VirtualTable)
        );
        assert_eq!(
            made("create view \"we\"\"ird\" as select 1"),
            Some((Made::View, "we\"ird".to_owned(), None))
        );
        assert_eq!(
            made("CREATE TABLE 'ft_data'(id)").map(|m| m.1),
            Some("ft_data".into())
        );
        assert_eq!(made("SELECT 1"), None);
        assert_eq!(made("CREATE UNIQUE TABLE x (a)"), None);
    }

    #[test]
    fn an_index_on_an_expression_or_with_a_where_clause_is_told_apart() {
        let on_expression = |sql| match made(sql) {
            Some((Made::Index { on_expression }, _, _)) => on_expression,
            other => panic!("{sql}: {other:?}"),
        };
        assert!(!on_expression("CREATE INDEX i ON item (status, position)"));
        assert!(!on_expression(
            "CREATE UNIQUE INDEX i ON persona (name COLLATE obeya_name DESC, \"id\")"
        ));
        assert!(on_expression("CREATE INDEX i ON item (lower(title))"));
        assert!(on_expression("CREATE INDEX i ON item (title || owner)"));
        assert!(on_expression(
            "CREATE INDEX i ON item (title) WHERE status = 'do'"
        ));
        assert!(on_expression("create index i on item(title)/**/where 1"));
    }
}
