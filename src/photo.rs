//! Photos on records: a record's envelope lists its photos by content hash; the bytes travel
//! apart (`PUT /api/v1/photos/{sha256}`), so a record syncs even while its photos wait.

use crate::validate::ValidationErrors;
use serde::{Deserialize, Serialize};

/// The most photos one record may carry.
pub const MAX_PHOTOS: usize = 6;
/// The largest photo, in bytes. A phone photo downscaled to [`TARGET_EDGE_PX`] as JPEG is a few
/// hundred KiB; the bound leaves room for a PNG screenshot without letting a phone fill the server.
pub const MAX_PHOTO_BYTES: u64 = 2 * 1024 * 1024;
/// The long edge the phone downscales a photo to before keeping it.
pub const TARGET_EDGE_PX: u32 = 1600;
/// The JPEG quality of the phone's downscaled copy.
pub const JPEG_QUALITY: f64 = 0.8;
/// The largest width or height a photo may claim: anything above is not a phone photo.
pub const MAX_DIMENSION_PX: u32 = 16_384;

/// The image formats a photo may have: what every phone browser's canvas can make or show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PhotoType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "image/png")]
    Png,
}

impl PhotoType {
    pub const ALL: [PhotoType; 3] = [PhotoType::Jpeg, PhotoType::Webp, PhotoType::Png];

    pub fn mime(self) -> &'static str {
        match self {
            PhotoType::Jpeg => "image/jpeg",
            PhotoType::Webp => "image/webp",
            PhotoType::Png => "image/png",
        }
    }

    /// The type a `Content-Type` names, ignoring parameters and case (`image/JPEG; q=1`).
    pub fn from_mime(value: &str) -> Option<PhotoType> {
        let essence = value.split(';').next().unwrap_or("").trim();
        PhotoType::ALL.into_iter().find(|t| t.mime().eq_ignore_ascii_case(essence))
    }
}

/// What the bytes of an image say about themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub content_type: PhotoType,
    pub width: u32,
    pub height: u32,
}

impl ImageInfo {
    /// Reads the format from the magic bytes and the size from the header; `None` when the
    /// bytes are not a JPEG, WebP or PNG whose header can be read. Never panics on any input.
    pub fn sniff(bytes: &[u8]) -> Option<ImageInfo> {
        let (content_type, (width, height)) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            (PhotoType::Png, png_size(bytes)?)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            (PhotoType::Jpeg, jpeg_size(bytes)?)
        } else if bytes.get(0..4) == Some(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            (PhotoType::Webp, webp_size(bytes)?)
        } else {
            return None;
        };
        (width > 0 && height > 0).then_some(ImageInfo { content_type, width, height })
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as u32)
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(s[0] as u32 | (s[1] as u32) << 8 | (s[2] as u32) << 16)
}

/// The IHDR chunk comes first: width and height at bytes 16 and 20.
fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    (b.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(b, 16)?, be32(b, 20)?))
}

/// Walks the JPEG segments up to the first start-of-frame marker, which holds the size.
fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        // Markers may be padded with any number of 0xFF bytes.
        while *b.get(at)? == 0xFF && *b.get(at + 1)? == 0xFF {
            at += 1;
        }
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        match marker {
            // Stand-alone markers carry no length.
            0x01 | 0xD0..=0xD7 => at += 2,
            // Start of scan or end of image before any frame: not a readable photo.
            0xDA | 0xD9 => return None,
            // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some((be16(b, at + 7)?, be16(b, at + 5)?));
            }
            _ => {
                let len = be16(b, at + 2)? as usize;
                if len < 2 {
                    return None;
                }
                at += 2 + len;
            }
        }
    }
}

/// Lossy (VP8), lossless (VP8L) or extended (VP8X) WebP.
fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            // A key frame's start code, then 14-bit width and height.
            (b.get(23..26)? == [0x9D, 0x01, 0x2A]).then_some(())?;
            Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF))
        }
        b"VP8L" => {
            (*b.get(20)? == 0x2F).then_some(())?;
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

/// One photo of a record, named by the SHA-256 of its bytes: the same photo is stored once,
/// however many records or uploads carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoRef {
    /// The SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
    pub content_type: PhotoType,
    pub width: u32,
    pub height: u32,
    /// The size in bytes.
    pub bytes: u64,
}

