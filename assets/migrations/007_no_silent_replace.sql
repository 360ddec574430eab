-- obeya board, schema 7: an item is never replaced behind the wall's back.
--
-- INSERT OR REPLACE onto an existing item's id or uid (and UPDATE OR REPLACE onto
-- another item's) deletes the item it replaces without running delete triggers, unless
-- recursive triggers are on, which a teammate's sqlite3 shell does not turn on. The
-- wall's counts would then stay one too high, and the filter's index would keep the
-- words of an item that is gone. An insert onto an existing item is refused with a
-- message instead. A trigger runs before SQLite looks at the statement's conflict
-- clause, so INSERT OR IGNORE and upserts onto an existing item are refused too;
-- UPDATE changes an item, and DELETE followed by INSERT replaces one.
--
-- In a BEFORE INSERT trigger, an id that SQLite is about to choose reads as -1: that
-- one is not looked for, or an item someone numbered -1 would block every new item.
CREATE TRIGGER item_replace_refused BEFORE INSERT ON item
WHEN (new.id <> -1 AND EXISTS (SELECT 1 FROM item WHERE id = new.id))
  OR EXISTS (SELECT 1 FROM item WHERE uid = new.uid)
BEGIN
    SELECT RAISE(ABORT, 'obeya: an item with this id or uid exists; change it with UPDATE, or DELETE it first');
END;

CREATE TRIGGER item_replace_refused_on_update BEFORE UPDATE OF id, uid ON item
WHEN (new.id IS NOT old.id AND EXISTS (SELECT 1 FROM item WHERE id = new.id))
  OR (new.uid IS NOT old.uid AND EXISTS (SELECT 1 FROM item WHERE uid = new.uid))
BEGIN
    SELECT RAISE(ABORT, 'obeya: another item has this id or uid; the item was not changed');
END;

-- What a replace left behind before schema 7 is built again from the items: the counts,
-- and the filter's index (a replace within a column left the old words under the new
-- item's entry, which no check can see).
DELETE FROM item_tally;
INSERT INTO item_tally (status, persona_id, stage_id, owner, n)
SELECT status, coalesce(persona_id, 0), coalesce(stage_id, 0), owner, count(*)
  FROM item GROUP BY 1, 2, 3, 4;
INSERT INTO item_text (item_text) VALUES ('delete-all');
INSERT INTO item_text (rowid, body) SELECT rowid, body FROM item_text_row;
