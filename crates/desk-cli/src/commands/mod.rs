//! One module per subcommand.

pub mod classic;
pub mod doctor;
pub mod inspect;
mod pdf;
pub mod render;
pub mod settings;
pub mod status;
pub mod support_bundle;
pub mod tokens;
pub mod videoid;
