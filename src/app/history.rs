//! Looking back from the wall: the activity log (with the text that lost a conflict),
//! the past stand-ups and their summaries, and the parked topics still open.

use super::form::Form;
use super::mode::{ActivityRow, Mode};
use super::{App, NoteKind, Op, Outcome};
use crate::keymap::{Command, PopupCommand};
use crate::model::{Item, Kind, Status};

impl App {
    /// The newest activity rows, each conflict with the text that lost it.
    pub(super) fn open_activity(&mut self) {
        match self.store.recent_activity(200) {
            Ok(rows) => {
                let rows =
                    rows.into_iter()
                        .filter(|a| a.is_shown())
                        .map(|a| {
                            let current =
                                a.entity.parse::<Kind>().ok().and_then(|k| {
                                    self.store.load_any(k, a.entity_id).ok().flatten()
                                });
                            let lost = crate::report::lost_text(&a, current.as_ref());
                            ActivityRow { activity: a, lost }
                        })
                        .collect();
                self.modes.open(Mode::Activity { rows, scroll: 0 });
            }
            Err(e) => self.say(NoteKind::Error, e.to_string()),
        }
    }

    /// The past stand-ups, newest first, the newest selected.
    pub(super) fn open_standups(&mut self) {
        let read = || -> Result<Vec<_>, crate::store::StoreError> {
            let mut list = Vec::new();
            for s in self.store.standups()?.into_iter().rev() {
                let summary = self.store.summary_of(&s)?;
                list.push((s, summary));
            }
            Ok(list)
        };
        match read() {
            Ok(list) if list.is_empty() => self.say(
                NoteKind::Info,
                self.settings.keys().expand(
                    "no stand-up has been held on this board yet ({board.start_standup} starts one)",
                ),
            ),
            Ok(list) => self.modes.open(Mode::Standups { list, selected: 0 }),
            Err(e) => self.say(NoteKind::Error, e.to_string()),
        }
    }

    pub(super) fn open_parked(&mut self) {
        if self.screen.wall().open_topics().next().is_none() {
            self.say(NoteKind::Info, "no parked topic is open");
        } else {
            self.modes.open(Mode::Parked { selected: 0 });
        }
    }

    /// A popup key in the stand-ups or parked-topics list. Returns false when the key
    /// means nothing there (the caller closes the view, as any other key does).
    pub(super) fn list_command(&mut self, c: PopupCommand) -> bool {
        let topics = self.screen.wall().open_topics().count();
        match c {
            PopupCommand::ScrollDown | PopupCommand::ScrollUp => {
                let (selected, n) = match self.modes.top_mut() {
                    Mode::Standups { list, selected } => (selected, list.len()),
                    Mode::Parked { selected } => (selected, topics),
                    _ => return false,
                };
                *selected = if c == PopupCommand::ScrollDown {
                    (*selected + 1).min(n.saturating_sub(1))
                } else {
                    selected.saturating_sub(1)
                };
            }
            PopupCommand::Open => {
                let Mode::Standups { list, selected } = self.mode() else {
                    return false;
                };
                let Some((standup, summary)) = list.get(*selected).cloned() else {
                    return false;
                };
                // Above the list: closing the summary goes back to it.
                self.modes.open(Mode::Summary {
                    standup,
                    summary: Box::new(summary),
                    scroll: 0,
                });
            }
            PopupCommand::Resolve | PopupCommand::MakeItem => {
                let Some(t) = self.selected_topic().cloned() else {
                    return false;
                };
                if c == PopupCommand::Resolve {
                    if self.read_only_refusal(Command::Edit) {
                        return true;
                    }
                    if matches!(self.run(Op::ResolveTopic(t.clone())), Outcome::Done) {
                        self.say(NoteKind::Info, format!("resolved: {}", t.text));
                    }
                    self.after_topic_closed();
                } else {
                    if self.read_only_refusal(Command::New) {
                        return true;
                    }
                    let defaults = Item {
                        status: Status::Plan,
                        owner: self.settings.user().to_owned(),
                        ..Item::default()
                    };
                    let form = Form::item_from_topic(self.screen.wall(), &t, defaults);
                    // The form takes the list's place.
                    self.modes.close();
                    self.modes.open(Mode::Form(Box::new(form)));
                }
            }
            _ => return false,
        }
        true
    }

    /// The list stays open on the next topic, or closes when none is left.
    fn after_topic_closed(&mut self) {
        let n = self.screen.wall().open_topics().count();
        match self.modes.top_mut() {
            Mode::Parked { selected } if n > 0 => *selected = (*selected).min(n - 1),
            Mode::Parked { .. } => {
                self.modes.close();
            }
            _ => {}
        }
    }
}

/// One line of the activity view as drawn: the time and who on a row's first line,
/// blank under them where its text wraps on; the lost text of a conflict after it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityLine {
    /// `11-22 09:30 ` on a row's first line; as many blanks on the others.
    pub when: String,
    /// Who, on a row's first line only.
    pub who: String,
    pub text: String,
    /// A line of the text that lost a conflict.
    pub lost: bool,
}

/// Columns the time takes before the text: `11-22 09:30 `.
const WHEN_WIDTH: usize = 12;

/// The activity view's lines at `width` columns: every row whole, wrapped under its
/// time, so a long one is read to its end.
pub fn activity_lines(
    rows: &[ActivityRow],
    tz: &jiff::tz::TimeZone,
    width: usize,
) -> Vec<ActivityLine> {
    use crate::format::{on_wall, wrap};
    let room = width.saturating_sub(WHEN_WIDTH).max(10);
    let blank = " ".repeat(WHEN_WIDTH);
    let mut out = Vec::new();
    for r in rows {
        let a = &r.activity;
        let when =
            a.at.to_zoned(tz.clone())
                .strftime("%m-%d %H:%M ")
                .to_string();
        let who = on_wall(&a.who).into_owned();
        let text = format!("{who} {}", on_wall(&a.summary).replace('\n', " "));
        for (k, line) in wrap(&text, room, usize::MAX).into_iter().enumerate() {
            // The first line starts with who (drawn in its colour), unless it wrapped.
            let (who, text) = match line.strip_prefix(&who) {
                Some(rest) if k == 0 && !who.is_empty() => (who.clone(), rest.to_owned()),
                _ => (String::new(), line),
            };
            let when = if k == 0 { when.clone() } else { blank.clone() };
            out.push(ActivityLine {
                when,
                who,
                text,
                lost: false,
            });
        }
        for (field, value) in &r.lost {
            let value = on_wall(value).replace('\n', " ");
            for line in wrap(&format!("lost {field}: {value}"), room, usize::MAX) {
                out.push(ActivityLine {
                    when: blank.clone(),
                    who: String::new(),
                    text: line,
                    lost: true,
                });
            }
        }
    }
    out
}

/// The activity view's inner width on a screen `screen_width` wide.
pub fn activity_width(screen_width: u16) -> usize {
    usize::from(screen_width.saturating_sub(6))
}
