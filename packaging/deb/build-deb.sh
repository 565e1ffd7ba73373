#!/bin/sh
# Wraps one `dotnet publish` output into a .deb. Called by EdgeCloud.Packaging.proj (target Deb);
# runnable by hand:
#   build-deb.sh PACKAGE VERSION DEB_ARCH PUBLISH_DIR OUT_DIR [COMPRESSION]
# Layout (two versions can sit side by side for A/B rollouts; `current` selects one):
#   /usr/lib/PACKAGE/VERSION/...        the publish output
#   /usr/lib/PACKAGE/current -> VERSION
#   /usr/bin/PACKAGE -> ../lib/PACKAGE/current/PACKAGE
#   /usr/lib/edge-agent/launcher         (edge-agent only) the unit's ExecStart: packaged build or A/B slot
#   /lib/systemd/system/PACKAGE.service
#   /etc/edge-agent/agent.json           (edge-agent only; a conffile, from agent.sample.json)
#   /var/lib/PACKAGE                     made by postinst, owned by the service user
set -eu
[ $# -ge 5 ] || { echo "usage: $0 PACKAGE VERSION DEB_ARCH PUBLISH_DIR OUT_DIR [xz|gzip|zstd|none]" >&2; exit 64; }
pkg=$1 version=$2 arch=$3 publish=$4 out=$5 compression=${6:-xz}
here=$(cd "$(dirname "$0")" && pwd)
src="$here/$pkg"
[ -d "$src" ] || { echo "no packaging folder $src" >&2; exit 66; }
[ -x "$publish/$pkg" ] || { echo "no executable $publish/$pkg" >&2; exit 66; }
. "$src/package.env"

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/${pkg}_${arch}"
mkdir -p "$stage/DEBIAN" "$stage/usr/lib/$pkg/$version" "$stage/usr/bin" "$stage/lib/systemd/system" \
    "$stage/usr/share/doc/$pkg"

cp -a "$publish/." "$stage/usr/lib/$pkg/$version/"
# API docs and the sample config are build leftovers, not runtime files.
rm -f "$stage/usr/lib/$pkg/$version"/EdgeCloud.*.xml "$stage/usr/lib/$pkg/$version/agent.sample.json"
# Only the apphost and .NET's crash dumper are programs; libraries and assemblies are data to
# the loader (lintian: shared-library-is-executable).
find "$stage/usr/lib/$pkg/$version" -type f -exec chmod 0644 {} +
chmod 0755 "$stage/usr/lib/$pkg/$version/$pkg"
[ ! -f "$stage/usr/lib/$pkg/$version/createdump" ] || chmod 0755 "$stage/usr/lib/$pkg/$version/createdump"
ln -s "$version" "$stage/usr/lib/$pkg/current"
ln -s "../lib/$pkg/current/$pkg" "$stage/usr/bin/$pkg"
install -m 0644 "$src/$pkg.service" "$stage/lib/systemd/system/$pkg.service"
install -m 0644 "$here/copyright" "$stage/usr/share/doc/$pkg/copyright"
printf '%s (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- EdgeCloud maintainers <edgecloud@example.invalid>  %s\n' \
    "$pkg" "$version" "$version" "$(LC_ALL=C date -R)" | gzip -9n > "$stage/usr/share/doc/$pkg/changelog.gz"
chmod 0644 "$stage/usr/share/doc/$pkg/changelog.gz"
mkdir -p "$stage/usr/share/lintian/overrides"
install -m 0644 "$src/lintian-overrides" "$stage/usr/share/lintian/overrides/$pkg"

if [ "$pkg" = edge-agent ]; then
    mkdir -p "$stage/etc/edge-agent"
    install -m 0644 "$here/../../edge-agent/src/EdgeCloud.Edge.Agent/agent.sample.json" "$stage/etc/edge-agent/agent.json"
    install -m 0755 "$src/launcher" "$stage/usr/lib/$pkg/launcher"
fi
: > "$stage/DEBIAN/conffiles"
for f in $CONFFILES; do echo "$f" >> "$stage/DEBIAN/conffiles"; done
[ -s "$stage/DEBIAN/conffiles" ] || rm "$stage/DEBIAN/conffiles"

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" "$src/control" > "$stage/DEBIAN/control"

# Maintainer scripts: shared templates; common.sh is inlined so each script stands alone.
for script in postinst prerm postrm; do
    awk -v common="$here/scripts/common.sh" '
        /^@COMMON@$/ { while ((getline line < common) > 0) print line; next }
        { print }' "$here/scripts/$script" |
        sed -e "s|@PACKAGE@|$pkg|g" -e "s|@EXTRA_GROUPS@|$EXTRA_GROUPS|g" -e "s|@CONFFILES@|$CONFFILES|g" \
        > "$stage/DEBIAN/$script"
    chmod 0755 "$stage/DEBIAN/$script"
done

# Files are root-owned in the package whoever builds it; the service user owns only its data folder.
chmod -R u+rwX,go+rX,go-w "$stage/usr" "$stage/lib"
dpkg-deb --root-owner-group -Z"$compression" --build "$stage" "$out/${pkg}_${version}_${arch}.deb"
