//! Flows as explicit state machines, journaled before and after every remote call, driven
//! through [`crate::Desk`]:
//!
//! ```text
//! classic:  Draft → Created ─────────────────────────────────────┐
//! VideoID:  Draft → VideoPending ⇄ VideoIncomplete / VideoError   │
//!                 → VideoReview → Approved ──────────────────────┤  (Refused)
//!           ┌────────────────────────────────────────────────────┘
//!           └→ Uploaded → ContractFetched → Reviewed → OtpSent → Signed → Retrieved
//!              → Verified → Cleaned → Done            (Cancelled from any state before Signed)
//! ```
//!
//! `start_classic` runs create, upload and the contract download; `start_videoid` creates the
//! identification (and uploads an external one's evidences and video), after which the desk
//! follows its status until the RAO approves or refuses it; an approved flow continues with the
//! classic flow's steps. The employee reviews (`confirm_review`), the customer receives a code
//! (`send_otp`) and signs (`sign`), after which retrieval, verification and clean-up run by
//! themselves. Any failure leaves the flow in the last state it reached, with the error and
//! what can be done about it (see [`Attention`]).

mod classic;
mod details;
mod input;
mod model;
mod ops;
mod prepare;
mod reconcile;
mod registry;
mod routes;
mod run;
mod steps;
mod videoid;

pub use crate::journal::RequestId as FlowId;
pub use input::{
    AppearanceSpec, ClassicInput, IdImages, OutputChoice, RaoApproval, RaoAuthInput, ResumeOptions,
    SignAuthInput, SigningMethod, TokenChoice, VideoIdInput, VideoIdKind,
};
pub use model::{
    Attention, AttentionKind, ClassicState, ContractSnapshot, DocumentSnapshot, FlowProgress,
    FlowSnapshot, FlowState, NextAction, OtpSnapshot, SignatureSummary, StatusSource, StepStatus,
    UserAction, VideoFileSnapshot, VideoIdSnapshot,
};
pub use oneshot_client::DeliveryMethod;

pub(crate) use ops::Flows;
pub(crate) use registry::FlowRegistry;
