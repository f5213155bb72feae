//! The classic signing flow in the real window, against the simulated Optimizer: the employee
//! fills the form, chooses photos and PDFs through the real file dialog, reviews contract and
//! documents side by side, sends the code, types what the customer received, and gets the
//! signed files, which independent validators check.

mod configured;
mod dropping;
mod problems;
mod reopen;
mod signing;
mod support;
