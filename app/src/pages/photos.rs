//! Photos in forms and lists: the field that takes or picks them, and their thumbnails.

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use rounds::photo::{PhotoRef, MAX_PHOTOS};
use std::sync::{Arc, Mutex};

/// The photos of the record a form is making, and whether one is still being prepared (saving
/// meanwhile would leave it out).
#[derive(Clone, Copy)]
pub struct PhotoDraft {
    pub photos: RwSignal<Vec<PhotoRef>>,
    pub busy: RwSignal<bool>,
}

impl PhotoDraft {
    /// `initial`: the photos of the revision being edited, none for a new record.
    pub fn new(initial: Vec<PhotoRef>) -> Self {
        PhotoDraft { photos: RwSignal::new(initial), busy: RwSignal::new(false) }
    }
}

/// Adds a picked photo unless it is there already or the record is full; says why not.
pub fn attach(list: &mut Vec<PhotoRef>, photo: PhotoRef) -> Result<(), Msg> {
    if list.iter().any(|p| p.sha256 == photo.sha256) {
        return Err(Msg::PhotoDuplicate);
    }
    if list.len() >= MAX_PHOTOS {
        return Err(Msg::PhotoLimit);
    }
    list.push(photo);
    Ok(())
}

/// Takes a photo with the camera or picks some from the album, up to the record's limit; each
/// is downscaled and kept on the phone at once, so it survives a reload before the form is saved.
/// `form_error` is the validator's word on the photos, from the form around it.
#[component]
pub fn PhotoField<E>(draft: PhotoDraft, form_error: E) -> impl IntoView
where
    E: Fn() -> Option<String> + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let problem = RwSignal::new(None::<Msg>);
    let count = move || draft.photos.with(|p| p.len());

    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input: web_sys::HtmlInputElement = event_target(&ev);
            let files: Vec<web_sys::File> = input.files().map(|list| (0..list.length()).filter_map(|i| list.item(i)).collect()).unwrap_or_default();
            // Cleared, so picking the same file again is a change too.
            input.set_value("");
            if files.is_empty() {
                return;
            }
            problem.set(None);
            draft.busy.set(true);
            leptos::task::spawn_local(async move {
                for file in files {
                    if draft.photos.with_untracked(|p| p.len()) >= MAX_PHOTOS {
                        problem.set(Some(Msg::PhotoLimit));
                        break;
                    }
                    match crate::client::photos::take(&file).await {
                        Ok(photo) => {
                            let mut outcome = Ok(());
                            draft.photos.update(|list| outcome = attach(list, photo));
                            if let Err(msg) = outcome {
                                problem.set(Some(msg));
                            }
                        }
                        Err(e) => {
                            leptos::logging::warn!("photo not taken: {e}");
                            problem.set(Some(failure_message(&e)));
                        }
                    }
                }
                draft.busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, problem);
    };
    let limit_text = move || i18n.tf(Msg::PhotoLimit, &[("n", MAX_PHOTOS.to_string())]);

    view! {
        <fieldset class="photos">
            <legend>{move || i18n.t(Msg::Photos)}</legend>
            <ul class="photo-thumbs">
                {move || draft.photos.get().into_iter().enumerate().map(|(i, photo)| {
                    let sha = photo.sha256.clone();
                    let n = (i + 1).to_string();
                    let alt = i18n.tf(Msg::PhotoN, &[("n", n.clone())]);
                    view! {
                        <li>
                            <PhotoThumb photo alt/>
                            <button type="button" class="link danger"
                                aria-label=move || i18n.tf(Msg::RemovePhotoN, &[("n", n.clone())])
                                on:click=move |_| draft.photos.update(|list| list.retain(|p| p.sha256 != sha))>
                                {move || i18n.t(Msg::RemovePhoto)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || { count() < MAX_PHOTOS } fallback=move || view! { <p class="muted">{limit_text}</p> }>
                <div class="photo-add">
                    <label class="button secondary">
                        <span>{move || i18n.t(Msg::AddPhoto)}</span>
                        <input type="file" accept="image/*" capture="environment" class="visually-hidden" on:change=on_change/>
                    </label>
                    <label class="button secondary">
                        <span>{move || i18n.t(Msg::ChoosePhotos)}</span>
                        <input type="file" accept="image/*" multiple class="visually-hidden" on:change=on_change/>
                    </label>
                </div>
            </Show>
            <small class="muted" aria-live="polite">{move || draft.busy.get().then(|| i18n.t(Msg::PhotoProcessing))}</small>
            <small class="field-error" aria-live="polite">
                {move || match problem.get() {
                    Some(Msg::PhotoLimit) => Some(limit_text()),
                    Some(msg) => Some(i18n.t(msg).to_string()),
                    None => form_error(),
                }}
            </small>
        </fieldset>
    }
    .into_any()
}

#[cfg(feature = "hydrate")]
fn failure_message(e: &crate::client::photos::PhotoFailure) -> Msg {
    use crate::client::photos::PhotoFailure;
    match e {
        PhotoFailure::Unreadable | PhotoFailure::Browser(_) => Msg::PhotoUnreadable,
        PhotoFailure::NoCrypto => Msg::PhotoNeedsHttps,
        PhotoFailure::TooLarge => Msg::PhotoTooLarge,
        PhotoFailure::Storage(_) => Msg::PhotoStorage,
    }
}

/// One photo, from the phone's copy when it holds one (offline too), else from the server.
#[component]
pub fn PhotoThumb(photo: PhotoRef, alt: String) -> impl IntoView {
    let i18n = use_i18n();
    let src = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    // The object URL made for this thumbnail, freed with it.
    let object_url: Arc<Mutex<Option<String>>> = Arc::default();
    #[cfg(feature = "hydrate")]
    {
        let made = object_url.clone();
        leptos::task::spawn_local(async move {
            match crate::client::photos::local_url(&photo).await {
                Some(url) => {
                    if src.try_set(Some(url.clone())).is_some() {
                        // Already gone: free it now.
                        let _ = web_sys::Url::revoke_object_url(&url);
                    } else if let Ok(mut slot) = made.lock() {
                        *slot = Some(url);
                    }
                }
                None => {
                    let _ = src.try_set(Some(photo.url()));
                }
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = photo;
    on_cleanup(move || {
        #[cfg(feature = "hydrate")]
        if let Some(url) = object_url.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = object_url;
    });
    view! {
        {move || match (src.get(), missing.get()) {
            (_, true) => view! { <span class="photo-missing">{move || i18n.t(Msg::PhotoUnavailable)}</span> }.into_any(),
            (Some(url), false) => {
                let href = url.clone();
                view! {
                <a href=href target="_blank" rel="noopener">
                    <img src=url alt=alt.clone() loading="lazy" on:error=move |_| missing.set(true)/>
                </a>
                }.into_any()
            }
            (None, false) => view! { <span class="photo-missing"></span> }.into_any(),
        }}
    }
    .into_any()
}

/// The photos of a record in a list, if it has any.
#[component]
pub fn PhotoThumbs(photos: Vec<PhotoRef>) -> impl IntoView {
    let i18n = use_i18n();
    (!photos.is_empty()).then(|| {
        view! {
            <ul class="photo-thumbs">
                {photos.into_iter().enumerate().map(|(i, photo)| {
                    let alt = i18n.tf(Msg::PhotoN, &[("n", (i + 1).to_string())]);
                    view! { <li><PhotoThumb photo alt/></li> }
                }).collect_view()}
            </ul>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(n: u8) -> PhotoRef {
        PhotoRef { sha256: rounds::photo::hex(&[n; 32]), content_type: rounds::PhotoType::Jpeg, width: 1600, height: 1200, bytes: 200_000 }
    }

    #[test]
    fn attach_refuses_repeats_and_a_seventh_photo() {
        let mut list = Vec::new();
        for n in 1..=6 {
            assert_eq!(attach(&mut list, photo(n)), Ok(()));
        }
        assert_eq!(attach(&mut list, photo(3)), Err(Msg::PhotoDuplicate));
        assert_eq!(attach(&mut list, photo(7)), Err(Msg::PhotoLimit));
        assert_eq!(list.len(), 6);
    }
}
