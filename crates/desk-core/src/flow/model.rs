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

/// A flow's states. Each is the last milestone reached; a flow waiting for the user, the
/// customer or a retry stays in the state it reached.
///
/// The classic flow goes `draft → created → uploaded → … → done`; the VideoID flows go
/// `draft → video_pending → video_review → approved → uploaded → … → done`, with
/// `video_incomplete` and `video_error` while the identification is not usable yet, and
/// `refused` when the RAO refuses it. The variants are declared in the order a flow moves
/// through them, so `>=` compares progress along either path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    /// Journaled and checked; nothing sent yet (or the create call's outcome is unknown).
    Draft,
    /// VideoID: the identification is created and waits for the customer (eIDAS: the video
    /// session at the link) or for the evidences and the video (external).
    VideoPending,
    /// VideoID: the customer left the identification half-way, or only part of the evidences
    /// arrived; the customer may try again (eIDAS) or the evidences be completed (external).
    VideoIncomplete,
    /// VideoID: the identification failed (a failed check, a document problem); it may be
    /// tried again, refused or cancelled.
    VideoError,
    /// VideoID: the identification is complete and waits for the RAO's review.
    VideoReview,
    /// VideoID: the RAO approved the identification (request `ENROLLREADY`); the documents
    /// follow as in the classic flow.
    Approved,
    /// Classic: the request exists on the Optimizer (its pk is known).
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
    /// Ended before signing; the request was removed from the Optimizer (or cancelled there).
    Cancelled,
    /// VideoID: the RAO refused the identification (the request is `CANCELLED`).
    Refused,
}

/// The former name of [`FlowState`], from when only the classic flow existed.
pub type ClassicState = FlowState;

impl FlowState {
    /// Every state, in order.
    pub const ALL: [FlowState; 18] = [
        FlowState::Draft,
        FlowState::VideoPending,
        FlowState::VideoIncomplete,
        FlowState::VideoError,
        FlowState::VideoReview,
        FlowState::Approved,
        FlowState::Created,
        FlowState::Uploaded,
        FlowState::ContractFetched,
        FlowState::Reviewed,
        FlowState::OtpSent,
        FlowState::Signed,
        FlowState::Retrieved,
        FlowState::Verified,
        FlowState::Cleaned,
        FlowState::Done,
        FlowState::Cancelled,
        FlowState::Refused,
    ];

    /// The name stored in the journal (`otp_sent`).
    pub const fn as_str(self) -> &'static str {
        match self {
            FlowState::Draft => "draft",
            FlowState::VideoPending => "video_pending",
            FlowState::VideoIncomplete => "video_incomplete",
            FlowState::VideoError => "video_error",
            FlowState::VideoReview => "video_review",
            FlowState::Approved => "approved",
            FlowState::Created => "created",
            FlowState::Uploaded => "uploaded",
            FlowState::ContractFetched => "contract_fetched",
            FlowState::Reviewed => "reviewed",
            FlowState::OtpSent => "otp_sent",
            FlowState::Signed => "signed",
            FlowState::Retrieved => "retrieved",
            FlowState::Verified => "verified",
            FlowState::Cleaned => "cleaned",
            FlowState::Done => "done",
            FlowState::Cancelled => "cancelled",
            FlowState::Refused => "refused",
        }
    }

    /// The state named `name` in the journal.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Done, cancelled or refused.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            FlowState::Done | FlowState::Cancelled | FlowState::Refused
        )
    }

    /// Whether the customer's documents are signed on the Optimizer (from then on the flow can
    /// no longer be cancelled, only finished).
    pub fn is_signed(self) -> bool {
        self >= FlowState::Signed && !matches!(self, FlowState::Cancelled | FlowState::Refused)
    }

    /// A VideoID state before the RAO's decision: the identification is under way or waits
    /// for review.
    pub const fn is_identification(self) -> bool {
        matches!(
            self,
            FlowState::VideoPending
                | FlowState::VideoIncomplete
                | FlowState::VideoError
                | FlowState::VideoReview
        )
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
    /// VideoID (eIDAS): show the link (QR code) and wait for the customer's identification
    /// (`wait_for_identification`); the customer may also try again after a failure.
    WaitForCustomer,
    /// VideoID (external): provide the evidences and the video (`provide_evidences`).
    UploadEvidences,
    /// VideoID: the RAO reviews the identification, then approves or refuses it.
    ReviewIdentification,
    /// VideoID approved: choose the documents to sign (`set_documents`), then `resume`.
    ChooseDocuments,
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
    /// Milestones reached (0 = draft, `total` = done).
    pub reached: u32,
    /// Milestones in all: 10 for the classic flow, 12 for VideoID (identification, review
    /// and approval come first).
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
    /// `classic`, `videoid_eidas` or `videoid_external`.
    pub kind: FlowKind,
    /// Where it stands.
    pub state: FlowState,
    /// Done, cancelled or refused.
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
    /// The identification of a VideoID flow (`None` for the classic flow).
    pub videoid: Option<VideoIdSnapshot>,
    /// Asynchronous signing (`videoid.async_mode`): the Optimizer signs in the background and
    /// announces the end by webhook; set while the desk waits for it.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub signing_queued_at: Option<Timestamp>,
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

/// How the desk learned a request's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum StatusSource {
    /// Reading the request back (`get_request`), on a schedule or when asked.
    Polling,
    /// A webhook call from the Optimizer (then confirmed by reading the request back).
    Webhook,
    /// The answer to the desk's own call (create, approve, refuse, an upload).
    Answer,
}

