//! Safe output of the customer's documents: atomic, durable, never overwriting, with
//! sanitised names, per-request folders and streamed SHA-256.

mod atomic;
mod error;
mod folder;
mod hash;
mod names;

pub use atomic::{HashingWriter, WrittenFile, move_atomically, write_atomically};
pub use error::OutputError;
pub use folder::{DEFAULT_FOLDER_PATTERN, FOLDER_PLACEHOLDERS, FolderFields, FolderPattern};
pub use hash::{InvalidDigest, Sha256Digest, sha256_file, starts_with_original};
pub use names::{MAX_NAME_BYTES, numbered_name, sanitize_file_name};
