//! The evidence view: what customers and employees said and did, newest first,
//! filtered by persona, stage or kind, where evidence is added, edited, deleted and
//! linked to the item selected on the wall, all from the keyboard (`[keys.evidence]`).
//! Its list is read when it opens and whenever the board is read again, never while
//! drawing.

use std::collections::HashMap;

use super::form::Form;
use super::mode::{Mode, Question};
use super::{App, Effect, NoteKind, Op, Pane};
use crate::keymap::{Command, EvidenceCommand};
use crate::model::{Evidence, EvidenceFilter, EvidenceKind, Labelled};

/// The view lists this many pieces, newest first, and says how many there are.
const LISTED: usize = 500;

/// What the evidence view shows.
#[derive(Debug, Clone, Default)]
pub struct EvidenceView {
    pub filter: EvidenceFilter,
    /// Newest observed first, at most [`LISTED`].
    pub list: Vec<Evidence>,
    /// How many pass the filter.
    pub total: usize,
    pub selected: usize,
    /// The items each listed piece supports.
    pub supports: HashMap<i64, Vec<i64>>,
    /// The item selected on the wall when the view opened (id, title): what the link
    /// key links to.
    pub item: Option<(i64, String)>,
}

impl EvidenceView {
    pub fn selected(&self) -> Option<&Evidence> {
        self.list.get(self.selected)
    }
}

/// The next of `options` after `current`, then none, then the first again.
fn next_of<T: Copy + PartialEq>(options: &[T], current: Option<T>) -> Option<T> {
    match current.and_then(|c| options.iter().position(|o| *o == c)) {
        None => options.first().copied(),
        Some(i) => options.get(i + 1).copied(),
    }
}

impl App {
    /// Open the evidence view on the selected persona's (personas pane) or stage's
    /// (journey pane) evidence; any other pane shows it all.
    pub(super) fn open_evidence(&mut self) {
        let screen = &self.screen;
        let sel = screen.selection();
        let filter = EvidenceFilter {
            persona: (screen.focus() == Pane::Personas)
                .then_some(sel.persona)
                .flatten(),
            stage: (screen.focus() == Pane::Journey)
                .then_some(sel.stage)
                .flatten(),
            ..EvidenceFilter::default()
        };
        let item = screen.selected_item().map(|i| (i.id, i.title.clone()));
        let mut view = EvidenceView {
            filter,
            item,
            ..EvidenceView::default()
        };
        if self.read_evidence(&mut view) {
            self.modes.open(Mode::Evidence(Box::new(view)));
        }
    }

