#!/usr/bin/env bash
# Health-gated restarts, run by the roll Job in the 3fs-init image (admin_cli, curl, python3). The mgmtd,
# meta and storage StatefulSets and the FUSE DaemonSet update OnDelete: a changed pod template reaches a pod
# only when it is deleted. This Job deletes every pod whose `threefs.io/template-hash` annotation differs
# from the current template's, in the order mgmtd → meta → storage → FUSE (mgmtd: the primary last), one pod
# at a time:
#   before each delete   every chain SERVING (list-chains Status, src/client/cli/admin/ListChains.cc:29-60
#                        of alibabacloud-3FS ab363af) and every planned node connected (list-nodes);
#   after it             the re-created pod (new uid) ContainersReady, its 3FS node HEARTBEAT_CONNECTED
#                        (mgmtd: or PRIMARY_MGMTD), and for storage every chain SERVING again (its targets
#                        back UPTODATE: a graceful stop reports them OFFLINE, Components.cc:152-158, and
#                        they resync on return, updateChain.cc:25-104);
#   halts                when a chain the restarted pod does not hold stops serving meanwhile (a new
#                        degradation: a second failure), or a wait outlives its limit; the rest waits for a
#                        new run (the Job's next attempt, or a new pulumi up).
# A pod already at the current template is left alone, so a re-run after success deletes nothing. Minimal
# RBAC: pods get, list, delete in the namespace.
#
# Inputs beside this script: common.sh, kube.sh, plan.env.
set -euo pipefail
umask 077
JOB=roll
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${ROLL_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=kube.sh
source "$SCRIPT_DIR/kube.sh"

read_plan "$PLAN_DIR/plan.env" NAMESPACE ORDER SELECTOR_MGMTD SELECTOR_META SELECTOR_STORAGE SELECTOR_FUSE HASH_MGMTD \
  HASH_META HASH_STORAGE HASH_FUSE ADMIN_CLI_CONFIG SA_DIR POLL_INTERVAL CLI_TIMEOUT HEALTH_TIMEOUT POD_TIMEOUT TIME_BUDGET
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
POLL_INTERVAL=$PLAN_POLL_INTERVAL
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
BUDGET_END=$PLAN_TIME_BUDGET
WORK=$(mktemp -d -t 3fs-roll.XXXXXX)
AUTH_CFG=$PLAN_ADMIN_CLI_CONFIG # list-nodes/list-chains/list-targets need no token (mgmtd authenticate is off)
kube_init "$PLAN_SA_DIR"
trap 'rm -f -- "$KUBE_HEADERS"' EXIT
trap 'exit 143' TERM

# chains_state: "<chain id> <status>" per chain (list-chains) into WORK/chains.txt; 1 when unreadable.
chains_state() {
  run_cli "list-chains" || { WAIT_DETAIL="list-chains: $(head -c 200 <<<"$OUT")"; return 1; }
  awk '$1 ~ /^[0-9]+$/ { print $1, $4 }' <<<"$OUT" >"$WORK/chains.txt"
}

# healthy: every chain SERVING and no STORAGE/META node HEARTBEAT_FAILED, one primary mgmtd.
healthy() {
  chains_state || return 1
  local bad
  bad=$(awk '$2 != "SERVING" { n++; if (n <= 3) s = s " " $1 " " $2 } END { if (n) printf "%d chain(s) not serving:%s", n, s }' "$WORK/chains.txt")
  [[ -z $bad ]] || { WAIT_DETAIL=$bad; return 1; }
  run_cli "list-nodes" || { WAIT_DETAIL="list-nodes: $(head -c 200 <<<"$OUT")"; return 1; }
  bad=$(awk '$1 ~ /^[0-9]+$/ && $3 == "PRIMARY_MGMTD" { p++ } $1 ~ /^[0-9]+$/ && ($2 == "META" || $2 == "STORAGE") && $3 != "HEARTBEAT_CONNECTED" { s = s " " $1 "=" $3 }
    END { if (p != 1) printf "%d primary mgmtd;", p; if (s != "") printf " not connected:%s", s }' <<<"$OUT")
  [[ -z $bad ]] || { WAIT_DETAIL=$bad; return 1; }
}

# list_pods <role>: WORK/pods.tsv (kube.sh pods_tsv) of the role's pods.
list_pods() {
  local sel=PLAN_SELECTOR_${1^^}
  kube GET "/api/v1/namespaces/$PLAN_NAMESPACE/pods?labelSelector=${!sel}" "$WORK/pods.json" || { WAIT_DETAIL=$KUBE_ERROR; return 1; }
  pods_tsv "$WORK/pods.json" >"$WORK/pods.tsv"
}

# node_ok <role> <node id>: the 3FS node is connected (mgmtd: or primary).
node_ok() {
  run_cli "list-nodes" || { WAIT_DETAIL="list-nodes: $(head -c 200 <<<"$OUT")"; return 1; }
  awk -v id="$2" -v role="$1" '$1 == id { s = $3 } END { exit !(s == "HEARTBEAT_CONNECTED" || (role == "mgmtd" && s == "PRIMARY_MGMTD")) }' <<<"$OUT" ||
    { WAIT_DETAIL="node $2 is not connected yet"; return 1; }
}

# back <role> <pod> <old uid> <node name> <node id> <own chains file>: the pod is re-created and ready, and
# nothing degraded that the restart does not explain (halts otherwise).
back() {
  local role=$1 pod=$2 uid=$3 host=$4 id=$5 own=$6 line new
  list_pods "$role" || return 1
  if [[ $role == fuse ]]; then line=$(awk -v h="$host" -v u="$uid" '$8 == h && $2 != u' "$WORK/pods.tsv")
  else line=$(awk -v p="$pod" -v u="$uid" '$1 == p && $2 != u' "$WORK/pods.tsv"); fi
  [[ -n $line ]] || { WAIT_DETAIL="$pod is not re-created yet"; return 1; }
  read -r new _ _ ready podready _ <<<"$line"
  if [[ $role == fuse ]]; then
    [[ $podready == True ]] || { WAIT_DETAIL="$new is not Ready (mount)"; return 1; }
  else
    [[ $ready == True ]] || { WAIT_DETAIL="$new: containers not ready"; return 1; }
    node_ok "$role" "$id" || return 1
  fi
  if chains_state; then
    local worse
    worse=$(awk 'FILENAME == ARGV[1] { own[$1] = 1; next } $2 != "SERVING" && !($1 in own) { printf "%s %s ", $1, $2 }' "$own" "$WORK/chains.txt")
    [[ -z $worse ]] || die "halted: chain(s) ${worse}stopped serving while $pod restarted (a new degradation); nothing more is restarted"
    awk '$2 != "SERVING" { bad = 1 } END { exit bad }' "$WORK/chains.txt" || { WAIT_DETAIL="its chains are resyncing"; return 1; }
  else
    return 1
  fi
}

# own_chains <role> <node id>: chains with a target on this storage node (list-targets), into WORK/own.txt.
own_chains() {
  : >"$WORK/own.txt"
  [[ $1 == storage ]] || return 0
  run_cli "list-targets" || die "list-targets failed: $(head -c 200 <<<"$OUT")"
  awk -v id="$2" '$1 ~ /^[0-9]+$/ && $6 == id { print $2 }' <<<"$OUT" | sort -u >"$WORK/own.txt"
}

restarted=0
for role in ${PLAN_ORDER//,/ }; do
  hash=PLAN_HASH_${role^^}
  list_pods "$role" || die "cannot list the $role pods: $WAIT_DETAIL"
  awk -v h="${!hash}" '$7 != h' "$WORK/pods.tsv" >"$WORK/outdated.tsv"
  if [[ $role == mgmtd && -s $WORK/outdated.tsv ]]; then
    # The primary last: each restart of a secondary keeps the lease where it is.
    run_cli "list-nodes" || die "list-nodes failed: $(head -c 200 <<<"$OUT")"
    primary=$(awk '$3 == "PRIMARY_MGMTD" { print $1 }' <<<"$OUT")
    awk -v p="$primary" '{ print ($6 == p ? 1 : 0), $0 }' "$WORK/outdated.tsv" | sort -k1,1n | cut -d' ' -f2- >"$WORK/ordered.tsv"
    mv "$WORK/ordered.tsv" "$WORK/outdated.tsv"
  fi
  log "$role: $(wc -l <"$WORK/outdated.tsv") of $(wc -l <"$WORK/pods.tsv") pod(s) to restart"
  while read -r pod uid _ _ _ index _ host <&3; do
    wait_until "$PLAN_HEALTH_TIMEOUT" "every chain serving before restarting $pod" healthy
    own_chains "$role" "$index"
    kube DELETE "/api/v1/namespaces/$PLAN_NAMESPACE/pods/$pod" "$WORK/deleted.json" || die "deleting $pod: $KUBE_ERROR"
    log "deleted $pod (node $index); waiting for it to come back"
    wait_until "$PLAN_POD_TIMEOUT" "$pod back, connected, its chains serving" back "$role" "$pod" "$uid" "$host" "$index" "$WORK/own.txt"
    log "$pod is back"
    restarted=$((restarted + 1))
  done 3<"$WORK/outdated.tsv"
done
log "done in $(elapsed)s: ${restarted} pod(s) restarted, every pod runs its current template"
