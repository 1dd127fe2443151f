#!/usr/bin/env bash
# Builds the tagway .deb from DEB_BINARY: stages `make install DESTDIR=... PREFIX=/usr`, adds the
# Debian control files from packaging/debian and runs dpkg-deb. Called by `make deb`.
# DEB_REQUIRE_STATIC=yes (the default) refuses a binary that links libswift*.so (not in Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${DEB_BINARY:?DEB_BINARY is the tagway binary to package}"
out="${DEB_OUT:-.build/deb}"
require_static="${DEB_REQUIRE_STATIC:-yes}"
maintainer="${DEB_MAINTAINER:-Tagway maintainers <maintainers@users.noreply.r-seed-eda36e42.example>}"
# The upstream version (tagway --version) with Debian revision DEB_REVISION (default 1).
upstream="$(sed -n 's/.*version: "\([^"]*\)".*/\1/p' Sources/tagway/Tagway.swift | head -n1)"
version="$upstream-${DEB_REVISION:-1}"
arch="$(dpkg --print-architecture)"
[ -n "$upstream" ] || { echo "build-deb: no version in Sources/tagway/Tagway.swift" >&2; exit 1; }
[ -x "$binary" ] || { echo "build-deb: no executable $binary" >&2; exit 1; }

swift_libs="$(ldd "$binary" | awk '/libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime/ { print $1 }')"
if [ -n "$swift_libs" ]; then
    if [ "$require_static" = "yes" ]; then
        echo "build-deb: $binary links the Swift runtime dynamically ($(echo $swift_libs)); build it with --static-swift-stdlib (make static-release)" >&2
        exit 1
    fi
    echo "build-deb: warning: $binary links $(echo $swift_libs): this package only runs where the Swift toolchain is installed" >&2
fi

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
make --no-print-directory install DESTDIR="$stage" PREFIX=/usr TAGWAY_BINARY="$binary" >/dev/null
strip --strip-unneeded --remove-section=.comment "$stage/usr/bin/tagway"

doc="$stage/usr/share/doc/tagway"
mkdir -p "$doc"
sed "s|@MAINTAINER@|$maintainer|g" packaging/debian/copyright > "$doc/copyright"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
date="$(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")"
sed -e "s|@VERSION@|$version|g" -e "s|@MAINTAINER@|$maintainer|g" -e "s|@COMMIT@|$commit|g" -e "s|@DATE@|$date|g" \
    packaging/debian/changelog.in | gzip -9n > "$doc/changelog.Debian.gz"
chmod 0644 "$doc/copyright" "$doc/changelog.Debian.gz"
install -D -m 0644 packaging/debian/lintian-overrides "$stage/usr/share/lintian/overrides/tagway"

# Depends: the Debian packages of the shared libraries the binary links (dpkg-shlibdeps needs a
# debian/control in its working directory), then adduser for the maintainer scripts.
if command -v dpkg-shlibdeps >/dev/null; then
    work="$out/shlibs"
    rm -rf "$work"; mkdir -p "$work/debian"
    printf 'Source: tagway\n\nPackage: tagway\nArchitecture: any\n' > "$work/debian/control"
    ignore=()
    [ -n "$swift_libs" ] && ignore=(--ignore-missing-info)
    libs="$(cd "$work" && dpkg-shlibdeps "${ignore[@]}" -O "$stage/usr/bin/tagway" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
else
    libs="libc6, libsqlite3-0, libusb-1.0-0, libudev1, libmosquitto1, libnats3.4, libstdc++6, libgcc-s1"
fi
[ -n "$libs" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
depends="$libs, adduser"

mkdir -p "$stage/DEBIAN"
install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm "$stage/DEBIAN/"
install -m 0644 packaging/debian/conffiles "$stage/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s|@VERSION@|$version|g" -e "s|@ARCH@|$arch|g" -e "s|@MAINTAINER@|$maintainer|g" \
    -e "s|@SIZE@|$size|g" -e "s|@DEPENDS@|$depends|g" packaging/debian/control.in > "$stage/DEBIAN/control"
(cd "$stage" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/md5sums"

deb="$out/tagway_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-xz}" --build "$stage" "$deb" >/dev/null
echo "$deb"
