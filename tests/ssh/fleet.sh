# tests/ssh/fleet.sh - an emulated fleet of endpoints behind one real
# OpenSSH sshd, for tests, the demo and the benchmark. Sourced by bash.
#
# As root inside a private network namespace (unshare -n), one sshd on
# 0.0.0.0:$FLEET_PORT serves every 127.0.x.y address; a "Match LocalAddress"
# block per host chroots the session into that host's own small tree
# (busybox-static, /etc/os-release, /proc-style files, fake product
# commands). Where namespaces are unavailable, hosts are ports on 127.0.0.1
# ("Match LocalPort"), a few dozen at most: tests that need more exit 77.
#
# Usage:
#   . tests/ssh/fleet.sh
#   fleet_enter "$@"          # re-exec in a namespace (or skip: exit 77)
#   fleet_init NAME
#   fleet_add KIND NAME [N]   # N hosts NAME0001..., or one host NAME
#   fleet_start               # writes $FLEET/inventory, $FLEET/known_hosts
#   ... run tsam-collect -i $FLEET/inventory --known-hosts $FLEET/known_hosts
#       --identity $FLEET/client/id_ed25519 -u $FLEET_USER ...
#   (cleanup runs on exit)
#
# KINDs: ok, hang (a read that never returns, no timeout(1)), flood (endless
# output), exitfail (the shell exits 3 at once), exitafter (the collectors
# run to their trailer, then the shell exits 5), drop (the session process
# is killed mid-transfer), authfail (no authorized key), unknownkey (absent
# from known_hosts), mismatch (a second sshd with another host key),
# refused (nothing listens), blackhole (accepts TCP, never speaks),
# slow (each command takes a while: for kill -9 and SIGINT tests),
# spl-noroot (Sophos Protection for Linux whose base/ is root's 0750, as on
# the release issue 13 was found on: the test account cannot look in).
# fleet_variant hook: define fleet_populate KIND DIR HOSTNAME to add files.

set -u
FLEET_USER=tsamtest
FLEET_ROOT=/var/lib/tsamkit-test
FLEET_PIDS=""

