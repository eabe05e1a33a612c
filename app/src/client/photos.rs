//! Photos on the phone: downscaled with a canvas, hashed with `crypto.subtle`, kept in
//! IndexedDB until the server has them, and uploaded by the sync loop before the records that
//! name them are pushed.
//!
//! An uploaded photo keeps its local copy for [`KEEP_UPLOADED_DAYS`] (so a record just made
//! still shows its photos with no signal), then the server's copy serves it. A photo no record
//! names (a form left without saving) is dropped after the same time, never uploaded.

use super::local_store::{self, LocalPhoto};
use crate::state::AppStore;
use leptos::prelude::*;
use rounds::photo::{fit_within, hex, ImageInfo, PhotoRef, PhotoType, JPEG_QUALITY, MAX_PHOTO_BYTES, TARGET_EDGE_PX};
use std::collections::HashSet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How long a photo stays on the phone once the server has it (or, unnamed by any record, at all).
pub const KEEP_UPLOADED_DAYS: i64 = 7;

/// Why a picked file did not become a photo.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PhotoFailure {
    #[error("this file cannot be read as an image")]
    Unreadable,
    #[error("photos need a secure (HTTPS) connection to the app")]
    NoCrypto,
    #[error("the photo is still larger than {MAX_PHOTO_BYTES} bytes after downscaling")]
    TooLarge,
    #[error("the phone's storage refused the photo: {0}")]
    Storage(String),
    #[error("{0}")]
    Browser(String),
}

fn browser(e: JsValue) -> PhotoFailure {
    PhotoFailure::Browser(e.as_string().or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string())).unwrap_or_default())
}

/// Downscales a picked file to a JPEG of at most [`TARGET_EDGE_PX`] on its long edge, names it
/// by its SHA-256, and keeps it in the phone's store. From here the photo survives reloads.
pub async fn take(file: &web_sys::File) -> Result<PhotoRef, PhotoFailure> {
    let window = web_sys::window().ok_or(PhotoFailure::Unreadable)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file).map_err(|_| PhotoFailure::Unreadable)?)
        .await
        .map_err(|_| PhotoFailure::Unreadable)?
        .dyn_into()
        .map_err(|_| PhotoFailure::Unreadable)?;
    let (width, height) = fit_within(bitmap.width(), bitmap.height(), TARGET_EDGE_PX);
    let encoded = encode_jpeg(&bitmap, width, height).await;
    bitmap.close();
    let data = encoded?;
    if data.len() as u64 > MAX_PHOTO_BYTES {
        return Err(PhotoFailure::TooLarge);
    }
    let info = ImageInfo::sniff(&data).ok_or(PhotoFailure::Unreadable)?;
    let photo = PhotoRef::new(sha256(&data).await?, info, data.len() as u64);
    let local = LocalPhoto { photo: photo.clone(), added_at: chrono::Utc::now(), uploaded_at: None, refused: None };
    local_store::put_photo(&local, &data).await.map_err(PhotoFailure::Storage)?;
    Ok(photo)
}

/// Draws the bitmap on a white canvas of the given size (JPEG has no transparency) and encodes it.
async fn encode_jpeg(bitmap: &web_sys::ImageBitmap, width: u32, height: u32) -> Result<Vec<u8>, PhotoFailure> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(PhotoFailure::Unreadable)?;
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").map_err(browser)?.dyn_into().map_err(|_| PhotoFailure::Unreadable)?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").map_err(browser)?.ok_or(PhotoFailure::Unreadable)?.dyn_into().map_err(|_| PhotoFailure::Unreadable)?;
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, width as f64, height as f64);
    context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, width as f64, height as f64).map_err(browser)?;
    let blob = JsFuture::from(jpeg_blob(&canvas)).await.map_err(browser)?;
    // A canvas that cannot be encoded answers null.
    if blob.is_null() {
        return Err(PhotoFailure::Unreadable);
    }
    let blob: web_sys::Blob = blob.dyn_into().map_err(|_| PhotoFailure::Unreadable)?;
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(browser)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The canvas as a JPEG blob: toBlob answers through a callback, and a promise turns it into
/// something to await. The one JS closure page code makes; it must stay in the main wasm
/// (`crate::keep_in_main`): wasm-bindgen turns closures into JS functions in the main module only.
pub fn jpeg_blob(canvas: &web_sys::HtmlCanvasElement) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let callback = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        if let Err(e) = canvas.to_blob_with_type_and_encoder_options(callback.unchecked_ref(), PhotoType::Jpeg.mime(), &JsValue::from(JPEG_QUALITY)) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    })
}

