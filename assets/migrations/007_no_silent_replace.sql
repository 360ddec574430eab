-- obeya board, schema 7: an item is never replaced behind the wall's back.
--
-- INSERT OR REPLACE onto an existing item's id or uid (and UPDATE OR REPLACE onto
-- another item's) deletes the item it replaces without running delete triggers, unless
-- recursive triggers are on, which a teammate's sqlite3 shell does not turn on. The
-- wall's counts would then stay one too high, and the filter's index would keep the
-- words of an item that is gone. Such a statement is refused with a message instead;
-- UPDATE changes an item, and DELETE followed by INSERT replaces one.
CREATE TRIGGER item_replace_refused BEFORE INSERT ON item
WHEN EXISTS (SELECT 1 FROM item WHERE id = new.id OR uid = new.uid)
BEGIN
    SELECT RAISE(ABORT, 'obeya: this item exists (same id or uid); change it with UPDATE, or DELETE it first');
END;

CREATE TRIGGER item_replace_refused_on_update BEFORE UPDATE OF id, uid ON item
WHEN (new.id IS NOT old.id AND EXISTS (SELECT 1 FROM item WHERE id = new.id))
  OR (new.uid IS NOT old.uid AND EXISTS (SELECT 1 FROM item WHERE uid = new.uid))
BEGIN
    SELECT RAISE(ABORT, 'obeya: another item has this id or uid; the item was not changed');
END;

-- Counts a replace left too high before schema 7 are counted again from the items.
DELETE FROM item_tally;
INSERT INTO item_tally (status, persona_id, stage_id, owner, n)
SELECT status, coalesce(persona_id, 0), coalesce(stage_id, 0), owner, count(*)
  FROM item GROUP BY 1, 2, 3, 4;
