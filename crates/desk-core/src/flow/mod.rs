//! Flows: the classic signing flow as an explicit state machine, journaled before and after
//! every remote call, driven through [`crate::Desk`].
//!
//! ```text
//! Draft → Created → Uploaded → ContractFetched → Reviewed → OtpSent → Signed → Retrieved
//!       → Verified → Cleaned → Done            (Cancelled from any state before Signed)
//! ```
//!
//! `start_classic` runs create, upload and the contract download; the employee reviews
//! (`confirm_review`), the customer receives a code (`send_otp`) and signs (`sign`), after which
//! retrieval, verification and clean-up run by themselves. Any failure leaves the flow in the
//! last state it reached, with the error and what can be done about it (see [`Attention`]).

mod classic;
mod details;
mod input;
mod model;
mod registry;
mod routes;
mod run;

pub use crate::journal::RequestId as FlowId;
pub use input::{
    AppearanceSpec, ClassicInput, IdImages, OutputChoice, ResumeOptions, SignAuthInput,
    SigningMethod, TokenChoice,
};
pub use model::{
    Attention, AttentionKind, ClassicState, ContractSnapshot, DocumentSnapshot, FlowProgress,
    FlowSnapshot, NextAction, OtpSnapshot, SignatureSummary, StepStatus, UserAction,
};
pub use oneshot_client::DeliveryMethod;

pub(crate) use classic::ClassicFlows;
pub(crate) use registry::FlowRegistry;
