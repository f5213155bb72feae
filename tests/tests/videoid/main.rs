//! The VideoID flows in the real window, against the simulated Optimizer: the eIDAS
//! identification (link and QR code, the customer's side played through the simulator, status
//! by webhook or by reading it back), the external identification (evidences, pictures and a
//! recording entered by the employee), the RAO's approval or refusal, then the classic steps
//! to signed files that independent validators check; and the requests list that reopens a
//! VideoID where it stands.

#[allow(dead_code)]
#[path = "../classic/support.rs"]
mod classic;
mod eidas;
mod external;
mod support;
