//! What a flow keeps between its steps, saved in the journal (as JSON, with the state, in one
//! transaction) at every change. No secret is part of it; the customer's full identity data is
//! kept apart, in the flow's working folder, only until the request exists.

use super::input::{AppearanceSpec, IdImages, OutputChoice, SigningMethod};
use super::model::{Attention, ContractSnapshot, DocumentSnapshot, OtpSnapshot};
use crate::DeskError;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Bumped when the JSON changes incompatibly.
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
}
