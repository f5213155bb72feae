//! What only the classic flow does: its start (customer data and ID photos typed at the desk)
//! and its create call, which creates and approves the request at once.

pub(crate) mod create;
pub(crate) mod start;