fleet_enter() {
	if [ "${TSAM_FLEET_NS:-}" = "" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "SKIP: the sshd fleet needs root (chroot, test account)"
			exit 77
		fi
		for t in /usr/sbin/sshd busybox ssh-keygen; do
			if ! command -v "$t" >/dev/null 2>&1 && [ ! -x "$t" ]; then
				echo "SKIP: $t not installed (scripts/install-deps.sh)"
				exit 77
			fi
		done
		if [ "${TSAM_FLEET_NO_NETNS:-}" = "" ] && unshare -n true 2>/dev/null; then
			# TSAM_FLEET_MOUNTS=1: a private mount namespace too
			# (a test's own /etc/resolv.conf, /etc/hosts)
			TSAM_FLEET_NS=netns exec unshare -n ${TSAM_FLEET_MOUNTS:+-m} bash "$0" "$@"
		fi
		TSAM_FLEET_NS=ports exec bash "$0" "$@"
	fi
	if [ "$TSAM_FLEET_NS" = netns ]; then
		ip link set lo up
	fi
}

# fleet_need N: skip unless the fleet can hold N hosts.
fleet_need() {
	if [ "$TSAM_FLEET_NS" = ports ] && [ "$1" -gt 40 ]; then
		echo "SKIP: $1 hosts need a network namespace (only ports on 127.0.0.1 here)"
		exit 77
	fi
}

fleet_cleanup() {
	local p
	for p in $FLEET_PIDS; do kill "$p" 2>/dev/null; done
	for p in $FLEET_PIDS; do wait "$p" 2>/dev/null; done
	if [ -n "${FLEET:-}" ] && [ "${TSAM_KEEP_FLEET:-}" = "" ]; then
		rm -rf "$FLEET"
	fi
}

fleet_init() {
	local name=$1 lock
	mkdir -p "$FLEET_ROOT"
	chmod 755 "$FLEET_ROOT"
	FLEET=$(mktemp -d "$FLEET_ROOT/$name.XXXXXX")
	chmod 755 "$FLEET"
	trap fleet_cleanup EXIT
	mkdir -p "$FLEET/etc" "$FLEET/client" "$FLEET/hosts" "$FLEET/keys" "$FLEET/run" /run/sshd
	chmod 755 "$FLEET/hosts" "$FLEET/keys"
	# The test account: shell /bin/sh, key-only (docs/library-notes.md, sshd 1: '*', not '!').
	exec 9>"$FLEET_ROOT/.account.lock"
	flock 9
	if ! id "$FLEET_USER" >/dev/null 2>&1; then
		useradd -r -M -d /home/$FLEET_USER -s /bin/sh "$FLEET_USER"
	fi
	usermod -p '*' "$FLEET_USER"
	flock -u 9
	exec 9>&-
	ssh-keygen -q -t ed25519 -N '' -f "$FLEET/etc/ssh_host_ed25519_key"
	ssh-keygen -q -t ecdsa -N '' -f "$FLEET/etc/ssh_host_ecdsa_key"
	ssh-keygen -q -t ed25519 -N '' -f "$FLEET/etc/other_host_ed25519_key"
	ssh-keygen -q -t ed25519 -N '' -C tsam-test -f "$FLEET/client/id_ed25519"
	cp "$FLEET/client/id_ed25519.pub" "$FLEET/keys/authorized_keys"
	chmod 644 "$FLEET/keys/authorized_keys"
	# The template every host tree hard-links: busybox and its applets.
	local t="$FLEET/tmpl" bb
	bb=$(command -v busybox)
	mkdir -p "$t/bin" "$t/dev"
	cp "$bb" "$t/bin/busybox"
	local a
	for a in sh ash cat head tail uname hostname df grep sed awk timeout sleep \
		printf echo ls tr wc kill test expr cut sort date id env true false \
		mkdir readlink stat find xargs ps rpm dpkg; do
		ln -s busybox "$t/bin/$a"
	done
	mknod -m 666 "$t/dev/null" c 1 3
	mknod -m 666 "$t/dev/zero" c 1 5
	FLEET_N=0
	FLEET_PORT=2222
	if [ "$TSAM_FLEET_NS" = ports ]; then
		FLEET_PORT=$((20000 + RANDOM % 20000))
	fi
	FLEET_PORT2=$((FLEET_PORT + 1))
	FLEET_PORT_CLOSED=$((FLEET_PORT + 2))
	FLEET_PORT_BH=$((FLEET_PORT + 3))
	: >"$FLEET/inventory"
	: >"$FLEET/hostlist"
	: >"$FLEET/match.conf"
}

# The address and port of the Nth emulated endpoint (1-based).
fleet_addr() {
	local n=$1
	if [ "$TSAM_FLEET_NS" = netns ]; then
		echo "127.0.$((1 + (n - 1) / 250)).$((1 + (n - 1) % 250)) $FLEET_PORT"
	else
		echo "127.0.0.1 $((FLEET_PORT + 10 + n))"
	fi
}

# Writes the files of an ordinary healthy Linux endpoint into dir.
fleet_tree() {
	local kind=$1 dir=$2 host=$3 i
	cp -al "$FLEET/tmpl/." "$dir/"
	mkdir -p "$dir/etc" "$dir/proc" "$dir/home/$FLEET_USER" "$dir/usr/local/bin" "$dir/tmp"
	chmod 755 "$dir" "$dir/etc" "$dir/proc" "$dir/usr" "$dir/usr/local" "$dir/usr/local/bin"
	chown "$FLEET_USER" "$dir/home/$FLEET_USER"
	i=$((FLEET_N % 3))
	case $i in
	0) printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' ;;
	1) printf 'NAME="Red Hat Enterprise Linux"\nVERSION="9.4 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\n' ;;
	2) printf 'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\n' ;;
	esac >"$dir/etc/os-release"
	echo "$host" >"$dir/etc/hostname"
	printf '%d.42 %d.10\n' $((3600 * (FLEET_N % 400 + 1))) $((7000 * (FLEET_N % 400 + 1))) >"$dir/proc/uptime"
	{
		for i in 0 1 2 3; do
			printf 'processor\t: %d\nmodel name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz\n\n' "$i"
		done
	} >"$dir/proc/cpuinfo"
	# every fifth host has no swap, as some real servers do
	printf 'MemTotal:       %d kB\nMemFree:         812344 kB\nMemAvailable:   2923112 kB\nSwapTotal:      %d kB\nSwapFree:       %d kB\n' \
		$((4194304 * (1 + FLEET_N % 4))) $((FLEET_N % 5 ? 2097148 : 0)) $((FLEET_N % 5 ? 2097148 : 0)) >"$dir/proc/meminfo"
	# the load (a quarter of the 4 CPUs) and one file system for df
	printf '0.%02d 0.%02d 1.00 1/200 %d\n' $((FLEET_N % 90)) $((FLEET_N % 70)) $((1000 + FLEET_N)) >"$dir/proc/loadavg"
	printf '/dev/vda1 / ext4 rw,relatime 0 0\n' >"$dir/proc/mounts"
	# hostname -f: a domain name, except on every sixth host
	if [ $((FLEET_N % 6)) -ne 0 ]; then echo "$host.corp.example" >"$dir/etc/fqdn"; fi
	printf '#!/bin/sh\nif [ "$1" = -f ] && [ -r /etc/fqdn ]; then cat /etc/fqdn; else cat /etc/hostname; fi\n' >"$dir/usr/local/bin/hostname"
	chmod 755 "$dir/usr/local/bin/hostname"
	case $kind in
	hang)
		rm -f "$dir/bin/timeout"
		rm -f "$dir/etc/os-release"
		mkfifo -m 644 "$dir/etc/os-release"
		;;
	flood)
		rm -f "$dir/proc/cpuinfo"
		ln -s /dev/zero "$dir/proc/cpuinfo"
		;;
	slow)
		printf '#!/bin/sh\nsleep 1\ncat /etc/hostname\n' >"$dir/usr/local/bin/hostname"
		;;
	esac
	case $kind in
	sav*) fleet_sav "$kind" "$dir" ;;
	spl*) fleet_spl "$kind" "$dir" ;;
	esac
	if declare -F fleet_populate >/dev/null; then
		fleet_populate "$kind" "$dir" "$host"
	fi
}

