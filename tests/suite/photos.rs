//! Speaker photos: resized at build time to the 1× and 2× of the size the
//! theme shows, kept in a cache between builds, never enlarged.

use image::ImageFormat;

use crate::support::{image_file, Site};

fn speaker_with_photo(photo: &str, bytes: &[u8]) -> Site {
    Site::new()
        .file(
            "content/speakers/jo.md",
            &format!("---\nname: Jo\nrole: Host\nphoto: /images/{photo}\n---\nJo.\n"),
        )
        .bytes(&format!("static/images/{photo}"), bytes)
}

/// Width and height of an output image.
fn size_of(site: &Site, path: &str) -> (u32, u32) {
    let image = image::open(site.path(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    (image.width(), image.height())
}

#[test]
fn photos_are_resized_to_one_and_two_times_the_shown_size() {
    let site = speaker_with_photo("jo.jpg", &image_file(900, 600, ImageFormat::Jpeg));
    site.build().assert_success();
    assert_eq!(
        size_of(&site, "public/speakers/jo/photo-1x.jpg"),
        (160, 160)
    );
    assert_eq!(
        size_of(&site, "public/speakers/jo/photo-2x.jpg"),
        (320, 320)
    );
    // Readable as every other output file is (a web server must read it).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |path: &str| {
            std::fs::metadata(site.path(path))
                .unwrap()
                .permissions()
                .mode()
        };
        assert_eq!(
            mode("public/speakers/jo/photo-1x.jpg"),
            mode("public/speakers/jo/index.html")
        );
    }
    let html = site.read("public/speakers/jo/index.html");
    assert!(
        html.contains(
            "src=\"../../speakers/jo/photo-1x.jpg\" srcset=\"../../speakers/jo/photo-1x.jpg 1x, \
             ../../speakers/jo/photo-2x.jpg 2x\" alt=\"Photo of Jo\" width=\"160\" height=\"160\""
        ),
        "{html}"
    );
}

#[test]
fn a_small_photo_is_not_enlarged() {
    let site = speaker_with_photo("jo.png", &image_file(200, 240, ImageFormat::Png));
    site.build().assert_success();
    assert_eq!(
        size_of(&site, "public/speakers/jo/photo-1x.png"),
        (160, 160)
    );
    assert_eq!(
        size_of(&site, "public/speakers/jo/photo-2x.png"),
        (200, 200)
    );
}

#[test]
fn a_second_build_takes_the_resized_photos_from_the_cache() {
    let site = speaker_with_photo("jo.jpg", &image_file(700, 700, ImageFormat::Jpeg));
    site.build().assert_success();
    let cached = site.all_files(".salesbook-cache/photos");
    assert_eq!(cached.len(), 2, "{cached:?}");
    // Marks each cached file: a build that resized again would not show the mark.
    for name in &cached {
        let path = format!(".salesbook-cache/photos/{name}");
        let mut marked = std::fs::read(site.path(&path)).unwrap();
        marked.extend_from_slice(b"cached");
        site.write(&path, marked);
    }
    site.build().assert_success();
    for file in ["photo-1x.jpg", "photo-2x.jpg"] {
        let out = std::fs::read(site.path(&format!("public/speakers/jo/{file}"))).unwrap();
        assert!(out.ends_with(b"cached"), "{file} was resized again");
    }
}

#[test]
fn a_photo_that_is_not_an_image_is_an_error_at_its_line() {
    let site = speaker_with_photo("jo.jpg", b"not a picture");
    site.build()
        .assert_code(1)
        .assert_stderr_contains("content/speakers/jo.md:4: `photo` ")
        .assert_stderr_contains("cannot be read as an image");
    assert!(!site.exists("public/speakers/jo/index.html"));
}

#[test]
fn check_reports_an_unreadable_photo_and_writes_no_cache() {
    let bad = speaker_with_photo("jo.png", b"\x89PNG but not one");
    bad.check().assert_code(1).assert_stderr_contains(
        "content/speakers/jo.md:4: `photo` static/images/jo.png cannot be read as an image",
    );
    let good = speaker_with_photo("jo.png", &image_file(400, 400, ImageFormat::Png));
    good.check().assert_success();
    assert!(!good.exists(".salesbook-cache"), "check wrote to the cache");
}
