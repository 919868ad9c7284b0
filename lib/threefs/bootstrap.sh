#!/usr/bin/env bash
# 3FS bootstrap, run by the bootstrap Job in the admin-cli image (bash, coreutils, awk; no jq/python).
#
# Idempotent: every step first reads the cluster's state and only changes what is missing.
#   1. wait for the FDB cluster file, then for mgmtd to answer `list-nodes`
#   2. root user (uid 0) present?  (`user-stat 0` with our token; same wait as mgmtd)
#   3. file system initialised?   (root user present, or meta answers `stat /`) else `init-cluster`
#   4. `user-add --root --admin --token <token> 0 root` unless the user exists (through stdin, see
#      add_root_user)
#   5. wait until every storage node of the plan is HEARTBEAT_CONNECTED in `list-nodes`
#   6. expand the plan into targets and chains; refuse a plan that changes or drops existing chains
#   7. `create-target` for targets not yet known (`list-targets`, `list-targets --orphan`), then wait
#      until they are all reported
#   8. `upload-chains` with the chains mgmtd does not have
#   9. `upload-chain-table` unless chain table CHAIN_TABLE_ID already lists exactly the plan's chains
# A second run after success issues no mutating command. After storage growth with an extended
# placement (old groups kept, new groups appended) it adds only the new targets and chains and a new
# chain table version. A recomputed placement that moves existing chains is refused before any change:
# 3FS cannot change a chain's members by uploading chains (mgmtd rejects "Target mismatch").
#
# The root token never appears in a command line (/proc/<pid>/cmdline is readable by anything on the
# node with host PID access) nor in the environment of a process: admin_cli reads it from a private
# copy of ADMIN_CLI_CONFIG with `[user_info] token` set (mode 0600 under $TMPDIR, removed on exit), and
# the one command that carries it as an argument (user-add) goes to admin_cli through a pipe.
#
# Time: every wait has its own limit (*_TIMEOUT) and all of them end within TIME_BUDGET seconds of the
# start, so a slow bring-up fails with the script's diagnostic before the Job's activeDeadlineSeconds
# (bootstrap.ts: BOOTSTRAP_TIME_BUDGET_SECONDS < BOOTSTRAP_DEADLINE_SECONDS).
#
# Inputs, next to this script: plan.env (scalars) and chain-plan.json (groups). Optional environment
# overrides: ADMIN_CLI (binary, default admin_cli), ADMIN_CLI_CONFIG, TOKEN_FILE, FDB_CLUSTER_FILE,
# POLL_INTERVAL, FDB_TIMEOUT, MGMTD_TIMEOUT, META_TIMEOUT, STORAGE_TIMEOUT, TARGETS_TIMEOUT, TIME_BUDGET
# (seconds), CREATE_PARALLELISM (concurrent admin_cli sessions creating targets, default 8),
# BOOTSTRAP_PLAN_DIR (where plan.env and chain-plan.json are; default this script's directory).
set -euo pipefail
# Everything the script writes (the token config, the scratch files) is private to its user.
umask 077

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${BOOTSTRAP_PLAN_DIR:-$SCRIPT_DIR}

