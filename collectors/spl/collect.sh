# collectors/spl/collect.sh - Sophos Protection for Linux under
# /opt/sophos-spl: base and plugin versions, service state, health and
# update status, management ids (mcs.config: its secrets are redacted by
# the client before anything is stored), the update log's tail, on-access
# settings and exclusions (the CORE policy's <onAccessScan> only),
# scheduled scans (the SAV policy's <scanSet> and the AV plugin's log
# lines about them).
# Read-only; runs inside common.sh's helpers. Without the product: one
# section, installed = "no". The installer leaves most of the tree to root
# and the sophos-spl-group (/opt/sophos-spl 0711, files 0640 or 0600): what
# this account cannot see is a section with status 3 (tsam_denied), never
# "no" - a product behind a closed directory is not a missing product.
SPL=/opt/sophos-spl
if [ ! -f "$SPL/base/VERSION.ini" ]; then
	if tsam_hidden "$SPL/base/VERSION.ini"; then
		tsam_denied installed "$SPL/base"
	else
		tsam_text installed no
	fi
	exit 0
fi
tsam_text installed yes
tsam_file base-version "$SPL/base/VERSION.ini"
# Plugins: listed where the directory can be read (root); otherwise (0711)
# the plugins Sophos ships are looked up by name.
if [ -r "$SPL/plugins" ]; then
	set -- "$SPL"/plugins/*
else
	set --
	for n in av edr eventjournaler liveresponse mtr responseactions \
		runtimedetections deviceisolation; do
		set -- "$@" "$SPL/plugins/$n"
	done
fi
nplugins=0
for d in "$@"; do
	[ -f "$d/VERSION.ini" ] || continue
	n=${d##*/}
	case $n in
	*[!A-Za-z0-9_.-]*) continue ;;
	esac
	nplugins=$((nplugins + 1))
	tsam_file "plugin-$n" "$d/VERSION.ini"
done
if [ ! -r "$SPL/plugins" ] && [ "$nplugins" = 0 ]; then
	tsam_denied plugins "$SPL/plugins"
fi
tsam_run service systemctl is-active sophos-spl
tsam_file shs-status "$SPL/base/mcs/status/SHS_status.xml"
tsam_file alc-status "$SPL/base/mcs/status/ALC_status.xml"
tsam_file mcs-config "$SPL/base/etc/sophosspl/mcs.config"
tsam_run_in "$SPL/logs/base/suldownloader.log" suldownloader-log \
	tail -n 100 "$SPL/logs/base/suldownloader.log"
# On-access settings and exclusions from the CORE policy: only its
# <onAccessScan> element, one tag per line (the rest of the policy carries
# upload headers and tokens that have no business leaving the endpoint).
# Status 2 when the policy is missing, 3 when this account cannot read it.
tsam_run_in "$SPL/base/mcs/policy/CORE_policy.xml" core-policy-onaccess sh -c '[ -e "$1" ] || exit 2
	tr "<" "\n" <"$1" | sed -n "/^onAccessScan>/,/^\/onAccessScan>/p"' sh "$SPL/base/mcs/policy/CORE_policy.xml"
# Scheduled scans: the SAV policy's <scanSet> only (names, days, times),
# one tag per line; the AV plugin's log lines about scans (the last 200).
# Status 2 when the file is missing, 3 when this account cannot read it.
tsam_run_in "$SPL/base/mcs/policy/SAV-2_policy.xml" sav-policy-scans sh -c '[ -e "$1" ] || exit 2
	tr "<" "\n" <"$1" | sed -n "/^scanSet>/,/^\/scanSet>/p"' sh "$SPL/base/mcs/policy/SAV-2_policy.xml"
tsam_run_in "$SPL/plugins/av/log/av.log" av-log-scans sh -c '[ -e "$1" ] || exit 2
	grep -a -e " <> Starting scan " -e " <> Completed scan " -e " <> Scan: " "$1" | tail -n 200' sh "$SPL/plugins/av/log/av.log"
