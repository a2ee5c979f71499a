//! Downscaling a photo to the stored size: an exact 2×2 box while the picture is more than twice the target, then
//! an area average to the target (each output pixel the mean of the input area it covers, edge pixels weighted by
//! the part inside). Both are proper low-pass filters for shrinking, so fine patterns do not alias; they replace the
//! image crate's general-purpose resampler, which took 350 ms for a phone photo here (docs/desk.md "Performance").

/// Packed 8-bit RGB pixels.
pub struct Rgb {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// The size of a `width`×`height` picture whose longer side is at most `max_side`, in the same proportions (never
/// enlarged).
pub fn fitted(width: usize, height: usize, max_side: usize) -> (usize, usize) {
    let longer = width.max(height);
    if longer <= max_side {
        return (width, height);
    }
    let scale = max_side as f64 / longer as f64;
    let side = |v: usize| ((v as f64 * scale).round() as usize).clamp(1, max_side);
    (side(width), side(height))
}

/// The picture scaled to [`fitted`] its longer side to `max_side`.
pub fn fit(mut img: Rgb, max_side: usize) -> Rgb {
    if img.width.max(img.height) <= max_side {
        return img;
    }
    while img.width.max(img.height) >= 2 * max_side && img.width.min(img.height) >= 2 {
        img = halve(&img);
    }
    let (nw, nh) = fitted(img.width, img.height, max_side);
    area(&img, nw, nh)
}

/// Each output pixel the mean of a 2×2 block (an odd last row or column is dropped).
fn halve(img: &Rgb) -> Rgb {
    let (w, h) = (img.width / 2, img.height / 2);
    let sw = img.width * 3;
    let mut out = vec![0u8; w * h * 3];
    for (y, o) in out.chunks_exact_mut(w * 3).enumerate() {
        let r0 = &img.pixels[2 * y * sw..2 * y * sw + sw];
        let r1 = &img.pixels[(2 * y + 1) * sw..(2 * y + 2) * sw];
        for x in 0..w {
            for c in 0..3 {
                let (i, j) = (6 * x + c, 6 * x + 3 + c);
                let sum = u16::from(r0[i]) + u16::from(r0[j]) + u16::from(r1[i]) + u16::from(r1[j]);
                o[3 * x + c] = ((sum + 2) / 4) as u8;
            }
        }
    }
    Rgb { width: w, height: h, pixels: out }
}

/// Area-average scaling to `nw`×`nh` (both no larger than the picture): rows first, on whole rows so the inner loop
/// runs along memory, then columns.
fn area(img: &Rgb, nw: usize, nh: usize) -> Rgb {
    let (xs, kx) = weights(img.width, nw);
    let (ys, ky) = weights(img.height, nh);
    let rw = img.width * 3;
    let mut mid = vec![0f32; nh * rw];
    for (out, (start, ws)) in mid.chunks_exact_mut(rw).zip(&ys) {
        for (k, &wt) in ws.iter().enumerate().take(ky) {
            if wt == 0.0 {
                continue;
            }
            let row = &img.pixels[(start + k) * rw..(start + k + 1) * rw];
            for (a, &v) in out.iter_mut().zip(row) {
                *a += f32::from(v) * wt;
            }
        }
    }
    let mut dst = vec![0u8; nh * nw * 3];
    for (out, row) in dst.chunks_exact_mut(nw * 3).zip(mid.chunks_exact(rw)) {
        for (o, (start, ws)) in out.chunks_exact_mut(3).zip(&xs) {
            let px = &row[start * 3..(start + kx) * 3];
            let mut acc = [0f32; 3];
            for (k, &wt) in ws.iter().enumerate().take(kx) {
                for c in 0..3 {
                    acc[c] += px[k * 3 + c] * wt;
                }
            }
            for c in 0..3 {
                o[c] = (acc[c] + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
    }
    Rgb { width: nw, height: nh, pixels: dst }
}

/// For each output index: the first input index it reads and `k` weights from there (the same `k` for every output,
/// zero where an output covers fewer inputs), summing to one.
fn weights(n: usize, nn: usize) -> (Vec<(usize, Vec<f32>)>, usize) {
    let scale = n as f64 / nn as f64;
    let k = (scale.ceil() as usize + 1).min(n);
    let v = (0..nn)
        .map(|o| {
            let (a, b) = (o as f64 * scale, ((o + 1) as f64 * scale).min(n as f64));
            let first = (a.floor() as usize).min(n - k);
            let ws = (first..first + k).map(|i| ((b.min(i as f64 + 1.0) - a.max(i as f64)).max(0.0) / scale) as f32);
            (first, ws.collect())
        })
        .collect();
    (v, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(w: usize, h: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> Rgb {
        let f = &f;
        let pixels = (0..h).flat_map(|y| (0..w).flat_map(move |x| f(x, y))).collect::<Vec<u8>>();
        Rgb { width: w, height: h, pixels }
    }

    #[test]
    fn the_longer_side_becomes_the_limit_and_proportions_stay() {
        let out = fit(image(4032, 3024, |_, _| [1, 2, 3]), 1600);
        assert_eq!((out.width, out.height), (1600, 1200));
        let out = fit(image(3000, 5000, |_, _| [1, 2, 3]), 1600);
        assert_eq!((out.width, out.height), (960, 1600));
        let out = fit(image(1700, 10, |_, _| [1, 2, 3]), 1600);
        assert_eq!((out.width, out.height), (1600, 9));
        let thin = fit(image(5000, 1, |_, _| [9, 9, 9]), 1600);
        assert_eq!((thin.width, thin.height, thin.pixels[0]), (1600, 1, 9));
        let small = fit(image(800, 600, |x, _| [x as u8, 0, 0]), 1600);
        assert_eq!((small.width, small.height, small.pixels[3]), (800, 600, 1));
    }

    #[test]
    fn a_flat_colour_stays_exactly_that_colour() {
        let out = fit(image(4032, 3024, |_, _| [200, 17, 255]), 1600);
        assert!(out.pixels.chunks_exact(3).all(|p| p == [200, 17, 255]));
    }

    #[test]
    fn fine_stripes_become_their_average_not_a_pattern() {
        // One-pixel black and white columns: a sampler that picks pixels would keep stripes; averaging gives grey.
        let out = fit(image(3000, 100, |x, _| if x % 2 == 0 { [0; 3] } else { [255; 3] }), 1000);
        assert!(out.pixels.iter().all(|&v| (120..=135).contains(&v)), "{:?}", &out.pixels[..12]);
    }

    #[test]
    fn a_left_half_dark_picture_stays_dark_on_the_left() {
        let out = fit(image(2000, 1000, |x, _| if x < 1000 { [0; 3] } else { [250; 3] }), 500);
        assert_eq!((out.width, out.height), (500, 250));
        let row = &out.pixels[..500 * 3];
        assert_eq!(row[3 * 100], 0);
        assert_eq!(row[3 * 400], 250);
        assert_eq!(row[3 * 249], 0);
        assert_eq!(row[3 * 250], 250);
    }
}
