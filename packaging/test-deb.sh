#!/usr/bin/env bash
# Builds the .deb (cpack -G DEB in BUILD_DIR, default build/), unpacks it into a temporary root
# with dpkg -x and checks what a user gets: both programs, `rubric-studio-cli --version` and
# `--help` (exit 0), a valid desktop entry, the MIME type, the icons and the man page.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
root=$(mktemp -d /tmp/rs-deb.XXXXXX); trap 'rm -rf "$root"' EXIT
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls -t "$build"/rubric-studio_*.deb | head -1)
dpkg -x "$deb" "$root"
fail() { echo "test-deb: $*"; exit 1; }
for f in usr/bin/rubric-studio usr/bin/rubric-studio-cli usr/share/applications/rubric-studio.desktop \
         usr/share/mime/packages/rubric-studio.xml usr/share/icons/hicolor/scalable/apps/rubric-studio.svg \
         usr/share/icons/hicolor/48x48/apps/rubric-studio.png usr/share/icons/hicolor/256x256/apps/rubric-studio.png \
         usr/share/man/man1/rubric-studio-cli.1.gz; do
  [ -e "$root/$f" ] || fail "missing /$f"
done
"$root/usr/bin/rubric-studio-cli" --version | grep -q 'rubric-studio-cli [0-9]' || fail "--version"
"$root/usr/bin/rubric-studio-cli" --help | grep -q 'usage: rubric-studio-cli' || fail "--help does not exit 0 with usage"
desktop-file-validate "$root/usr/share/applications/rubric-studio.desktop" || fail "desktop file invalid"
grep -q 'MimeType=application/x-rubric-studio-project;' "$root/usr/share/applications/rubric-studio.desktop" || fail "no MimeType"
file "$root/usr/share/icons/hicolor/48x48/apps/rubric-studio.png" | grep -q '48 x 48' || fail "48 px icon is not 48 px"
zcat "$root/usr/share/man/man1/rubric-studio-cli.1.gz" | grep -q '^.SH EXIT STATUS' || fail "man page"
deps=$(dpkg-deb -f "$deb" Depends)
for d in libqt6sql6-sqlite libqt6keychain1 libcurl4 libqt6widgets6; do
  grep -q "$d" <<<"$deps" || fail "Depends lacks $d"
done
echo "test-deb: $(basename "$deb") ok ($(dpkg-deb -f "$deb" Installed-Size) KiB installed)"
