//! What the open improvement items cover: which persona at which stage they serve, and
//! so where customers hurt with nobody working on it. The wall and `obeya coverage`
//! read the same numbers.

use std::collections::HashMap;

use super::{Item, Status, Wall};

/// Open (not done) items by the persona and stage they name; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenWork {
    by_pair: HashMap<(Option<i64>, Option<i64>), usize>,
    by_stage: HashMap<i64, usize>,
    by_persona: HashMap<i64, usize>,
}

impl OpenWork {
    pub fn of<'a>(items: impl IntoIterator<Item = &'a Item>) -> OpenWork {
        let mut w = OpenWork::default();
        for i in items.into_iter().filter(|i| i.status != Status::Done) {
            w.add(i.persona_id, i.stage_id, 1);
        }
        w
    }

    /// Count `n` more open items serving `persona` at `stage`.
    pub fn add(&mut self, persona: Option<i64>, stage: Option<i64>, n: usize) {
        if let Some(s) = stage {
            *self.by_stage.entry(s).or_default() += n;
        }
        if let Some(p) = persona {
            *self.by_persona.entry(p).or_default() += n;
        }
        if persona.is_some() || stage.is_some() {
            *self.by_pair.entry((persona, stage)).or_default() += n;
        }
    }

    /// Open items serving this persona at this stage: those naming both, and those that
    /// name only one of them.
    pub fn serving(&self, persona: i64, stage: i64) -> usize {
        [
            (Some(persona), Some(stage)),
            (None, Some(stage)),
            (Some(persona), None),
        ]
        .iter()
        .map(|k| self.by_pair.get(k).copied().unwrap_or(0))
        .sum()
    }

    /// Open items that name this stage.
    pub fn at_stage(&self, stage: i64) -> usize {
        self.by_stage.get(&stage).copied().unwrap_or(0)
    }

    /// Open items that name this persona.
    pub fn for_persona(&self, persona: i64) -> usize {
        self.by_persona.get(&persona).copied().unwrap_or(0)
    }
}

impl Wall {
    /// A stage hurts when it has pains or a persona feels bad there.
    pub fn stage_hurts(&self, stage: i64) -> bool {
        self.stage(stage)
            .is_some_and(|s| !s.pains.trim().is_empty())
            || self
                .feelings
                .iter()
                .any(|f| f.stage_id == stage && f.score < 0)
    }

    /// A persona feels bad at a stage and no open item serves them there.
    pub fn pain_without_action(&self, open: &OpenWork, persona: i64, stage: i64) -> bool {
        self.feeling(persona, stage).is_some_and(|f| f.score < 0)
            && open.serving(persona, stage) == 0
    }

    /// A stage hurts and no open item names it.
    pub fn stage_without_action(&self, open: &OpenWork, stage: i64) -> bool {
        self.stage_hurts(stage) && open.at_stage(stage) == 0
    }
}