impl PhotoRef {
    /// A reference to bytes whose header was read.
    pub fn new(sha256: String, info: ImageInfo, bytes: u64) -> PhotoRef {
        PhotoRef { sha256, content_type: info.content_type, width: info.width, height: info.height, bytes }
    }

    /// The URL the server serves the photo at.
    pub fn url(&self) -> String {
        photo_url(&self.sha256)
    }
}

/// The answer to `PUT /api/v1/photos/{sha256}`: what the server read from the bytes, and
/// whether this upload stored them (false when they were already there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoUploaded {
    pub photo: PhotoRef,
    pub created: bool,
}

pub fn photo_url(sha256: &str) -> String {
    format!("/api/v1/photos/{sha256}")
}

/// Whether `s` is a SHA-256 as this app writes it: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
}

/// Checks a record's photo list; paths are relative to the envelope (`photos[2].sha256`).
pub fn validate_photos(photos: &[PhotoRef]) -> ValidationErrors {
    let mut errors = ValidationErrors::new();
    if photos.len() > MAX_PHOTOS {
        errors.add("photos", "too_many", format!("{} photos; a record may carry at most {MAX_PHOTOS}", photos.len()));
    }
    for (i, p) in photos.iter().enumerate() {
        let at = |field: &str| format!("photos[{i}].{field}");
        if !is_sha256_hex(&p.sha256) {
            errors.add(at("sha256"), "bad_hash", "must be a SHA-256 in 64 lowercase hex digits");
        } else if photos[..i].iter().any(|q| q.sha256 == p.sha256) {
            errors.add(at("sha256"), "duplicate", "this photo is already attached to the record");
        }
        if p.bytes == 0 {
            errors.add(at("bytes"), "out_of_range", "a photo cannot be empty");
        } else if p.bytes > MAX_PHOTO_BYTES {
            errors.add(at("bytes"), "too_large", format!("{} bytes; a photo may have at most {MAX_PHOTO_BYTES}", p.bytes));
        }
        for (field, v) in [("width", p.width), ("height", p.height)] {
            if v == 0 || v > MAX_DIMENSION_PX {
                errors.add(at(field), "out_of_range", format!("must be from 1 to {MAX_DIMENSION_PX} pixels"));
            }
        }
    }
    errors
}

