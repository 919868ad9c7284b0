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
#   4. expand the placement lock (placement.txt) into targets and chains; chains mgmtd does not have are new
#      (existing chains whose members differ are the migration Job's: the bootstrap never changes them)
#   5. create the new chains' targets no storage node reports yet, on connected nodes, round after round
#      until every one is reported: a node restarting meanwhile is retried, not lost. Targets before chains:
#      a chain member never created is LASTSRV/OFFLINE once the chain's newborn window ends, and
#      create-target refuses a LASTSRV member (src/client/cli/admin/CreateTarget.cc:56-65)
#   6. upload-chains with the new chains; 7. upload-chain-table once every chain exists, unless current
#   Tenants (tenants.sh): their non-root users right after the root user (FDB only), their directories last,
#   once meta serves (it starts only after init-cluster).
# A second run after success, or after the migration, replacement or roll Jobs, issues no mutating command.
#
# The root token never appears on a command line nor in a process's environment (common.sh,
# write_auth_config; user-add goes through admin_cli's stdin). Every wait has its own limit and all end
# within TIME_BUDGET seconds of the start, before the Job's activeDeadlineSeconds.
#
# Inputs beside this script: common.sh, chains.sh, tenants.sh, plan.env (scalars), placement.txt (the placement
# lock), chain-plan.json (groups), tenants.tsv (tenants), and the tenants' token files in TENANT_TOKEN_DIR.
# Optional environment overrides: ADMIN_CLI (binary), BOOTSTRAP_PLAN_DIR.
set -euo pipefail
umask 077
JOB=bootstrap
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${BOOTSTRAP_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=chains.sh
source "$SCRIPT_DIR/chains.sh"
# shellcheck source=tenants.sh
source "$SCRIPT_DIR/tenants.sh"

read_plan "$PLAN_DIR/plan.env" CLUSTER_ID DESC REPLICAS TARGETS_PER_DISK STRIPE_SIZE DISKS_PER_NODE NODE_ID_BEGIN \
  STORAGE_NODES STORAGE_NODE_IDS CHUNK_SIZE TARGET_ID_PREFIX CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT TOKEN_FILE FDB_CLUSTER_FILE \
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
  missing=$(connected_storage_nodes | awk -v ids="$PLAN_STORAGE_NODE_IDS" '
    { up[$1] = 1 } END { n = split(ids, id, ","); for (i = 1; i <= n; i++) if (!(id[i] in up)) printf "%d ", id[i] }')
  [[ -z $missing ]] && return 0
  WAIT_DETAIL="not connected: ${missing% }"
  return 1
}
wait_until "$PLAN_STORAGE_TIMEOUT" "all ${PLAN_STORAGE_NODES} storage nodes" storage_nodes_ready
log "all ${PLAN_STORAGE_NODES} storage nodes are connected"

# --------------------------------------------------------------------------------- 4 placement and chains
# The placement (placement.txt, the stack's placement lock) is expanded into targets and chains; chains
# mgmtd does not have yet are the bootstrap's. Existing chains whose members differ from the placement are
# left to the migration Job (migrate.sh), which changes memberships one target at a time; the bootstrap
# never touches an existing chain, so the two never fight.
expand_placement
log "placement: $(wc -l <"$WORK/targets.tsv") targets in $(wc -l <"$WORK/plan.tsv") chains"
read_cluster || die "cannot read the cluster: $WAIT_DETAIL"
new_chains_status
moving=$(awk 'FILENAME == ARGV[1] { for (i = 4; i <= NF; i++) { split($i, a, ":"); live[$1] = live[$1] " " a[1] }; next }
  ($1 in live) { for (i = 2; i <= NF; i++) if (index(live[$1] " ", " " $i " ") == 0) { n++; break } } END { print n + 0 }' "$WORK/live.tsv" "$WORK/plan.tsv")
((moving == 0)) || log "${moving} existing chain(s) differ from the placement: the migration Job moves their members"
[[ -s $WORK/deferred.txt ]] && log "$(wc -l <"$WORK/deferred.txt") new chain(s) wait for slots their nodes still use in other chains: the migration Job creates them"

# --------------------------------------------------------------------------------- 5 targets
# Targets of the new chains, before the chains: a chain member never created is LASTSRV/OFFLINE once the
# chain's newborn window ends, and create-target refuses a LASTSRV member (CreateTarget.cc:56-65). Created
# round after round until every one is reported (a node restarting meanwhile is retried, not lost).
PEAK_MIB=$(memory_peak || true)
sample_memory() {
  local cur=""
  [[ -r /sys/fs/cgroup/memory.current ]] && cur=$(($(</sys/fs/cgroup/memory.current) / 1048576))
  [[ -n $cur && (-z $PEAK_MIB || $cur -gt $PEAK_MIB) ]] && PEAK_MIB=$cur
  return 0
}

all_targets_known() {
  read_cluster || return 1
  new_chains_status
  [[ -s $WORK/need_targets.tsv ]] || return 0
  WAIT_DETAIL="$(wc -l <"$WORK/need_targets.tsv") target(s) not reported yet, e.g. $(head -n 1 "$WORK/need_targets.tsv")"
  # Created targets are reported within a heartbeat (~1-10 s, CheckWorker.cc:235-239); create again what is
  # still missing once they had the time, e.g. after a storage node restarted or was down.
  if ((ROUNDS == 0 || $(elapsed) - ROUND_AT >= 30)); then
    create_targets "$WORK/need_targets.tsv" "the new chains"
    ROUNDS=$((ROUNDS + 1)) ROUND_AT=$(elapsed)
  fi
  return 1
}

if [[ -s $WORK/need_targets.tsv ]]; then
  ROUNDS=0 ROUND_AT=0
  wait_until "$PLAN_TARGETS_TIMEOUT" "the storage nodes to report every planned target" all_targets_known
  log "all targets of the new chains are reported"
else
  log "every target of the new chains exists"
fi

# --------------------------------------------------------------------------------- 6-7 chains, table
if [[ -s $WORK/ready_chains.tsv ]]; then
  upload_ready_chains
  read_cluster || die "cannot read the cluster: $WAIT_DETAIL"
else
  log "all $(wc -l <"$WORK/plan.tsv") chains that can exist now exist"
fi
upload_table_if_complete
ensure_tenant_dirs
log "done in $(elapsed)s${PEAK_MIB:+; peak memory of this container ${PEAK_MIB} MiB}"
