#!/usr/bin/env bash
# Installs salesbook the two ways a user can without this repository, each
# into a fresh folder, and builds the sample site with the installed
# command: from the crate `cargo publish` would upload (`cargo install`),
# and from the Python wheel (`pip install`). Both must give the same site,
# made with the theme inside the binary. Run by .ci/run; about 10 minutes
# on 2 cores (two release builds).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One target folder for both release builds: the dependencies build once.
export CARGO_TARGET_DIR=$repo/target/install-test
step() { printf '\n-- %s\n' "$*"; }

step "the crate: cargo publish --dry-run"
cargo publish --dry-run --allow-dirty --quiet
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])')
# The dry run unpacks the crate it would upload here and builds it.
cp -r "$CARGO_TARGET_DIR/package/salesbook-$version" "$work/"
if [ -e "$work/salesbook-$version/content" ] || [ -e "$work/salesbook-$version/tests" ]; then
  echo "the crate holds test data or the sample site" >&2
  exit 1
fi

step "cargo install from the crate"
cargo install --quiet --locked --path "$work/salesbook-$version" --root "$work/cargo"

step "the wheel: maturin build"
python3 -m venv "$work/build-env"
"$work/build-env/bin/pip" install --quiet "maturin>=1.5,<2"
"$work/build-env/bin/maturin" build --quiet --release --out "$work/dist"

step "pip install the wheel into a fresh virtual environment"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/salesbook-*.whl

step "build the sample site with each installed command"
# The sample's content, static files and settings only: the theme comes
# from the binary.
mkdir "$work/site"
cp -r content static site.yaml "$work/site/"
for way in cargo venv; do
  "$work/$way/bin/salesbook" --version
  (cd "$work" && "$work/$way/bin/salesbook" build site -o "out-$way")
  # Theme assets carry a content hash in their names (assets/salesbook.3f9a1c0d.css).
  for file in index.html 404.html assets/salesbook.*.css assets/salesbook.*.js; do
    found=$(cd "$work/out-$way" && ls $file 2>/dev/null | head -n 1)
    [ -n "$found" ] && [ -s "$work/out-$way/$found" ] || { echo "$way: no $file in the built site" >&2; exit 1; }
  done
done
diff -r "$work/out-cargo" "$work/out-venv"

step "the deploy guides' CI steps, run locally with the installed wheel"
# Each `run:` step of the GitHub Pages workflow and each `script:` line of
# the GitLab Pages job, in a copy of the sample site, with what only the
# host provides filled in; `pip install salesbook` is the wheel above.
"$work/build-env/bin/pip" install --quiet pyyaml
"$work/build-env/bin/python" - "$repo/docs" > "$work/steps.tsv" <<'PY'
import sys, yaml
docs = sys.argv[1]
github = yaml.safe_load(open(f"{docs}/github-pages.yml"))
for step in github["jobs"]["build"]["steps"]:
    if "run" in step:
        print("github\t" + step["run"])
gitlab = yaml.safe_load(open(f"{docs}/gitlab-pages.yml"))
for line in gitlab["pages"]["script"]:
    print("gitlab\t" + line)
PY
for host in github gitlab; do
  rm -rf "$work/$host" && mkdir "$work/$host" && cp -r content static site.yaml "$work/$host/"
  grep "^$host"$'\t' "$work/steps.tsv" | cut -f2- | while IFS= read -r command; do
    [ "$command" = "pip install salesbook" ] && continue
    command=${command//'${{ steps.pages.outputs.base_url }}'/https://example.github.io/lab}
    echo "$host: $command"
    (cd "$work/$host" && PATH="$work/venv/bin:$PATH" CI_PAGES_URL=https://example.gitlab.io/lab \
      bash -euo pipefail -c "$command")
  done
  grep -q "<loc>https://example.$host.io/lab/</loc>" "$work/$host/public/sitemap.xml" ||
    { echo "$host: public/sitemap.xml lacks the base URL" >&2; exit 1; }
done
echo "install test: ok (crate and wheel built the same site; deploy steps ran)"
