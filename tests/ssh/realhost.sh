# tests/ssh/realhost.sh - endpoints set up the way customers' machines are,
# on this machine and without touching it, for the tests of privilege and
# access (tests/ssh/test_access.sh). Sourced by bash.
#
# As root inside a private mount and network namespace (unshare -m -n):
# /etc is a tmpfs copy of the real one, so real accounts (useradd), real
# passwords (chpasswd), real sudo rules (/etc/sudoers.d) and doas rules
# (/etc/doas.conf) can be added; /home is a tmpfs. Every endpoint is one
# OpenSSH sshd on its own address 127.0.2.N:22 running in a mount
# namespace of its own, where /opt and /usr/local/bin are fresh tmpfs
# holding that endpoint's product tree, with the owners and modes the
# products' installers set. sshd, its PAM stack, sudo and doas are the
# machine's own: nothing here is emulated but the products' files.
#
# Usage:
#   . tests/ssh/realhost.sh
#   realhost_enter "$@"               # re-exec in the namespaces (or exit 77)
#   realhost_init NAME
#   realhost_user NAME [useradd options...]   # key login for the client key
#   realhost_host N SETUP [sshd_config lines...]  # 127.0.2.N; SETUP fills /opt
#   ... tsam-collect -i INV --known-hosts $RH/known_hosts --identity $RH/client/id_ed25519 ...
#   (cleanup runs on exit)

set -u
RH_PIDS=""

realhost_enter() {
	if [ "${TSAM_REALHOST_NS:-}" = "" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "SKIP: the real-account endpoints need root (namespaces, accounts)"
			exit 77
		fi
		for t in /usr/sbin/sshd sudo doas ssh-keygen ssh-agent ssh-add; do
			if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "$t" ]; then
				echo "SKIP: $t not installed (scripts/install-deps.sh)"
				exit 77
			fi
		done
		if ! unshare -m -n true 2>/dev/null; then
			echo "SKIP: no private mount and network namespaces here"
			exit 77
		fi
		TSAM_REALHOST_NS=1 exec unshare -m -n bash "$0" "$@"
	fi
	ip link set lo up
}

realhost_cleanup() {
	local p
	for p in $RH_PIDS; do kill "$p" 2>/dev/null; done
	for p in $RH_PIDS; do wait "$p" 2>/dev/null; done
	if [ -n "${RH:-}" ] && [ "${TSAM_KEEP_FLEET:-}" = "" ]; then
		umount /etc "$RH/etc" 2>/dev/null
		rm -rf "$RH"
	fi
}

# realhost_init NAME: the private /etc and /home, the client's key and a
# host key; $RH is the test's directory.
realhost_init() {
	RH=$(mktemp -d "/tmp/tsam-$1.XXXXXX")
	chmod 755 "$RH"
	trap realhost_cleanup EXIT
	mkdir -p "$RH/etc" "$RH/client" "$RH/log" /run/sshd
	# /etc: a copy on a tmpfs, mounted over the real one in this namespace
	mount -t tmpfs -o mode=755 tmpfs "$RH/etc"
	cp -a /etc/. "$RH/etc/"
	mount --bind "$RH/etc" /etc
	mount -t tmpfs -o mode=755 tmpfs /home
	# sudo's timestamps and lectures must not leak between tests
	mount -t tmpfs -o mode=711 tmpfs /run/sudo 2>/dev/null || true
	ssh-keygen -q -t ed25519 -N '' -f "$RH/ssh_host_ed25519_key"
	ssh-keygen -q -t ed25519 -N '' -C tsam-access -f "$RH/client/id_ed25519"
	: >"$RH/known_hosts"
	: >"$RH/inventory"
}

# realhost_user NAME [useradd options...]: a real account whose
# authorized_keys holds the client's key, with no password (key only).
realhost_user() {
	local u=$1
	shift
	useradd -m "$@" "$u"
	usermod -p '*' "$u"
	mkdir -p "/home/$u/.ssh"
	cp "$RH/client/id_ed25519.pub" "/home/$u/.ssh/authorized_keys"
	chown -R "$u:" "/home/$u/.ssh"
	chmod 700 "/home/$u/.ssh"
}

# realhost_password USER PASSWORD: a real password (hashed in /etc/shadow).
realhost_password() {
	echo "$1:$2" | chpasswd
}

