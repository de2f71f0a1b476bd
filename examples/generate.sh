#!/bin/bash
# examples/generate.sh [OUT] - builds the demo portfolio (default
# out/examples): 3 TSAMs, 8 customers across the three tiers and both
# languages, fleets of 20 to 500 endpoints, case and event exports over
# five quarters, waivers (one expired), and last year's findings.
#
# Everything comes from a fixed seed and the real snapshots in
# examples/seed/ (captured once from the loopback demo fleet:
# examples/live-demo.sh's SAV, SPL and plain Linux hosts, healthy and not,
# one collected without the privilege SPL's files need, and four hosts
# that could not be collected), so every run gives the same
# files. Needs the built tools: $TSAM_BIN (a test's build), else build/
# (scripts/build.sh). See examples/README.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$top/out/examples}
B=${TSAM_BIN:-$top/build/tools}
SEED=$top/examples/seed
rm -rf "$OUT"
mkdir -p "$OUT"/{fleets,cases,waivers,previous}
chmod 700 "$OUT"
cc -O2 -Wall -Wextra -Werror -o "$OUT/.gen-cases" "$top/examples/gen-demo-cases.c"

# customer  hosts  cases  seed  roles  health  story
#   roles: weights of the hosts' roles (name prefixes)
#          web web-old dmz app batch db decom ops
#   health: now/last year, in percent: web and dmz hosts migrated from
#          Sophos Anti-Virus for Linux (end of support) to Sophos
#          Protection for Linux, and hosts whose clock is not synchronised
#   story: the quarters' character for the case exports (0 = 2025Q3,
#          4 = 2026Q3): outage, staff (a staffing gap), good; "-" none
CUSTOMERS="
acme            40  600 11 6,1,1,6,1,2,1,0 85/55/5/25 2:outage
sakura-bank    500  900 12 10,0,1,8,1,3,1,0 80/40/4/18 1:staff,4:outage
nihon-logi     120  300 13 4,1,2,4,2,2,1,1 50/30/12/30 3:staff
fuji-medical    20   80 14 2,2,2,1,2,1,2,0 20/10/20/35 -
globex         200  400 15 6,1,1,6,1,2,1,0 75/45/6/20 1:staff,3:good
initech         60  200 16 3,1,1,5,1,2,1,0 60/35/8/22 2:outage
umbrella        80  250 17 5,2,2,3,2,2,2,1 45/25/10/28 4:staff
hooli           30  100 18 6,0,0,6,0,2,0,0 90/70/3/12 -
"
roles=(web web-old dmz app batch db decom ops)
uncollected=(decom01 legacy01 newsrv01 nfs-hung01)

# The seed snapshots in variants: as captured (t0: clock not synchronised,
# n0: db0001's name without a domain) and corrected (t1, n1), so that a
# finding concerns the share of a fleet it would in life; and in four
# sizings (z), as a fleet has them: z0 comfortable, z1 CPU-bound (15-minute
# load 160 % of the CPUs), z2 a full root file system (95 %, 800 MiB left
# for /opt), z3 short of memory (350 MiB available). The seeds were taken
# before the collectors read the load and df: these give them figures.
mkdir -p "$OUT/.var"
for s in web0001 web-legacy0001 dmz0001 app0001 batch0001 db0001 ops0001; do
	for t in 0 1; do
		for nm in 0 1; do
			[ "$nm" = 1 ] && [ "$s" != db0001 ] && continue
			for z in 0 1 2 3; do
				zcat "$SEED/hosts/$s.json.gz" | jq -c --argjson t "$t" --argjson nm "$nm" --argjson z "$z" '
				if $t == 1 then .facts.facts["time.synced"] = true | .facts.facts["time.source"] = "chrony" else . end
				| if $nm == 1 then .facts.facts["host.fqdn"] = "\(.facts.facts["host.name"]).corp.example" else . end
				| .facts.facts as $f
				| ([28, 160, 35, 85][$z]) as $l15
				| ([20480, 20480, 20480, 20480][$z]) as $root
				| ([44, 52, 96, 61][$z]) as $rpct
				| (if $z == 2 then 800 else ($root * (100 - $rpct) / 100 | floor) end) as $rfree
				| .facts.facts["host.load1_pct"] = ($l15 + [9, 25, 4, 12][$z])
				| .facts.facts["host.load5_pct"] = ($l15 + [4, 10, 2, 6][$z])
				| .facts.facts["host.load15_pct"] = $l15
				| .facts.facts["hw.mem_available_mb"] =
					(if $z == 3 then 350 else ($f["hw.mem_total_mb"] * [0.58, 0.31, 0.52, 0][$z] | floor) end)
				| .facts.facts.disk = [
					{mount: "/", device: "/dev/mapper/vg0-root", size_mb: $root,
					 used_mb: ($root - $rfree), free_mb: $rfree, used_pct: $rpct},
					{mount: "/var", device: "/dev/mapper/vg0-var", size_mb: 10240,
					 used_mb: (10240 * [38, 47, 71, 40][$z] / 100 | floor),
					 free_mb: (10240 - (10240 * [38, 47, 71, 40][$z] / 100 | floor)),
					 used_pct: [38, 47, 71, 40][$z]}]' |
					gzip -n >"$OUT/.var/$s-t$t-n$nm-z$z.json.gz" &
			done
			wait
		done
	done