    /// Read the view's list again; false (and a note) if the board could not be read.
    fn read_evidence(&mut self, view: &mut EvidenceView) -> bool {
        let read = || -> Result<_, crate::store::StoreError> {
            let (list, total) = self.store.evidence_list(&view.filter, LISTED)?;
            let ids: Vec<i64> = list.iter().map(|e| e.id).collect();
            Ok((list, total, self.store.supports_of_many(&ids)?))
        };
        match read() {
            Ok((list, total, supports)) => {
                // The selection stays on its piece, else on its row.
                let current = view.selected().map(|e| e.id);
                view.selected = current
                    .and_then(|id| list.iter().position(|e| e.id == id))
                    .unwrap_or(view.selected)
                    .min(list.len().saturating_sub(1));
                (view.list, view.total, view.supports) = (list, total, supports);
                true
            }
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                false
            }
        }
    }

    /// After the board was read again: an open evidence view reads its list too.
    pub(super) fn reread_evidence(&mut self) {
        let Some(at) = self
            .modes
            .all()
            .iter()
            .position(|m| matches!(m, Mode::Evidence(_)))
        else {
            return;
        };
        let mut view = match &self.modes.all()[at] {
            Mode::Evidence(v) => (**v).clone(),
            _ => return,
        };
        self.read_evidence(&mut view);
        self.modes.replace(at, Mode::Evidence(Box::new(view)));
    }

    fn evidence_view(&self) -> Option<&EvidenceView> {
        match self.mode() {
            Mode::Evidence(v) => Some(v),
            _ => None,
        }
    }

    /// A key of the evidence view.
    pub(super) fn evidence_command(&mut self, c: EvidenceCommand) -> Effect {
        let Some(view) = self.evidence_view().cloned() else {
            return Effect::Continue;
        };
        let as_board = match c {
            EvidenceCommand::New | EvidenceCommand::Link => Command::New,
            EvidenceCommand::Edit => Command::Edit,
            EvidenceCommand::Delete => Command::Delete,
            _ => Command::Help,
        };
        if self.read_only_refusal(as_board) {
            return Effect::Continue;
        }
        let wall = self.screen.wall();
        let mut filtered = view.clone();
        match c {
            EvidenceCommand::Close => {
                self.modes.close();
                return Effect::Continue;
            }
            EvidenceCommand::Down
            | EvidenceCommand::Up
            | EvidenceCommand::First
            | EvidenceCommand::Last => {
                let last = view.list.len().saturating_sub(1);
                let to = match c {
                    EvidenceCommand::Down => (view.selected + 1).min(last),
                    EvidenceCommand::Up => view.selected.saturating_sub(1),
                    EvidenceCommand::First => 0,
                    _ => last,
                };
                if let Mode::Evidence(v) = self.modes.top_mut() {
                    v.selected = to;
                }
                return Effect::Continue;
            }
            EvidenceCommand::Persona => {
                let ids: Vec<i64> = wall.personas.iter().map(|p| p.id).collect();
                filtered.filter.persona = next_of(&ids, view.filter.persona);
            }
            EvidenceCommand::Stage => {
                let ids: Vec<i64> = wall.stages.iter().map(|s| s.id).collect();
                filtered.filter.stage = next_of(&ids, view.filter.stage);
            }
            EvidenceCommand::Kind => {
                filtered.filter.kind = next_of(EvidenceKind::ALL, view.filter.kind);
            }
            EvidenceCommand::Clear => filtered.filter = EvidenceFilter::default(),
            EvidenceCommand::New => {
                let defaults = Evidence {
                    persona_id: view.filter.persona,
                    stage_id: view.filter.stage,
                    kind: view.filter.kind.unwrap_or_default(),
                    observed: self.clock.today(),
                    ..Evidence::default()
                };
                let supports: Vec<i64> = view.item.iter().map(|(id, _)| *id).collect();
                let form = Form::evidence(wall, None, defaults, &supports);
                self.modes.open(Mode::Form(Box::new(form)));
                return Effect::Continue;
            }
            EvidenceCommand::Edit => {
                if let Some(e) = view.selected() {
                    let supports = view.supports.get(&e.id).cloned().unwrap_or_default();
                    let form = Form::evidence(wall, Some(e), Evidence::default(), &supports);
                    self.modes.open(Mode::Form(Box::new(form)));
                }
                return Effect::Continue;
            }
            EvidenceCommand::Delete => {
                if let Some(e) = view.selected() {
                    self.modes.open(Mode::ask(Question::Confirm {
                        text: format!("Delete {} and its links to items?", e.label()),
                        op: Op::DeleteEvidence(e.clone()),
                        otherwise: None,
                    }));
                }
                return Effect::Continue;
            }
            EvidenceCommand::Link => {
                let (Some(e), Some((item, title))) = (view.selected(), &view.item) else {
                    self.say(
                        NoteKind::Info,
                        "select an item on the wall first: the link key links the evidence to it",
                    );
                    return Effect::Continue;
                };
                let linked = view.supports.get(&e.id).is_some_and(|s| s.contains(item));
                let op = Op::LinkEvidence {
                    evidence_id: e.id,
                    item_id: *item,
                    link: !linked,
                };
                let note = if linked {
                    format!("unlinked {} from #{item} '{title}'", e.label())
                } else {
                    format!("linked {} to #{item} '{title}'", e.label())
                };
                if matches!(self.run(op), super::Outcome::Done) {
                    self.say(NoteKind::Info, note);
                }
                return Effect::Continue;
            }
        }
        filtered.selected = 0;
        if self.read_evidence(&mut filtered)
            && let Mode::Evidence(v) = self.modes.top_mut()
        {
            **v = filtered;
        }
        Effect::Continue
    }
}
