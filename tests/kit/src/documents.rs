//! Exchange documents for the tests: a small one that sets every field (Unicode
//! included), and a document imported into a board file and read back.

use jiff::Timestamp;
use obeya::exchange::{
    CommentDoc, Document, FeelingDoc, ItemDoc, MetricDoc, MissionDoc, PersonaDoc, StageDoc, import,
    starter,
};
use obeya::model::{self, Board, Status};
use obeya::store::Store;

pub fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A small, fully specified board (every timestamp set), Unicode included.
pub fn sample_doc() -> Document {
    Document {
        mission: MissionDoc {
            statement: "Zoë 🚀 顧客: we deliver, «vite» et bien.".into(),
            customer: "Households in Zürich, 東京 and Łódź".into(),
        },
        personas: vec![
            PersonaDoc {
                name: "Zoë 🚀".into(),
                role: "顧客 (customer)".into(),
                goal: "Dîner à l'heure".into(),
                quote: "Ça marche \"bien\"\nsecond line".into(),
                ..Default::default()
            },
            PersonaDoc {
                name: "Ben".into(),
                ..Default::default()
            },
        ],
        stages: vec![
            StageDoc {
                name: "Découvrir".into(),
                pains: "fee | hidden".into(),
                metric: Some(MetricDoc {
                    name: "conversion".into(),
                    target: Some(30.0),
                    actual: Some(34.5),
                    unit: "%".into(),
                    warn: Some(2.5),
                    ..Default::default()
                }),
                ..Default::default()
            },
            StageDoc {
                name: "受け取り".into(),
                ..Default::default()
            },
        ],
        feelings: vec![
            FeelingDoc {
                uid: String::new(),
                persona: "Zoë 🚀".into(),
                stage: "Découvrir".into(),
                score: 2,
                note: "très bien 👍".into(),
            },
            FeelingDoc {
                uid: String::new(),
                persona: "Ben".into(),
                stage: "受け取り".into(),
                score: -2,
                note: String::new(),
            },
        ],
        items: vec![
            ItemDoc {
                uid: String::new(),
                id: Some(7),
                title: "Fix refunds, \"fast\" 🚀".into(),
                detail: "line one\nline two".into(),
                status: Status::Do,
                owner: "zoë".into(),
                due: Some(model::parse_date("2026-11-20").unwrap()),
                persona: Some("Zoë 🚀".into()),
                stage: Some("受け取り".into()),
                impact: "顧客 get money back".into(),
                risk: "wrong refunds".into(),
                blocked: true,
                blocked_reason: "provider".into(),
                created_at: Some(ts("2026-11-01T08:00:00Z")),
                updated_at: Some(ts("2026-11-21T10:30:00Z")),
                status_since: Some(ts("2026-11-10T12:00:00Z")),
                baseline: Some(62.5),
                baseline_at: Some(ts("2026-11-10T12:00:00Z")),
                comments: vec![CommentDoc {
                    uid: String::new(),
                    author: "bob".into(),
                    at: Some(ts("2026-11-18T09:12:00Z")),
                    text: "asked, «wait»".into(),
                }],
            },
            ItemDoc {
                id: Some(3),
                title: "Printers".into(),
                status: Status::Plan,
                created_at: Some(ts("2026-11-02T08:00:00Z")),
                updated_at: Some(ts("2026-11-02T08:00:00Z")),
                status_since: Some(ts("2026-11-02T08:00:00Z")),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

/// The document with every uid left out (as a hand-written one has none).
pub fn without_uids(mut d: Document) -> Document {
    d.personas.iter_mut().for_each(|p| p.uid.clear());
    d.stages.iter_mut().for_each(|s| {
        s.uid.clear();
        s.history.iter_mut().for_each(|v| v.uid.clear());
    });
    d.feelings.iter_mut().for_each(|f| f.uid.clear());
    d.items.iter_mut().for_each(|i| {
        i.uid.clear();
        i.comments.iter_mut().for_each(|c| c.uid.clear());
    });
    d.standups.iter_mut().for_each(|s| s.uid.clear());
    d.parked.iter_mut().for_each(|t| t.uid.clear());
    d
}

/// The document imported into a board file, and read back.
pub fn board_of(doc: &Document) -> Board {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("b.db"), "test").unwrap();
    import(&mut store, doc).unwrap();
    store.load_board().unwrap()
}

/// The starter board imported into a board file, and read back.
pub fn loaded_starter() -> Board {
    board_of(&starter())
}