done

# h I SALT: R = a deterministic number 0-99 for host I.
h() { R=$(((($1 * 2654435761 + $2 * 40503 + $1 * $1 * 7) >> 7) % 100)); }

# A fleet: N endpoints with roles drawn by weight (a fixed sequence); each
# a copy of a seed snapshot variant chosen by role and year (YEAR now or
# prev): migrated web and dmz hosts run Sophos Protection for Linux, a
# few SPL hosts have a failed service (other hosts each year), some clocks
# are not synchronised (fewer this year; a few newly broken).
fleet() {
	local id=$1 n=$2 mix=$3 health=$4 year=$5 dir=$6 i k pick total=0 w
	local first=0 last=$n mig tbad r seed var t nm z name
	local appbad=4 dbbad=30 salt=1
	local -a weights hv dsts bare=()
	local -A copies=()
	IFS=, read -r -a weights <<<"$mix"
	IFS=/ read -r -a hv <<<"$health"
	for w in "${weights[@]}"; do total=$((total + w)); done
	if [ "$year" = now ]; then
		mig=${hv[0]} tbad=${hv[2]}
	else # last year: a few hosts not there yet, a few since retired
		mig=${hv[1]} tbad=${hv[3]}
		last=$((n - n / 15 + n / 20))
		appbad=9 dbbad=55 salt=2
	fi
	mkdir -p "$dir/hosts"
	: >"$dir/names"
	for ((i = first; i < last; i++)); do
		# a deterministic spread: i * 7919 mod total picks the role
		pick=$(((i * 7919 + ${#id}) % total))
		for ((k = 0; k < ${#roles[@]}; k++)); do
			if ((pick < weights[k])); then break; fi
			pick=$((pick - weights[k]))
		done
		printf -v name '%s%04d' "${roles[$k]}" "$i"
		h "$i" 1
		r=$R
		nm=0
		case ${roles[$k]} in
		web) if ((r < mig)); then seed=app0001; else seed=web0001; fi ;;
		web-old) if ((r < mig / 3)); then seed=app0001; else seed=web-legacy0001; fi ;;
		dmz) if ((r < mig)); then seed=app0001; else seed=dmz0001; fi ;;
		app) h "$i" $((10 + salt)); if ((R < appbad)); then seed=batch0001; else seed=app0001; fi ;;
		batch) h "$i" $((20 + salt)); if ((R < 30)); then seed=batch0001; else seed=app0001; fi ;;
		db) seed=db0001; h "$i" 3; if ((R >= dbbad)); then nm=1; fi ;;
		decom) if [ "$year" = now ]; then seed=${uncollected[$((i % 4))]}; else seed=web0001; fi ;;
		ops) seed=ops0001 ;;
		esac
		# the clock: broken last year on tbad %, this year on fewer,
		# and newly broken on a few others
		t=1
		h "$i" 5
		if ((R < tbad)); then t=0; fi
		h "$i" 6
		if [ "$year" = now ] && ((R < 3)); then t=0; fi
		# the sizing: most comfortable, a few busy, full or short of
		# memory (other hosts last year)
		h "$i" $((16 + salt))
		z=0
		if ((R < 3)); then z=2; elif ((R < 6)); then z=1; elif ((R < 9)); then z=3; fi
		var=$OUT/.var/$seed-t$t-n$nm-z$z.json.gz
		[ "$seed" = db0001 ] && [ "$nm" = 0 ] && [ "$name" != db0001 ] && bare+=("$name")
		echo "$name $seed" >>"$dir/names"
		if [ ! -e "$var" ]; then
			var=$SEED/hosts/$seed.json.gz
		fi
		# copies made below, one process per snapshot variant
		[ -e "$var" ] && copies[$var]+="$dir/hosts/$name.json.gz"$'\n'
	done
	for var in "${!copies[@]}"; do
		mapfile -t dsts <<<"${copies[$var]%$'\n'}"
		tee "${dsts[@]}" <"$var" >/dev/null
	done
	# a name without a domain is reported as the host's own: the copies
	# of db0001 that keep it get their inventory name
	for name in "${bare[@]}"; do
		zcat "$dir/hosts/$name.json.gz" | sed "s/\"db0001\"/\"$name\"/g" | gzip -n >"$dir/hosts/$name.tmp" &&
			mv "$dir/hosts/$name.tmp" "$dir/hosts/$name.json.gz"
	done
	jq --rawfile names "$dir/names" '
		(.hosts | map({(.name): .}) | add) as $seed
		| .hosts = [$names | split("\n")[] | select(length > 0) | split(" ")
			| $seed[.[1]] + {name: .[0]}
			| if .snapshot then .snapshot = "hosts/\(.name).json.gz" else . end]' \
		"$SEED/run.json" >"$dir/run.json"
	rm "$dir/names"
}

