#!/usr/bin/env bash
# The setup of the previous tagged release, for the upgrade test: built once from the tag with
# that release's own build script and kept outside the tree.
#
#   installer/previous-release.sh [TAG]     prints the path of the cached setup .exe
#
# TAG defaults to the newest v* tag that is an ancestor of HEAD and older than the version in
# kiosk/__init__.py. Cache: $KIOSK_RELEASE_CACHE (default ~/.cache/fingerprint-kiosk/releases);
# delete a release's folder there to build it again. Building takes as long as a normal build.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE=${KIOSK_RELEASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fingerprint-kiosk/releases}
current=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' kiosk/__init__.py)

tag=${1:-}
if [ -z "$tag" ]; then
  for t in $(git tag --list 'v*' --sort=-version:refname --merged HEAD); do
    [ "${t#v}" != "$current" ] && { tag=$t; break; }
  done
fi
[ -n "$tag" ] || { echo "no earlier release tag (v*) found" >&2; exit 1; }

dest=$CACHE/$tag
if ! ls "$dest"/*Setup*.exe >/dev/null 2>&1; then
  src=$CACHE/$tag.src
  rm -rf "$src" && mkdir -p "$src"
  git archive "$tag" | tar -x -C "$src"
  echo "previous-release: building $tag in $src (its own build script)" >&2
  # Its own Wine prefixes: the release's build must not share state with the current one.
  (cd "$src" && KIOSK_WINE_HOME="$CACHE/$tag.wine" installer/build.sh >&2)
  mkdir -p "$dest"
  cp "$src"/installer/build/out/*Setup*.exe "$dest/"
  du -sb "$src/installer/build/win/dist/kiosk" | cut -f1 > "$dest/installed-bytes.txt"
  rm -rf "$src"
fi
ls "$dest"/*Setup*.exe | head -1
