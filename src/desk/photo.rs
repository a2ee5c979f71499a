//! Photos of a report: checked before decoding, decoded with limits, turned upright, scaled and re-encoded as a
//! JPEG that carries no metadata at all (no EXIF location, no camera serial). At most two decodes per core run at
//! once (the core's `photo_slots`); a burst of uploads waits its turn instead of exhausting memory.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, metadata::Orientation};

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    desk::photo_scale::{self, Rgb},
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
    let target = photo_scale::fitted(w as usize, h as usize, MAX_SIDE as usize);
    let decoded = if format == ImageFormat::Jpeg { decode_jpeg_scaled(bytes, target)? } else { None };
    let (rgb, orientation) = match decoded {
        Some(d) => d,
        None => decode_any(reader())?,
    };
    // Scaled first, turned upright afterwards: turning the stored size costs a tenth of turning the original.
    let small = photo_scale::fit(rgb, MAX_SIDE as usize);
    let mut img = image::RgbImage::from_raw(small.width as u32, small.height as u32, small.pixels)
        .map(DynamicImage::ImageRgb8)
        .ok_or(PhotoError::Broken)?;
    img.apply_orientation(orientation);
    let rgb = img.into_rgb8();
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    // 4:2:0, as cameras store it: colour at half resolution, which the eye does not miss in a photo.
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder
        .encode(rgb.as_raw(), rgb.width() as u16, rgb.height() as u16, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| PhotoError::Broken)?;
    Ok(StoredPhoto { jpeg: out, width: rgb.width(), height: rgb.height() })
}

/// A JPEG decoded by jpeg-decoder at the smallest of its DCT scales (1/8, 1/4, 1/2, 1) still at least `target`:
/// a phone's 12 megapixels come out as 3 at half the work, before any pixel is scaled. `None` for the pixel
/// formats it does not give as RGB (CMYK, 16-bit grey): those go through [`decode_any`].
fn decode_jpeg_scaled(bytes: &[u8], target: (usize, usize)) -> Result<Option<(Rgb, Orientation)>, PhotoError> {
    let decode = || {
        let mut d = jpeg_decoder::Decoder::new(bytes);
        d.set_max_decoding_buffer_size((MAX_PIXELS * 4) as usize);
        d.read_info().map_err(|_| PhotoError::Broken)?;
        let clamp = |v: usize| u16::try_from(v).unwrap_or(u16::MAX).max(1);
        let (w, h) = d.scale(clamp(target.0), clamp(target.1)).map_err(|_| PhotoError::Broken)?;
        let pixels = d.decode().map_err(|_| PhotoError::Broken)?;
        let info = d.info().ok_or(PhotoError::Broken)?;
        let orientation = d.exif_data().and_then(Orientation::from_exif_chunk).unwrap_or(Orientation::NoTransforms);
        let (width, height) = (usize::from(w), usize::from(h));
        let pixels = match info.pixel_format {
            jpeg_decoder::PixelFormat::RGB24 => pixels,
            jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
            _ => return Ok(None),
        };
        if pixels.len() != width * height * 3 {
            return Err(PhotoError::Broken);
        }
        Ok(Some((Rgb { width, height, pixels }, orientation)))
    };
    // A decoder bug on a crafted file must refuse the photo, not take the request down.
    std::panic::catch_unwind(decode).unwrap_or(Err(PhotoError::Broken))
}

/// Any accepted format, decoded whole by the image crate (within the reader's limits).
fn decode_any(reader: ImageReader<Cursor<&[u8]>>) -> Result<(Rgb, Orientation), PhotoError> {
    let decode = || {
        let mut decoder = reader.into_decoder().map_err(|e| match e {
            image::ImageError::Limits(_) => PhotoError::TooManyPixels,
            _ => PhotoError::Broken,
        })?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
            image::ImageError::Limits(_) => PhotoError::TooManyPixels,
            _ => PhotoError::Broken,
        })?;
        let rgb = img.into_rgb8();
        let (width, height) = (rgb.width() as usize, rgb.height() as usize);
        Ok((Rgb { width, height, pixels: rgb.into_raw() }, orientation))
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or(Err(PhotoError::Broken))
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

    /// A JPEG from jpeg-encoder, with an EXIF segment saying "turn 90° clockwise" (orientation 6) and a GPS-looking
    /// marker string that must not survive.
    fn jpeg(w: u16, h: u16, grey: bool, orientation: Option<u16>) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
        if let Some(o) = orientation {
            let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
            exif.extend_from_slice(&o.to_le_bytes());
            exif.extend_from_slice(b"\0\0\0\0\0\0GPS 50.0614N 19.9366E");
            e.add_app_segment(1, exif).unwrap();
        }
        let (colour, px): (_, Vec<u8>) = if grey {
            (jpeg_encoder::ColorType::Luma, (0..w as usize * h as usize).map(|i| (i % 251) as u8).collect())
        } else {
            let left_red = |i: usize| if i % w as usize * 2 < w as usize { [250, 0, 0] } else { [0, 0, 250] };
            (jpeg_encoder::ColorType::Rgb, (0..w as usize * h as usize).flat_map(left_red).collect())
        };
        e.encode(&px, w, h, colour).unwrap();
        out
    }

    #[test]
    fn a_large_jpeg_is_decoded_at_a_reduced_scale_and_fitted_exactly() {
        let p = process(&jpeg(4032, 3024, false, None)).unwrap();
        assert_eq!((p.width, p.height), (1600, 1200));
        let img = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (1600, 1200));
        let (left, right) = (img.get_pixel(100, 600), img.get_pixel(1500, 600));
        assert!(left[0] > 200 && left[2] < 50, "left stays red: {left:?}");
        assert!(right[2] > 200 && right[0] < 50, "right stays blue: {right:?}");
    }

    #[test]
    fn a_turned_phone_photo_is_stored_upright_without_its_exif() {
        let original = jpeg(2400, 1200, false, Some(6));
        assert!(original.windows(3).any(|w| w == b"GPS"));
        let p = process(&original).unwrap();
        assert_eq!((p.width, p.height), (800, 1600), "turned: the landscape picture stands");
        assert!(!p.jpeg.windows(3).any(|w| w == b"GPS"), "no EXIF left");
        assert!(!p.jpeg.windows(4).any(|w| w == b"Exif"), "no EXIF segment");
        let img = image::load_from_memory(&p.jpeg).unwrap().to_rgb8();
        // Turned clockwise, the red left half is now the top.
        assert!(img.get_pixel(400, 100)[0] > 200 && img.get_pixel(400, 1500)[2] > 200);
    }

    #[test]
    fn a_grey_jpeg_comes_back_in_colour_channels_and_a_small_one_unscaled() {
        let p = process(&jpeg(640, 480, true, None)).unwrap();
        assert_eq!((p.width, p.height), (640, 480));
        assert_eq!(image::load_from_memory(&p.jpeg).unwrap().color(), image::ColorType::Rgb8);
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