# realhost_host N SETUP [CONFIG...]: endpoint 127.0.2.N. SETUP (a shell
# function) runs as root in the endpoint's own mount namespace, with /opt
# and /usr/local/bin empty tmpfs, before its sshd starts; CONFIG lines go
# into its sshd_config. Its known_hosts line is added.
realhost_host() {
	local n=$1 setup=$2 addr=127.0.2.$1 conf
	shift 2
	conf="$RH/sshd_$n.conf"
	{
		# sshd takes a keyword's first value: the test's lines first
		for l in "$@"; do echo "$l"; done
		echo "ListenAddress $addr:22"
		echo "HostKey $RH/ssh_host_ed25519_key"
		echo "PidFile none"
		echo "UsePAM yes"
		echo "PermitRootLogin no"
		echo "PasswordAuthentication yes"
		echo "KbdInteractiveAuthentication yes"
		echo "PubkeyAuthentication yes"
		echo "AuthorizedKeysFile .ssh/authorized_keys"
		echo "PrintMotd no"
		echo "PrintLastLog no"
		echo "UseDNS no"
		echo "LogLevel VERBOSE"
	} >"$conf"
	unshare -m bash -c "
		set -e
		mount -t tmpfs -o mode=755 tmpfs /opt
		mount -t tmpfs -o mode=755 tmpfs /usr/local/bin
		$(declare -f)
		FLEET_N=$n
		$setup
		exec /usr/sbin/sshd -D -e -f '$conf'
	" 2>>"$RH/log/sshd_$n.log" &
	RH_PIDS="$RH_PIDS $!"
	echo "$addr $(cut -d' ' -f1,2 "$RH/ssh_host_ed25519_key.pub")" >>"$RH/known_hosts"
	local i
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/$addr/22") 2>/dev/null; then return 0; fi
		sleep 0.05
	done
	echo "sshd for $addr did not start:" >&2
	cat "$RH/log/sshd_$n.log" >&2
	exit 1
}

# The product trees, with the owners and modes of the products' own
# installers. fleet_spl and fleet_sav (tests/ssh/fleet.sh) write the files;
# these apply what Sophos' installers do.

# Sophos Protection for Linux, as its installer (install.sh in Sophos'
# public SSPL sources) leaves it: /opt/sophos-spl 0711 root:sophos-spl-group,
# base/ $1 (0711 in the published installer; 0750 on the release the issue
# was found on), VERSION.ini 0640 root:group, base/etc 0711, base/etc/sophosspl
# 0750 sophos-spl-local:group, base/mcs 0711, mcs/status 0770 (files 0660),
# mcs/policy 0750 (files 0640), plugins 0711, logs and logs/base 0711; what
# its services write under umask 077 (mcs.config, the update and AV logs)
# is 0600.
realhost_spl_perms() {
	local base=$1 o=/opt/sophos-spl
	getent group sophos-spl-group >/dev/null || groupadd -r sophos-spl-group
	getent passwd sophos-spl-local >/dev/null ||
		useradd -r -M -N -g sophos-spl-group -s /bin/false -d $o sophos-spl-local
	chown -R root:root $o
	chmod 711 $o
	chown root:sophos-spl-group $o $o/base
	chmod "$base" $o/base
	chown root:sophos-spl-group $o/base/VERSION.ini
	chmod 640 $o/base/VERSION.ini
	chmod 711 $o/base/etc
	chown sophos-spl-local:sophos-spl-group $o/base/etc/sophosspl $o/base/etc/sophosspl/mcs.config
	chmod 750 $o/base/etc/sophosspl
	chmod 600 $o/base/etc/sophosspl/mcs.config
	chown -R sophos-spl-local:sophos-spl-group $o/base/mcs
	chmod 711 $o/base/mcs
	chown root:sophos-spl-group $o/base/mcs/status
	chmod 770 $o/base/mcs/status
	chmod 660 $o/base/mcs/status/*
	chmod 750 $o/base/mcs/policy
	chmod 640 $o/base/mcs/policy/*
	chown root:sophos-spl-group $o/plugins $o/plugins/* $o/plugins/*/VERSION.ini
	chmod 711 $o/plugins
	chmod 750 $o/plugins/*
	chmod 640 $o/plugins/*/VERSION.ini
	chmod 700 $o/plugins/av/log
	chmod 600 $o/plugins/av/log/av.log
	chmod 711 $o/logs $o/logs/base
	chmod 600 $o/logs/base/suldownloader.log
}

# Sophos Anti-Virus for Linux: the commands in bin/ run for everyone, the
# configuration under etc/ is root's (0700), as SAV's installer leaves it:
# savconfig reads it there, so it fails for another account.
realhost_sav_perms() {
	local o=/opt/sophos-av
	mv $o/.fake/query $o/.fake/advanced $o/etc/
	cat >$o/bin/savconfig <<'SH'
#!/bin/sh
if [ "$1" = --advanced ]; then cat /opt/sophos-av/etc/advanced; else cat /opt/sophos-av/etc/query; fi
SH
	chmod 755 $o/bin/savconfig
	chown -R root:root $o
	chmod 700 $o/etc
	chmod 600 $o/etc/*
}
