use super::*;

fn page(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.as_bytes().to_vec()),
    }
}

#[test]
fn unsafe_paths_are_refused() {
    for bad in ["", "../x", "/etc/x", "a/../../x", "a\\b", "C:/x", "a\0b"] {
        let result = safe_relative_path(bad);
        assert!(result.is_none() || bad == "C:/x", "{bad:?} -> {result:?}");
    }
    assert!(safe_relative_path("interviews/x/index.html").is_some());
}

#[test]
fn write_replaces_the_previous_site_and_drops_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(
        &out,
        &[page("index.html", "one"), page("old/index.html", "stale")],
    )
    .unwrap();
    write_site(&out, &[page("index.html", "two")]).unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "two");
    assert!(!out.join("old").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
}

#[test]
fn an_update_that_fails_leaves_every_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[page("a.html", "old a"), page("b/c.html", "old c")]).unwrap();
    let new_a = page("a.html", "new a");
    let new_c = page("b/c.html", "new c");
    let missing = OutputFile {
        path: "d.css".to_string(),
        contents: Contents::Copy(dir.path().join("does-not-exist")),
    };
    assert!(update_in_place(&out, &[&new_a, &missing, &new_c], &[]).is_err());
    assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old a");
    assert_eq!(fs::read_to_string(out.join("b/c.html")).unwrap(), "old c");
    let mut left: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".salesbook", "a.html", "c.html"]);
}

#[test]
fn a_file_whose_name_is_as_long_as_a_name_can_be_is_updated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let name = format!("{}.html", "a".repeat(250));
    write_site(&out, &[page(&name, "old")]).unwrap();
    update_in_place(&out, &[&page(&name, "new")], &[]).unwrap();
    assert_eq!(fs::read_to_string(out.join(&name)).unwrap(), "new");
}

#[test]
fn a_second_staging_of_one_out_waits_and_leaves_the_first_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let killed = dir.path().join(".public.salesbook-new-4000000");
    fs::create_dir(&killed).unwrap();
    let first = Staging::create(&out, || panic!("nothing to wait for")).unwrap();
    assert!(!killed.exists(), "a killed build's staging folder was kept");
    first.put(page("index.html", "first")).unwrap();
    let (waiting, waited) = std::sync::mpsc::channel();
    let second_out = out.clone();
    let second = std::thread::spawn(move || {
        let staging = Staging::create(&second_out, move || waiting.send(()).unwrap())?;
        staging.put(page("index.html", "second"))?;
        staging.commit()
    });
    waited.recv().unwrap();
    assert!(first.dir.join("index.html").is_file());
    first.commit().unwrap();
    second.join().unwrap().unwrap();
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "second"
    );
    let beside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("public")]);
}

#[test]
fn an_update_in_place_waits_for_a_build_into_the_same_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[page("index.html", "first")]).unwrap();
    let build = Staging::create(&out, || panic!("nothing to wait for")).unwrap();
    build.put(page("index.html", "built")).unwrap();
    let (waiting, waited) = std::sync::mpsc::channel();
    let update_out = out.clone();
    let update = std::thread::spawn(move || {
        let edited = page("index.html", "edited");
        update_in_place_after(&update_out, &[&edited], &[], move || {
            waiting.send(()).unwrap()
        })
    });
    waited.recv().unwrap();
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "first");
    build.commit().unwrap();
    update.join().unwrap().unwrap();
    assert_eq!(
        fs::read_to_string(out.join("index.html")).unwrap(),
        "edited"
    );
    assert!(out.join(MARKER).is_file(), "the build's whole site stays");
}

#[test]
fn a_mount_point_is_updated_in_place_to_the_staged_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    for (path, text) in [
        ("index.html", "old"),
        ("stale.html", "old"),
        ("stale/index.html", "old"),
        ("file-then-folder", "old"),
        ("folder-then-file/x.html", "old"),
        (".salesbook-lock", ""),
        (".salesbook-new-1/index.html", "new"),
        (".salesbook-new-1/file-then-folder/x.html", "new"),
        (".salesbook-new-1/folder-then-file", "new"),
    ] {
        fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        fs::write(out.join(path), text).unwrap();
    }
    update_mount_point(&out.join(".salesbook-new-1"), out).unwrap();
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            let path = entry.path().strip_prefix(out).unwrap().to_path_buf();
            found.insert((path.to_string_lossy().into_owned(), text));
        }
    }
    let expected: BTreeSet<(String, String)> = [
        (".salesbook-lock", ""),
        ("file-then-folder/x.html", "new"),
        ("folder-then-file", "new"),
        ("index.html", "new"),
    ]
    .iter()
    .map(|(path, text)| (path.to_string(), text.to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn failed_write_leaves_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &[page("index.html", "good")]).unwrap();
    let missing = OutputFile {
        path: "x.css".to_string(),
        contents: Contents::Copy(dir.path().join("does-not-exist")),
    };
    assert!(write_site(&out, &[page("index.html", "bad"), missing]).is_err());
    assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "good");
}

/// Same length is not same bytes: only equal files keep their times, and
/// a copied file is compared as much as one written from memory.
#[test]
fn only_files_with_the_same_bytes_keep_their_times() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let source = dir.path().join("clip.bin");
    let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
    let copy = |bytes: &[u8]| {
        fs::write(&source, bytes).unwrap();
        OutputFile {
            path: "clip.bin".to_string(),
            contents: Contents::Copy(source.clone()),
        }
    };
    let clip: Vec<u8> = (0..200_000u32).map(|n| n as u8).collect();
    write_site(&out, &[page("a.html", "same"), copy(&clip)]).unwrap();
    for name in ["a.html", "clip.bin"] {
        let file = fs::File::options()
            .write(true)
            .open(out.join(name))
            .unwrap();
        file.set_modified(long_ago).unwrap();
    }
    let time = |name: &str| fs::metadata(out.join(name)).unwrap().modified().unwrap();
    write_site(&out, &[page("a.html", "same"), copy(&clip)]).unwrap();
    assert_eq!((time("a.html"), time("clip.bin")), (long_ago, long_ago));
    let mut edited = clip.clone();
    edited[150_000] ^= 1;
    write_site(&out, &[page("a.html", "diff"), copy(&edited)]).unwrap();
    assert_ne!(time("a.html"), long_ago);
    assert_ne!(time("clip.bin"), long_ago);
}
