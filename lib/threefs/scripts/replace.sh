#!/usr/bin/env bash
# Declared replacement of lost storage nodes (threefs:storage.replace), run by the replacement Job in the
# 3fs-init image (admin_cli, curl, python3). A storage node whose ECS instance was released lost its elastic
# ephemeral disks with it (docs/node-pools.md); its pod is Pending on claims bound to the deleted disks. For
# each node id in REPLACE, from the cluster's state:
#   1. Kubernetes: only while the pod is Pending and its node not connected: delete its claims
#      data<i>-<pod>; a claim is protected only while a scheduled pod uses it (the pvc-protection
#      controller), and the StatefulSet controller creates the missing claims of a Pending pod, so the pod
#      schedules with new, empty disks (WaitForFirstConsumer). A pod still Pending once its claims are new is
#      deleted. A Running pod (Ready or not) or a connected node is never touched.
#   2. 3FS: once the node is HEARTBEAT_CONNECTED again (empty disks, no targets), create-target for each of
#      its planned chain members with the same target id and chain: nothing refuses it on an empty node
#      (StorageTargets.cc:123-194; CreateTarget.cc:56-65 refuses only a LASTSRV member of a chain of several) and the member is
#      re-pointed to the node by its heartbeat (RoutingInfo.cc:65-71); it is then OFFLINE → SYNCING → SERVING
#      (updateChain.cc:25-104). A member that is its chain's last serving copy (LASTSRV) cannot come back:
#      its data is gone unless the old disk returns; the Job names the chain and leaves the decision
#      (rotate-lastsrv, which accepts the loss, updateChain.cc:143-163) to an operator.
#   3. Waits until every member of the node is SERVING-UPTODATE, logging OFFLINE/SYNCING/SERVING counts.
# Ends 0 when every listed node serves all its targets; a re-run then changes nothing.
#
# Inputs beside this script: common.sh, chains.sh, kube.sh, plan.env, placement.txt.
set -euo pipefail
umask 077
JOB=replace
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${REPLACE_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=chains.sh
source "$SCRIPT_DIR/chains.sh"
# shellcheck source=kube.sh
source "$SCRIPT_DIR/kube.sh"

read_plan "$PLAN_DIR/plan.env" NAMESPACE REPLACE REPLACE_PODS REPLICAS DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES STORAGE_NODE_IDS \
  TARGET_ID_PREFIX CHAIN_ID_PREFIX GROUP_COUNT TOKEN_FILE ADMIN_CLI_CONFIG SA_DIR POLL_INTERVAL CLI_TIMEOUT NODE_TIMEOUT \
  TIME_BUDGET
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
POLL_INTERVAL=$PLAN_POLL_INTERVAL
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
BUDGET_END=$PLAN_TIME_BUDGET
WORK=$(mktemp -d -t 3fs-replace.XXXXXX)
load_token "$PLAN_TOKEN_FILE"
AUTH_CFG=$(mktemp -t 3fs-admin-cli.XXXXXX)
kube_init "$PLAN_SA_DIR"
trap 'rm -f -- "$AUTH_CFG" "$KUBE_HEADERS"' EXIT
trap 'exit 143' TERM
write_auth_config "$PLAN_ADMIN_CLI_CONFIG" "$AUTH_CFG"
expand_placement

# pod_state <pod>: POD_LINE from kube.sh pods_tsv (name uid phase containersReady ready index hash node), or "".
pod_state() {
  POD_LINE=""
  kube GET "/api/v1/namespaces/$PLAN_NAMESPACE/pods?labelSelector=statefulset.kubernetes.io%2Fpod-name%3D$1" "$WORK/pod.json" || { WAIT_DETAIL=$KUBE_ERROR; return 1; }
  POD_LINE=$(pods_tsv "$WORK/pod.json" | head -n 1)
}

# storage_pod <node id>: its pod, from REPLACE_PODS (<id>:<pod>,…; lib/threefs/dayTwo.ts names them with
# storagePodName: with zone spread a node runs in its zone's StatefulSet).
storage_pod() {
  local entry
  for entry in ${PLAN_REPLACE_PODS//,/ }; do [[ ${entry%%:*} == "$1" ]] && { printf '%s' "${entry#*:}"; return 0; }; done
  die "REPLACE_PODS has no pod for node $1"
}

node_status() { awk -v id="$1" '$1 == id { s = $3 } END { print s }' "$WORK/nodes.tsv"; }

# new_disks <node id>: true once the node runs again (connected); deletes the lost claims of a pod that is not running.
CLAIMS_DELETED_AT=-1
new_disks() {
  local id=$1 pod i
  pod=$(storage_pod "$1")
  read_cluster || return 1
  [[ $(node_status "$id") == HEARTBEAT_CONNECTED ]] && return 0
  pod_state "$pod" || return 1
  local phase ready
  read -r _ _ phase ready _ <<<"${POD_LINE:-- - - -}"
  # Only a Pending pod is one that cannot start on its disks: a Running pod (even not Ready: loading its
  # targets, or crash-looping) still has them, and deleting its claims would drop intact disks at its next restart.
  if [[ $phase != Pending ]]; then WAIT_DETAIL="$pod is ${phase/#-/absent}${ready:+ (ready: $ready)}; its claims are deleted only while it is Pending; waiting for node $id to connect"; return 1; fi
  if ((CLAIMS_DELETED_AT < 0)); then
    for ((i = 0; i < PLAN_DISKS_PER_NODE; i++)); do
      kube DELETE "/api/v1/namespaces/$PLAN_NAMESPACE/persistentvolumeclaims/data${i}-${pod}" "$WORK/claim.json" || [[ $KUBE_ERROR == *"HTTP 404"* ]] || die "deleting claim data${i}-${pod}: $KUBE_ERROR"
    done
    log "$pod is ${phase}: deleted its claims (the lost disks); the StatefulSet gives it new ones"
    CLAIMS_DELETED_AT=$(elapsed)
  elif [[ $phase == Pending ]] && (($(elapsed) - CLAIMS_DELETED_AT >= 120)); then
    kube DELETE "/api/v1/namespaces/$PLAN_NAMESPACE/pods/$pod" "$WORK/deleted.json" || die "deleting $pod: $KUBE_ERROR"
    log "$pod still Pending 120 s after its claims went: deleted it (re-created with its new claims)"
    CLAIMS_DELETED_AT=$(elapsed)
  fi
  WAIT_DETAIL="$pod is ${phase}; node $id is $(node_status "$id" | tr -d '\n')"
  return 1
}

# recreate <node id>: create-target for each planned chain member of the node it does not report; LASTSRV ones
# are listed in WORK/lost.txt. Returns 0 once every member of the node is SERVING-UPTODATE.
recreate() {
  local id=$1
  read_cluster || return 1
  awk -v id="$id" -v W="$WORK" '
    FILENAME ~ /live.tsv$/ { for (i = 4; i <= NF; i++) { split($i, a, ":"); ps[a[1]] = a[2]; ls[a[1]] = a[3]; chain[a[1]] = $1 }; next }
    FILENAME ~ /members.tsv$/ { mnode[$1] = $5; next }
    FILENAME ~ /orphans.tsv$/ { if ($3 == id) mine[$1] = 1; next }
    $2 == id && ($1 in chain) {
      t = $1; total++
      if (ps[t] == "SERVING" && ls[t] == "UPTODATE" && mnode[t] == id) { serving++; next }
      if (ps[t] == "SYNCING") { syncing++; next }
      # LASTSRV: no other replica holds the data. create-target refuses it only in a chain of several members
      # (CreateTarget.cc:56-65), so a single-replica chain would come back empty and serve: named as lost too.
      if (ps[t] == "LASTSRV") { print chain[t], t > (W "/lost.txt"); next }
      offline++
      # Not reported by the node yet (its heartbeat re-points the member): create it there.
      if (!(mnode[t] == id && ls[t] != "OFFLINE") && !(t in mine)) printf "create-target --node-id %s --disk-index %s --target-id %s --chain-id %s --use-new-chunk-engine\n", id, $3, t, $4 > (W "/create.txt")
    }
    END { printf "TOTAL=%d\nSERVING=%d\nSYNCING=%d\nOFFLINE=%d\n", total, serving, syncing, offline > (W "/counts.env") }
  ' "$WORK/live.tsv" "$WORK/members.tsv" "$WORK/orphans.tsv" "$WORK/targets.tsv"
  # shellcheck disable=SC1091
  source "$WORK/counts.env"
  local progress="node $id: $SERVING serving, $SYNCING syncing, $OFFLINE offline of $TOTAL targets"
  [[ $progress == "${LOGGED:-}" ]] || { log "$progress"; LOGGED=$progress; }
  if [[ -s $WORK/create.txt ]]; then run_batch "$WORK/create.txt" "create-target on node $id (same ids)"; fi
  rm -f "$WORK/create.txt"
  ((SERVING == TOTAL)) && return 0
  [[ -s $WORK/lost.txt ]] && ((SERVING + $(wc -l <"$WORK/lost.txt") == TOTAL)) && return 0
  WAIT_DETAIL=$progress
  return 1
}

lost_any=0
for id in ${PLAN_REPLACE//,/ }; do
  log "replacing storage node $id"
  : >"$WORK/lost.txt"
  CLAIMS_DELETED_AT=-1
  wait_until "$PLAN_NODE_TIMEOUT" "storage node $id back on new disks" new_disks "$id"
  wait_until "$((BUDGET_END > $(elapsed) ? BUDGET_END - $(elapsed) : 1))" "node $id's targets to serve" recreate "$id"
  if [[ -s $WORK/lost.txt ]]; then
    lost_any=1
    while read -r chain t; do log "LOST: chain $chain: target $t was its last serving replica (LASTSRV); its data is gone with the old disk. Nothing recreates it: decide (rotate-lastsrv $chain accepts the loss)"; done <"$WORK/lost.txt"
  fi
  log "storage node $id replaced"
done
((lost_any == 0)) || die "some chains lost their last copy (see LOST above)"
log "done in $(elapsed)s"