/// The size to downscale a `width`×`height` image to so its long edge is at most `max_edge`
/// (never upscaled; never below one pixel).
pub fn fit_within(width: u32, height: u32, max_edge: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_edge || long == 0 {
        return (width, height);
    }
    let scale = |v: u32| ((v as u64 * max_edge as u64 + long as u64 / 2) / long as u64).max(1) as u32;
    (scale(width), scale(height))
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xF) as usize] as char);
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn photo(n: u8) -> PhotoRef {
        PhotoRef { sha256: hex(&[n; 32]), content_type: PhotoType::Jpeg, width: 1600, height: 1200, bytes: 250_000 }
    }

    /// A 1×1 PNG, the smallest real image.
    pub const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08,
        0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00,
        0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    /// The head of a JPEG: SOI, an APP0 segment, then a baseline frame of 640×480.
    fn jpeg_head() -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8];
        b.extend([0xFF, 0xE0, 0x00, 0x10]);
        b.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03]);
        b.extend([0u8; 9]);
        b
    }

    fn codes(photos: &[PhotoRef]) -> Vec<(String, String)> {
        validate_photos(photos).0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn up_to_six_distinct_photos_are_fine() {
        let photos: Vec<_> = (1..=6).map(photo).collect();
        assert_eq!(codes(&photos), vec![]);
        assert_eq!(codes(&[]), vec![]);
    }

    #[test]
    fn a_seventh_photo_is_too_many() {
        let photos: Vec<_> = (1..=7).map(photo).collect();
        assert_eq!(codes(&photos), vec![("photos".into(), "too_many".into())]);
    }

    #[test]
    fn the_hash_must_be_64_lowercase_hex_digits() {
        for bad in ["", "abc", &"A".repeat(64), &"g".repeat(64), &"a".repeat(63), &"a".repeat(65), &format!("{}é", "a".repeat(62))] {
            let mut p = photo(1);
            p.sha256 = bad.to_string();
            assert_eq!(codes(&[p]), vec![("photos[0].sha256".into(), "bad_hash".into())], "{bad:?}");
        }
    }

    #[test]
    fn the_same_photo_twice_is_refused_at_the_second() {
        assert_eq!(codes(&[photo(1), photo(2), photo(1)]), vec![("photos[2].sha256".into(), "duplicate".into())]);
    }

    #[test]
    fn size_and_dimensions_are_bounded() {
        let mut p = photo(1);
        p.bytes = MAX_PHOTO_BYTES;
        assert_eq!(codes(&[p.clone()]), vec![]);
        p.bytes = MAX_PHOTO_BYTES + 1;
        assert_eq!(codes(&[p.clone()]), vec![("photos[0].bytes".into(), "too_large".into())]);
        p.bytes = 0;
        p.width = 0;
        p.height = MAX_DIMENSION_PX + 1;
        assert_eq!(
            codes(&[p]),
            vec![
                ("photos[0].bytes".into(), "out_of_range".into()),
                ("photos[0].width".into(), "out_of_range".into()),
                ("photos[0].height".into(), "out_of_range".into())
            ]
        );
    }

    #[test]
    fn only_the_three_image_types_decode() {
        let json = serde_json::to_value(photo(1)).unwrap();
        assert_eq!(json["content_type"], "image/jpeg");
        let mut gif = json.clone();
        gif["content_type"] = "image/gif".into();
        assert!(serde_json::from_value::<PhotoRef>(gif).is_err());
        assert_eq!(serde_json::from_value::<PhotoRef>(json).unwrap(), photo(1));
    }

    #[test]
    fn content_type_headers_are_read_leniently() {
        assert_eq!(PhotoType::from_mime("image/jpeg"), Some(PhotoType::Jpeg));
        assert_eq!(PhotoType::from_mime("Image/PNG; charset=binary"), Some(PhotoType::Png));
        assert_eq!(PhotoType::from_mime(" image/webp "), Some(PhotoType::Webp));
        assert_eq!(PhotoType::from_mime("image/gif"), None);
        assert_eq!(PhotoType::from_mime("text/plain"), None);
    }

    #[test]
    fn sniffs_png_jpeg_and_webp_with_their_size() {
        assert_eq!(ImageInfo::sniff(PNG_1X1), Some(ImageInfo { content_type: PhotoType::Png, width: 1, height: 1 }));
        assert_eq!(ImageInfo::sniff(&jpeg_head()), Some(ImageInfo { content_type: PhotoType::Jpeg, width: 640, height: 480 }));

        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend([0x3F, 0x06, 0x00, 0xAF, 0x04, 0x00]); // 1600 × 1200, each stored minus one
        assert_eq!(ImageInfo::sniff(&vp8x), Some(ImageInfo { content_type: PhotoType::Webp, width: 1600, height: 1200 }));

        let mut vp8 = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        vp8.extend([0x00, 0x00, 0x00, 0x9D, 0x01, 0x2A, 0x80, 0x02, 0xE0, 0x01]);
        assert_eq!(ImageInfo::sniff(&vp8), Some(ImageInfo { content_type: PhotoType::Webp, width: 640, height: 480 }));

        let mut vp8l = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2F".to_vec();
        let bits: u32 = 99 | (49 << 14); // 100 × 50
        vp8l.extend(bits.to_le_bytes());
        assert_eq!(ImageInfo::sniff(&vp8l), Some(ImageInfo { content_type: PhotoType::Webp, width: 100, height: 50 }));
    }

    #[test]
    fn sniff_refuses_what_is_not_a_readable_image() {
        assert_eq!(ImageInfo::sniff(b""), None);
        assert_eq!(ImageInfo::sniff(b"hello, world"), None);
        assert_eq!(ImageInfo::sniff(b"GIF89a\x01\0\x01\0"), None);
        assert_eq!(ImageInfo::sniff(&PNG_1X1[..20]), None);
        assert_eq!(ImageInfo::sniff(&[0xFF, 0xD8, 0xFF]), None);
        assert_eq!(ImageInfo::sniff(&jpeg_head()[..22]), None);
        // A scan before any frame.
        assert_eq!(ImageInfo::sniff(&[0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02]), None);
        // A zero-length segment cannot loop forever.
        assert_eq!(ImageInfo::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00, 0xFF, 0xC0]), None);
        // A PNG claiming no width.
        let mut empty = PNG_1X1.to_vec();
        empty[19] = 0;
        assert_eq!(ImageInfo::sniff(&empty), None);
    }

    #[test]
    fn sniff_never_panics_on_truncations() {
        let mut all: Vec<Vec<u8>> = vec![PNG_1X1.to_vec(), jpeg_head()];
        all.push(b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0\x3F\x06\x00\xAF\x04\x00".to_vec());
        for bytes in all {
            for n in 0..bytes.len() {
                let _ = ImageInfo::sniff(&bytes[..n]);
            }
        }
    }

    #[test]
    fn downscaling_keeps_the_aspect_and_never_upscales() {
        assert_eq!(fit_within(4032, 3024, 1600), (1600, 1200));
        assert_eq!(fit_within(3024, 4032, 1600), (1200, 1600));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(1600, 10, 1600), (1600, 10));
        assert_eq!(fit_within(100_000, 1, 1600), (1600, 1));
        assert_eq!(fit_within(0, 0, 1600), (0, 0));
    }

    #[test]
    fn hex_is_lowercase_and_url_names_the_hash() {
        assert_eq!(hex(&[0x00, 0xAB, 0xFF]), "00abff");
        let p = photo(0xAB);
        assert!(is_sha256_hex(&p.sha256));
        assert_eq!(p.url(), format!("/api/v1/photos/{}", "ab".repeat(32)));
    }

    mod envelope {
        use super::photo;
        use crate::kinds::dorm_check::tests::valid_check;
        use crate::record::ValidationContext;
        use crate::roster::tests::sample;
        use crate::{RecordBody, RecordEnvelope, UserId};

        fn envelope() -> RecordEnvelope {
            let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T20:00:00+08:00").unwrap();
            RecordEnvelope::new(RecordBody::DormCheck(valid_check()), UserId(1), "phone-1", now)
        }

        #[test]
        fn a_record_without_photos_keeps_its_old_json() {
            let json = serde_json::to_value(envelope()).unwrap();
            assert!(json.get("photos").is_none(), "{json}");
            // Records stored before photos existed decode with none.
            assert_eq!(RecordEnvelope::from_json(json).unwrap().photos, vec![]);
        }

        #[test]
        fn photos_round_trip_and_survive_an_edit() {
            let mut env = envelope();
            env.photos = vec![photo(1), photo(2)];
            let json = serde_json::to_value(&env).unwrap();
            assert_eq!(json["photos"][1]["sha256"], photo(2).sha256);
            assert_eq!(RecordEnvelope::from_json(json).unwrap(), env);
            let edit = env.edited(env.body.clone(), false, "phone-1", env.saved_at);
            assert_eq!(edit.photos, env.photos);
        }

        #[test]
        fn the_envelope_validator_checks_photos_with_their_path() {
            let mut env = envelope();
            env.photos = (1..=7).map(photo).collect();
            env.photos[3].sha256 = "nope".into();
            let roster = sample();
            let errors = env.validate(&ValidationContext { roster: &roster, now: env.saved_at });
            assert_eq!(errors.codes(), vec![("photos", "too_many"), ("photos[3].sha256", "bad_hash")]);
        }

        #[test]
        fn a_malformed_photo_names_its_field() {
            let mut json = serde_json::to_value(envelope()).unwrap();
            json["photos"] = serde_json::json!([{ "sha256": "ab", "content_type": "image/gif", "width": 1, "height": 1, "bytes": 1 }]);
            let errors = RecordEnvelope::from_json(json).unwrap_err();
            assert_eq!(errors.codes(), vec![("photos[0].content_type", "malformed")]);
        }
    }
}
