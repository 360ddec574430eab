-- obeya board, schema 2: who has the board open, and stage metric history.

-- One heartbeat row per running instance; rows older than two minutes are stale.
CREATE TABLE presence (
    instance    TEXT PRIMARY KEY,
    user        TEXT NOT NULL,
    host        TEXT NOT NULL DEFAULT '',
    pid         INTEGER NOT NULL DEFAULT 0,
    started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    seen_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE metric_value (
    id        INTEGER PRIMARY KEY,
    stage_id  INTEGER NOT NULL REFERENCES stage (id),
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    value     REAL NOT NULL,
    who       TEXT NOT NULL DEFAULT ''
);