/// The VideoID recording of an external identification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VideoFileSnapshot {
    /// Where it is on this computer.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-256.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub sha256: Sha256Digest,
    /// The media type found in its content (`video/mp4`, `video/webm`, `video/quicktime`, ...).
    pub media_type: String,
    /// Uploaded?
    pub upload: StepStatus,
}

/// The identification of a VideoID flow, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VideoIdSnapshot {
    /// The VideoID pk on the Optimizer, once created.
    pub videoid_pk: Option<u64>,
    /// eIDAS: where the customer does the video identification (shown as a QR code); kept
    /// only while the identification is open.
    pub link: Option<String>,
    /// The link as a QR code, an SVG document (black modules on white, with its quiet zone).
    pub qr_svg: Option<String>,
    /// The request's status on the Optimizer as last seen (`VIDEOPENDING`, `VIDEOREVIEW`, ...).
    pub remote_status: Option<String>,
    /// When it was last seen.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub remote_status_at: Option<Timestamp>,
    /// How it was learned.
    pub remote_status_source: Option<StatusSource>,
    /// External: the evidences (identity data, ID images, checks) uploaded?
    pub evidences: StepStatus,
    /// External: the recording.
    pub video: Option<VideoFileSnapshot>,
    /// Why the RAO refused the identification.
    pub refusal_reason: Option<String>,
    /// When the RAO approved it.
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub approved_at: Option<Timestamp>,
}

/// What [`next_action`] looks at.
pub(crate) struct ActionContext<'a> {
    pub(crate) kind: FlowKind,
    pub(crate) state: FlowState,
    pub(crate) busy: bool,
    pub(crate) attention: Option<&'a Attention>,
    pub(crate) signing: &'a SigningMethod,
    pub(crate) has_documents: bool,
}

pub(crate) fn next_action(context: &ActionContext<'_>) -> NextAction {
    if context.busy {
        return NextAction::Wait;
    }
    if let Some(attention) = context.attention {
        return match attention.kind {
            AttentionKind::CreateOutcomeUnknown => NextAction::ConfirmRecreate,
            _ => NextAction::Resume,
        };
    }
    match context.state {
        FlowState::Draft
        | FlowState::Created
        | FlowState::Uploaded
        | FlowState::Signed
        | FlowState::Retrieved
        | FlowState::Verified
        | FlowState::Cleaned => NextAction::Resume,
        FlowState::VideoPending | FlowState::VideoIncomplete | FlowState::VideoError => {
            match context.kind {
                FlowKind::VideoidExternal => NextAction::UploadEvidences,
                _ => NextAction::WaitForCustomer,
            }
        }
        FlowState::VideoReview => NextAction::ReviewIdentification,
        FlowState::Approved if !context.has_documents => NextAction::ChooseDocuments,
        FlowState::Approved => NextAction::Resume,
        FlowState::ContractFetched => NextAction::Review,
        FlowState::Reviewed => match context.signing {
            SigningMethod::Otp { .. } => NextAction::SendOtp,
            SigningMethod::External { .. } => NextAction::SignExternal,
        },
        FlowState::OtpSent => NextAction::EnterOtp,
        FlowState::Done => NextAction::OpenOutput,
        FlowState::Cancelled | FlowState::Refused => NextAction::None,
    }
}

pub(crate) fn progress(kind: FlowKind, state: FlowState, activity: Option<String>) -> FlowProgress {
    // Milestones of each path; the identification's open states count as one.
    let classic = [
        FlowState::Draft,
        FlowState::Created,
        FlowState::Uploaded,
        FlowState::ContractFetched,
        FlowState::Reviewed,
        FlowState::OtpSent,
        FlowState::Signed,
        FlowState::Retrieved,
        FlowState::Verified,
        FlowState::Cleaned,
        FlowState::Done,
    ];
    let videoid = [
        FlowState::Draft,
        FlowState::VideoPending,
        FlowState::VideoReview,
        FlowState::Approved,
        FlowState::Uploaded,
        FlowState::ContractFetched,
        FlowState::Reviewed,
        FlowState::OtpSent,
        FlowState::Signed,
        FlowState::Retrieved,
        FlowState::Verified,
        FlowState::Cleaned,
        FlowState::Done,
    ];
    let path: &[FlowState] = match kind {
        FlowKind::Classic => &classic,
        FlowKind::VideoidEidas | FlowKind::VideoidExternal => &videoid,
    };
    let milestone = match state {
        FlowState::VideoIncomplete | FlowState::VideoError => FlowState::VideoPending,
        other => other,
    };
    let reached = path
        .iter()
        .position(|s| *s == milestone)
        .unwrap_or_default() as u32;
    FlowProgress {
        reached,
        total: path.len() as u32 - 1,
        activity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_order() {
        for state in FlowState::ALL {
            assert_eq!(FlowState::from_name(state.as_str()), Some(state));
        }
        assert!(FlowState::Signed.is_signed());
        assert!(!FlowState::OtpSent.is_signed());
        assert!(!FlowState::Cancelled.is_signed());
        assert!(!FlowState::Refused.is_signed() && FlowState::Refused.is_final());
        assert!(FlowState::VideoReview < FlowState::Approved);
        assert!(FlowState::Approved < FlowState::Uploaded);
        assert_eq!(
            progress(FlowKind::Classic, FlowState::Done, None).reached,
            10
        );
        let done = progress(FlowKind::VideoidEidas, FlowState::Done, None);
        assert_eq!((done.reached, done.total), (12, 12));
        let incomplete = progress(FlowKind::VideoidExternal, FlowState::VideoIncomplete, None);
        assert_eq!(incomplete.reached, 1);
        assert_eq!(
            progress(FlowKind::Classic, FlowState::Cancelled, None).reached,
            0
        );
    }
}