# Sophos Anti-Virus for Linux 9/10: fake savdstatus, savconfig and savlog
# that print what the real ones print, per variant: sav (healthy),
# sav-oaoff (on-access stopped, live protection off, talpa, no scheduled
# scan), sav-stale (definitions 10 days old, no secondary source, broad
# exclusions, the scheduled scan started but never completed), sav9 (an
# older release, 9.12.3 as in a public capture of SAV 9 on CentOS 7: talpa,
# daily updates straight from Sophos, credentials shown masked, dates in a
# Japanese locale's form). savlog's
# lines are shaped only as far as Microsoft Defender for Cloud's published
# check reads them ("Scheduled scan .* completed"); no verbatim sample of
# savlog's output is public.
fleet_sav() {
	local kind=$1 dir=$2 o="$2/opt/sophos-av" now last status live oa second excl scans log
	local ver=10.5.2 eng=3.91.1 data=5.98 period=60 user=acme-update pass=Planted-SAV-Secret-9
	local datefmt='+%a %d %b %Y %I:%M:%S %p UTC'
	now=$(date +%s)
	mkdir -p "$o/bin" "$o/etc" "$o/.fake"
	chmod 755 "$dir/opt" "$o" "$o/bin" "$o/etc" "$o/.fake"
	last=$((now - 3600))
	status="Sophos Anti-Virus is active and on-access scanning is running"
	live=enabled oa=fanotify second="SecondaryUpdateSourcePath: http://cache2.acme.example:8191/sophos"
	excl="ExcludeFilePaths: /var/lib/mysql/
                  /srv/backup/"
	scans="NamedScans: weekly
            monthly-full"
	log="$(date -u -d "@$((now - 3 * 86400))" '+%Y-%m-%d %H:%M:%S') Scheduled scan \"weekly\" started
$(date -u -d "@$((now - 3 * 86400 + 1800))" '+%Y-%m-%d %H:%M:%S') Scheduled scan \"weekly\" completed"
	case $kind in
	sav-oaoff)
		status="Sophos Anti-Virus is active but on-access scanning is not running"
		live=disabled oa=talpa scans="NamedScans:" log="No log entries" ;;
	sav-stale)
		last=$((now - 10 * 86400)) second=""
		excl="ExcludeFilePaths: /
                  /tmp/
                  /srv/共有/経理 2026/
