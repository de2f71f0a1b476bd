# collectors/sav-linux/collect.sh - Sophos Anti-Virus for Linux 9/10 under
# /opt/sophos-av: status, versions, configuration (basic and advanced),
# last update, recent scan log. Read-only; runs inside common.sh's helpers.
# A host without the product gets one section, installed = "no". The
# configuration (etc/) is root's: what this account cannot see is a section
# with status 3 (tsam_denied), never "no" and never an empty list.
SAV=/opt/sophos-av
if [ ! -x "$SAV/bin/savdstatus" ]; then
	if [ -e "$SAV/bin/savdstatus" ] || tsam_hidden "$SAV/bin/savdstatus"; then
		tsam_denied installed "$SAV/bin/savdstatus"
	else
		tsam_text installed no
	fi
	exit 0
fi
tsam_text installed yes
tsam_run savdstatus "$SAV/bin/savdstatus"
tsam_run savdstatus-version "$SAV/bin/savdstatus" --version
tsam_run_in "$SAV/etc" savconfig-query "$SAV/bin/savconfig" query
tsam_run_in "$SAV/etc" savconfig-advanced "$SAV/bin/savconfig" --advanced query
tsam_file last-update "$SAV/etc/update.last_update"
tsam_run savlog "$SAV/bin/savlog" --maxage=7
