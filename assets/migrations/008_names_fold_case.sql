-- obeya board, schema 8: persona and stage names are unique under one comparison, the
-- one obeya makes everywhere (`model::rules::name_key`): trimmed, and case folded in
-- every alphabet, so "Zoë" and "ZOË" are one name (so are "Straße" and "STRASSE").
-- SQLite's NOCASE folds ASCII letters only; the collation `obeya_name`, which obeya
-- registers on every connection it opens, compares as obeya does. (The old UNIQUE …
-- COLLATE NOCASE stays: these indexes imply it.)
--
-- Before they are made, the migration's hook renames a persona or stage whose name
-- only the new comparison finds taken ("ZOË" → "ZOË (2)"; the older one keeps its
-- name), and the activity log says so.
--
-- (Schema 12 drops these indexes again: a connection without the collation, such as
-- the sqlite3 shell, could not run PRAGMA integrity_check or change personas and
-- stages while they stood. obeya checks each name it writes instead.)
CREATE UNIQUE INDEX persona_name_folded ON persona (name COLLATE obeya_name);
CREATE UNIQUE INDEX stage_name_folded ON stage (name COLLATE obeya_name);
