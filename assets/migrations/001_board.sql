-- obeya board, schema 1. Append-only: never edit a released migration, add a new file.
-- Every editable row carries version / updated_at / updated_by. Defaults let a row
-- inserted from the sqlite3 shell show up in the app like any other.

CREATE TABLE mission (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    statement   TEXT NOT NULL DEFAULT '',
    customer    TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT ''
);
INSERT INTO mission (id) VALUES (1);

CREATE TABLE persona (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    role        TEXT NOT NULL DEFAULT '',
    goal        TEXT NOT NULL DEFAULT '',
    needs       TEXT NOT NULL DEFAULT '',
    pains       TEXT NOT NULL DEFAULT '',
    quote       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE stage (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),
    customer_goal  TEXT NOT NULL DEFAULT '',
    touchpoints    TEXT NOT NULL DEFAULT '',
    pains          TEXT NOT NULL DEFAULT '',
    backstage      TEXT NOT NULL DEFAULT '',
    metric_name    TEXT NOT NULL DEFAULT '',
    metric_target  REAL,
    metric_actual  REAL,
    metric_unit    TEXT NOT NULL DEFAULT '',
    position       INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by     TEXT NOT NULL DEFAULT ''
);

-- How a persona feels at a stage, -2 .. +2.
CREATE TABLE feeling (
    id          INTEGER PRIMARY KEY,
    persona_id  INTEGER NOT NULL REFERENCES persona (id),
    stage_id    INTEGER NOT NULL REFERENCES stage (id),
    score       INTEGER NOT NULL DEFAULT 0 CHECK (score BETWEEN -2 AND 2),
    note        TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT '',
    UNIQUE (persona_id, stage_id)
);

CREATE TABLE item (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> ''),
    detail          TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'plan'
                    CHECK (status IN ('plan', 'do', 'check', 'act', 'done')),
    owner           TEXT NOT NULL DEFAULT '',
    due             TEXT,            -- YYYY-MM-DD
    persona_id      INTEGER REFERENCES persona (id),
    stage_id        INTEGER REFERENCES stage (id),
    impact          TEXT NOT NULL DEFAULT '',
    risk            TEXT NOT NULL DEFAULT '',
    blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    blocked_reason  TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    status_since    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    position        INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX item_by_column ON item (status, position);

CREATE TABLE comment (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES item (id),
    author      TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    text        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comment_by_item ON comment (item_id, at);

-- The PDCA columns' shared settings; id = 1 + board order.
CREATE TABLE board_column (
    id          INTEGER PRIMARY KEY,
    status      TEXT NOT NULL UNIQUE,
    wip_limit   INTEGER CHECK (wip_limit IS NULL OR wip_limit > 0),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_by  TEXT NOT NULL DEFAULT ''
);
INSERT INTO board_column (id, status) VALUES (1, 'plan'), (2, 'do'), (3, 'check'), (4, 'act'), (5, 'done');

CREATE TABLE standup (
    id           INTEGER PRIMARY KEY,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    facilitator  TEXT NOT NULL DEFAULT '',
    parked       TEXT NOT NULL DEFAULT '[]'   -- JSON array of strings
);

-- Who changed what, before -> after (JSON snapshots). Append-only.
CREATE TABLE activity (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    who        TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL DEFAULT 0,
    summary    TEXT NOT NULL DEFAULT '',
    before     TEXT,
    after      TEXT
);
