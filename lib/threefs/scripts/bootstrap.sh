#!/usr/bin/env bash
# 3FS bootstrap, run by the bootstrap Job in the admin-cli image (bash, coreutils, awk; no jq/python).
# Sources are AliyunContainerService/alibabacloud-3FS at ab363af, the images' source (path:line below).
#
# Order (the only one that can work, and the one every working deployment uses: 3FS deploy/README.md steps
# 3-7, the fork's deploy/container/init.sh:19-36):
#   1. wait for the FDB cluster file, then for FDB to answer (user-stat 0 reads FDB directly)
#   2. root user missing → init-cluster, then user-add. init-cluster needs FDB only
#      (src/client/cli/admin/InitCluster.cc:46-70) and must come BEFORE meta can start: meta aborts with
#      Meta::BadFileSystem until the root and gc-root inodes exist (src/meta/components/GcManager.cc:692-706,
#      src/common/app/TwoPhaseApplication.h:98-100). A repeated init-cluster is harmless: InitFsOp creates
#      root and gc-root only when missing and never changes an existing root's layout
#      (src/meta/store/MetaStore.cc:40-66); it runs only while the root user is missing, and the root user
#      is added right after it, so a run after a complete one skips both.
#   3. wait for mgmtd to answer, then for every planned storage node to be HEARTBEAT_CONNECTED (they register
#      themselves: the rendered mgmtd config allows heartbeats from unregistered nodes, as 3FS ships it)
#   4. expand the plan into targets and chains; refuse a plan that changes or drops existing chains
#   5. create the targets no storage node has yet (chain members and orphans count), on connected nodes,
#      round after round until every target is reported: a node restarting meanwhile is retried, not lost.
#      Targets before chains: a chain member never created is LASTSRV/OFFLINE once the chain's newborn
#      window ends, and create-target refuses a LASTSRV member (src/client/cli/admin/CreateTarget.cc:56-65)
#   6. upload-chains with the chains mgmtd does not have; 7. upload-chain-table unless it is current
#   Tenants (tenants.sh): their non-root users right after the root user (FDB only), their directories last,
#   once meta serves (it starts only after init-cluster).
# A second run after success issues no mutating command.
#
# The root token never appears on a command line nor in a process's environment (common.sh,
# write_auth_config; user-add goes through admin_cli's stdin). Every wait has its own limit and all end
# within TIME_BUDGET seconds of the start, before the Job's activeDeadlineSeconds.
#
# Inputs beside this script: common.sh, tenants.sh, plan.env (scalars), chain-plan.json (groups), tenants.tsv
# (tenants), and the tenants' token files in TENANT_TOKEN_DIR. Optional environment
# overrides: ADMIN_CLI (binary), BOOTSTRAP_PLAN_DIR.
set -euo pipefail
umask 077
JOB=bootstrap
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${BOOTSTRAP_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=tenants.sh
source "$SCRIPT_DIR/tenants.sh"

read_plan "$PLAN_DIR/plan.env" CLUSTER_ID DESC REPLICAS TARGETS_PER_DISK STRIPE_SIZE DISKS_PER_NODE NODE_ID_BEGIN \
  STORAGE_NODES CHUNK_SIZE TARGET_ID_PREFIX CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT TOKEN_FILE FDB_CLUSTER_FILE \
  ADMIN_CLI_CONFIG POLL_INTERVAL CLI_TIMEOUT FDB_TIMEOUT MGMTD_TIMEOUT STORAGE_TIMEOUT TARGETS_TIMEOUT TIME_BUDGET \
  CREATE_PARALLELISM TENANT_TOKEN_DIR TENANT_PARENT_MODE META_TIMEOUT
for n in REPLICAS TARGETS_PER_DISK STRIPE_SIZE DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES CHUNK_SIZE TARGET_ID_PREFIX \
  CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT POLL_INTERVAL CLI_TIMEOUT FDB_TIMEOUT MGMTD_TIMEOUT STORAGE_TIMEOUT \
  TARGETS_TIMEOUT TIME_BUDGET CREATE_PARALLELISM META_TIMEOUT; do
  v=PLAN_$n
  [[ ${!v} =~ ^[0-9]+$ ]] || die "plan.env: $n must be a whole number"
done
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
POLL_INTERVAL=$PLAN_POLL_INTERVAL
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
BUDGET_END=$PLAN_TIME_BUDGET
WORK=$(mktemp -d -t 3fs-bootstrap.XXXXXX) # scratch, never holds the token; kept for inspection

load_token "$PLAN_TOKEN_FILE"
AUTH_CFG=$(mktemp -t 3fs-admin-cli.XXXXXX)
trap 'rm -f -- "$AUTH_CFG"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
write_auth_config "$PLAN_ADMIN_CLI_CONFIG" "$AUTH_CFG"
load_tenants "$PLAN_DIR/tenants.tsv"

# --------------------------------------------------------------------------------- 1-2 FDB, init, root
fdb_file_ready() { [[ -s $PLAN_FDB_CLUSTER_FILE ]]; }

# user-stat 0 with our token (FDB only, AdminUserCtrl.cc:243-275): present, absent ("Uid 0 not found",
# ensureAdmin AdminUserCtrl.cc:27-48 — there are no users yet), or a token the root user does not accept.
probe_user() {
  if run_cli "user-stat 0"; then USER_STATE=present; return 0; fi
  if [[ $OUT == *"Uid 0 not found"* ]]; then USER_STATE=absent; return 0; fi
  # The token names another uid (UserToken.cc:54-88): not the root user's token, whatever the users are.
  if [[ $OUT =~ Uid\ [0-9]+\ not\ found ]]; then die "the token in $PLAN_TOKEN_FILE is not a token of uid 0 (the root user)"; fi
  if [[ $OUT == *"Token validate failed"* || $OUT == *"Token decode failed"* ]]; then
    die "the root user exists but does not accept the token in $PLAN_TOKEN_FILE; restore the token Secret or reset it (user-set-token)"
  fi
  WAIT_DETAIL="user-stat 0: $(head -c 300 <<<"$OUT")"
  return 1
}

# user-add through admin_cli's stdin: the token is an argument of the admin command itself, and with no
# command argument admin_cli reads commands from stdin (no prompt without a tty, exit 0 whatever the
# results, Dispatcher.cc:238-257,294). printf is a builtin: the token is on no command line. Success is
# judged by reading the user back; the output (it echoes the token) is shown masked on failure only.
add_root_user() {
  local out
  log "run: user-add --root --admin --token <token> 0 root (through admin_cli's stdin)"
  out=$(printf 'user-add --root --admin --token %s 0 root\n' "$TOKEN" | timeout "$CLI_TIMEOUT" "$ADMIN_CLI" "--cfg=$AUTH_CFG" 2>&1) || true
  if ! probe_user || [[ $USER_STATE != present ]]; then die "user-add did not create the root user: $(mask "$out" | head -c 600)"; fi
  log "root user added"
}

log "cluster ${PLAN_CLUSTER_ID}: ${PLAN_STORAGE_NODES} storage nodes, ${PLAN_DISKS_PER_NODE} disks each, ${PLAN_GROUP_COUNT} groups of ${PLAN_REPLICAS}"
wait_until "$PLAN_FDB_TIMEOUT" "the FDB cluster file $PLAN_FDB_CLUSTER_FILE" fdb_file_ready
wait_until "$PLAN_FDB_TIMEOUT" "FoundationDB to answer" probe_user
if [[ $USER_STATE == present ]]; then
  log "root user exists: the file system was initialised by an earlier run"
else
  mutate "init-cluster ${PLAN_CHAIN_TABLE_ID} ${PLAN_CHUNK_SIZE} ${PLAN_STRIPE_SIZE}"
  add_root_user
fi
ensure_tenant_users

# --------------------------------------------------------------------------------- 3 mgmtd, storage nodes
mgmtd_ready() { run_cli "list-nodes" || { WAIT_DETAIL="list-nodes: $(head -c 300 <<<"$OUT")"; return 1; }; }
wait_until "$PLAN_MGMTD_TIMEOUT" "mgmtd to answer list-nodes" mgmtd_ready

# connected_storage_nodes: node ids of STORAGE rows that are HEARTBEAT_CONNECTED in OUT (list-nodes:
# Id Type Status …, src/client/cli/admin/ListNodes.cc:19-87).
connected_storage_nodes() { awk '$1 ~ /^[0-9]+$/ && $2 == "STORAGE" && $3 == "HEARTBEAT_CONNECTED" { print $1 }' <<<"$OUT"; }

storage_nodes_ready() {
  run_cli "list-nodes" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  local missing
  missing=$(connected_storage_nodes | awk -v begin="$PLAN_NODE_ID_BEGIN" -v n="$PLAN_STORAGE_NODES" '
    { up[$1] = 1 } END { for (i = 0; i < n; i++) if (!((begin + i) in up)) printf "%d ", begin + i }')
  [[ -z $missing ]] && return 0
  WAIT_DETAIL="not connected: ${missing% }"
  return 1
}
wait_until "$PLAN_STORAGE_TIMEOUT" "all ${PLAN_STORAGE_NODES} storage nodes" storage_nodes_ready
log "all ${PLAN_STORAGE_NODES} storage nodes are connected"

# --------------------------------------------------------------------------------- 4 expand and compare
# Groups from chain-plan.json, one per line ("1 2 3": 1-based node indexes, node id = NODE_ID_BEGIN +
# index - 1), whitespace-insensitive.
tr -d ' \t\r\n' <"$PLAN_DIR/chain-plan.json" | awk '{
  i = index($0, "\"groups\":[["); if (i == 0) exit 1
  s = substr($0, i + 11); j = index(s, "]]"); if (j == 0) exit 1
  s = substr(s, 1, j - 1); gsub(/\],\[/, "\n", s); gsub(/,/, " ", s); print s }' >"$WORK/groups.txt" ||
  die "chain-plan.json has no \"groups\" array"

# Expands the plan exactly like 3FS's gen_chain_table.py (deploy/data_placement/src/setup/gen_chain_table.py:
# 12-13,51,89-96): targetId = ((TP*1e6 + nodeId)*1e3 + disk+1)*100 + t+1, chainId = (CP*1e3 + disk+1)*1e5 + g,
# for each disk, nodeId ascending, the node's t-th group g. Writes targets.tsv (targetId nodeId disk
# chainId), chains.tsv (chainId targets…), generated_chains.csv and generated_chain_table.csv.
# printf "%.0f" keeps the 13-digit ids exact (doubles are exact below 2^53).
awk -v V="$PLAN_STORAGE_NODES" -v K="$PLAN_REPLICAS" -v R="$PLAN_TARGETS_PER_DISK" -v D="$PLAN_DISKS_PER_NODE" \
  -v G="$PLAN_GROUP_COUNT" -v B="$PLAN_NODE_ID_BEGIN" -v TP="$PLAN_TARGET_ID_PREFIX" -v CP="$PLAN_CHAIN_ID_PREFIX" -v W="$WORK" '
  function fail(msg) { print "chain-plan.json: " msg > "/dev/stderr"; bad = 1; exit 1 }
  {
    if (NF != K) fail("group " NR " has " NF " members, expected " K)
    for (j = 1; j <= NF; j++) {
      m = $j
      if (m !~ /^[1-9][0-9]*$/ || m + 0 > V) fail("group " NR " has node index " m " outside 1.." V)
      if (seen[NR, m]++) fail("group " NR " lists node " m " twice")
      cnt[m]++; ng[m, cnt[m]] = NR
    }
  }
  END {
    if (bad) exit 1
    if (NR != G) fail("expected " G " groups, found " NR)
    print "ChainId" > (W "/generated_chain_table.csv")
    header = "ChainId"; for (j = 1; j <= K; j++) header = header ",TargetId"
    print header > (W "/generated_chains.csv")
    for (d = 0; d < D; d++) {
      for (i = 1; i <= V; i++) {
        if (cnt[i] != R) fail("node index " i " is in " cnt[i] + 0 " groups, expected " R)
        for (t = 1; t <= cnt[i]; t++) {
          g = ng[i, t]
          tid = sprintf("%.0f", ((TP * 1000000 + B + i - 1) * 1000 + d + 1) * 100 + t)
          cid = sprintf("%.0f", (CP * 1000 + d + 1) * 100000 + g)
          printf "%s %d %d %s\n", tid, B + i - 1, d, cid > (W "/targets.tsv")
          members[cid] = members[cid] " " tid
        }
      }
      for (g = 1; g <= G; g++) {
        cid = sprintf("%.0f", (CP * 1000 + d + 1) * 100000 + g)
        print cid members[cid] > (W "/chains.tsv")
        row = members[cid]; gsub(/ /, ",", row)
        print cid row > (W "/generated_chains.csv")
        print cid > (W "/generated_chain_table.csv")
      }
    }
  }' "$WORK/groups.txt" || die "invalid chain plan"
log "plan: $(wc -l <"$WORK/targets.tsv") targets in $(wc -l <"$WORK/chains.tsv") chains"

# Existing chains from list-chains (cells "id(PUBLIC-LOCAL)" from column 6, ListChains.cc:19-61,114-157).
run_cli "list-chains" || die "list-chains failed: $OUT"
awk '$1 ~ /^[0-9]+$/ { line = $1; for (i = 6; i <= NF; i++) { t = $i; sub(/\(.*/, "", t); line = line " " t }; print line }' \
  <<<"$OUT" >"$WORK/existing_chains.tsv"
# Member sets compared sorted, as mgmtd does (SetChainsOperation.cc:41-56): new chains → new_chains.tsv;
# changed or dropped ones → conflicts.txt.
awk -v W="$WORK" '
  function canon(start,   n, i, j, a, tmp, s) {
    n = 0; for (i = start; i <= NF; i++) a[++n] = $i
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { tmp = a[j]; a[j] = a[j - 1]; a[j - 1] = tmp }
    s = ""; for (i = 1; i <= n; i++) s = s " " a[i]; return s
  }
  FILENAME == ARGV[1] { have[$1] = canon(2); next }
  {
    want[$1] = 1
    if (!($1 in have)) { print > (W "/new_chains.tsv"); next }
    if (have[$1] != canon(2)) print "chain " $1 " has targets" have[$1] " but the plan wants" canon(2) > (W "/conflicts.txt")
  }
  END { for (c in have) if (!(c in want)) print "chain " c " exists but is not in the plan" > (W "/conflicts.txt") }
' "$WORK/existing_chains.tsv" "$WORK/chains.tsv"
touch "$WORK/new_chains.tsv" "$WORK/conflicts.txt"
if [[ -s $WORK/conflicts.txt ]]; then
  sort "$WORK/conflicts.txt" | head -n 20 >&2 || true
  die "the plan changes $(wc -l <"$WORK/conflicts.txt") existing chain(s); upload-chains refuses changed members (\"Target mismatch\", SetChainsOperation.cc:41-56). Nothing was changed."
fi

# --------------------------------------------------------------------------------- 5 targets
# Known targets: chain members (list-targets) and targets on no chain yet (list-targets --orphan,
# ListTargets.cc:23-94). missing_targets.tsv: planned targets neither lists.
known_targets() {
  : >"$WORK/known.txt"
  run_cli "list-targets" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  first_column_ids <<<"$OUT" >>"$WORK/known.txt"
  run_cli "list-targets --orphan" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  first_column_ids <<<"$OUT" >>"$WORK/known.txt"
  awk 'FILENAME == ARGV[1] { known[$1] = 1; next } !($1 in known)' "$WORK/known.txt" "$WORK/targets.tsv" >"$WORK/missing_targets.tsv"
}

PEAK_MIB=$(memory_peak || true)
sample_memory() {
  local cur=""
  [[ -r /sys/fs/cgroup/memory.current ]] && cur=$(($(</sys/fs/cgroup/memory.current) / 1048576))
  [[ -n $cur && (-z $PEAK_MIB || $cur -gt $PEAK_MIB) ]] && PEAK_MIB=$cur
  return 0
}

# create_round: one create-target command per missing target whose node is HEARTBEAT_CONNECTED now (an
# RPC to a dead node waits out the storage client's 30 s timeout per command), in CREATE_PARALLELISM
# admin_cli sessions over disjoint node sets (stdin mode: each result printed, exit 0 whatever happens,
# so success is judged by the targets being reported).
create_round() {
  run_cli "list-nodes" || return 0
  connected_storage_nodes >"$WORK/connected.txt"
  rm -f "$WORK"/create_target_cmd.*
  awk -v P="$PLAN_CREATE_PARALLELISM" -v W="$WORK" 'FILENAME == ARGV[1] { up[$1] = 1; next } ($2 in up) {
    printf "create-target --node-id %s --disk-index %s --target-id %s --chain-id %s --use-new-chunk-engine\n", $2, $3, $1, $4 \
      > (W "/create_target_cmd." ($2 % P)) }' "$WORK/connected.txt" "$WORK/missing_targets.tsv"
  local batch n=0
  for batch in "$WORK"/create_target_cmd.*; do
    [[ -e $batch ]] || continue
    n=$((n + $(wc -l <"$batch")))
    timeout "$((BUDGET_END > $(elapsed) ? BUDGET_END - $(elapsed) : 1))" "$ADMIN_CLI" "--cfg=$AUTH_CFG" <"$batch" >"$batch.out" 2>&1 &
  done
  log "run: create-target x ${n} in up to ${PLAN_CREATE_PARALLELISM} session(s) (commands in $WORK/create_target_cmd.*)"
  while [[ -n $(jobs -rp) ]]; do
    sample_memory
    sleep 1
  done
  wait || true
  local errors
  errors=$(cat "$WORK"/create_target_cmd.*.out 2>/dev/null | grep -c "Encounter error" || true)
  ((errors == 0)) || { log "create-target reported ${errors} error(s), first ones:"; cat "$WORK"/create_target_cmd.*.out | grep -A1 "Encounter error" | head -n 10 >&2 || true; }
}

