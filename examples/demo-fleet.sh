# examples/demo-fleet.sh - the demo fleet that examples/live-demo.sh builds on
# loopback (sourced after tests/ssh/fleet.sh): a customer's mixed Linux
# estate running Sophos Anti-Virus for Linux and Sophos Protection for
# Linux, with the faults a real health check meets. Each line is
# "fleet_add KIND NAME [COUNT]"; see tests/ssh/fleet.sh for the kinds.
fleet_add sav web 16
fleet_add sav-oaoff web-legacy 2
fleet_add sav-stale dmz 3
fleet_add spl app 12
fleet_add spl-bad batch 2
fleet_add spl-noroot ops 2
fleet_add ok db 6
fleet_add authfail legacy01
fleet_add unknownkey newsrv01
fleet_add mismatch rebuilt01
fleet_add refused decom01
fleet_add hang nfs-hung01