ExcludeFileOnGlob: *.log"
		log="$(date -u -d "@$((now - 2 * 86400))" '+%Y-%m-%d %H:%M:%S') Scheduled scan \"weekly\" started" ;;
	sav9)
		ver=9.12.3 eng=3.65.2 data=5.34 oa=talpa period=1440 second=""
		user='********' pass='********' datefmt='+%Y年%m月%d日 %H時%M分%S秒' ;;
	esac
	printf '%s\n' "$status" >"$o/.fake/status"
	cat >"$o/.fake/version" <<VER
Copyright 1989-2023 Sophos Limited. All rights reserved.

Sophos Anti-Virus       = $ver
Build Revision          = 3020233
Threat detection engine = $eng
Threat data             = $data
Threat count            = 1108457
Threat data release     = $(date -u -d "@$last" "$datefmt")
Last update             = $(date -u -d "@$last" "$datefmt")
VER
	cat >"$o/.fake/query" <<CONF
Email: root@localhost
EmailNotifier: true
EnableOnStart: true
ExclusionEncodings: UTF-8
                    EUC-JP
LiveProtection: $live
PrimaryUpdateSourcePath: sophos:
PrimaryUpdateUsername: $user
PrimaryUpdatePassword: $pass
$second
UpdatePeriodMinutes: $period
$scans
ScanArchives: mixed
$excl
CONF
	printf 'OnAccessInterceptor: %s\nOnAccessScanArchives: false\nLogMaxSizeMB: 100\n' "$oa" >"$o/.fake/advanced"
	echo "$last" >"$o/etc/update.last_update"
	cat >"$o/bin/savdstatus" <<'SH'
#!/bin/sh
case "$1" in
--version) cat /opt/sophos-av/.fake/version ;;
*) cat /opt/sophos-av/.fake/status ;;
esac
SH
	cat >"$o/bin/savconfig" <<'SH'
#!/bin/sh
if [ "$1" = --advanced ]; then cat /opt/sophos-av/.fake/advanced; else cat /opt/sophos-av/.fake/query; fi
SH
	printf '%s\n' "$log" >"$o/.fake/savlog"
	printf '#!/bin/sh\ncat /opt/sophos-av/.fake/savlog\n' >"$o/bin/savlog"
	chmod 755 "$o/bin/"*
	chmod 644 "$o/.fake/"* "$o/etc/update.last_update"
}

