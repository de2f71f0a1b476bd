# collectors/linux-base/collect.sh - host facts every health check needs:
# OS, kernel, uptime, load, CPU, memory, disks, time sync, MAC mode, names and the
# Sophos packages' versions. Runs inside common.sh's helpers (see there).
tsam_file os-release /etc/os-release
tsam_run uname uname -srmv
tsam_file uptime /proc/uptime
tsam_file loadavg /proc/loadavg
tsam_file cpuinfo /proc/cpuinfo
tsam_file meminfo /proc/meminfo
tsam_run df df -P -k / /opt /opt/sophos-av /opt/sophos-spl /var
tsam_run hostname hostname
tsam_run hostname-fqdn hostname -f
tsam_run chronyc chronyc -n tracking
tsam_run timedatectl timedatectl show
tsam_run ntpq ntpq -pn
tsam_run getenforce getenforce
tsam_file apparmor /sys/module/apparmor/parameters/enabled
# The package manager, asked for its version: "command -v" also names
# busybox's rpm and dpkg applets, which are not the package databases.
if rpm --version 2>/dev/null | grep -q '^RPM version'; then
	tsam_run packages rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n' 'sophos*' 'SophosAV*'
elif dpkg-query --version 2>/dev/null | grep -q 'dpkg-query'; then
	tsam_run packages dpkg-query -W -f '${Package} ${Version}\n' 'sophos*'
else
	tsam_text_rc packages 127 "no package manager (rpm or dpkg-query) on this host"
fi
