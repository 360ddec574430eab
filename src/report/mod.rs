//! Read-only views for the command line, as pure functions of loaded data: the coverage
//! of personas and stages, the activity log, stand-ups and their summaries.

mod copies;
mod coverage;
mod log;
mod metric;
mod standup;

pub use copies::copy_outcome;
pub use coverage::{Cell, Coverage, EvidenceCell, NegativeEvidence, coverage, coverage_text};
pub use log::{changed_field_texts, field_texts, log_line, lost_lines, lost_text};
pub use metric::{
    INDEX_MEANING, MetricSummary, StageMetric, index_words, metric_summary, stage_metrics,
    summary_text,
};
pub use standup::{
    StandupView, TopicView, change_line, standup_counts, standup_list_line, standup_markdown,
    standup_view, topic_line, topic_view,
};
