//! What only the VideoID flows do: the identification is created, followed (status read back
//! on a slowing schedule, sooner on a webhook), fed with an external provider's evidences and
//! recording, and decided on by the RAO. An approved flow continues with the shared steps.

pub(crate) mod create;
pub(crate) mod decision;
pub(crate) mod external;
pub(crate) mod settle;
pub(crate) mod start;
pub(crate) mod status;
pub(crate) mod video;

/// The evidences as provided, in the working folder until they are uploaded (they hold the
/// customer's identity data, which the journal never does).
pub(crate) const EVIDENCES_FILE: &str = "evidences.json";
