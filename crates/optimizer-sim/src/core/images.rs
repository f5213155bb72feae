//! Signature images (PNG only).

use super::Core;
use super::error::{ApiError, ApiResult};
use super::form::{self, Form};
use super::model::Image;
use super::time;

/// Width and height from a PNG's IHDR chunk; `None` when the bytes are not a PNG.
pub fn png_size(head: &[u8]) -> Option<(u32, u32)> {
    if !head.starts_with(b"\x89PNG\r\n\x1a\n") || head.len() < 24 || &head[12..16] != b"IHDR" {
        return None;
    }
    let width = u32::from_be_bytes(head[16..20].try_into().ok()?);
    let height = u32::from_be_bytes(head[20..24].try_into().ok()?);
    (width > 0 && height > 0).then_some((width, height))
}

impl Core {
    /// `POST image`: stores the `image` part, which must be a PNG.
    pub async fn upload_image(&self, mut form: Form) -> ApiResult<String> {
        let part = form
            .take_file("image")
            .filter(|p| p.file.size > 0)
            .ok_or_else(|| ApiError::bad_request("Missing required parameter: 'image'"))?;
        let (width, height) = png_size(&part.file.head).ok_or_else(|| {
            ApiError::unsupported(format!(
                "Image file type not supported: {}",
                form::describe_type(&part)
            ))
        })?;
        let uid = self.new_uuid();
        let path = self.store.image(&uid);
        let filename = if part.filename.is_empty() {
            format!("{uid}.png")
        } else {
            part.filename.clone()
        };
        self.write(|tx| {
            part.file.keep_at(&path).map_err(ApiError::storage)?;
            tx.state.images.insert(
                uid.clone(),
                Image {
                    uid: uid.clone(),
                    filename,
                    width,
                    height,
                    uploaded_at: time::rfc3339(time::now()),
                },
            );
            Ok(uid.clone())
        })
        .await
    }

    /// Where image `uid` is.
    pub async fn image_path(&self, uid: &str) -> ApiResult<std::path::PathBuf> {
        self.read(|state| {
            state
                .images
                .get(uid)
                .map(|_| self.store.image(uid))
                .ok_or_else(|| ApiError::not_found(format!("Image with uid {uid} not found")))
        })
        .await
    }

    /// `DELETE image/{uid}`.
    pub async fn delete_image(&self, uid: &str) -> ApiResult<()> {
        let path = self.store.image(uid);
        self.write(|tx| {
            tx.state.images.remove(uid).ok_or_else(|| {
                ApiError::not_found(format!("Image with uid {uid} not found on disk"))
            })?;
            std::fs::remove_file(&path)
                .or_else(|e| {
                    if e.kind() == std::io::ErrorKind::NotFound {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(ApiError::storage)
        })
        .await
    }

    /// `GET images`.
    pub async fn list_images(&self) -> Vec<Image> {
        self.read(|state| Ok(state.images.values().cloned().collect()))
            .await
            .unwrap_or_default()
    }

    /// `DELETE images`.
    pub async fn delete_all_images(&self) -> ApiResult<()> {
        let store = &self.store;
        self.write(|tx| {
            for uid in std::mem::take(&mut tx.state.images).into_keys() {
                let _ = std::fs::remove_file(store.image(&uid));
            }
            Ok(())
        })
        .await
    }
}