# Last year's findings: tsam-check over last year's fleet (fewer hosts
# migrated, more clocks adrift, other failed services), so the score, the
# diff's fixed and new findings and the hosts added and removed are real.
previous() {
	local id=$1 prev=$OUT/.prev/$id
	fleet "$id" "$2" "$3" "$4" prev "$prev"
	"$B/tsam-check" "$prev" -o "$OUT/previous/$id.then.json" --quiet || true
	jq --arg id "$id" '.run.started = "2025-09-15T01:00:00Z" | .run.dir = "fleets/\($id)"' "$OUT/previous/$id.then.json" >"$OUT/previous/$id-2025.json"
	rm -r "$OUT/previous/$id.then.json" "$prev"
}

while read -r id hosts ncases seed mix health story; do
	[ -n "$id" ] || continue
	fleet "$id" "$hosts" "$mix" "$health" now "$OUT/fleets/$id"
	tier=$(jq -r --arg id "$id" '.customers[] | select(.id == $id) | .tier' "$top/examples/portfolio.json")
	cal=$(jq -r --arg id "$id" '.customers[] | select(.id == $id) | .calendar' "$top/examples/portfolio.json")
	"$OUT/.gen-cases" "$ncases" "$OUT/cases/$id-cases.csv" "$OUT/cases/$id-events.csv" \
		"$seed" "$(echo "$id" | tr -d '-' | tr 'a-z' 'A-Z')-" "$id" "$tier" "$cal" "$story"
	previous "$id" "$hosts" "$mix" "$health"
done <<<"$CUSTOMERS"
rm -rf "$OUT/.var" "$OUT/.prev"

# Waivers: one in force and one expired (acme), one in force elsewhere.
cat >"$OUT/waivers/acme.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "LNX-TIME-001", "hosts": "db*", "justification": "データベースサーバーはストレージ装置の PTP から時刻を取得しており、四半期ごとに監査しています",
   "approver": "佐藤 一郎（CISO）", "created": "2026-01-15", "expires": "2027-01-14"},
  {"rule": "SAV-ONACCESS-001", "hosts": "web-old*", "justification": "旧 Web 層は 2025 年の移行期間中に廃止する予定でした",
   "approver": "佐藤 一郎（CISO）", "created": "2025-01-10", "expires": "2025-12-31"}
]}
JSON
cat >"$OUT/waivers/globex.json" <<'JSON'
{"schema": "tsamkit-waivers/1", "waivers": [
  {"rule": "SPL-EXCL-002", "hosts": "batch*", "justification": "Batch output directories are scanned by the nightly job instead",
   "approver": "J. Doe (CISO)", "created": "2026-03-01", "expires": "2026-12-31"}
]}
JSON

