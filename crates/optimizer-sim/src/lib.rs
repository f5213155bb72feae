//! A faithful local One-Shot Optimizer for development, practice mode and tests.
