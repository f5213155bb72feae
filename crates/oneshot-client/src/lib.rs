//! Typed async client of the One-Shot Optimizer HTTP API, in both path layouts.
