#!/bin/sh
# scripts/install-deps.sh - installs what tsamkit needs to build, test and
# run its demo, from Debian 12's packages. As root it runs apt-get itself
# (a fresh Debian 12 container has no sudo); as another user, through sudo.
set -eu
# as_root COMMAND...: COMMAND as root, through sudo only when not root
as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "install-deps: $*: needs root, and sudo is not installed: run this as root" >&2
		exit 1
	fi
}
PKGS="
build-essential cmake pkg-config
libssh2-1-dev libjson-c-dev libhpdf-dev zlib1g-dev libssl-dev libpcre2-dev
libcmocka-dev
libcsv-dev
openssh-server openssh-client busybox-static iproute2 util-linux sudo opendoas
jq libxml2-utils python3-jsonschema qpdf poppler-utils fonts-ipaexfont fonts-ipafont fonts-dejavu-core
clang clang-format libclang-rt-14-dev
pdsh time bc mawk
"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing" >&2
	as_root apt-get update -qq
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# sshd is only started by the tests, in their own namespace; the package's
# service is not needed (and may not run in a container).
[ -d /run/sshd ] || as_root mkdir -p /run/sshd
