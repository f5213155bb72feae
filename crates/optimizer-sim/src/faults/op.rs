//! Layout-neutral names of the Optimizer operations, used by fault rules (`sign`, `create`, ...)
//! and in logs. Both layouts map their paths onto the same names.

use serde::{Deserialize, Serialize};

macro_rules! ops {
    ($($variant:ident => $name:literal, $doc:literal;)*) => {
        /// One Optimizer API operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Op {
            $(#[doc = $doc] #[serde(rename = $name)] $variant,)*
        }

        impl Op {
            /// Every operation, in documentation order.
            pub const ALL: &'static [Op] = &[$(Op::$variant,)*];

            /// The name used in fault rules.
            pub fn name(self) -> &'static str {
                match self { $(Op::$variant => $name,)* }
            }

            /// What the operation does (for `--help` and the README).
            pub fn description(self) -> &'static str {
                match self { $(Op::$variant => $doc,)* }
            }
        }
    };
}

ops! {
    Hello => "hello", "health check (legacy)";
    Version => "version", "version (legacy)";
    Settings => "settings", "get settings (legacy)";
    SettingsUpdate => "settings_update", "update settings (legacy)";
    Metadata => "metadata", "metadata list/get (legacy)";
    MetadataUpdate => "metadata_update", "metadata upload/delete (legacy)";
    TokenCreate => "token_create", "create token";
    Token => "token", "get token";
    TokenDelete => "token_delete", "delete token";
    Tokens => "tokens", "list tokens";
    Create => "create", "create signature request";
    Request => "request", "get request";
    RequestUpdate => "request_update", "update request";
    RequestCancel => "request_cancel", "cancel request";
    AsyncStatus => "async_status", "async status (legacy)";
    Otp => "otp", "generate OTP";
    Sign => "sign", "sign";
    DocumentUpload => "document_upload", "upload document(s) / hashfile";
    Document => "document", "download a document";
    DocumentDelete => "document_delete", "delete one document";
    Documents => "documents", "list documents";
    DocumentsDelete => "documents_delete", "delete all documents of a request";
    Contract => "contract", "download the service contract";
    ImageUpload => "image_upload", "upload image";
    Image => "image", "download image";
    ImageDelete => "image_delete", "delete image";
    Images => "images", "list images";
    ImagesDelete => "images_delete", "delete all images";
    VideoIdCreate => "videoid_create", "create VideoID request";
    Evidences => "evidences", "upload VideoID evidences";
    VideoUpload => "video_upload", "upload VideoID video";
    Video => "video", "download VideoID video";
    Approve => "approve", "approve VideoID request";
    Refuse => "refuse", "refuse VideoID request";
}

impl Op {
    /// Looks an operation up by its fault-rule name.
    pub fn from_name(name: &str) -> Option<Op> {
        Op::ALL.iter().copied().find(|op| op.name() == name)
    }
}