# Sophos Protection for Linux: VERSION.ini files, status XML, mcs.config
# (with secrets to redact), a fake systemctl. Variants: spl (healthy),
# spl-bad (service failed, health bad, an update downloaded but not
# installed), spl-old (an early release: base 1.x, the AV plugin only, no
# on-access settings in its policy yet).
fleet_spl() {
	local kind=$1 dir=$2 o="$2/opt/sophos-spl" state=active rc=0 health=1 inst=2023.4.1.8
	if [ "$kind" = spl-bad ]; then state=failed rc=3 health=3 inst=2022.4.1.2; fi
	if [ "$kind" = spl-old ]; then inst=1.1.9.5; fi
	mkdir -p "$o/base/mcs/status" "$o/base/etc/sophosspl" "$o/plugins/av" "$o/plugins/edr" "$o/logs/base"
	find "$dir/opt" -type d -exec chmod 755 {} +
	printf 'PRODUCT_NAME = Sophos-Linux-Base-Product\nPRODUCT_VERSION = %s\nBUILD_DATE = 2023-11-20\n' "$inst" >"$o/base/VERSION.ini"
	printf 'PRODUCT_NAME = Sophos-Linux-AV-Plugin\nPRODUCT_VERSION = 1.1.8.4\n' >"$o/plugins/av/VERSION.ini"
	printf 'PRODUCT_NAME = SPL-Endpoint-Detection-and-Response-Plugin\nPRODUCT_VERSION = 1.1.1.1\n' >"$o/plugins/edr/VERSION.ini"
	[ "$kind" = spl-old ] && rm -r "$o/plugins/edr"
	printf '<?xml version="1.0" encoding="utf-8" ?><health version="3.0.0" activeHeartbeat="false" activeHeartbeatUtmId=""><item name="health" value="%s" /><item name="service" value="%s" /><item name="threatService" value="1" /><item name="threat" value="1" /></health>\n' "$health" "$health" >"$o/base/mcs/status/SHS_status.xml"
	cat >"$o/base/mcs/status/ALC_status.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<status xmlns="com.sophos\mansys\status" type="sau">
    <products>
        <product rigidName="ServerProtectionLinux-Base" productName="Sophos Linux Base" downloadedVersion="2023.4.1.8" installedVersion="$inst"/>
    </products>
</status>
XML
	printf 'MCSID=9f54b277-82cf-3445-1111-%012d\nMCSPassword=Planted-SPL-Secret-7\nMCS_saved_token=Planted-SPL-Token-8\n' "$FLEET_N" >"$o/base/etc/sophosspl/mcs.config"
	# suldownloader.log in SPL's log4cplus layout ("%-7r [%d] %7p [%10.10t]
	# %c <> %m", UTC): healthy, an update 2 hours ago; bad, the last
	# success 10 days ago and failures since, the last one with its reason
	local t1 t2 t3
	t1=$(date -u -d '-10 days' +%Y-%m-%dT%H:%M:%S)
	t2=$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%S)
	t3=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%S)
	{
		printf '   1021 [%s.455]    INFO [1402158291] suldownloader <> Running in SDDS3 updating mode\n' "$t1"
		printf '   3402 [%s.836]    INFO [1402158291] suldownloader <> Update success\n' "$t1"
		printf '   3403 [%s.837]    INFO [1402158291] suldownloader <> Generating the report file in: /opt/sophos-spl/base/update/var/updatescheduler\n' "$t1"
		if [ "$kind" = spl-bad ]; then
			printf '    912 [%s.101]    WARN [1402158291] suldownloader <> Failed to connect to repository: SUS request failed with error: Couldn'"'"'t connect to server\n' "$t2"
			printf '    913 [%s.102]    WARN [1402158291] suldownloader <> Update failed, with code: 112\n' "$t2"
			printf '    871 [%s.311]    WARN [1402158291] suldownloader <> Failed to connect to repository: SUS request failed with error: Timeout was reached\n' "$t3"
			printf '    872 [%s.313]    WARN [1402158291] suldownloader <> Update failed, with code: 107\n' "$t3"
		else
			printf '   2977 [%s.208]    INFO [1402158291] suldownloader <> Update success\n' "$t3"
		fi
		printf '   2978 [%s.210]    INFO [1402158291] suldownloader <> Generating the report file in: /opt/sophos-spl/base/update/var/updatescheduler\n' "$t3"
	} >"$o/logs/base/suldownloader.log"
	# the CORE policy (its shape: Sophos' own sspl test policies): on-access
	# with its exclusions, and upload headers whose token must never leave
	mkdir -p "$o/base/mcs/policy"
	local oa=true excl='<filePath>/opt/app/cache/</filePath><filePath>/data/R&amp;D/</filePath>' remote=false
	if [ "$kind" = spl-bad ]; then
		oa=false remote=true
		excl='<filePath>/tmp/</filePath><filePath>*.log</filePath>'
	fi
	cat >"$o/base/mcs/policy/CORE_policy.xml" <<XML