all_targets_known() {
  known_targets || return 1
  [[ -s $WORK/missing_targets.tsv ]] || return 0
  WAIT_DETAIL="$(wc -l <"$WORK/missing_targets.tsv") target(s) not reported yet, e.g. $(head -n 1 "$WORK/missing_targets.tsv")"
  # Created targets are reported within a heartbeat (~1-10 s, CheckWorker.cc:235-239); create again what is
  # still missing once they had the time, e.g. after a storage node restarted or was down.
  if ((ROUNDS == 0 || $(elapsed) - ROUND_AT >= 30)); then
    create_round
    ROUNDS=$((ROUNDS + 1)) ROUND_AT=$(elapsed)
  fi
  return 1
}

known_targets || die "list-targets failed: $OUT"
if [[ -s $WORK/missing_targets.tsv ]]; then
  ROUNDS=0 ROUND_AT=0
  wait_until "$PLAN_TARGETS_TIMEOUT" "the storage nodes to report every planned target" all_targets_known
  log "all targets are reported"
else
  log "all $(wc -l <"$WORK/targets.tsv") targets exist"
fi

# --------------------------------------------------------------------------------- 6-7 chains, table
if [[ -s $WORK/new_chains.tsv ]]; then
  head -n 1 "$WORK/generated_chains.csv" >"$WORK/new_chains.csv"
  tr ' ' ',' <"$WORK/new_chains.tsv" >>"$WORK/new_chains.csv"
  mutate "upload-chains $WORK/new_chains.csv"
else
  log "all $(wc -l <"$WORK/chains.tsv") chains exist"
fi

run_cli "list-chain-tables" || die "list-chain-tables failed: $OUT"
: >"$WORK/current_table.txt"
if awk -v id="$PLAN_CHAIN_TABLE_ID" '$1 == id { found = 1 } END { exit !found }' <<<"$OUT"; then
  run_cli "list-chains -t ${PLAN_CHAIN_TABLE_ID}" || die "list-chains -t ${PLAN_CHAIN_TABLE_ID} failed: $OUT"
  first_column_ids <<<"$OUT" >"$WORK/current_table.txt"
fi
if tail -n +2 "$WORK/generated_chain_table.csv" | cmp -s - "$WORK/current_table.txt"; then
  log "chain table ${PLAN_CHAIN_TABLE_ID} is up to date"
else
  mutate "upload-chain-table --desc ${PLAN_DESC} ${PLAN_CHAIN_TABLE_ID} $WORK/generated_chain_table.csv"
fi
ensure_tenant_dirs
log "done in $(elapsed)s${PEAK_MIB:+; peak memory of this container ${PEAK_MIB} MiB}"
