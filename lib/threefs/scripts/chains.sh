# The placement and the live chains, shared by bootstrap.sh and migrate.sh: sourced after common.sh, never
# run. Needs PLAN_DIR (placement.txt), WORK (scratch), the PLAN_* id scalars and run_cli/run_batch.
# Sources: AliyunContainerService/alibabacloud-3FS at ab363af (path:line below).
#
# placement.txt: `#` comments, then one line per chain group g (line order = g, 1-based): its members as
# <node id>:<slot>, head first (lib/threefs/placementLock.ts). The ids follow gen_chain_table.py
# (deploy/data_placement/src/setup/gen_chain_table.py:12-13,51,89-96): target id
# ((TP*1e6 + node)*1e3 + disk+1)*100 + slot, chain id (CP*1e3 + disk+1)*1e5 + g, for every disk index.

# expand_placement: writes in WORK
#   targets.tsv  <target id> <node id> <disk> <chain id>          every planned target
#   plan.tsv     <chain id> <target id>…                          members head first (the preferred order)
#   plan.csv     upload-chains input of every chain, members in ascending node id as gen_chain_table.py
#   table.txt    chain ids in table order (disk, then group), as generated_chain_table.csv lists them
# printf "%.0f" keeps the 13-digit ids exact (doubles are exact below 2^53).
expand_placement() {
  awk -v D="$PLAN_DISKS_PER_NODE" -v K="$PLAN_REPLICAS" -v TP="$PLAN_TARGET_ID_PREFIX" -v CP="$PLAN_CHAIN_ID_PREFIX" \
    -v IDS="$PLAN_STORAGE_NODE_IDS" -v G="$PLAN_GROUP_COUNT" -v W="$WORK" '
    function fail(msg) { print "placement.txt: " msg > "/dev/stderr"; bad = 1; exit 1 }
    BEGIN { n = split(IDS, id, ","); for (i = 1; i <= n; i++) planned[id[i]] = 1 }
    /^#/ || NF == 0 { next }
    {
      g++
      if (NF != K) fail("chain group " g " has " NF " members, expected " K)
      for (j = 1; j <= NF; j++) {
        if ($j !~ /^[0-9]+:[0-9]+$/) fail("chain group " g ": bad member " $j)
        split($j, p, ":"); node = p[1] + 0; slot = p[2] + 0
        if (!(node in planned)) fail("chain group " g ": node " node " is not a planned storage node")
        if (slot < 1 || slot > 99) fail("chain group " g ": slot " slot " is outside 1..99")
        if ((g, node) in seen) fail("chain group " g " lists node " node " twice")
        if ((node, slot) in used) fail("node " node " uses slot " slot " in groups " used[node, slot] " and " g)
        seen[g, node] = 1; used[node, slot] = g
        mn[g, j] = node; ms[g, j] = slot
      }
    }
    END {
      if (bad) exit 1
      if (g != G) fail("expected " G " chain groups, found " g)
      header = "ChainId"; for (j = 1; j <= K; j++) header = header ",TargetId"
      print header > (W "/plan.csv")
      for (d = 0; d < D; d++) {
        for (x = 1; x <= g; x++) {
          cid = sprintf("%.0f", (CP * 1000 + d + 1) * 100000 + x)
          line = cid; n = 0
          for (j = 1; j <= K; j++) {
            tid = sprintf("%.0f", ((TP * 1000000 + mn[x, j]) * 1000 + d + 1) * 100 + ms[x, j])
            printf "%s %d %d %s\n", tid, mn[x, j], d, cid > (W "/targets.tsv")
            line = line " " tid; asc[++n] = mn[x, j] " " tid
          }
          print line > (W "/plan.tsv")
          # Ascending node id (insertion sort of K ≤ 5 entries) for the CSV.
          for (a = 2; a <= n; a++) for (b = a; b > 1 && asc[b - 1] + 0 > asc[b] + 0; b--) { t = asc[b]; asc[b] = asc[b - 1]; asc[b - 1] = t }
          row = cid; for (a = 1; a <= n; a++) { split(asc[a], q, " "); row = row "," q[2] }
          print row > (W "/plan.csv")
          print cid > (W "/table.txt")
        }
      }
    }' "$PLAN_DIR/placement.txt" || die "invalid placement.txt"
}