<?xml version="1.0"?>
<policy RevID="9c1f" policyType="36">
  <coreFeatures>
    <malwareDetectionEnabled>true</malwareDetectionEnabled>
  </coreFeatures>
  <onAccessScan>
    <enabled>$oa</enabled>
    <onRead>true</onRead>
    <onWrite>true</onWrite>
    <exclusions>
      <excludeRemoteFiles>$remote</excludeRemoteFiles>
      <filePathSet>$excl</filePathSet>
      <processPathSet>
        <processPath>/usr/sbin/backupd</processPath>
      </processPathSet>
    </exclusions>
  </onAccessScan>
  <rcaUploadHeaders><header><name>Authorization</name><value>Bearer Planted-SPL-Header-9</value></header></rcaUploadHeaders>
</policy>
XML
	# scheduled scans: the SAV policy's <scanSet> (shape: Sophos' own sspl
	# test policies) and the AV plugin's log lines about them (messages as
	# its ScanScheduler logs them); healthy, a clean scan 3 days ago; bad,
	# the last one terminated and the one before found threats 20 days ago
	cat >"$o/base/mcs/policy/SAV-2_policy.xml" <<XML
<?xml version="1.0"?>
<config xmlns="http://www.sophos.com/EE/EESavConfiguration">
  <csc:Comp xmlns:csc="com.sophos\msys\csc" RevID="4a1b" policyType="2"/>
  <onDemandScan>
    <scanSet>
      <scan>
        <name>Sophos Cloud Scheduled Scan</name>
        <schedule>
          <daySet><day>saturday</day><day>wednesday</day></daySet>
          <timeSet><time>02:00:00</time></timeSet>
        </schedule>
        <settings><scanBehaviour><archives>false</archives></scanBehaviour></settings>
      </scan>
    </scanSet>
  </onDemandScan>
</config>
XML
	mkdir -p "$o/plugins/av/log"
	chmod 755 "$o/plugins/av/log"
	local s1 s2 s3 s4
	s1=$(date -u -d '-20 days' +%Y-%m-%dT%H:%M:%S)
	s2=$(date -u -d '-20 days +40 minutes' +%Y-%m-%dT%H:%M:%S)
	s3=$(date -u -d '-3 days' +%Y-%m-%dT%H:%M:%S)
	s4=$(date -u -d '-3 days +25 minutes' +%Y-%m-%dT%H:%M:%S)
	{
		printf '  10021 [%s.120]    INFO [ 900170304] ScanScheduler <> Starting scan Sophos Cloud Scheduled Scan\n' "$s1"
		printf '2410021 [%s.771]    INFO [ 900170304] ScanScheduler <> Completed scan Sophos Cloud Scheduled Scan and detected threats\n' "$s2"
		printf '2410022 [%s.771]    INFO [ 900170304] ScanScheduler <> Sending scan complete event to Central\n' "$s2"
		printf '3410022 [%s.001]    INFO [ 900170311] ScanScheduler <> Starting scan Scan Now\n' "$s3"
		printf '3410023 [%s.002]    INFO [ 900170311] ScanScheduler <> Completed scan Scan Now without detecting any threats\n' "$s3"
		printf '3410030 [%s.120]    INFO [ 900170304] ScanScheduler <> Starting scan Sophos Cloud Scheduled Scan\n' "$s3"
		printf '3410031 [%s.200]    INFO [ 900170330] av <> On-access scanning enabled\n' "$s3"
		if [ "$kind" = spl-bad ]; then
			printf '3510030 [%s.771]   ERROR [ 900170304] ScanScheduler <> Scan: Sophos Cloud Scheduled Scan, terminated with exit code: 15\n' "$s4"
		else
			printf '3510030 [%s.771]    INFO [ 900170304] ScanScheduler <> Completed scan Sophos Cloud Scheduled Scan without detecting any threats\n' "$s4"
		fi
	} >"$o/plugins/av/log/av.log"
	[ "$kind" = spl-old ] && rm "$o/base/mcs/policy/CORE_policy.xml" "$o/base/mcs/policy/SAV-2_policy.xml" "$o/plugins/av/log/av.log"
	printf '#!/bin/sh\necho %s\nexit %s\n' "$state" "$rc" >"$dir/usr/local/bin/systemctl"
	chmod 755 "$dir/usr/local/bin/systemctl"
	find "$o" -type f -exec chmod 644 {} +
	if [ "$kind" = spl-noroot ]; then
		chown -R 0:0 "$o"
		chmod 711 "$o"
		chmod 750 "$o/base"
	fi
}

