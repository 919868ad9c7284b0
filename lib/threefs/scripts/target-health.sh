#!/usr/bin/env bash
# Storage readiness from the chains, run by the target-health Deployment in the 3fs-init image (admin_cli,
# curl, python3). Every PERIOD seconds it reads every chain member once (admin_cli list-targets:
# TargetId ChainId Role PublicState LocalState NodeId …, src/client/cli/admin/ListTargets.cc:23-94 of
# alibabacloud-3FS ab363af) and sets the readiness gate GATE of each storage pod through pods/status:
#   True  when every chain holding a target of the pod's node has at least REPLICAS SERVING members
#         (a node only receiving a target in a migration, or holding none yet, is ready);
#   False when one of them is short: the node, and every node sharing such a chain, is not ready, so the
#         storage PodDisruptionBudget (maxUnavailable 1) lets no drain take another replica of that chain.
# The storage pods list the gate in spec.readinessGates: a pod is Ready only with ContainersReady and the
# gate True (KEP-580). When mgmtd does not answer for FAIL_LIMIT rounds every gate turns False (nothing can
# tell the chains are whole). Only changed conditions are patched.
#
# Inputs beside this script: common.sh, kube.sh, plan.env. `--once`: one round (tests, or by hand).
set -euo pipefail
umask 077
JOB=target-health
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${TARGET_HEALTH_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=kube.sh
source "$SCRIPT_DIR/kube.sh"

read_plan "$PLAN_DIR/plan.env" NAMESPACE STORAGE_SELECTOR GATE REPLICAS ADMIN_CLI_CONFIG SA_DIR PERIOD FAIL_LIMIT CLI_TIMEOUT
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
WORK=$(mktemp -d -t 3fs-health.XXXXXX)
# list-targets needs no token (mgmtd authenticate is off, MgmtdConfig.h:35): the rendered config as is.
AUTH_CFG=$PLAN_ADMIN_CLI_CONFIG
kube_init "$PLAN_SA_DIR"
trap 'rm -f -- "$KUBE_HEADERS"' EXIT
trap 'exit 143' TERM

FAILS=0
# node_health: "<node id> True|False <reason>" per storage node id that holds targets, from list-targets.
node_health() {
  awk -v K="$PLAN_REPLICAS" '
    $1 ~ /^[0-9]+$/ { chain[NR] = $2; node[NR] = $6; if ($4 == "SERVING") serving[$2]++; n = NR }
    END {
      for (i = 1; i <= n; i++) {
        if (node[i] == "N/A") continue
        if (serving[chain[i]] + 0 < K) { bad[node[i]] = 1; why[node[i]] = "chain " chain[i] " has " serving[chain[i]] + 0 " of " K " replicas serving" }
        seen[node[i]] = 1
      }
      for (x in seen) print x, (x in bad ? "False" : "True"), (x in bad ? why[x] : "every chain of this node has " K " serving replicas")
    }' <<<"$1"
}

round() {
  local health="" pods
  if run_cli "list-targets"; then
    FAILS=0
    health=$(node_health "$OUT")
  else
    FAILS=$((FAILS + 1))
    ((FAILS >= PLAN_FAIL_LIMIT)) || { log "list-targets failed ($FAILS): $(head -c 200 <<<"$OUT")"; return 0; }
    health="*"
  fi
  kube GET "/api/v1/namespaces/$PLAN_NAMESPACE/pods?labelSelector=$PLAN_STORAGE_SELECTOR" "$WORK/pods.json" || { log "$KUBE_ERROR"; return 0; }
  pods=$(python3 - "$WORK/pods.json" "$PLAN_GATE" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1])).get("items", []):
    m = p.get("metadata", {})
    cond = {c.get("type"): c.get("status") for c in p.get("status", {}).get("conditions", [])}
    print(m.get("name"), m.get("labels", {}).get("apps.kubernetes.io/pod-index", "-"), cond.get(sys.argv[2], "-"))
PY
  )
  local name index current want reason
  while read -r name index current; do
    [[ -n $name ]] || continue
    if [[ $health == "*" ]]; then
      want=False reason="MgmtdUnreachable: list-targets failed ${FAILS} times"
    else
      read -r want reason < <(awk -v x="$index" '$1 == x { $1 = ""; print substr($0, 2); found = 1 } END { if (!found) print "True this node holds no chain member" }' <<<"$health")
    fi
    [[ $current == "$want" ]] && continue
    python3 -c 'import json, sys; print(json.dumps({"status": {"conditions": [{"type": sys.argv[1], "status": sys.argv[2], "reason": "ChainsServing" if sys.argv[2] == "True" else "ChainShort", "message": sys.argv[3]}]}}))' \
      "$PLAN_GATE" "$want" "$reason" >"$WORK/patch.json"
    if kube PATCH "/api/v1/namespaces/$PLAN_NAMESPACE/pods/$name/status" "$WORK/patched.json" "$WORK/patch.json"; then
      log "$name: $PLAN_GATE=$want ($reason)"
    else
      log "$KUBE_ERROR"
    fi
  done <<<"$pods"
}

if [[ ${1:-} == --once ]]; then
  round
  exit 0
fi
log "watching the storage pods of ${PLAN_NAMESPACE} every ${PLAN_PERIOD}s (gate ${PLAN_GATE})"
while true; do
  round
  sleep "$PLAN_PERIOD"
done
