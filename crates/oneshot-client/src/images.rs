//! Signature images (PNG graphics of visible signatures): upload, get, delete, list, delete all.

use crate::client::Client;
use crate::documents::to_path;
use crate::error::Result;
use crate::flex;
use crate::layout::{OpKind, RouteArgs};
use crate::redact::Redactor;
use crate::transfer::{Downloaded, PreparedFile, TransferControl, UploadCounter};
use crate::transport::OutBody;
use crate::types::{FileInput, ImageUid};
use reqwest::multipart::Form;
use serde_json::{Map, Value};
use std::path::Path;
use tokio::io::AsyncWrite;

/// Size of an image as listed: the legacy list reports pixels `[width, height]`, other
/// versions may report bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSize {
    /// Width and height in pixels.
    Pixels {
        /// Width.
        width: u64,
        /// Height.
        height: u64,
    },
    /// Size in bytes.
    Bytes(u64),
}

/// One entry of [`Client::list_images`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    /// Uid.
    pub uid: ImageUid,
    /// File name on the Optimizer.
    pub file_name: Option<String>,
    /// Upload time as written by the Optimizer.
    pub upload_date: Option<String>,
    /// Extension, e.g. `.png`.
    pub ext: Option<String>,
    /// MIME type.
    pub mime: Option<String>,
    /// Size, when reported in a known form.
    pub size: Option<ImageSize>,
}

impl Client {
    /// `POST /image`: uploads a PNG for visible signatures.
    pub async fn upload_image(
        &self,
        image: &FileInput,
        control: &TransferControl,
    ) -> Result<ImageUid> {
        let file = PreparedFile::open(image).await?;
        let counter = UploadCounter::new(file.len, control);
        let form = Form::new().part("image", file.into_part("image/png", &counter)?);
        let answer = self
            .inner
            .call_upload(
                OpKind::UploadImage,
                RouteArgs::default(),
                form,
                &counter,
                control,
                Redactor::new(),
            )
            .await?;
        let key = answer.envelope.payload_key();
        // Current: `details: {"image_uid": "…"}`; legacy: the uid as a string.
        let uid = match answer.envelope.payload() {
            Some(Value::String(uid)) => Some(uid.clone()),
            Some(Value::Object(map)) => ["image_uid", "uid"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_owned)),
            _ => None,
        };
        uid.filter(|u| !u.is_empty()).map(ImageUid).ok_or_else(|| {
            answer.bad_response("no image uid in the answer", &format!("{key}.image_uid"))
        })
    }

    /// `GET /image/{uid}`: streams the PNG into `writer`.
    pub async fn download_image<W>(
        &self,
        uid: &ImageUid,
        writer: &mut W,
        control: &TransferControl,
    ) -> Result<Downloaded>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let args = RouteArgs {
            uid: Some(uid.as_str()),
            ..RouteArgs::default()
        };
        self.inner
            .call_download(OpKind::GetImage, args, writer, control)
            .await
    }

    /// [`Client::download_image`] into a file at `path`.
    pub async fn download_image_to_path(
        &self,
        uid: &ImageUid,
        path: &Path,
        control: &TransferControl,
    ) -> Result<Downloaded> {
        to_path(path, async |file| {
            self.download_image(uid, file, control).await
        })
        .await
    }

    /// `DELETE /image/{uid}`.
    pub async fn delete_image(&self, uid: &ImageUid) -> Result<()> {
        let args = RouteArgs {
            uid: Some(uid.as_str()),
            ..RouteArgs::default()
        };
        self.inner
            .call_json(OpKind::DeleteImage, args, OutBody::Empty, Redactor::new())
            .await?;
        Ok(())
    }

    /// `GET /images`: every uploaded image (map `uid → info`, or an array with `uid`s).
    pub async fn list_images(&self) -> Result<Vec<ImageInfo>> {
        let answer = self
            .inner
            .call_json(
                OpKind::ListImages,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        let key = answer.envelope.payload_key();
        let mut out = Vec::new();
        match answer.envelope.payload() {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (uid, info) in map {
                    let Value::Object(info) = info else {
                        return Err(answer.bad_response(
                            "image entry is not an object",
                            &format!("{key}.{uid}"),
                        ));
                    };
                    out.push(image_info(ImageUid(uid.clone()), info));
                }
            }
            Some(Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    match (item.get("uid").and_then(Value::as_str), item) {
                        (Some(uid), Value::Object(info)) => {
                            out.push(image_info(ImageUid(uid.to_owned()), info))
                        }
                        _ => {
                            return Err(answer.bad_response(
                                "image entry without uid",
                                &format!("{key}[{index}].uid"),
                            ));
                        }
                    }
                }
            }
            Some(_) => {
                return Err(
                    answer.bad_response("the image list is neither a map nor an array", key)
                );
            }
        }
        Ok(out)
    }

    /// `DELETE /images`: removes every uploaded image.
    pub async fn delete_all_images(&self) -> Result<()> {
        self.inner
            .call_json(
                OpKind::DeleteAllImages,
                RouteArgs::default(),
                OutBody::Empty,
                Redactor::new(),
            )
            .await?;
        Ok(())
    }
}

fn image_info(uid: ImageUid, info: &Map<String, Value>) -> ImageInfo {
    let text = |k: &str| {
        info.get(k)
            .and_then(flex::string_from_value)
            .filter(|s| !s.is_empty())
    };
    let size = match info.get("size") {
        Some(Value::Array(dims)) if dims.len() == 2 => {
            match (
                flex::u64_from_value(&dims[0]),
                flex::u64_from_value(&dims[1]),
            ) {
                (Some(width), Some(height)) => Some(ImageSize::Pixels { width, height }),
                _ => None,
            }
        }
        Some(other) => flex::u64_from_value(other).map(ImageSize::Bytes),
        None => None,
    };
    ImageInfo {
        uid,
        file_name: text("filename"),
        upload_date: text("upload_date"),
        ext: text("ext"),
        mime: text("mime"),
        size,
    }
}
