//! What a flow looks like from outside: its state, what the UI should offer next, and the
//! snapshot every call returns and every change emits.

use super::FlowId;
use super::input::SigningMethod;
use crate::DeskError;
use crate::journal::{ApiLayout, FlowKind};
use crate::output::Sha256Digest;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The classic flow's states. Each is the last milestone reached; a flow waiting for the user
/// or for a retry stays in the state it reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClassicState {
    /// Journaled and checked; nothing sent yet (or the create call's outcome is unknown).
    Draft,
    /// The request exists on the Optimizer (its pk is known).
    Created,
    /// Every document is uploaded.
    Uploaded,
    /// The Trust Service Provider's contract is downloaded for the review.
    ContractFetched,
    /// The employee confirmed that the customer reviewed contract and documents.
    Reviewed,
    /// A code was sent to the customer.
    OtpSent,
    /// The documents and the contract are signed on the Optimizer.
    Signed,
    /// Every signed document and the signed contract are saved in the output folder.
    Retrieved,
    /// Every saved file passed the signature checks.
    Verified,
    /// The documents are deleted from the Optimizer.
    Cleaned,
    /// Finished; working files removed.
    Done,
    /// Ended before signing; the request was removed from the Optimizer.
    Cancelled,
}

impl ClassicState {
    /// Every state, in order.
    pub const ALL: [ClassicState; 12] = [
        ClassicState::Draft,
        ClassicState::Created,
        ClassicState::Uploaded,
        ClassicState::ContractFetched,
        ClassicState::Reviewed,
        ClassicState::OtpSent,
        ClassicState::Signed,
        ClassicState::Retrieved,
        ClassicState::Verified,
        ClassicState::Cleaned,
        ClassicState::Done,
        ClassicState::Cancelled,
    ];

    /// The name stored in the journal (`otp_sent`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ClassicState::Draft => "draft",
            ClassicState::Created => "created",
            ClassicState::Uploaded => "uploaded",
            ClassicState::ContractFetched => "contract_fetched",
            ClassicState::Reviewed => "reviewed",
            ClassicState::OtpSent => "otp_sent",
            ClassicState::Signed => "signed",
            ClassicState::Retrieved => "retrieved",
            ClassicState::Verified => "verified",
            ClassicState::Cleaned => "cleaned",
            ClassicState::Done => "done",
            ClassicState::Cancelled => "cancelled",
        }
    }

    /// The state named `name` in the journal.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Done or cancelled.
    pub const fn is_final(self) -> bool {
        matches!(self, ClassicState::Done | ClassicState::Cancelled)
    }

    /// Whether the customer's documents are signed on the Optimizer (from then on the flow can
    /// no longer be cancelled, only finished).
    pub fn is_signed(self) -> bool {
        self >= ClassicState::Signed && self != ClassicState::Cancelled
    }
}

/// Where one part of a document's journey stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Not done yet.
    #[default]
    Pending,
    /// Done.
    Done,
    /// Failed; see the flow's error.
    Failed,
}

/// What the signature check found in a saved file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SignatureSummary {
    /// Who signed (the certificate's name).
    pub signer: Option<String>,
    /// When: the signature timestamp, else the time the signature claims.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub signed_at: Option<Timestamp>,
    /// The last signature covers the whole file (nothing appended after signing).
    pub covers_whole_file: bool,
    /// The signed bytes and the CMS signature are intact.
    pub intact: bool,
    /// The file begins with exactly the document that was sent (its SHA-256 and length).
    pub original_preserved: bool,
    /// `B-B` or `B-T` when recognised.
    pub pades_level: Option<String>,
    /// Signatures in the file.
    pub signature_count: usize,
    /// The integrity code when not intact (`integrity.digest_mismatch`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

impl SignatureSummary {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.intact && self.covers_whole_file && self.original_preserved
    }
}

/// One document of a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DocumentSnapshot {
    /// The name it is uploaded and saved under (unique within the flow).
    pub name: String,
    /// Size of the original in bytes.
    pub size: u64,
    /// SHA-256 of the original.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub sha256: Sha256Digest,
    /// Where the original is.
    pub original_path: PathBuf,
    /// The Optimizer's uid, once uploaded.
    pub remote_uid: Option<String>,
    /// Uploaded?
    pub upload: StepStatus,
    /// Signed on the Optimizer?
    pub sign: StepStatus,
    /// Signed copy saved in the output folder?
    pub save: StepStatus,
    /// Saved copy verified?
    pub verify: StepStatus,
    /// Where the signed copy was saved.
    pub saved_path: Option<PathBuf>,
    /// What the verification found.
    pub signature: Option<SignatureSummary>,
}

/// The Trust Service Provider's contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ContractSnapshot {
    /// The unsigned copy for the review (in the flow's working folder).
    pub review_path: Option<PathBuf>,
    /// Its SHA-256 and size.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub sha256: Option<Sha256Digest>,
    /// Its size in bytes.
    pub size: Option<u64>,
    /// Signed copy saved?
    pub save: StepStatus,
    /// Saved copy verified?
    pub verify: StepStatus,
    /// Where the signed copy was saved.
    pub saved_path: Option<PathBuf>,
    /// What the verification found.
    pub signature: Option<SignatureSummary>,
}

/// The customer's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OtpSnapshot {
    /// `sms` or `whatsapp` (of the last code sent).
    pub delivery: Option<String>,
    /// When the last code was sent (or may have been: a request whose answer was lost).
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub sent_at: Option<Timestamp>,
    /// When "send again" becomes possible (the Optimizer allows one code a minute).
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub resend_available_at: Option<Timestamp>,
    /// Codes sent in this flow.
    pub sends: u32,
    /// Wrong codes entered in this flow.
    pub wrong_attempts: u32,
}

