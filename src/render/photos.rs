//! Speaker photos, resized at build time to the size the theme shows them
//! at (1× and 2×, cropped square from the centre), so a page does not load
//! a camera's full-size file for a 160 px picture.
//!
//! Resizing is slow next to the rest of a build, so the results are kept in
//! `.salesbook-cache/photos/` beside `site.yaml`, named by a fingerprint of
//! the source's bytes and the size: a rebuild, or a build after a restart,
//! reads them back instead of resizing again.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::SystemTime;

use image::{DynamicImage, ImageFormat, ImageReader};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::{Details, Page};
use crate::diagnostics::Diagnostic;
use crate::fingerprint::fingerprint;
use crate::output::{Contents, OutputFile};
use crate::site::{Site, STATIC_DIR};

/// The size the theme shows a speaker's photo at, in CSS pixels.
pub const PHOTO_SIZE: u32 = 160;
/// Where resized photos are kept between builds, under the site's folder.
pub const CACHE_DIR: &str = ".salesbook-cache/photos";
/// Changes when the resizing does, so old cached files are not reused.
const CACHE_VERSION: u32 = 1;
/// JPEG quality of the resized photos: no visible loss at these sizes.
const JPEG_QUALITY: u8 = 85;

/// What a run does with speakers' photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Photos {
    /// Resizes them (or takes them from the cache) for the output.
    Make,
    /// Only checks that each can be read as an image: `check` writes
    /// nothing, not even to the cache.
    Check,
}

/// A speaker's photo that is a file of the site, and so is resized.
pub struct LocalPhoto {
    /// The file in `static/`.
    pub source: PathBuf,
    /// The same, as an author names it: `static/images/jo.jpg`.
    pub shown: String,
    /// `jpg` for JPEG sources (photos), `png` for the others (which may
    /// be transparent).
    pub extension: &'static str,
}

/// The speaker page's photo when it is a file in the site's `static/`
/// (not a URL of another site).
pub fn local_photo(site: &Site, page: &Page) -> Option<LocalPhoto> {
    let Details::Speaker(fields) = &page.details else {
        return None;
    };
    let photo = fields.photo.as_deref()?;
    if photo.starts_with("//") {
        return None;
    }
    let path = crate::markdown::decode_link(photo.strip_prefix('/')?);
    if !site.static_files().iter().any(|file| *file == path) {
        return None;
    }
    let extension = Path::new(path.as_ref())
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    Some(LocalPhoto {
        source: site.root.join(STATIC_DIR).join(path.as_ref()),
        shown: format!("{STATIC_DIR}/{path}"),
        extension: match extension.as_str() {
            // Drawn, not photographed: sharp at any size as it is.
            "svg" => return None,
            "jpg" | "jpeg" => "jpg",
            _ => "png",
        },
    })
}

/// The output path of a speaker's resized photo (`scale` 1 or 2), beside
/// the speaker's page.
pub fn photo_url(page: &Page, photo: &LocalPhoto, scale: u32) -> String {
    format!("{}photo-{scale}x.{}", page.url, photo.extension)
}

