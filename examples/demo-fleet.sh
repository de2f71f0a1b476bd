# examples/demo-fleet.sh - the demo fleet that scripts/demo.sh builds on
# loopback (sourced after tests/ssh/fleet.sh): a customer's mixed Linux
# estate with the faults a real health check meets. Each line is
# "fleet_add KIND NAME [COUNT]"; see tests/ssh/fleet.sh for the kinds.
fleet_add ok web 24
fleet_add ok db 8
fleet_add ok app 12
fleet_add slow batch 4
fleet_add authfail legacy01
fleet_add unknownkey newsrv01
fleet_add mismatch rebuilt01
fleet_add refused decom01
fleet_add hang nfs-hung01