# Action registers (docs/actions.schema.json) the TSAMs keep: what was
# agreed at each review; open items come back every quarter until done.
mkdir -p "$OUT/actions" "$OUT/notes"
cat >"$OUT/actions/acme.json" <<'JSON'
{"schema": "tsamkit-actions/1", "customer": "acme", "actions": [
  {"id": "A-2026Q1-01", "agreed": "2026Q1", "owner": "vendor", "who": "山田",
   "text": "SPL 2026.1 のオンアクセス停止の修正版を検証環境で評価し、結果を共有する", "due": "2026-04-30", "status": "done", "closed": "2026Q2"},
  {"id": "A-2026Q2-01", "agreed": "2026Q2", "owner": "customer", "who": "佐藤（基盤チーム）",
   "text": "Sophos Anti-Virus for Linux が残る Web サーバーを Sophos Protection for Linux へ移行する", "due": "2026-09-30", "status": "open"},
  {"id": "A-2026Q2-02", "agreed": "2026Q2", "owner": "vendor", "who": "山田",
   "text": "時刻同期（chrony）の設定手順書を提供する", "due": "2026-07-31", "status": "done", "closed": "2026Q3"},
  {"id": "A-2026Q3-01", "agreed": "2026Q3", "owner": "both",
   "text": "夜間・休日の緊急連絡先を相互に更新する", "due": "2026-10-31", "status": "open"},
  {"id": "A-2026Q3-02", "agreed": "2026Q3", "owner": "vendor", "who": "山田",
   "text": "未解決案件の一覧を毎月送付する", "due": "2026-10-15", "status": "open"}
]}
JSON
cat >"$OUT/actions/sakura-bank.json" <<'JSON'
{"schema": "tsamkit-actions/1", "customer": "sakura-bank", "actions": [
  {"id": "S-2026Q2-01", "agreed": "2026Q2", "owner": "customer", "who": "鈴木（システム部）",
   "text": "更新を検証環境へ先行適用するリリースリングを設ける", "due": "2026-09-30", "status": "open"},
  {"id": "S-2026Q3-01", "agreed": "2026Q3", "owner": "vendor", "who": "山田",
   "text": "8月の更新に起因する障害の根本原因報告書を提出する", "due": "2026-10-16", "status": "open"},
  {"id": "S-2026Q3-02", "agreed": "2026Q3", "owner": "both",
   "text": "緊急時のエスカレーション連絡網を見直す", "due": "2026-10-30", "status": "open"}
]}
JSON
cat >"$OUT/actions/globex.json" <<'JSON'
{"schema": "tsamkit-actions/1", "customer": "globex", "actions": [
  {"id": "G-2025Q4-01", "agreed": "2025Q4", "owner": "vendor", "who": "Jane Smith",
   "text": "Add a second English-language engineer to the holiday rota", "due": "2025-12-15", "status": "done", "closed": "2026Q1"},
  {"id": "G-2026Q2-01", "agreed": "2026Q2", "owner": "customer", "who": "Platform team",
   "text": "Retire the legacy web tier still running Sophos Anti-Virus for Linux", "due": "2026-12-31", "status": "open"},
  {"id": "G-2026Q3-01", "agreed": "2026Q3", "owner": "vendor", "who": "Jane Smith",
   "text": "Review the exclusions on the batch hosts with your platform team", "due": "2026-11-15", "status": "open"},
  {"id": "G-2026Q3-02", "agreed": "2026Q3", "owner": "customer",
   "text": "Send the update-relay sizing figures for the capacity review", "due": "2026-10-31", "status": "open"}
]}
JSON
# The TSAM's own paragraph for the quarter in brief: what the figures do
# not say (causes, what changes), never a figure of its own.
cat >"$OUT/notes/acme-2026Q3.txt" <<'TXT'
今四半期は緊急案件が続き、エグゼクティブマネージャへのエスカレーションもありました。初回応答の遅れによりサポートクレジットが発生しており、夜間・休日の一次対応の手順を見直しています。Web サーバーの移行（A-2026Q2-01）は期限の9月末を過ぎましたが、約8割まで進んでおり、第4四半期中の完了を目指します。
TXT
cat >"$OUT/notes/sakura-bank-2026Q3.txt" <<'TXT'
今四半期は定義ファイル更新に起因する障害で緊急案件が集中し、初回応答と状況報告の遅れが重なりました。多大なご迷惑をおかけしたことを深くお詫び申し上げます。根本原因報告書（S-2026Q3-01）は提出が遅れており、11月末までにお届けします。再発防止として、更新を検証環境へ先行適用するリリースリング（S-2026Q2-01）の導入を支援し、緊急時のエスカレーション連絡網（S-2026Q3-02）を見直します。
TXT
cat >"$OUT/notes/globex-2026Q3.txt" <<'TXT'
A steady quarter: first responses on time, and the executive escalations were at your request. A few severity-2 status updates came late; we have reviewed them with the team. Sophos Anti-Virus for Linux, whose support has ended, still runs on parts of the web and DMZ tiers (see the health summary): retiring it (G-2026Q2-01) is the priority for the coming quarter.
TXT

cp "$top/examples/portfolio.json" "$OUT/portfolio.json"
rm -f "$OUT/.gen-cases"
echo "examples: $(ls "$OUT/fleets" | wc -l) fleets, $(cat "$OUT"/fleets/*/run.json | jq -s '[.[].hosts | length] | add') endpoints, $(cat "$OUT"/cases/*-cases.csv | grep -vc '^id,') cases in $OUT" >&2
