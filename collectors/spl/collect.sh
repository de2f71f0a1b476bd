# collectors/spl/collect.sh - Sophos Protection for Linux under
# /opt/sophos-spl: base and plugin versions, service state, health and
# update status, management ids (mcs.config: its secrets are redacted by
# the client before anything is stored), the update log's tail, on-access
# settings and exclusions (the CORE policy's <onAccessScan> only),
# scheduled scans (the SAV policy's <scanSet> and the AV plugin's log
# lines about them).
# Read-only; runs inside common.sh's helpers. Without the product: one
# section, installed = "no".
SPL=/opt/sophos-spl
if [ ! -f "$SPL/base/VERSION.ini" ]; then
	tsam_text installed no
	exit 0
fi
tsam_text installed yes
tsam_file base-version "$SPL/base/VERSION.ini"
for d in "$SPL"/plugins/*; do
	[ -f "$d/VERSION.ini" ] || continue
	n=${d##*/}
	case $n in
	*[!A-Za-z0-9_.-]*) continue ;;
	esac
	tsam_file "plugin-$n" "$d/VERSION.ini"
done
tsam_run service systemctl is-active sophos-spl
tsam_file shs-status "$SPL/base/mcs/status/SHS_status.xml"
tsam_file alc-status "$SPL/base/mcs/status/ALC_status.xml"
tsam_file mcs-config "$SPL/base/etc/sophosspl/mcs.config"
tsam_run suldownloader-log tail -n 100 "$SPL/logs/base/suldownloader.log"
# On-access settings and exclusions from the CORE policy: only its
# <onAccessScan> element, one tag per line (the rest of the policy carries
# upload headers and tokens that have no business leaving the endpoint).
# Status 2 when the policy is missing, 3 when it cannot be read.
tsam_run core-policy-onaccess sh -c '[ -e "$1" ] || exit 2; [ -r "$1" ] || exit 3
	tr "<" "\n" <"$1" | sed -n "/^onAccessScan>/,/^\/onAccessScan>/p"' sh "$SPL/base/mcs/policy/CORE_policy.xml"
# Scheduled scans: the SAV policy's <scanSet> only (names, days, times),
# one tag per line; the AV plugin's log lines about scans (the last 200).
# Status 2 when the file is missing, 3 when it cannot be read.
tsam_run sav-policy-scans sh -c '[ -e "$1" ] || exit 2; [ -r "$1" ] || exit 3
	tr "<" "\n" <"$1" | sed -n "/^scanSet>/,/^\/scanSet>/p"' sh "$SPL/base/mcs/policy/SAV-2_policy.xml"
tsam_run av-log-scans sh -c '[ -e "$1" ] || exit 2; [ -r "$1" ] || exit 3
	grep -a -e " <> Starting scan " -e " <> Completed scan " -e " <> Scan: " "$1" | tail -n 200' sh "$SPL/plugins/av/log/av.log"
