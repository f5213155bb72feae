//! What a flow keeps between its steps, saved in the journal (as JSON, with the state, in one
//! transaction) at every change. No secret is part of it; the customer's full identity data
//! (and an external identification's evidences) are kept apart, in the flow's working folder,
//! only until they are sent.

use super::input::{AppearanceSpec, IdImages, OutputChoice, SigningMethod};
use super::model::{Attention, ContractSnapshot, DocumentSnapshot, OtpSnapshot, VideoIdSnapshot};
use crate::DeskError;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bumped when the JSON changes incompatibly (fields added with a default keep it).
pub(crate) const DETAILS_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FlowDetails {
    pub(crate) given_name: String,
    pub(crate) surname: String,
    pub(crate) documents: Vec<DocumentSnapshot>,
    pub(crate) contract: ContractSnapshot,
    pub(crate) otp: OtpSnapshot,
    pub(crate) signing: SigningMethod,
    pub(crate) output: OutputChoice,
    pub(crate) output_folder: Option<PathBuf>,
    pub(crate) appearance: AppearanceSpec,
    /// The keyring label the flow's token came from (a label, never a value).
    pub(crate) token_label: Option<String>,
    pub(crate) id_images: IdImages,
    pub(crate) last_error: Option<DeskError>,
    pub(crate) attention: Option<Attention>,
    pub(crate) practice: bool,
    pub(crate) signed_at: Option<Timestamp>,
    /// VideoID flows: the identification (its QR code is drawn when shown, not stored).
    #[serde(default)]
    pub(crate) videoid: Option<VideoIdSnapshot>,
    /// The request was created in asynchronous mode (`useasync`): signing ends by webhook.
    #[serde(default)]
    pub(crate) asynchronous: bool,
    /// When the Optimizer accepted an asynchronous signing the desk still waits for.
    #[serde(default)]
    pub(crate) signing_queued_at: Option<Timestamp>,
}