# read_cluster: one admin_cli session (commands on stdin; each result printed, Dispatcher.cc:238-257) runs
# list-nodes, list-chains, list-targets and list-targets --orphan; the tables are told apart by their
# headers (ListNodes.cc:73-74, ListChains.cc:115-121, ListTargets.cc:44-54,74-82). Writes in WORK:
#   nodes.tsv    <id> <type> <status>
#   live.tsv     <chain id> <status> <preferred order> <target>:<public>:<local>…   (chain order)
#   members.tsv  <target id> <chain id> <public> <local> <node id|N/A> <disk|N/A>
#   orphans.tsv  <target id> <local> <node id> <disk>
# Returns 1 (reason in WAIT_DETAIL, which wait_until of common.sh reports) when any of them failed, e.g.
# mgmtd not answering.
# shellcheck disable=SC2034
read_cluster() {
  local out rc=0
  out=$(printf 'list-nodes\nlist-chains\nlist-targets\nlist-targets --orphan\n' | timeout "$CLI_TIMEOUT" "$ADMIN_CLI" "--cfg=$AUTH_CFG" 2>/dev/null) || rc=$?
  if ((rc != 0)) || [[ $out == *"Encounter error"* ]]; then
    WAIT_DETAIL="reading the cluster: $(grep -m1 -A1 'Encounter error' <<<"$out" | tr '\n' ' ' | head -c 200)${rc:+ (exit $rc)}"
    return 1
  fi
  awk -v W="$WORK" '
    BEGIN { n = split("nodes.tsv live.tsv members.tsv orphans.tsv", names, " "); for (i = 1; i <= n; i++) printf "" > (W "/" names[i]) }
    $1 == "Id" && $2 == "Type" { s = "nodes"; seen++; next }
    $1 == "ChainId" && $2 == "ReferencedBy" { s = "chains"; seen++; next }
    $1 == "TargetId" && $2 == "ChainId" { s = "members"; seen++; next }
    $1 == "TargetId" && $2 == "LocalState" { s = "orphans"; seen++; next }
    $1 !~ /^[0-9]+$/ { next }
    s == "nodes" { print $1, $2, $3 > (W "/nodes.tsv") }
    s == "chains" {
      line = $1 " " $4 " " $5
      for (i = 6; i <= NF; i++) { t = $i; gsub(/[()]/, " ", t); split(t, a, " "); split(a[2], st, "-"); line = line " " a[1] ":" st[1] ":" st[2] }
      print line > (W "/live.tsv")
    }
    s == "members" { print $1, $2, $4, $5, $6, $7 > (W "/members.tsv") }
    s == "orphans" { print $1, $2, $3, $4 > (W "/orphans.tsv") }
    END { if (seen != 4) exit 1 }' <<<"$out" || { WAIT_DETAIL="reading the cluster: incomplete output"; return 1; }
}

# connected_storage: ids of STORAGE nodes that are HEARTBEAT_CONNECTED (nodes.tsv).
connected_storage() { awk '$2 == "STORAGE" && $3 == "HEARTBEAT_CONNECTED" { print $1 }' "$WORK/nodes.tsv"; }

# new_chains_status: the planned chains mgmtd does not have yet (from plan.tsv, live.tsv, members.tsv,
# orphans.tsv). Writes in WORK
#   new_chains.tsv    chains whose every target is free: none is a member of another chain
#   deferred.txt      chains waiting for a slot that a member of another chain still holds (a node reusing
#                     the slot of a membership it gives up: the migration frees it first)
#   need_targets.tsv  <target> <node> <disk> <chain> of new_chains.tsv not reported yet by their node
#   ready_chains.tsv  new chains whose targets are all reported (upload-chains may take them)
# A target reported by another node than planned is a conflict: fatal (it would join the wrong node).
new_chains_status() {
  local rc=0
  : >"$WORK/new_chains.tsv"
  : >"$WORK/deferred.txt"
  : >"$WORK/need_targets.tsv"
  : >"$WORK/ready_chains.tsv"
  awk -v W="$WORK" '
    FILENAME ~ /live.tsv$/ { live[$1] = 1; next }
    FILENAME ~ /members.tsv$/ { member[$1] = $2; next }
    FILENAME ~ /orphans.tsv$/ { orphan[$1] = $3; next }
    FILENAME ~ /targets.tsv$/ { node[$1] = $2; disk[$1] = $3; next }
    {
      if ($1 in live) next
      blocked = 0; missing = ""
      for (i = 2; i <= NF; i++) {
        t = $i
        if (t in member) { blocked = 1; continue }
        if (t in orphan) {
          if (orphan[t] != node[t]) { print "target " t " of chain " $1 " is reported by node " orphan[t] ", planned on " node[t] > "/dev/stderr"; conflict = 1 }
          continue
        }
        missing = missing t " " node[t] " " disk[t] " " $1 "\n"
      }
      if (blocked) { print $1 > (W "/deferred.txt"); next }
      print > (W "/new_chains.tsv")
      if (missing == "") print > (W "/ready_chains.tsv")
      else printf "%s", missing > (W "/need_targets.tsv")
    }
    END { exit conflict }' "$WORK/live.tsv" "$WORK/members.tsv" "$WORK/orphans.tsv" "$WORK/targets.tsv" "$WORK/plan.tsv" 2>"$WORK/conflicts.txt" || rc=$?
  ((rc == 0)) || die "$(head -n 5 "$WORK/conflicts.txt")"
}

