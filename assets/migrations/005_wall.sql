-- obeya board, schema 5: what the wall needs, kept up to date by SQLite itself, so the
-- wall reads the cards in view instead of the whole board.

-- How many items there are by column, persona, stage and owner (0: none named). The
-- column counts, "my items" and what open work serves each persona at each stage come
-- from here, whatever the board's size.
CREATE TABLE item_tally (
    status      TEXT NOT NULL,
    persona_id  INTEGER NOT NULL,
    stage_id    INTEGER NOT NULL,
    owner       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (status, persona_id, stage_id, owner)
) WITHOUT ROWID;

INSERT INTO item_tally (status, persona_id, stage_id, owner, n)
SELECT status, coalesce(persona_id, 0), coalesce(stage_id, 0), owner, count(*)
  FROM item GROUP BY 1, 2, 3, 4;

CREATE TRIGGER item_tally_insert AFTER INSERT ON item BEGIN
    INSERT INTO item_tally (status, persona_id, stage_id, owner, n)
    VALUES (new.status, coalesce(new.persona_id, 0), coalesce(new.stage_id, 0), new.owner, 1)
    ON CONFLICT (status, persona_id, stage_id, owner) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER item_tally_delete AFTER DELETE ON item BEGIN
    UPDATE item_tally SET n = n - 1
     WHERE status = old.status AND persona_id = coalesce(old.persona_id, 0)
       AND stage_id = coalesce(old.stage_id, 0) AND owner = old.owner;
    DELETE FROM item_tally
     WHERE status = old.status AND persona_id = coalesce(old.persona_id, 0)
       AND stage_id = coalesce(old.stage_id, 0) AND owner = old.owner AND n <= 0;
END;

-- A save writes every column; only a change of what is counted touches the tally.
CREATE TRIGGER item_tally_update AFTER UPDATE OF status, persona_id, stage_id, owner ON item
WHEN old.status IS NOT new.status OR old.persona_id IS NOT new.persona_id
  OR old.stage_id IS NOT new.stage_id OR old.owner IS NOT new.owner
BEGIN
    UPDATE item_tally SET n = n - 1
     WHERE status = old.status AND persona_id = coalesce(old.persona_id, 0)
       AND stage_id = coalesce(old.stage_id, 0) AND owner = old.owner;
    DELETE FROM item_tally
     WHERE status = old.status AND persona_id = coalesce(old.persona_id, 0)
       AND stage_id = coalesce(old.stage_id, 0) AND owner = old.owner AND n <= 0;
    INSERT INTO item_tally (status, persona_id, stage_id, owner, n)
    VALUES (new.status, coalesce(new.persona_id, 0), coalesce(new.stage_id, 0), new.owner, 1)
    ON CONFLICT (status, persona_id, stage_id, owner) DO UPDATE SET n = n + 1;
END;

-- "My items", and the items serving a persona or a stage, in column order.
CREATE INDEX item_by_owner ON item (owner COLLATE NOCASE, status, position);
CREATE INDEX item_by_persona ON item (persona_id, status, position);
CREATE INDEX item_by_stage ON item (stage_id, status, position);

-- The filter: every item's text in a trigram index, so any three letters find their
-- items at once. It keeps no copy of the text (`content = ''`). Its rowid is the item's
-- id * 8 + its column (board_column.id, 1 .. 5), so matches are counted per column
-- without reading the items. Only what SQLite 3.34 already had is used (the trigram
-- tokenizer; upserts name their conflict target), so a teammate's sqlite3 shell of 3.34
-- or newer can still write to the board.
CREATE VIRTUAL TABLE item_text USING fts5 (body, content = '', tokenize = 'trigram');

-- An item's entry in the index. A contentless index forgets an entry only when told
-- exactly what it held, so entries leave (before the row changes) as they came.
CREATE VIEW item_text_row AS
SELECT i.id AS item_id,
       i.id * 8 + c.id AS rowid,
       i.title || char(10) || i.owner || char(10) || i.detail || char(10) || i.impact
           || char(10) || i.blocked_reason AS body
  FROM item AS i
  JOIN board_column AS c ON c.status = i.status;

INSERT INTO item_text (rowid, body) SELECT rowid, body FROM item_text_row;

CREATE TRIGGER item_text_insert AFTER INSERT ON item BEGIN
    INSERT INTO item_text (rowid, body)
    SELECT rowid, body FROM item_text_row WHERE item_id = new.id;
END;

CREATE TRIGGER item_text_delete BEFORE DELETE ON item BEGIN
    INSERT INTO item_text (item_text, rowid, body)
    SELECT 'delete', rowid, body FROM item_text_row WHERE item_id = old.id;
END;

-- Only when the indexed text or the column changes (a save writes every column).
CREATE TRIGGER item_text_update_before
BEFORE UPDATE OF id, title, owner, detail, impact, blocked_reason, status ON item
WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.owner IS NOT new.owner
  OR old.detail IS NOT new.detail OR old.impact IS NOT new.impact
  OR old.blocked_reason IS NOT new.blocked_reason OR old.status IS NOT new.status
BEGIN
    INSERT INTO item_text (item_text, rowid, body)
    SELECT 'delete', rowid, body FROM item_text_row WHERE item_id = old.id;
END;

CREATE TRIGGER item_text_update_after
AFTER UPDATE OF id, title, owner, detail, impact, blocked_reason, status ON item
WHEN old.id IS NOT new.id OR old.title IS NOT new.title OR old.owner IS NOT new.owner
  OR old.detail IS NOT new.detail OR old.impact IS NOT new.impact
  OR old.blocked_reason IS NOT new.blocked_reason OR old.status IS NOT new.status
BEGIN
    INSERT INTO item_text (rowid, body)
    SELECT rowid, body FROM item_text_row WHERE item_id = new.id;
END;
