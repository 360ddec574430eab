-- obeya board, schema 11: metrics the team reads against bands, and a Check that measures.
--
-- A stage metric's warning band, in its unit: within this much short of the target (in
-- the metric's direction) it is amber rather than red. NULL: met or missed only.
ALTER TABLE stage ADD COLUMN metric_warn REAL CHECK (metric_warn IS NULL OR metric_warn >= 0);

-- An item's baseline: its stage metric's reading when it last entered Do (NULL: there
-- was none), and when that was (NULL: it never has).
ALTER TABLE item ADD COLUMN baseline REAL;
ALTER TABLE item ADD COLUMN baseline_at TEXT;