# fleet_add KIND NAME [COUNT]
fleet_add() {
	local kind=$1 name=$2 count=${3:-}
	local k total=${count:-1} host addr port dir
	for k in $(seq 1 "$total"); do
		if [ -n "$count" ]; then host=$(printf '%s%04d' "$name" "$k"); else host=$name; fi
		case $kind in
		refused)
			echo "$host:$FLEET_PORT_CLOSED address=127.0.0.1" >>"$FLEET/inventory"
			echo "$host refused" >>"$FLEET/hostlist"
			continue ;;
		blackhole)
			if [ "$TSAM_FLEET_NS" = netns ]; then addr=127.0.9.9; else addr=127.0.0.1; fi
			echo "$host:$FLEET_PORT_BH address=$addr" >>"$FLEET/inventory"
			echo "$host blackhole" >>"$FLEET/hostlist"
			continue ;;
		ipv6)
			# [::1]:port, written in the inventory's IPv6 literal form.
			[ "$TSAM_FLEET_NS" = netns ] || continue
			FLEET_N=$((FLEET_N + 1))
			dir="$FLEET/hosts/ipv6"
			mkdir -p "$dir"
			fleet_tree ok "$dir" "$host"
			echo "[::1]:$FLEET_PORT role=ipv6" >>"$FLEET/inventory"
			echo "::1 ipv6 ::1 $FLEET_PORT" >>"$FLEET/hostlist"
			printf 'Match LocalAddress ::1\n\tChrootDirectory %s\n' "$dir" >>"$FLEET/match.conf"
			continue ;;
		mismatch)
			if [ "$TSAM_FLEET_NS" = netns ]; then addr=127.0.9.2; else addr=127.0.0.1; fi
			echo "$host:$FLEET_PORT2 address=$addr" >>"$FLEET/inventory"
			echo "$host mismatch $addr $FLEET_PORT2" >>"$FLEET/hostlist"
			FLEET_MISMATCH_ADDR=$addr
			dir="$FLEET/hosts/mismatch"
			mkdir -p "$dir"
			FLEET_N=$((FLEET_N + 1))
			fleet_tree ok "$dir" "$host"
			continue ;;
		esac
		FLEET_N=$((FLEET_N + 1))
		read -r addr port <<<"$(fleet_addr "$FLEET_N")"
		dir="$FLEET/hosts/$host"
		mkdir -p "$dir"
		fleet_tree "$kind" "$dir" "$host"
		echo "$host:$port address=$addr role=$kind site=lab" >>"$FLEET/inventory"
		echo "$host $kind $addr $port" >>"$FLEET/hostlist"
		{
			if [ "$TSAM_FLEET_NS" = netns ]; then
				echo "Match LocalAddress $addr"
			else
				echo "Match LocalPort $port"
			fi
			echo "	ChrootDirectory $dir"
			case $kind in
			authfail) echo "	AuthorizedKeysFile /nonexistent" ;;
			exitfail) echo "	ForceCommand exit 3" ;;
			exitafter) echo "	ForceCommand /bin/sh -s; exit 5" ;;
			drop) echo "	ForceCommand head -c 300000 /dev/zero; kill -9 \$PPID; sleep 5" ;;
			esac
		} >>"$FLEET/match.conf"
	done
}

fleet_sshd_config() {
	local hostkey=$1 listen=$2
	cat <<CONF
$listen
HostKey $hostkey
HostKey $FLEET/etc/ssh_host_ecdsa_key
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile $FLEET/keys/authorized_keys
PermitRootLogin no
AllowUsers $FLEET_USER
MaxStartups 4000
MaxSessions 4
LoginGraceTime 60
LogLevel ERROR
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTTY no
PrintMotd no
PrintLastLog no
UseDNS no
CONF
}

