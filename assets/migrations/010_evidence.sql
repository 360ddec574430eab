-- obeya board, schema 10: the voice of the customer, and the two sides of the journey.
--
-- A persona is a customer or an employee (the employees who serve the customers: the
-- other side of the journey).
ALTER TABLE persona ADD COLUMN side TEXT NOT NULL DEFAULT 'customer'
    CHECK (side IN ('customer', 'employee'));

-- Evidence: one thing a customer (or an employee) said or did, or one measured fact,
-- the day it was observed, where it came from, and optionally whom and which stage it
-- is about and what it expressed (-2 .. +2).
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL DEFAULT 'observation'
                CHECK (kind IN ('quote', 'observation', 'complaint', 'survey', 'interview', 'test', 'data')),
    text        TEXT NOT NULL CHECK (text <> ''),
    source      TEXT NOT NULL DEFAULT '',
    observed    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d', 'now')),   -- YYYY-MM-DD
    persona_id  INTEGER REFERENCES persona (id),
    stage_id    INTEGER REFERENCES stage (id),
    sentiment   INTEGER CHECK (sentiment IS NULL OR sentiment BETWEEN -2 AND 2),
    uid         TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX evidence_uid ON evidence (uid);
-- The evidence view (a persona's or a stage's, newest first), and each persona's
-- newest quote on the wall.
CREATE INDEX evidence_by_persona ON evidence (persona_id, kind, observed);
CREATE INDEX evidence_by_stage ON evidence (stage_id, observed);
CREATE INDEX evidence_by_day ON evidence (observed);

-- Which evidence supports which improvement item.
CREATE TABLE evidence_link (
    id           INTEGER PRIMARY KEY,
    evidence_id  INTEGER NOT NULL REFERENCES evidence (id),
    item_id      INTEGER NOT NULL REFERENCES item (id),
    uid          TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by   TEXT NOT NULL DEFAULT '',
    UNIQUE (evidence_id, item_id)
);
CREATE UNIQUE INDEX evidence_link_uid ON evidence_link (uid);
-- An item's evidence: how much a card shows, and the list in its detail.
CREATE INDEX evidence_link_by_item ON evidence_link (item_id);