# run_batch <file> <what>: one admin_cli session for the commands in <file> (stdin mode: every line runs,
# exit 0 whatever the results, Dispatcher.cc:238-257,294, so callers judge by reading the cluster again).
# Output in <file>.out; errors are counted and the first ones logged.
run_batch() {
  local file=$1 what=$2 n errors
  n=$(grep -c . "$file" || true)
  ((n > 0)) || return 0
  log "run: ${what} (${n} command(s), ${file})"
  timeout "$(remaining_budget)" "$ADMIN_CLI" "--cfg=$AUTH_CFG" <"$file" >"$file.out" 2>&1 || true
  errors=$(grep -c "Encounter error" "$file.out" || true)
  ((errors == 0)) || { log "${what}: ${errors} error(s), first ones:"; grep -A1 "Encounter error" "$file.out" | head -n 6 >&2 || true; }
}

# upload_ready_chains: upload-chains with the new chains whose targets are all reported (new chains only:
# an existing chain with other members is refused, "Target mismatch", SetChainsOperation.cc:41-56).
upload_ready_chains() {
  [[ -s $WORK/ready_chains.tsv ]] || return 0
  awk 'FILENAME == ARGV[1] { want[$1] = 1; next } FNR == 1 || ($0 ~ /^[0-9]/ && substr($0, 1, index($0, ",") - 1) in want)' \
    "$WORK/ready_chains.tsv" "$WORK/plan.csv" >"$WORK/upload_chains.csv"
  mutate "upload-chains $WORK/upload_chains.csv"
}

# upload_table_if_complete: upload-chain-table once every planned chain exists, unless table 1 already
# lists the planned chains in order (list-chains -t, ListChains.cc:93-113; versions, SetChainTableOperation.cc:40-85).
upload_table_if_complete() {
  if awk 'FILENAME == ARGV[1] { live[$1] = 1; next } !($1 in live) { missing = 1 } END { exit !missing }' "$WORK/live.tsv" "$WORK/table.txt"; then
    log "chain table ${PLAN_CHAIN_TABLE_ID}: not every planned chain exists yet"
    return 0
  fi
  : >"$WORK/current_table.txt"
  run_cli "list-chain-tables" || die "list-chain-tables failed: $OUT"
  if awk -v id="$PLAN_CHAIN_TABLE_ID" '$1 == id { found = 1 } END { exit !found }' <<<"$OUT"; then
    run_cli "list-chains -t ${PLAN_CHAIN_TABLE_ID}" || die "list-chains -t ${PLAN_CHAIN_TABLE_ID} failed: $OUT"
    first_column_ids <<<"$OUT" >"$WORK/current_table.txt"
  fi
  if cmp -s "$WORK/table.txt" "$WORK/current_table.txt"; then
    log "chain table ${PLAN_CHAIN_TABLE_ID} is up to date"
  else
    { echo "ChainId"; cat "$WORK/table.txt"; } >"$WORK/chain_table.csv"
    mutate "upload-chain-table --desc ${PLAN_DESC} ${PLAN_CHAIN_TABLE_ID} $WORK/chain_table.csv"
  fi
}

# create_targets <file of target node disk chain> <what>: create-target for each line whose node is
# HEARTBEAT_CONNECTED now (an RPC to a dead node waits out the storage client's 30 s, StorageClientImpl.cc:2401),
# in up to CREATE_PARALLELISM sessions over disjoint node sets.
create_targets() {
  local list=$1 what=$2 batch n=0
  connected_storage >"$WORK/connected.txt"
  rm -f "$WORK"/create_target_cmd.*
  awk -v P="${PLAN_CREATE_PARALLELISM:-1}" -v W="$WORK" 'FILENAME == ARGV[1] { up[$1] = 1; next } ($2 in up) {
    printf "create-target --node-id %s --disk-index %s --target-id %s --chain-id %s --use-new-chunk-engine\n", $2, $3, $1, $4 \
      > (W "/create_target_cmd." ($2 % P)) }' "$WORK/connected.txt" "$list"
  for batch in "$WORK"/create_target_cmd.*; do
    [[ -e $batch ]] || continue
    n=$((n + $(wc -l <"$batch")))
    timeout "$(remaining_budget)" "$ADMIN_CLI" "--cfg=$AUTH_CFG" <"$batch" >"$batch.out" 2>&1 &
  done
  ((n > 0)) || return 0
  log "run: create-target x ${n} for ${what} (commands in $WORK/create_target_cmd.*)"
  while [[ -n $(jobs -rp) ]]; do
    [[ $(type -t sample_memory) == function ]] && sample_memory
    sleep 1
  done
  wait || true
  local errors
  errors=$(cat "$WORK"/create_target_cmd.*.out 2>/dev/null | grep -c "Encounter error" || true)
  ((errors == 0)) || { log "create-target reported ${errors} error(s), first ones:"; cat "$WORK"/create_target_cmd.*.out | grep -A1 "Encounter error" | head -n 10 >&2 || true; }
}
