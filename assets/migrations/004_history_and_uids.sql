-- obeya board, schema 4: a stable uid for every record, stand-ups that keep their
-- summary, and a parking lot of its own.
--
-- uid: the record's identity across boards (export → import matches it first). New
-- records get a UUID v4 from obeya; the rows already here get one now, made of
-- randomblob() in the same format (version 4, RFC 4122 variant). A row someone inserts
-- from the sqlite3 shell has none until obeya next saves it.

ALTER TABLE mission ADD COLUMN uid TEXT;
ALTER TABLE persona ADD COLUMN uid TEXT;
ALTER TABLE stage ADD COLUMN uid TEXT;
ALTER TABLE feeling ADD COLUMN uid TEXT;
ALTER TABLE item ADD COLUMN uid TEXT;
ALTER TABLE comment ADD COLUMN uid TEXT;
ALTER TABLE board_column ADD COLUMN uid TEXT;
ALTER TABLE standup ADD COLUMN uid TEXT;
ALTER TABLE metric_value ADD COLUMN uid TEXT;

UPDATE mission SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE persona SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE stage SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE feeling SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE item SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE comment SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE board_column SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE standup SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
UPDATE metric_value SET uid = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));

CREATE UNIQUE INDEX mission_uid ON mission (uid);
CREATE UNIQUE INDEX persona_uid ON persona (uid);
CREATE UNIQUE INDEX stage_uid ON stage (uid);
CREATE UNIQUE INDEX feeling_uid ON feeling (uid);
CREATE UNIQUE INDEX item_uid ON item (uid);
CREATE UNIQUE INDEX comment_uid ON comment (uid);
CREATE UNIQUE INDEX board_column_uid ON board_column (uid);
CREATE UNIQUE INDEX standup_uid ON standup (uid);
CREATE UNIQUE INDEX metric_value_uid ON metric_value (uid);

-- What the stand-up achieved (JSON, see model::StandupSummary), computed when it ended.
-- NULL for the stand-ups held before schema 4: their summary is read from the log.
ALTER TABLE standup ADD COLUMN summary TEXT;

-- Topics parked for after a stand-up: open until resolved or turned into an item.
-- item_id is the item it became, kept as a number (not a reference): the item may go.
CREATE TABLE parked_topic (
    id           INTEGER PRIMARY KEY,
    standup_id   INTEGER REFERENCES standup (id),
    text         TEXT NOT NULL CHECK (text <> ''),
    parked_by    TEXT NOT NULL DEFAULT '',
    parked_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    resolved_at  TEXT,
    resolved_by  TEXT NOT NULL DEFAULT '',
    item_id      INTEGER,
    uid          TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by   TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX parked_topic_uid ON parked_topic (uid);

-- The topics parked so far move here from standup.parked (a JSON array of strings),
-- open, parked by the stand-up's facilitator when it ended. A value that is not a JSON
-- array of text is left where it is.
INSERT INTO parked_topic (standup_id, text, parked_by, parked_at, uid, updated_at, updated_by)
SELECT s.id, j.value, s.facilitator, coalesce(s.ended_at, s.started_at),
       lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       coalesce(s.ended_at, s.started_at), s.facilitator
  FROM standup AS s,
       json_each(CASE WHEN json_valid(s.parked) AND json_type(s.parked) = 'array'
                      THEN s.parked ELSE '[]' END) AS j
 WHERE j.type = 'text' AND trim(j.value) <> ''
 ORDER BY s.id, j.key;
UPDATE standup SET parked = '[]' WHERE json_valid(parked) AND json_type(parked) = 'array';