/// The SHA-256 of the bytes in lowercase hex, by the browser's own implementation.
async fn sha256(data: &[u8]) -> Result<String, PhotoFailure> {
    let crypto = web_sys::window().and_then(|w| w.crypto().ok()).ok_or(PhotoFailure::NoCrypto)?;
    // `crypto.subtle` exists only in a secure context (HTTPS or localhost).
    if js_sys::Reflect::get(&crypto, &JsValue::from_str("subtle")).map(|s| s.is_undefined()).unwrap_or(true) {
        return Err(PhotoFailure::NoCrypto);
    }
    let digest = JsFuture::from(crypto.subtle().digest_with_str_and_u8_array("SHA-256", data).map_err(browser)?).await.map_err(browser)?;
    Ok(hex(&js_sys::Uint8Array::new(&digest).to_vec()))
}

/// The photo's bytes as a Blob of its type, from the phone's store.
pub async fn local_blob(photo: &PhotoRef) -> Option<web_sys::Blob> {
    let data = local_store::photo_bytes(&photo.sha256).await.ok().flatten()?;
    let parts = js_sys::Array::of1(&data);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(photo.content_type.mime());
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// An object URL for a photo kept on the phone; the caller revokes it.
pub async fn local_url(photo: &PhotoRef) -> Option<String> {
    web_sys::Url::create_object_url_with_blob(&local_blob(photo).await?).ok()
}

/// Why an upload round stopped.
#[derive(Debug)]
pub enum UploadError {
    Offline,
    Unauthorized,
    /// The server failed (5xx): try again with the loop's backoff; the records still go out.
    Server(String),
}

/// Photos on the phone that the server has neither received nor refused: sign-out keeps them.
pub async fn pending_count() -> usize {
    local_store::photos().await.map(|all| all.iter().filter(|p| p.uploaded_at.is_none() && p.refused.is_none()).count()).unwrap_or(0)
}

/// Uploads every waiting photo that a record on the phone names, then forgets the ones the
/// phone need not keep. Refusals (400, 413, 415) are noted on the photo and not retried.
pub async fn upload_pending(store: AppStore) -> Result<(), UploadError> {
    let photos = local_store::photos().await.map_err(UploadError::Server)?;
    let named: HashSet<String> = store.records.with_untracked(|list| list.iter().flat_map(|r| r.record.photos.iter().map(|p| p.sha256.clone())).collect());
    let mut server_error = None;
    for mut local in photos.iter().filter(|l| l.uploaded_at.is_none() && l.refused.is_none() && named.contains(&l.photo.sha256)).cloned() {
        let Some(blob) = local_blob(&local.photo).await else { continue };
        let request = gloo_net::http::Request::put(&local.photo.url())
            .header("Content-Type", local.photo.content_type.mime())
            .body(blob)
            .map_err(|e| UploadError::Server(e.to_string()))?;
        let response = request.send().await.map_err(|_| UploadError::Offline)?;
        match response.status() {
            200..=299 => local.uploaded_at = Some(chrono::Utc::now()),
            401 => return Err(UploadError::Unauthorized),
            0 | 502..=504 => return Err(UploadError::Offline),
            400 | 413 | 415 => {
                let text = response.text().await.unwrap_or_default();
                leptos::logging::warn!("the server refused photo {}: {text}", local.photo.sha256);
                local.refused = Some(format!("{}: {text}", response.status()));
            }
            other => {
                server_error = Some(format!("photo upload answered {other}"));
                continue;
            }
        }
        local_store::update_photo(&local).await.map_err(UploadError::Server)?;
    }
    // With no records on hand (none yet, or the store could not be read) nothing tells an
    // abandoned photo from one a record names: keep them all.
    if store.records.with_untracked(|list| !list.is_empty()) {
        prune(&photos, &named).await;
    }
    server_error.map_or(Ok(()), |e| Err(UploadError::Server(e)))
}

/// Drops the photos the phone no longer needs to hold (see the module's note).
async fn prune(photos: &[LocalPhoto], named: &HashSet<String>) {
    let keep_since = chrono::Utc::now() - chrono::Duration::days(KEEP_UPLOADED_DAYS);
    let stale: Vec<String> = photos
        .iter()
        .filter(|l| match l.uploaded_at {
            Some(at) => at < keep_since,
            None => !named.contains(&l.photo.sha256) && l.added_at < keep_since,
        })
        .map(|l| l.photo.sha256.clone())
        .collect();
    if let Err(e) = local_store::delete_photos(&stale).await {
        leptos::logging::warn!("cannot prune photos: {e}");
    }
}
