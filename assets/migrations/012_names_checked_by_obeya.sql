-- obeya board, schema 12: the unique indexes of schema 8 on persona and stage names
-- under the collation `obeya_name` are dropped. A connection without that collation
-- (a teammate's sqlite3 shell) could not run PRAGMA integrity_check, VACUUM, or add,
-- rename and delete a persona or stage while they stood. obeya checks each name it
-- writes under its own comparison (`model::rules::name_key`, trimmed and case folded in
-- every alphabet) inside the write's transaction; the plain `UNIQUE … COLLATE NOCASE`
-- of schema 1 still holds for every writer.
DROP INDEX IF EXISTS persona_name_folded;
DROP INDEX IF EXISTS stage_name_folded;
