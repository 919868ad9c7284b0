#!/usr/bin/env bash
# 3FS post-deploy check, run by the check Job (awaited by `pulumi up`) and on demand from its suspended
# CronJob, in the 3fs-init image (admin_cli, bash, coreutils, curl, python3). It verifies what a first
# deploy would otherwise leave to be checked by hand, one line per check:
#   erdma  every node of every 3FS pool has `aliyun/erdma` allocatable (the eRDMA device plugin), and each
#          pool has its planned node count                                     (Kubernetes API: nodes)
#   nodes  every planned mgmtd, meta and storage node is HEARTBEAT_CONNECTED, one mgmtd PRIMARY_MGMTD
#          (admin_cli list-nodes; src/client/cli/admin/ListNodes.cc:19-87 of alibabacloud-3FS ab363af)
#   chains the chain table holds the planned chains, each with at least REPLICAS targets SERVING-UPTODATE
#          and none LASTSRV (admin_cli list-chains -t; src/client/cli/admin/ListChains.cc:19-113): a member a
#          migration adds resyncs while the chain keeps its replicas serving
#   placement  (never fails) how many chains are at the placement lock, how many still move (the migration
#          Job's progress, scripts/migrate.sh)
#   fuse   every client node runs a Ready FUSE pod (its readiness probe finds the mount) (API: pods)
#   io     a write through the mount read back with O_DIRECT from the storage services (sha256 equal)
# Checks that fail are retried every POLL_INTERVAL until they pass or the time budget ends (chains are
# newborn for 2 minutes after upload and resync after restarts); the io check runs once the others pass.
# Prints a summary; exits 1 naming what failed (also in the pod's termination message).
#
# Inputs beside this script: common.sh, chains.sh, plan.env, placement.txt, pools.json. The root token is used as in the bootstrap
# (a private 0600 --cfg copy); the Kubernetes token is sent from a 0600 header file, never on argv.
set -euo pipefail
umask 077
JOB=check
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${CHECK_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=chains.sh
source "$SCRIPT_DIR/chains.sh"

read_plan "$PLAN_DIR/plan.env" NAMESPACE REPLICAS DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES STORAGE_NODE_IDS TARGET_ID_PREFIX CHAIN_ID_PREFIX \
  GROUP_COUNT MGMTD_IDS META_IDS STORAGE_IDS CHAIN_TABLE_ID CHAINS FUSE_SELECTOR \
  CLIENT_SELECTOR MOUNT_PATH WRITE_MIB TOKEN_FILE ADMIN_CLI_CONFIG SA_DIR MOUNTINFO POLL_INTERVAL CLI_TIMEOUT \
  TIME_BUDGET TERMINATION_LOG
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
POLL_INTERVAL=$PLAN_POLL_INTERVAL
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
BUDGET_END=$PLAN_TIME_BUDGET
WORK=$(mktemp -d -t 3fs-check.XXXXXX)

load_token "$PLAN_TOKEN_FILE"
AUTH_CFG=$(mktemp -t 3fs-admin-cli.XXXXXX)
HEADERS=$(mktemp -t 3fs-kube.XXXXXX)
trap 'rm -f -- "$AUTH_CFG" "$HEADERS"' EXIT
trap 'exit 143' TERM
write_auth_config "$PLAN_ADMIN_CLI_CONFIG" "$AUTH_CFG"
[[ -r $PLAN_SA_DIR/token && -r $PLAN_SA_DIR/ca.crt ]] || die "no ServiceAccount token in $PLAN_SA_DIR (automountServiceAccountToken)"
printf 'Authorization: Bearer %s\n' "$(<"$PLAN_SA_DIR/token")" >"$HEADERS"
KUBE_API="https://${KUBERNETES_SERVICE_HOST:-kubernetes.default.svc}:${KUBERNETES_SERVICE_PORT:-443}"

# kube <path> <out>: GET from the Kubernetes API into <out>; fails (DETAIL set) on an HTTP error.
kube() {
  local code
  code=$(curl -sS --max-time 30 --cacert "$PLAN_SA_DIR/ca.crt" -H "@$HEADERS" -o "$2" -w '%{http_code}' "$KUBE_API$1" 2>"$WORK/curl.err") || code=000
  [[ $code == 200 ]] && return 0
  DETAIL="GET $1: HTTP $code $(head -c 200 "$2" 2>/dev/null | tr '\n' ' ') $(head -c 200 "$WORK/curl.err")"
  return 1
}

# --------------------------------------------------------------------------------------------- checks
# Each check_<name> returns 0 when it passes and leaves a one-line DETAIL either way.

check_erdma() {
  kube "/api/v1/nodes" "$WORK/nodes.json" || return 1
  DETAIL=$(python3 - "$WORK/nodes.json" "$PLAN_DIR/pools.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["items"]
pools = json.load(open(sys.argv[2]))
bad, parts = [], []
for p in pools:
    mine = [n for n in nodes if all(n["metadata"].get("labels", {}).get(k) == v for k, v in p["nodeSelector"].items())]
    without = [n["metadata"]["name"] for n in mine if int(n.get("status", {}).get("allocatable", {}).get(p["resource"], "0")) < 1]
    parts.append(f'{p["pool"]} {len(mine)}/{p["nodes"]} nodes, {p["resource"]} on {len(mine) - len(without)}')
    if len(mine) < p["nodes"]: bad.append(f'pool {p["pool"]} has {len(mine)} of {p["nodes"]} nodes')
    if without: bad.append(f'no {p["resource"]} allocatable on {", ".join(without[:5])}{" …" if len(without) > 5 else ""}')
print("; ".join(bad) if bad else "; ".join(parts))
sys.exit(1 if bad else 0)
PY
  )
}

# ids "<a,b,c>": one id per line.
ids() { tr ',' '\n' <<<"$1"; }

check_nodes() {
  run_cli "list-nodes" || { DETAIL="list-nodes: $(head -c 200 <<<"$OUT")"; return 1; }
  DETAIL=$(awk -v mgmtd="$PLAN_MGMTD_IDS" -v meta="$PLAN_META_IDS" -v storage="$PLAN_STORAGE_IDS" '
    BEGIN { n = split(mgmtd, a, ","); for (i = 1; i <= n; i++) want[a[i]] = "MGMTD"
            n = split(meta, a, ","); for (i = 1; i <= n; i++) want[a[i]] = "META"
            n = split(storage, a, ","); for (i = 1; i <= n; i++) want[a[i]] = "STORAGE" }
    $1 ~ /^[0-9]+$/ { type[$1] = $2; status[$1] = $3; if ($3 == "PRIMARY_MGMTD") primaries++ }
    END {
      for (id in want) {
        total++
        if (!(id in type)) { missing = missing " " id; continue }
        ok = status[id] == "HEARTBEAT_CONNECTED" || (want[id] == "MGMTD" && status[id] == "PRIMARY_MGMTD")
        if (type[id] != want[id] || !ok) { wrong = wrong " " id "=" type[id] "/" status[id] } else up++
      }
      if (missing == "" && wrong == "" && primaries == 1) { printf "%d of %d nodes connected, one primary mgmtd", up, total; exit 0 }
      printf "%d of %d nodes connected", up, total
      if (missing != "") printf "; not registered:%s", missing
      if (wrong != "") printf "; not connected:%s", wrong
      if (primaries != 1) printf "; %d primary mgmtd", primaries
      exit 1
    }' <<<"$OUT")
}

check_chains() {
  run_cli "list-chains -t $PLAN_CHAIN_TABLE_ID" || { DETAIL="list-chains -t $PLAN_CHAIN_TABLE_ID: $(head -c 200 <<<"$OUT")"; return 1; }
  # Rows: ChainId ChainTable ChainTableVersion ChainVersion Status PreferredOrder Target… (ListChains.cc:93-113).
  printf '%s\n' "$OUT" >"$WORK/table_chains.txt"
  DETAIL=$(awk -v want="$PLAN_CHAINS" -v K="$PLAN_REPLICAS" '
    $1 ~ /^[0-9]+$/ {
      chains++; up = 0; first = ""; lastsrv = 0
      for (i = 7; i <= NF; i++) { if ($i ~ /\(SERVING-UPTODATE\)$/) up++; else if (first == "") first = $i; if ($i ~ /\(LASTSRV-/) lastsrv = 1 }
      good = up >= K && !lastsrv
      if (good) { serving++; if (up < NF - 6) extra++ } else if (bad < 3) { bad++; example = example " " $1 " " $5 (first == "" ? "" : " " first) ";" }
    }
    END {
      if (chains == want && serving == want) { printf "%d of %d chains serving, every chain with %d targets UPTODATE%s", serving, want, K, extra ? " (" extra " resyncing a new member)" : ""; exit 0 }
      printf "%d of %d chains serving (the table lists %d)%s", serving, want, chains, example == "" ? "" : "; e.g." substr(example, 1, length(example) - 1)
      exit 1
    }' <<<"$OUT")
}

# The migration's progress: chains whose members are the placement's (from the last chains round).
placement_status() {
  [[ -s $WORK/table_chains.txt ]] || { echo "unknown (the chains could not be read)"; return; }
  awk 'FILENAME == ARGV[1] { n = 0; for (i = 2; i <= NF; i++) want[$1, $i] = 1; size[$1] = NF - 1; total++; next }
    $1 ~ /^[0-9]+$/ && ($1 in size) {
      m = 0; ok = 1
      for (i = 7; i <= NF; i++) { t = $i; sub(/\(.*/, "", t); m++; if (!(($1, t) in want)) ok = 0 }
      if (ok && m == size[$1]) at++
    }
    END { if (at == total) printf "%d of %d chains at the placement lock", at, total
          else printf "%d of %d chains at the placement lock; the migration Job moves the others (kubectl logs of its Job)", at, total }' "$WORK/plan.tsv" "$WORK/table_chains.txt"
}

check_fuse() {
  if [[ -z $PLAN_CLIENT_SELECTOR ]]; then DETAIL="no client nodes in this stack"; return 0; fi
  kube "/api/v1/nodes?labelSelector=$PLAN_CLIENT_SELECTOR" "$WORK/clients.json" || return 1
  kube "/api/v1/namespaces/$PLAN_NAMESPACE/pods?labelSelector=$PLAN_FUSE_SELECTOR" "$WORK/fuse.json" || return 1
  DETAIL=$(python3 - "$WORK/clients.json" "$WORK/fuse.json" <<'PY'
import json, sys
nodes = [n["metadata"]["name"] for n in json.load(open(sys.argv[1]))["items"]]
ready = set()
for p in json.load(open(sys.argv[2]))["items"]:
    conds = {c["type"]: c["status"] for c in p.get("status", {}).get("conditions", [])}
    if conds.get("Ready") == "True": ready.add(p.get("spec", {}).get("nodeName"))
missing = [n for n in nodes if n not in ready]
if not nodes: print("no client node is up"); sys.exit(1)
if missing: print(f"{len(nodes) - len(missing)} of {len(nodes)} client nodes mounted; no Ready FUSE pod on {', '.join(missing[:5])}"); sys.exit(1)
print(f"3FS mounted on all {len(nodes)} client nodes")
PY
  )
}

# The mount in this pod: a FUSE file system exactly at MOUNT_PATH (mountinfo field 5; the type follows " - ").
mounted() { awk -v p="$PLAN_MOUNT_PATH" '$5 == p && / - fuse/ { found = 1 } END { exit !found }' "$PLAN_MOUNTINFO"; }

# Writes WRITE_MIB MiB through the mount and reads them back with O_DIRECT, so the bytes compared come from
# the storage services, not this node's page cache (the FUSE client caches reads: enable_read_cache).
check_io() {
  if [[ -z $PLAN_CLIENT_SELECTOR || $PLAN_WRITE_MIB == 0 ]]; then DETAIL="skipped (no client nodes, or the write test is off)"; return 0; fi
  mounted || { DETAIL="3FS is not mounted at $PLAN_MOUNT_PATH in this pod"; return 1; }
  local dir="$PLAN_MOUNT_PATH/.threefs-check/${HOSTNAME:-check}-$$" want got
  mkdir -p "$dir" || { DETAIL="cannot create $dir"; return 1; }
  head -c $((PLAN_WRITE_MIB * 1048576)) /dev/urandom >"$WORK/data"
  want=$(sha256sum <"$WORK/data" | cut -d' ' -f1)
  if ! { cp "$WORK/data" "$dir/data" && sync; }; then DETAIL="writing $dir/data failed"; rm -rf "$dir"; return 1; fi
  got=$(dd if="$dir/data" iflag=direct bs=1M status=none | sha256sum | cut -d' ' -f1) || got=""
  rm -rf "$dir"
  rm -f "$WORK/data"
  [[ $want == "$got" ]] || { DETAIL="read back ${got:-nothing}, wrote $want"; return 1; }
  DETAIL="${PLAN_WRITE_MIB} MiB written and read back (O_DIRECT), sha256 ${got:0:16}…"
}

# ---------------------------------------------------------------------------------------------- run
CHECKS=(erdma nodes chains fuse)
declare -A PASSED=() DETAILS=()
round() {
  local c
  for c in "${CHECKS[@]}"; do
    [[ -n ${PASSED[$c]:-} ]] && continue
    DETAIL=""
    if "check_$c"; then PASSED[$c]=1; fi
    DETAILS[$c]=$DETAIL
  done
  ((${#PASSED[@]} == ${#CHECKS[@]}))
}
LOGGED_AT=-60
until round; do
  (($(elapsed) + POLL_INTERVAL < BUDGET_END)) || break
  if (($(elapsed) - LOGGED_AT >= 60)); then
    for c in "${CHECKS[@]}"; do [[ -n ${PASSED[$c]:-} ]] || log "waiting for $c: ${DETAILS[$c]}"; done
    LOGGED_AT=$(elapsed)
  fi
  sleep "$POLL_INTERVAL"
done
if ((${#PASSED[@]} == ${#CHECKS[@]})); then
  DETAIL=""
  if check_io; then PASSED[io]=1; fi
  DETAILS[io]=$DETAIL
else
  DETAILS[io]="not run: the other checks did not pass"
fi
CHECKS+=(io)
expand_placement
CHECKS+=(placement)
PASSED[placement]=1
DETAILS[placement]=$(placement_status)

failed=()
for c in "${CHECKS[@]}"; do
  if [[ -n ${PASSED[$c]:-} ]]; then printf 'PASS %-6s %s\n' "$c" "${DETAILS[$c]}"; else printf 'FAIL %-6s %s\n' "$c" "${DETAILS[$c]}"; failed+=("$c"); fi
done
summary="post-deploy check: $((${#CHECKS[@]} - ${#failed[@]})) passed, ${#failed[@]} failed"
if ((${#failed[@]} > 0)); then
  summary="$summary (${failed[*]}) after $(elapsed)s; see kubectl logs of this Job"
  printf '%s\n' "$summary"
  printf '%s\n' "$summary" >"$PLAN_TERMINATION_LOG" 2>/dev/null || true
  exit 1
fi
printf '%s\n' "$summary"
printf '%s\n' "$summary" >"$PLAN_TERMINATION_LOG" 2>/dev/null || true
