#!/bin/sh
# Builds a minimal linux-arm64 sysroot (the shared libraries a self-contained .NET app needs) for
# running arm64 builds under qemu user mode on an x64 machine:
#   qemu-aarch64-static -L <sysroot> <arm64 binary> ...
# Downloads Debian 12's arm64 packages with apt (private lists and cache: the machine's own apt
# state and architectures are not touched) and unpacks them with dpkg -x. Idempotent.
# Usage: arm64-sysroot.sh <sysroot folder>
set -eu
root="${1:?usage: arm64-sysroot.sh <sysroot folder>}"
if [ -e "$root/lib/ld-linux-aarch64.so.1" ] && [ -e "$root/.complete" ]; then
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$root"
apt_arm64="-o APT::Sandbox::User=root -o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State::Lists=$work/lists -o Dir::Cache=$work/cache"
# shellcheck disable=SC2086 # the options are meant to split
apt-get $apt_arm64 update -qq
cd "$work/debs"
# libc, the C++ runtime, ICU (globalization), zlib and OpenSSL: what the .NET runtime loads.
# shellcheck disable=SC2086
apt-get $apt_arm64 download libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 libicu72:arm64 zlib1g:arm64 libssl3:arm64
for deb in ./*.deb; do
  dpkg -x "$deb" "$root"
done
touch "$root/.complete"
echo "arm64 sysroot ready in $root"
