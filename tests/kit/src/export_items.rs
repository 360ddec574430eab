//! The items of a generated export, as `obeya export` writes them: every field set,
//! three personas and six stages named. Shared by the import benches, so that they
//! measure the same rows.

use obeya::exchange::ItemDoc;
use obeya::model::Status;

pub const PERSONAS: [&str; 3] = ["Maria", "Ben", "Priya"];
pub const STAGES: [&str; 6] = [
    "Discover",
    "Choose",
    "Order & pay",
    "Wait",
    "Receive",
    "Get help",
];

pub use crate::documents::ts;

/// Item `i` (id `i + 1`), without a uid or comments.
pub fn item(i: usize) -> ItemDoc {
    ItemDoc {
        id: Some(i as i64 + 1),
        title: format!("Improvement {i} for our customers"),
        detail: format!("What we learned about {i}, and what we will try next."),
        status: Status::ALL[i % 5],
        owner: ["alice", "bob", "chen"][i % 3].into(),
        due: Some(obeya::model::parse_date("2026-12-01").unwrap()),
        persona: Some(PERSONAS[i % 3].into()),
        stage: Some(STAGES[i % 6].into()),
        impact: "Customers get their money back the same day".into(),
        risk: "Refund fraud".into(),
        created_at: Some(ts("2026-11-01T09:00:00Z")),
        updated_at: Some(ts("2026-11-21T09:00:00Z")),
        status_since: Some(ts("2026-11-10T09:00:00Z")),
        ..Default::default()
    }
}