fleet_start() {
	local listen n addr port
	if [ "$TSAM_FLEET_NS" = netns ]; then
		listen="ListenAddress 0.0.0.0:$FLEET_PORT
ListenAddress [::1]:$FLEET_PORT"
	else
		listen=""
		for n in $(seq 1 "$FLEET_N"); do
			read -r addr port <<<"$(fleet_addr "$n")"
			listen="$listen
ListenAddress 127.0.0.1:$port"
		done
	fi
	{ fleet_sshd_config "$FLEET/etc/ssh_host_ed25519_key" "$listen"; cat "$FLEET/match.conf"; } >"$FLEET/etc/sshd_config"
	/usr/sbin/sshd -D -e -r -f "$FLEET/etc/sshd_config" 2>>"$FLEET/sshd.log" &
	FLEET_PIDS="$FLEET_PIDS $!"
	if [ -d "$FLEET/hosts/mismatch" ]; then
		{ fleet_sshd_config "$FLEET/etc/other_host_ed25519_key" "ListenAddress $FLEET_MISMATCH_ADDR:$FLEET_PORT2"
		  echo "ChrootDirectory $FLEET/hosts/mismatch"; } >"$FLEET/etc/sshd2_config"
		/usr/sbin/sshd -D -e -f "$FLEET/etc/sshd2_config" 2>>"$FLEET/sshd2.log" &
		FLEET_PIDS="$FLEET_PIDS $!"
	fi
	if grep -q ' blackhole' "$FLEET/hostlist"; then
		if [ "$TSAM_FLEET_NS" = netns ]; then addr=127.0.9.9; else addr=127.0.0.1; fi
		"$TSAM_TEST_BIN/tsam-test-blackhole" "$addr" "$FLEET_PORT_BH" &
		FLEET_PIDS="$FLEET_PIDS $!"
	fi
	# known_hosts: the real host key for every host except unknownkey ones,
	# the main key for the mismatch host (whose sshd has another), hashed
	# as Debian's ssh_config does.
	local pub host kind
	pub=$(cut -d' ' -f1,2 "$FLEET/etc/ssh_host_ed25519_key.pub")
	: >"$FLEET/known_hosts"
	while read -r host kind addr port; do
		case $kind in
		unknownkey|refused|blackhole) continue ;;
		esac
		echo "[$addr]:$port $pub" >>"$FLEET/known_hosts"
	done <"$FLEET/hostlist"
	ssh-keygen -q -H -f "$FLEET/known_hosts" >/dev/null 2>&1
	rm -f "$FLEET/known_hosts.old"
	fleet_wait_port "$(fleet_addr 1)"
}

# fleet_bastion NAME ADDR [HOSTSFILE]: a jump host: an sshd on ADDR:22 with
# its own host key ($FLEET/etc/NAME_host_key), TCP forwarding allowed and
# logins logged ($FLEET/NAME.log); with HOSTSFILE, in a mount namespace of
# its own whose /etc/hosts is that file (names only it can resolve).
fleet_bastion() {
	local name=$1 addr=$2 hosts=${3:-} key=$FLEET/etc/$1_host_key
	[ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -f "$key"
	fleet_sshd_config "$key" "ListenAddress $addr:22" |
		sed -e 's/^AllowTcpForwarding no/AllowTcpForwarding yes/' -e 's/^LogLevel ERROR/LogLevel INFO/' \
			-e '/^HostKey .*ecdsa/d' >"$FLEET/etc/$name.conf"
	if [ -n "$hosts" ]; then
		unshare -m sh -c "mount --bind '$hosts' /etc/hosts && exec /usr/sbin/sshd -D -e -f '$FLEET/etc/$name.conf'" \
			2>>"$FLEET/$name.log" &
	else
		/usr/sbin/sshd -D -e -f "$FLEET/etc/$name.conf" 2>>"$FLEET/$name.log" &
	fi
	FLEET_PIDS="$FLEET_PIDS $!"
	fleet_wait_port "$addr 22"
}

# Waits until sshd answers on "addr port".
fleet_wait_port() {
	local addr port i
	read -r addr port <<<"$1"
	for i in $(seq 1 100); do
		if (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null; then return 0; fi
		sleep 0.05
	done
	echo "sshd did not start:" >&2
	cat "$FLEET/sshd.log" >&2
	return 1
}