/// What the UI should offer as the primary control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NextAction {
    /// Work is running: show progress (and offer to interrupt).
    Wait,
    /// Show contract and documents, then `confirm_review`.
    Review,
    /// `send_otp`.
    SendOtp,
    /// Ask for the code the customer received, then `sign`.
    EnterOtp,
    /// `sign` with the external authentication.
    SignExternal,
    /// `resume`: check what happened and continue.
    Resume,
    /// The create call's outcome is unknown: `resume` with `recreate` after checking, or cancel.
    ConfirmRecreate,
    /// Finished: show the saved files.
    OpenOutput,
    /// Nothing (cancelled).
    None,
}

/// Why a flow needs the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    /// A call's answer was lost; `resume` reads the state back and continues.
    OutcomeUnknown,
    /// The create call's answer was lost: the API cannot tell whether the request exists.
    CreateOutcomeUnknown,
    /// A step failed with a known error; fix the cause, then `resume` retries it.
    StepFailed,
    /// A saved file did not pass the signature checks; nothing was deleted on the Optimizer.
    VerificationFailed,
    /// The work was interrupted; `resume` continues.
    Interrupted,
}

/// Something the user can do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    /// `resume`.
    Resume,
    /// `resume` with `recreate: true`.
    Recreate,
    /// `cancel`.
    Cancel,
}

/// The "needs attention" condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attention {
    /// Why.
    pub kind: AttentionKind,
    /// The step concerned (`create`, `upload`, `sign`, ...).
    pub step: String,
    /// The error behind it.
    pub error: DeskError,
    /// A plain English explanation for logs and the CLI (the UI words it by `kind`).
    pub explanation: String,
    /// What the user can do.
    pub actions: Vec<UserAction>,
}

/// How far the flow is, for a stepper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FlowProgress {
    /// Milestones reached (0 = draft, 10 = done).
    pub reached: u32,
    /// Milestones in all (10).
    pub total: u32,
    /// The work running now, if any (`uploading`, `downloading`, `verifying`, ...).
    pub activity: Option<String>,
}

/// A flow as the UI shows it; returned by every flow call and sent with every change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FlowSnapshot {
    /// The desk's id of the flow.
    pub id: FlowId,
    /// `classic`.
    pub kind: FlowKind,
    /// Where it stands.
    pub state: ClassicState,
    /// Done or cancelled.
    pub finished: bool,
    /// The Optimizer's request pk, once created.
    pub request_pk: Option<u64>,
    /// The Optimizer it runs on.
    pub optimizer_url: String,
    /// Its path layout.
    pub layout: ApiLayout,
    /// "Ana García López".
    pub customer_display_name: String,
    /// The documents.
    pub documents: Vec<DocumentSnapshot>,
    /// The contract.
    pub contract: ContractSnapshot,
    /// The customer's code.
    pub otp: OtpSnapshot,
    /// How the customer signs.
    pub signing: SigningMethod,
    /// Where signed files go (known once retrieval starts, or from the start when fixed).
    pub output_folder: Option<PathBuf>,
    /// Stepper.
    pub progress: FlowProgress,
    /// The last error, cleared by the next successful action.
    pub last_error: Option<DeskError>,
    /// Set when the flow needs the user.
    pub attention: Option<Attention>,
    /// The primary control to offer.
    pub next_action: NextAction,
    /// Practice mode (the simulator's SMS inbox may be read).
    pub practice: bool,
    /// When the flow started.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub created_at: Timestamp,
    /// When it last changed.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub updated_at: Timestamp,
}

impl FlowSnapshot {
    /// Files saved so far in the output folder (signed documents and contract): safe whatever
    /// happens next.
    pub fn saved_files(&self) -> Vec<PathBuf> {
        self.documents
            .iter()
            .filter_map(|d| d.saved_path.clone())
            .chain(self.contract.saved_path.clone())
            .collect()
    }
}

pub(crate) fn next_action(
    state: ClassicState,
    busy: bool,
    attention: Option<&Attention>,
    signing: &SigningMethod,
) -> NextAction {
    if busy {
        return NextAction::Wait;
    }
    if let Some(attention) = attention {
        return match attention.kind {
            AttentionKind::CreateOutcomeUnknown => NextAction::ConfirmRecreate,
            _ => NextAction::Resume,
        };
    }
    match state {
        ClassicState::Draft
        | ClassicState::Created
        | ClassicState::Uploaded
        | ClassicState::Signed
        | ClassicState::Retrieved
        | ClassicState::Verified
        | ClassicState::Cleaned => NextAction::Resume,
        ClassicState::ContractFetched => NextAction::Review,
        ClassicState::Reviewed => match signing {
            SigningMethod::Otp { .. } => NextAction::SendOtp,
            SigningMethod::External { .. } => NextAction::SignExternal,
        },
        ClassicState::OtpSent => NextAction::EnterOtp,
        ClassicState::Done => NextAction::OpenOutput,
        ClassicState::Cancelled => NextAction::None,
    }
}

pub(crate) fn progress(state: ClassicState, activity: Option<String>) -> FlowProgress {
    let reached = match state {
        ClassicState::Cancelled => 0,
        other => ClassicState::ALL
            .iter()
            .position(|s| *s == other)
            .unwrap_or_default() as u32,
    };
    FlowProgress {
        reached,
        total: 10,
        activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_order() {
        for state in ClassicState::ALL {
            assert_eq!(ClassicState::from_name(state.as_str()), Some(state));
        }
        assert!(ClassicState::Signed.is_signed());
        assert!(!ClassicState::OtpSent.is_signed());
        assert!(!ClassicState::Cancelled.is_signed());
        assert_eq!(progress(ClassicState::Done, None).reached, 10);
    }
}
