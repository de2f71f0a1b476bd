#!/bin/bash
# tests/style/test_rules_facts.sh - every fact a rule names (in "when",
# "check" and "evidence") is documented in docs/facts.md, so a typo in a
# rule file cannot pass as a fact that is merely missing on every host.
TSAM_SRC=${TSAM_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TSAM_SRC/tests/ssh/lib.sh"
cd "$TSAM_SRC" || exit 1
if ! command -v jq >/dev/null 2>&1; then
	echo "SKIP: jq not installed (scripts/install-deps.sh): the rules' facts not checked"
	exit 77
fi
# every name in the first cell of a table row ("`health.service`,
# `health.threatService`" share one row)
documented=$(grep '^| `' docs/facts.md | cut -d'|' -f2 | grep -o '`[^`]*`' | tr -d '` ' | sed 's/\[\]$//' | sort -u)
for f in collectors/*/rules.json; do
	used=$(jq -r '.rules[] | ([.. | objects | .fact? // empty] + .evidence)[]' "$f" | sort -u)
	for fact in $used; do
		CHECKS=$((CHECKS + 1))
		grep -qxF "$fact" <<<"$documented" || fail "$f: fact '$fact' is not in docs/facts.md"
	done
done
finish
