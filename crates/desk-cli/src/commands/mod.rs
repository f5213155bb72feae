//! One module per subcommand.

pub mod classic;
pub mod doctor;
pub mod inspect;
pub mod settings;
pub mod status;
pub mod tokens;
