# Shared by postinst and postrm (inlined into each at build time: a maintainer script must stand alone).
#
# DPKG_ROOT is the root the package is installed into: empty on a normal install, set by
# `dpkg --root=DIR --force-script-chrootless` and by our tests. Every path below goes through
# it, and the account tools get `--prefix` (they then edit DIR/etc/passwd etc. without
# chrooting), so the scripts can be exercised against a throwaway tree.
PKG=@PACKAGE@
DATA_DIR="$DPKG_ROOT/var/lib/$PKG"
WANTS_LINK="$DPKG_ROOT/etc/systemd/system/multi-user.target.wants/$PKG.service"

# The user/group database line for a name, from the target root's files when DPKG_ROOT is set
# (getent would read the host's), from NSS otherwise.
passwd_line() {
    if [ -n "$DPKG_ROOT" ]; then grep "^$1:" "$DPKG_ROOT/etc/passwd" || true; else getent passwd "$1" || true; fi
}
group_line() {
    if [ -n "$DPKG_ROOT" ]; then grep "^$1:" "$DPKG_ROOT/etc/group" || true; else getent group "$1" || true; fi
}
# Run an account tool (useradd, usermod, ...) against the target root.
account() {
    tool=$1; shift
    if [ -n "$DPKG_ROOT" ]; then "$tool" --prefix "$DPKG_ROOT" "$@"; else "$tool" "$@"; fi
}
# True when systemd is the running init of the system we install into (never under DPKG_ROOT).
systemd_running() {
    [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]
}