/// The resized photos of every speaker page, made in parallel; an error
/// for each photo that cannot be read as an image.
pub fn photo_files(site: &Site, photos: Photos) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let cache = site.root.join(CACHE_DIR);
    let results: Vec<Result<Vec<OutputFile>, Diagnostic>> = site
        .page_ids()
        .filter_map(|id| {
            let page = &site.pages[id];
            local_photo(site, page).map(|photo| (page, photo))
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(page, photo)| speaker_photo_files(page, &photo, &cache, photos))
        .collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(found) => files.extend(found),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// One speaker's 1× and 2× photos, from the cache or resized now.
fn speaker_photo_files(
    page: &Page,
    photo: &LocalPhoto,
    cache: &Path,
    photos: Photos,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let unreadable = |why: String| {
        Diagnostic::error(
            &page.file,
            Some(page.key_line("photo")),
            format!("`photo` {} cannot be read as an image ({why})", photo.shown),
        )
        .with_hint("use a JPEG, PNG or WebP picture, or an SVG drawing")
    };
    let key = source_key(&photo.source).map_err(|e| unreadable(e.to_string()))?;
    let cached =
        |scale: u32| cache.join(format!("{key}-{}.{}", PHOTO_SIZE * scale, photo.extension));
    if photos == Photos::Check {
        // Cached copies were made from these very bytes: they are readable.
        if !(cached(1).is_file() && cached(2).is_file()) {
            let bytes = std::fs::read(&photo.source).map_err(|e| unreadable(e.to_string()))?;
            dimensions(&bytes).map_err(&unreadable)?;
        }
        return Ok(Vec::new());
    }
    let mut decoded: Option<DynamicImage> = None;
    let mut files = Vec::with_capacity(2);
    for scale in [1, 2] {
        let cached = cached(scale);
        let contents = if cached.is_file() {
            Contents::Copy(cached)
        } else {
            let image = match &decoded {
                Some(image) => image,
                None => {
                    let bytes =
                        std::fs::read(&photo.source).map_err(|e| unreadable(e.to_string()))?;
                    decoded.insert(decode(&bytes).map_err(&unreadable)?)
                }
            };
            let resized =
                encode(&square(image, PHOTO_SIZE * scale), photo.extension).map_err(&unreadable)?;
            keep_in_cache(&cached, resized)
        };
        files.push(OutputFile {
            path: photo_url(page, photo, scale),
            contents,
        });
    }
    Ok(files)
}

/// The cache key of a source photo: a fingerprint of its bytes. Kept per
/// file while its size and modification time stay the same, so the
/// rebuilds of `watch` and `serve` do not read every photo again.
fn source_key(source: &Path) -> std::io::Result<String> {
    type Known = FxHashMap<PathBuf, ((u64, SystemTime), String)>;
    static KNOWN: LazyLock<Mutex<Known>> = LazyLock::new(Default::default);
    let metadata = std::fs::metadata(source)?;
    let stamp = (metadata.len(), metadata.modified()?);
    let known = |known: &Known| {
        known
            .get(source)
            .filter(|(seen, _)| *seen == stamp)
            .map(|(_, key)| key.clone())
    };
    if let Some(key) = known(&KNOWN.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(key);
    }
    let bytes = std::fs::read(source)?;
    let key = format!("{:016x}", fingerprint(&(CACHE_VERSION, &bytes)));
    KNOWN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(source.to_path_buf(), (stamp, key.clone()));
    Ok(key)
}

/// Width and height from an image's header, without decoding it.
fn dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| e.to_string())
}

/// The centre square of `image`, `size` pixels wide, or as wide as the
/// image when it is smaller: a small photo is not enlarged.
fn square(image: &DynamicImage, size: u32) -> DynamicImage {
    let side = image.width().min(image.height());
    let cropped = image.crop_imm(
        (image.width() - side) / 2,
        (image.height() - side) / 2,
        side,
        side,
    );
    if side <= size {
        cropped
    } else {
        cropped.resize_exact(size, size, image::imageops::FilterType::Lanczos3)
    }
}

fn encode(image: &DynamicImage, extension: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let written = if extension == "jpg" {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        image.to_rgb8().write_with_encoder(encoder)
    } else {
        image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
    };
    written.map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Writes a resized photo to the cache (through a temporary file, so a
/// build stopped half-way leaves no broken entry) and returns it as output.
/// The file gets the usual permissions (not a private temporary file's):
/// the output copies them, and a web server must read the photo. A cache
/// that cannot be written only costs the next build the resizing.
fn keep_in_cache(path: &Path, bytes: Vec<u8>) -> Contents {
    let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
    let written = path
        .parent()
        .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
        && std::fs::write(&temporary, &bytes).is_ok()
        && std::fs::rename(&temporary, path).is_ok();
    if written {
        Contents::Copy(path.to_path_buf())
    } else {
        let _ = std::fs::remove_file(&temporary);
        Contents::Bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([200, 100, 50]),
        ))
    }

    #[test]
    fn photos_are_cropped_square_and_never_enlarged() {
        let resized = square(&image(800, 600), 160);
        assert_eq!((resized.width(), resized.height()), (160, 160));
        let small = square(&image(120, 200), 320);
        assert_eq!((small.width(), small.height()), (120, 120));
    }

    #[test]
    fn what_is_not_an_image_cannot_be_decoded() {
        assert!(decode(b"\x89PNG fake").is_err());
        let png = encode(&image(4, 4), "png").unwrap();
        assert_eq!(decode(&png).unwrap().width(), 4);
    }
}