log() { printf '%s bootstrap: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

# ---------------------------------------------------------------------------------------------- plan
PLAN_KEYS=(CLUSTER_ID DESC REPLICAS TARGETS_PER_DISK STRIPE_SIZE DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES
  CHUNK_SIZE TARGET_ID_PREFIX CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT TOKEN_FILE FDB_CLUSTER_FILE
  ADMIN_CLI_CONFIG POLL_INTERVAL FDB_TIMEOUT MGMTD_TIMEOUT META_TIMEOUT STORAGE_TIMEOUT TARGETS_TIMEOUT
  TIME_BUDGET)

# Reads plan.env into PLAN_<KEY> variables; only known keys, values without spaces or quotes.
read_plan() {
  local key value
  [[ -r $PLAN_DIR/plan.env ]] || die "missing $PLAN_DIR/plan.env"
  while IFS='=' read -r key value || [[ -n $key ]]; do
    [[ -z $key || $key == \#* ]] && continue
    [[ " ${PLAN_KEYS[*]} " == *" $key "* ]] || die "plan.env: unknown key '$key'"
    [[ $value =~ ^[A-Za-z0-9._/:-]*$ ]] || die "plan.env: bad value for $key"
    printf -v "PLAN_$key" '%s' "$value"
  done <"$PLAN_DIR/plan.env"
  for key in "${PLAN_KEYS[@]}"; do
    [[ -v PLAN_$key ]] || die "plan.env: missing $key"
  done
}

read_plan
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
ADMIN_CLI_CONFIG=${ADMIN_CLI_CONFIG:-$PLAN_ADMIN_CLI_CONFIG}
TOKEN_FILE=${TOKEN_FILE:-$PLAN_TOKEN_FILE}
FDB_CLUSTER_FILE=${FDB_CLUSTER_FILE:-$PLAN_FDB_CLUSTER_FILE}
POLL_INTERVAL=${POLL_INTERVAL:-$PLAN_POLL_INTERVAL}
FDB_TIMEOUT=${FDB_TIMEOUT:-$PLAN_FDB_TIMEOUT}
MGMTD_TIMEOUT=${MGMTD_TIMEOUT:-$PLAN_MGMTD_TIMEOUT}
META_TIMEOUT=${META_TIMEOUT:-$PLAN_META_TIMEOUT}
STORAGE_TIMEOUT=${STORAGE_TIMEOUT:-$PLAN_STORAGE_TIMEOUT}
TARGETS_TIMEOUT=${TARGETS_TIMEOUT:-$PLAN_TARGETS_TIMEOUT}
TIME_BUDGET=${TIME_BUDGET:-$PLAN_TIME_BUDGET}
for n in FDB_TIMEOUT MGMTD_TIMEOUT META_TIMEOUT STORAGE_TIMEOUT TARGETS_TIMEOUT TIME_BUDGET; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be whole seconds"
done
# Every wait ends by then ($SECONDS counts from the script's start).
BUDGET_END=$TIME_BUDGET
CREATE_PARALLELISM=${CREATE_PARALLELISM:-8}
[[ $CREATE_PARALLELISM =~ ^[1-9][0-9]*$ ]] || die "CREATE_PARALLELISM must be a positive number"
for n in PLAN_REPLICAS PLAN_TARGETS_PER_DISK PLAN_STRIPE_SIZE PLAN_DISKS_PER_NODE PLAN_NODE_ID_BEGIN PLAN_STORAGE_NODES PLAN_CHUNK_SIZE \
  PLAN_TARGET_ID_PREFIX PLAN_CHAIN_ID_PREFIX PLAN_CHAIN_TABLE_ID PLAN_GROUP_COUNT; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "plan.env: ${n#PLAN_} must be a number"
done

# A fresh scratch directory per run (under $TMPDIR, default /tmp); kept for inspection after a failure.
# It never holds the token.
WORK=$(mktemp -d -t 3fs-bootstrap.XXXXXX)

# ---------------------------------------------------------------------------------------------- token
[[ -s $TOKEN_FILE ]] || die "token file $TOKEN_FILE is missing or empty"
TOKEN=$(tr -d ' \r\n' <"$TOKEN_FILE")
# A 3FS token is base64 (24 characters); the check also keeps it safe inside a TOML literal string
# and an admin_cli command line. The message does not echo the file's content.
[[ $TOKEN =~ ^[A-Za-z0-9+/=]+$ ]] || die "token file $TOKEN_FILE does not hold a base64 token"

# mask "<text>": the text with the token replaced by <token>, for logs and error messages.
mask() { printf '%s' "${1//"$TOKEN"/<token>}"; }

# AUTH_CFG: a private copy of ADMIN_CLI_CONFIG with `[user_info] token = '<token>'`, which admin_cli
# reads through --cfg, instead of `--config.user_info.token=<token>` on its command line. Created with
# mode 0600 (umask 077) under $TMPDIR, outside WORK, and removed when the script exits (a TERM or INT
# becomes an exit so that the EXIT trap runs). Written with bash builtins only, so no helper process
# gets the token in its arguments. A [user_info] table of the original keeps its other keys and gets
# its token replaced; without one, the table is appended.
AUTH_CFG=""
trap '[[ -z $AUTH_CFG ]] || rm -f -- "$AUTH_CFG"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
write_auth_config() {
  local line in_user=0 seen_user=0
  local header='^[[:space:]]*\[' user_header='^[[:space:]]*\[[[:space:]]*user_info[[:space:]]*\][[:space:]]*(#.*)?$'
  local token_key='^[[:space:]]*token[[:space:]]*=' other_user='^[[:space:]]*user_info[[:space:]]*[.=]'
  [[ -r $ADMIN_CLI_CONFIG ]] || die "admin_cli config $ADMIN_CLI_CONFIG is missing"
  AUTH_CFG=$(mktemp -t 3fs-admin-cli.XXXXXX)
  {
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line =~ $user_header ]]; then
        ((seen_user == 0)) || die "$ADMIN_CLI_CONFIG: [user_info] appears twice"
        in_user=1 seen_user=1
        printf '%s\n' "$line"
        printf "token = '%s'\n" "$TOKEN"
        continue
      fi
      [[ $line =~ $header ]] && in_user=0
      if ((in_user)) && [[ $line =~ $token_key ]]; then continue; fi
      if ((!seen_user)) && [[ $line =~ $other_user ]]; then
        die "$ADMIN_CLI_CONFIG: set user_info as a [user_info] table (the bootstrap adds the token to it)"
      fi
      printf '%s\n' "$line"
    done <"$ADMIN_CLI_CONFIG"
    ((seen_user)) || printf "\n[user_info]\ntoken = '%s'\n" "$TOKEN"
  } >"$AUTH_CFG"
}
write_auth_config

# ------------------------------------------------------------------------------------------ admin_cli
# run_cli "<command>": runs one admin_cli command (passed as ONE argument, so gflags never sees its
# options), leaves its stdout in OUT and returns its status. admin_cli prints command errors on
# stdout as "Encounter error: <code>(<name>)" + message and exits 1; its own log goes to stderr.
run_cli() {
  local rc=0
  OUT=$("$ADMIN_CLI" "--cfg=$AUTH_CFG" "$1") || rc=$?
  return "$rc"
}

# mutate "<command>": a command that changes the cluster (never one carrying the token); logged, and
# fatal when it fails.
mutate() {
  log "run: $1"
  run_cli "$1" || die "'$1' failed: $(mask "$OUT")"
  mask "$OUT" | grep -v "^Token" >&2 || true
}

# wait_until <seconds> "<what>" <command...>: polls the command until it succeeds, for at most
# <seconds> and never past BUDGET_END. The command may leave a reason in WAIT_DETAIL for the timeout
# message. (Commands in a condition run without errexit, so the probes below check every status
# themselves.)
wait_until() {
  local timeout=$1 what=$2 deadline limit
  shift 2
  deadline=$((SECONDS + timeout))
  limit="timed out after ${timeout}s"
  if ((deadline > BUDGET_END)); then
    deadline=$BUDGET_END
    limit="gave up: the bootstrap's time budget (TIME_BUDGET=${TIME_BUDGET}s, within the Job's deadline) is used up"
  fi
  WAIT_DETAIL=""
  until "$@"; do
    ((SECONDS < deadline)) || die "$limit waiting for $what${WAIT_DETAIL:+ ($(mask "$WAIT_DETAIL"))}"
    sleep "$POLL_INTERVAL"
  done
}

# Prints the first column of every table row that starts with a number (skips headers).
first_column_ids() { awk '$1 ~ /^[0-9]+$/ { print $1 }'; }

# ------------------------------------------------------------------------------------- steps 1 – 4
fdb_ready() { [[ -s $FDB_CLUSTER_FILE ]]; }

probe_user() {
  if run_cli "user-stat 0"; then USER_STATE=present; return 0; fi
  if [[ $OUT == *"Uid 0 not found"* ]]; then USER_STATE=absent; return 0; fi
  if [[ $OUT == *"Token validate failed"* || $OUT == *"Token decode failed"* ]]; then
    die "the root user exists but does not accept the token in $TOKEN_FILE; restore the token Secret or reset it (user-set-token)"
  fi
  WAIT_DETAIL=$(head -c 300 <<<"$OUT")
  return 1
}

probe_root() {
  if run_cli "stat /"; then ROOT_STATE=present; return 0; fi
  if [[ $OUT == *"Meta::NotFound"* ]]; then ROOT_STATE=absent; return 0; fi
  WAIT_DETAIL=$(head -c 300 <<<"$OUT")
  return 1
}

# One wait (MGMTD_TIMEOUT) for mgmtd to answer list-nodes and then FDB to answer user-stat.
mgmtd_ready() {
  run_cli "list-nodes" || { WAIT_DETAIL="list-nodes: $(head -c 300 <<<"$OUT")"; return 1; }
  probe_user || { WAIT_DETAIL="user-stat 0: $WAIT_DETAIL"; return 1; }
}

# user-add needs the token as an argument of the admin command itself, and admin_cli's only other
# input for a command is its stdin: with no command argument it reads commands line by line from stdin
# (linenoise without a tty: no prompt, no history file), prints each result and exits 0 whatever the
# results. So the command is written into a pipe by bash's builtin printf (a forked subshell: its
# cmdline stays "bash bootstrap.sh") and admin_cli gets only --cfg as arguments. The exit status says
# nothing, so success is judged by reading the user back (user-stat 0 with the token); admin_cli's
# output (it echoes the token in a "Token" row) is only shown, masked, on failure.
add_root_user() {
  local out
  log "run: user-add --root --admin --token <token> 0 root (through admin_cli's stdin)"
  out=$(printf 'user-add --root --admin --token %s 0 root\n' "$TOKEN" | "$ADMIN_CLI" "--cfg=$AUTH_CFG" 2>&1) || true
  if ! probe_user || [[ $USER_STATE != present ]]; then
    die "user-add did not create the root user: $(mask "$out" | head -c 600)"
  fi
  log "root user added"
}

log "cluster ${PLAN_CLUSTER_ID}: ${PLAN_STORAGE_NODES} storage nodes, ${PLAN_DISKS_PER_NODE} disks each, ${PLAN_GROUP_COUNT} groups of ${PLAN_REPLICAS}"

wait_until "$FDB_TIMEOUT" "the FDB cluster file $FDB_CLUSTER_FILE" fdb_ready
wait_until "$MGMTD_TIMEOUT" "mgmtd to answer list-nodes and FDB to answer user-stat" mgmtd_ready

# A present root user means an earlier run finished init-cluster (it always runs first), so meta is
# not asked then; otherwise the root inode tells, and init-cluster runs only when it is missing.
if [[ $USER_STATE == present ]]; then
  log "root user exists; file system already initialised"
else
  wait_until "$META_TIMEOUT" "meta to answer 'stat /'" probe_root
  if [[ $ROOT_STATE == absent ]]; then
    mutate "init-cluster ${PLAN_CHAIN_TABLE_ID} ${PLAN_CHUNK_SIZE} ${PLAN_STRIPE_SIZE}"
  else
    log "file system already initialised"
  fi
  add_root_user
fi

# ---------------------------------------------------------------------------------------- step 5
storage_nodes_ready() {
  run_cli "list-nodes" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  local missing
  missing=$(awk -v begin="$PLAN_NODE_ID_BEGIN" -v n="$PLAN_STORAGE_NODES" '
    $1 ~ /^[0-9]+$/ && $2 == "STORAGE" && $3 == "HEARTBEAT_CONNECTED" { up[$1] = 1 }
    END { for (i = 0; i < n; i++) if (!((begin + i) in up)) printf "%d ", begin + i }' <<<"$OUT")
  [[ -z $missing ]] && return 0
  WAIT_DETAIL="not connected: ${missing% }"
  return 1
}
wait_until "$STORAGE_TIMEOUT" "all ${PLAN_STORAGE_NODES} storage nodes" storage_nodes_ready
log "all ${PLAN_STORAGE_NODES} storage nodes are connected"

# ---------------------------------------------------------------------------------------- step 6
# Groups from chain-plan.json, one per line ("1 2 3", 1-based node indexes: node id = NODE_ID_BEGIN +
# index - 1): whitespace-insensitive, so any JSON layout works.
tr -d ' \t\r\n' <"$PLAN_DIR/chain-plan.json" | awk '{
  i = index($0, "\"groups\":[["); if (i == 0) exit 1
  s = substr($0, i + 11); j = index(s, "]]"); if (j == 0) exit 1
  s = substr(s, 1, j - 1); gsub(/\],\[/, "\n", s); gsub(/,/, " ", s); print s }' >"$WORK/groups.txt" ||
  die "chain-plan.json has no \"groups\" array"

# Expands the plan exactly like the chain-table generator:
#   targetId = ((TP*1e6 + nodeId)*1e3 + disk+1)*100 + t+1   chainId = (CP*1e3 + disk+1)*1e5 + g
# for each disk, for nodeId ascending, for the node's t-th group g (ascending). Writes targets.tsv
# (targetId nodeId disk chainId), chains.tsv (chainId then targets in member order),
# generated_chains.csv and generated_chain_table.csv (chains ascending). printf "%.0f" keeps the
# 13-digit ids exact (awk numbers are doubles, exact below 2^53; default number formatting is not).
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

# Existing chains: "chainId target..." from list-chains ("123(SERVING-UPTODATE)" cells → 123).
run_cli "list-chains" || die "list-chains failed: $OUT"
awk '$1 ~ /^[0-9]+$/ { line = $1; for (i = 6; i <= NF; i++) { t = $i; sub(/\(.*/, "", t); line = line " " t }; print line }' \
  <<<"$OUT" >"$WORK/existing_chains.tsv"

# Compares member sets: new chains → new_chains.tsv; changed or dropped chains → conflicts.txt.
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
  die "the plan changes $(wc -l <"$WORK/conflicts.txt") existing chain(s). 3FS cannot change chain members by upload; \
grow storage with an extended placement (keep the existing groups, append groups for new nodes). Nothing was changed."
fi

# ---------------------------------------------------------------------------------------- step 7
# Known targets: chain members (list-targets) and targets not yet in a chain (list-targets --orphan).
known_targets() {
  : >"$WORK/known_targets.txt"
  run_cli "list-targets" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  first_column_ids <<<"$OUT" >>"$WORK/known_targets.txt"
  run_cli "list-targets --orphan" || { WAIT_DETAIL=$(head -c 300 <<<"$OUT"); return 1; }
  first_column_ids <<<"$OUT" >>"$WORK/known_targets.txt"
  awk 'FILENAME == ARGV[1] { known[$1] = 1; next } !($1 in known)' "$WORK/known_targets.txt" "$WORK/targets.tsv" >"$WORK/missing_targets.tsv"
}

all_targets_known() {
  known_targets || return 1
  [[ -s $WORK/missing_targets.tsv ]] || return 0
  WAIT_DETAIL="$(wc -l <"$WORK/missing_targets.tsv") not reported yet, e.g. $(head -n 1 "$WORK/missing_targets.tsv")"
  return 1
}

known_targets || die "list-targets failed: $OUT"
missing=$(wc -l <"$WORK/missing_targets.tsv")
if ((missing > 0)); then
  # admin_cli sessions read the commands from stdin, CREATE_PARALLELISM of them at once, each for a
  # disjoint set of storage nodes (every create-target is a round trip to mgmtd and one storage node;
  # ~100,000 of them in one session would take hours). In stdin mode admin_cli prints each command's
  # result and always exits 0, so success is judged by the targets being reported afterwards.
  awk -v P="$CREATE_PARALLELISM" -v W="$WORK" '{
    printf "create-target --node-id %s --disk-index %s --target-id %s --chain-id %s --use-new-chunk-engine\n", $2, $3, $1, $4 \
      > (W "/create_target_cmd." ($2 % P)) }' "$WORK/missing_targets.tsv"
  log "run: create-target x ${missing} (commands in $WORK/create_target_cmd.*)"
  for batch in "$WORK"/create_target_cmd.*; do
    "$ADMIN_CLI" "--cfg=$AUTH_CFG" <"$batch" >"$batch.out" &
  done
  wait || true
  errors=$(cat "$WORK"/create_target_cmd.*.out | grep -c "Encounter error" || true)
  if ((errors > 0)); then
    log "create-target reported ${errors} error(s), first ones:"
    cat "$WORK"/create_target_cmd.*.out | grep -A1 "Encounter error" | head -n 20 >&2 || true
  fi
  wait_until "$TARGETS_TIMEOUT" "the storage nodes to report all ${missing} new targets" all_targets_known
  log "all targets are reported"
else
  log "all $(wc -l <"$WORK/targets.tsv") targets exist"
fi

# ---------------------------------------------------------------------------------------- step 8
new_chains=$(wc -l <"$WORK/new_chains.tsv")
if ((new_chains > 0)); then
  head -n 1 "$WORK/generated_chains.csv" >"$WORK/new_chains.csv"
  tr ' ' ',' <"$WORK/new_chains.tsv" >>"$WORK/new_chains.csv"
  mutate "upload-chains $WORK/new_chains.csv"
else
  log "all $(wc -l <"$WORK/chains.tsv") chains exist"
fi

# ---------------------------------------------------------------------------------------- step 9
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
log "done"
