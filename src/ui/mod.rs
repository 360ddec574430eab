//! Drawing the wall: pure functions of the app state.
