//! Every command of every mode, declared once: its config name, default keys, help text
//! and flags. The keymaps, the help overlay, the hints, the documented config defaults
//! and dispatch all come from these tables; a `match` on a command enum in `app` makes
//! the compiler insist that each one is handled.
//!
//! A row reads `Variant: "config_name", ["default", "keys"], "help text", flags;`.
//! Flags: `writes` (refused on a read-only board), `standup` (works during the
//! stand-up), `required` (must keep at least one key). Help texts may name other keys
//! as `{section.command}` (see [`super::Keys::expand`]), so they follow rebinding.

use super::CommandSet;

/// Declares one mode's commands and implements [`CommandSet`] for them.
macro_rules! commands {
    (
        $(#[$doc:meta])*
        pub enum $Enum:ident in $section:literal {
            $( $Variant:ident: $name:literal, [$($key:literal),*], $desc:literal $(, $flag:ident)*; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $Enum {
            $($Variant),*
        }

        impl CommandSet for $Enum {
            const SECTION: &'static str = $section;
            const ALL: &'static [Self] = &[$($Enum::$Variant),*];

            fn name(self) -> &'static str {
                match self { $($Enum::$Variant => $name),* }
            }
            fn description(self) -> &'static str {
                match self { $($Enum::$Variant => $desc),* }
            }
            fn default_keys(self) -> &'static [&'static str] {
                match self { $($Enum::$Variant => &[$($key),*]),* }
            }
            fn writes(self) -> bool {
                match self { $($Enum::$Variant => commands!(@has writes $($flag)*)),* }
            }
            fn in_standup(self) -> bool {
                match self { $($Enum::$Variant => commands!(@has standup $($flag)*)),* }
            }
            fn required(self) -> bool {
                match self { $($Enum::$Variant => commands!(@has required $($flag)*)),* }
            }
        }

        impl std::fmt::Display for $Enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
    // Whether a flag is in the list.
    (@has $want:ident) => { false };
    (@has writes writes $($rest:ident)*) => { true };
    (@has standup standup $($rest:ident)*) => { true };
    (@has required required $($rest:ident)*) => { true };
    (@has $want:ident $other:ident $($rest:ident)*) => { commands!(@has $want $($rest)*) };
}

commands! {
    /// The wall's commands: `[keys]` in the config.
    pub enum Command in "board" {
        Quit: "quit", ["q", "ctrl-c"], "quit", standup, required;
        Help: "help", ["?"], "this help", standup;
        NextPane: "next_pane", ["tab"], "next pane";
        PrevPane: "prev_pane", ["shift-tab"], "previous pane";
        FocusMission: "focus_mission", ["1"], "go to the mission";
        FocusPersonas: "focus_personas", ["2"], "go to the personas";
        FocusJourney: "focus_journey", ["3"], "go to the journey";
        FocusImprovements: "focus_improvements", ["4"], "go to the improvements", standup;
        Down: "down", ["j", "down"], "down", standup;
        Up: "up", ["k", "up"], "up", standup;
        Left: "left", ["h", "left"], "left (column or stage)";
        Right: "right", ["l", "right"], "right (column or stage)";
        First: "first", ["g", "home"], "first", standup;
        Last: "last", ["G", "end"], "last", standup;
        Open: "open", ["enter"], "open the selection", standup;
        New: "new", ["n"], "new", writes, standup;
        Edit: "edit", ["e"], "edit", writes, standup;
        Delete: "delete", ["d"], "delete (asks {confirm.yes}/{confirm.no})", writes, standup;
        MovePrev: "move_prev", ["H"], "item to previous status; stage/persona: move earlier", writes, standup;
        MoveNext: "move_next", ["L"], "item to next status; stage/persona: move later", writes, standup;
        OrderDown: "order_down", ["J"], "reorder: move down in column or list", writes;
        OrderUp: "order_up", ["K"], "reorder: move up in column or list", writes;
        ToggleBlocked: "toggle_blocked", ["b"], "toggle blocked (asks for a reason)", writes, standup;
        Comment: "comment", ["c"], "comment on the item", writes, standup;
        Mine: "mine", ["m"], "only my items (toggle)";
        Filter: "filter", ["/"], "filter by text ({filter_line.clear} clears)";
        Zoom: "zoom", ["z"], "zoom the pane";
        Compact: "compact", ["v"], "compact cards: one line each (toggle)";
        Back: "back", ["esc"], "leave the zoom; clear the filter";
        Standup: "start_standup", ["s"], "stand-up mode", standup;
        Activity: "activity", ["a"], "activity log", standup;
        Standups: "standups", ["S"], "past stand-ups and their summaries";
        Parked: "parked", ["P"], "the parked topics still open: resolve them or make items";
        ShowEvidence: "show_evidence", ["E"], "evidence: what customers and employees said and did (the selected persona's or stage's)";
        Undo: "undo", ["u"], "undo your last change", writes, standup;
        Redo: "redo", ["ctrl-r"], "redo", writes, standup;
        FeelingUp: "feeling_up", ["+"], "persona feels better at this stage", writes;
        FeelingDown: "feeling_down", ["-"], "persona feels worse at this stage", writes;
        WipLimit: "wip_limit", ["w"], "set the column's WIP limit", writes;
        Suspend: "suspend", ["ctrl-z"], "suspend to the shell", standup;
    }
}

commands! {
    /// Keys of the stand-up that the board does not have: `[keys.standup]`. The board's
    /// commands marked `standup` keep working; its `down`/`up`/`first`/`last` walk.
    pub enum StandupCommand in "standup" {
        Park: "park", ["p"], "park a topic for after the stand-up", required;
        End: "end", ["s"], "end the stand-up (asks first)", required;
    }
}

commands! {
    /// Keys in a form: `[keys.form]`. Every other key edits the focused field.
    pub enum FormCommand in "form" {
        Save: "save", ["ctrl-s"], "save", required;
        Cancel: "cancel", ["esc"], "cancel (asks if you typed something)", required;
        NextField: "next_field", ["tab"], "next field", required;
        PrevField: "prev_field", ["shift-tab"], "previous field";
        Enter: "enter", ["enter"], "next field; a new line in a long field; saves on the last";
        ChoosePrev: "choose_prev", ["left", "up"], "previous option of a pick-list";
        ChooseNext: "choose_next", ["right", "down", "space"], "next option of a pick-list";
        Quit: "quit", ["ctrl-c"], "quit (asks if you typed something)";
    }
}

commands! {
    /// Answers to a yes/no question: `[keys.confirm]`.
    pub enum ConfirmCommand in "confirm" {
        Yes: "yes", ["y", "Y"], "yes", required;
        No: "no", ["n", "N", "esc", "q", "ctrl-c"], "no", required;
    }
}

commands! {
    /// Answers to a conflict (a teammate changed the same field): `[keys.conflict]`.
    pub enum ConflictCommand in "conflict" {
        KeepMine: "keep_mine", ["m", "M"], "keep mine", required;
        KeepTheirs: "keep_theirs", ["t", "T"], "keep theirs", required;
        Edit: "edit", ["e", "E"], "edit", required;
    }
}

commands! {
    /// Keys in the help, detail, activity, summary, stand-ups and parked-topics views:
    /// `[keys.popup]`. In the two lists the scroll keys move the selection. `close` (and
    /// any other key) closes the view; only `quit` leaves obeya.
    pub enum PopupCommand in "popup" {
        ScrollDown: "scroll_down", ["j", "down"], "scroll down";
        ScrollUp: "scroll_up", ["k", "up"], "scroll up";
        Edit: "edit", ["e"], "edit the record shown (detail)";
        Open: "open", ["enter"], "show the selected stand-up's summary (stand-ups); close (elsewhere)";
        Resolve: "resolve", ["r"], "resolve the selected topic (parked topics)", writes;
        MakeItem: "make_item", ["n"], "turn the selected topic into an item (parked topics)", writes;
        Close: "close", ["esc", "q"], "close the view (so does any other key)", required;
        Quit: "quit", ["ctrl-c"], "quit obeya (asks if changes still wait or a stand-up runs)";
    }
}

commands! {
    /// Keys in the evidence view: `[keys.evidence]`.
    pub enum EvidenceCommand in "evidence" {
        Down: "down", ["j", "down"], "next piece (newer first)";
        Up: "up", ["k", "up"], "previous piece";
        First: "first", ["g", "home"], "newest";
        Last: "last", ["G", "end"], "oldest";
        New: "new", ["n"], "add evidence (about the persona and stage filtered on)", writes;
        Edit: "edit", ["e"], "edit the selected piece (its text, kind, day, whom, sentiment, the items it supports)", writes;
        Delete: "delete", ["d"], "delete the selected piece (asks {confirm.yes}/{confirm.no})", writes;
        Link: "link", ["l"], "link the selected piece to the item selected on the wall, or unlink it", writes;
        Persona: "persona", ["p"], "filter by persona: the next one, then all";
        Stage: "stage", ["s"], "filter by stage: the next one, then all";
        Kind: "kind", ["t"], "filter by kind: the next one, then all";
        Clear: "clear", ["x"], "clear the filters";
        Close: "close", ["esc", "q"], "close the view", required;
    }
}

commands! {
    /// Keys on the filter line: `[keys.filter_line]`. Every other key edits the filter.
    pub enum FilterCommand in "filter_line" {
        Apply: "apply", ["enter"], "keep the filter", required;
        Clear: "clear", ["esc"], "clear the filter", required;
    }
}
