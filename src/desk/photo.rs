//! Photos of a report: checked before decoding, decoded with limits, turned upright, scaled and re-encoded as a
//! JPEG that carries no metadata at all (no EXIF location, no camera serial). At most two decodes per core run at
//! once (the core's `photo_slots`); a burst of uploads waits its turn instead of exhausting memory.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, codecs::jpeg::JpegEncoder};

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    storage::desk::StoredPhoto,
};

/// Largest upload accepted per photo.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;
/// Largest picture accepted, in pixels, read from the header before anything is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The longer side of a stored photo.
pub const MAX_SIDE: u32 = 1600;
const JPEG_QUALITY: u8 = 85;

/// Why a photo was refused; each is a sentence in the catalogue (`desk-error-photo-*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoError {
    TooBig,
    Format,
    TooManyPixels,
    Broken,
}

impl PhotoError {
    pub fn key(self) -> &'static str {
        match self {
            PhotoError::TooBig => "desk-error-photo-too-big",
            PhotoError::Format => "desk-error-photo-format",
            PhotoError::TooManyPixels => "desk-error-photo-pixels",
            PhotoError::Broken => "desk-error-photo-broken",
        }
    }
}

/// Checks, decodes and re-encodes one photo (CPU work: run it through [`process_all`]).
pub fn process(bytes: &[u8]) -> Result<StoredPhoto, PhotoError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooBig);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::Format)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoError::Format);
    }
    let reader = || {
        let mut r = ImageReader::with_format(Cursor::new(bytes), format);
        let mut limits = Limits::default();
        limits.max_image_width = Some(20_000);
        limits.max_image_height = Some(20_000);
        limits.max_alloc = Some(MAX_PIXELS * 4 + 64 * 1024 * 1024);
        r.limits(limits);
        r
    };
    // The header alone: a decompression bomb declares its size before any pixel is allocated.
    let (w, h) = reader().into_dimensions().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Broken,
    })?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels);
    }
    let mut decoder = reader().into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Broken,
    })?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Broken,
    })?;
    img.apply_orientation(orientation);
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let rgb = img.to_rgb8();
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(&rgb).map_err(|_| PhotoError::Broken)?;
    Ok(StoredPhoto { jpeg: out, width: rgb.width(), height: rgb.height() })
}

/// Processes a report's photos, each holding one of the core's decode slots while it runs; a refused photo is a
/// field issue on `photo`.
pub async fn process_all(core: &Core, photos: Vec<Vec<u8>>) -> CoreResult<Vec<StoredPhoto>> {
    let mut out = Vec::with_capacity(photos.len());
    for (i, bytes) in photos.into_iter().enumerate() {
        // Cheap checks first, without waiting for a slot.
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(refused(i, PhotoError::TooBig));
        }
        let _slot = core.photo_slots.acquire().await.map_err(|e| CoreError::Internal(e.into()))?;
        let result = tokio::task::spawn_blocking(move || process(&bytes))
            .await
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("decoding a photo failed: {e}")))?;
        out.push(result.map_err(|e| refused(i, e))?);
    }
    Ok(out)
}

fn refused(index: usize, e: PhotoError) -> CoreError {
    CoreError::Invalid(vec![FieldIssue::new("photo", e.key()).with("n", (index + 1) as i64)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 200, 30]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
        out
    }

    #[test]
    fn a_large_png_comes_back_as_a_scaled_jpeg() {
        let p = process(&png(3200, 800)).unwrap();
        assert_eq!((p.width, p.height), (1600, 400));
        assert_eq!(&p.jpeg[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn what_is_not_a_photo_is_refused() {
        assert_eq!(process(b"GIF89a....").unwrap_err(), PhotoError::Format);
        assert_eq!(process(b"hello").unwrap_err(), PhotoError::Format);
        let mut broken = png(10, 10);
        broken.truncate(40);
        assert!(process(&broken).is_err());
    }
}
