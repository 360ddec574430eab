-- obeya board, schema 3: which way a stage's metric gets better, and its history by stage.

ALTER TABLE stage ADD COLUMN metric_better TEXT NOT NULL DEFAULT 'higher'
    CHECK (metric_better IN ('higher', 'lower'));

CREATE INDEX metric_value_by_stage ON metric_value (stage_id, at);
