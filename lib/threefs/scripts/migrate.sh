#!/usr/bin/env bash
# 3FS placement migration, run by the migration Job in the admin-cli image (bash, coreutils, awk). It brings
# the live chains to the stack's placement lock (placement.txt) from whatever state they are in: it keeps
# no progress record of its own, so a killed or restarted run resumes where the cluster is. Sources are
# AliyunContainerService/alibabacloud-3FS at ab363af (path:line below).
#
# Each round reads the cluster in one admin_cli session (chains.sh read_cluster), decides every step it can
# take now, runs them in one session, and waits POLL_INTERVAL:
#   1. new chains (growth): their targets, then upload-chains once reported, then the chain table once
#      every planned chain exists (chains.sh, as the bootstrap does; a chain whose node reuses a slot still
#      held in another chain waits for that move);
#   2. per chain whose members differ from the placement, one membership step at a time:
#        create-target on the new node (an orphan until added; CreateTarget.cc:14-74)
#        update-chain <chain> <target> --mode add: appended OFFLINE, then SYNCING, then SERVING at the tail
#          once the resync finished (UpdateChainOperation.cc:40-58, updateChain.cc:25-104)
#        offline-target of the member that leaves, only while k other members serve (an RPC to its node:
#          StorageOperator.cc:1079-1096), so the chain never drops below k serving replicas
#        update-chain --mode remove once it is publicly OFFLINE (UpdateChainOperation.cc:59-78)
#        remove-target once it is an orphan on its node (StorageOperator.cc:1098-1150)
#      adds first, a removal when the chain holds more than k members;
#   3. heads: set-preferred-target-order to the placement's order (no effect on states,
#      SetPreferredTargetOrderOperation.cc:61-71), then rotate-as-preferred-order while the head differs
#      (the head moves to the end and resyncs, updateChain.cc:106-141);
#   4. targets no chain and no planned chain holds (what moves left behind): offline-target + remove-target.
# Gates: a step starts only while every storage node that holds planned targets is HEARTBEAT_CONNECTED and
# no target anywhere is LASTSRV or WAITING (a chain in trouble: the migration waits, it never adds load),
# and while the receiving node and the chain's tail (the resync source) each have fewer than
# MAX_SYNCS_PER_NODE resyncs under way. Steps under way (a resync) always run to their end.
#
# Ends 0 when the cluster matches the placement (a re-run then changes nothing); 1 when nothing moved for
# STALL_TIMEOUT seconds (the reason is logged) or the time budget ran out: a new run resumes.
#
# Inputs beside this script: common.sh, chains.sh, plan.env, placement.txt. Optional environment:
# ADMIN_CLI, MIGRATE_PLAN_DIR.
set -euo pipefail
umask 077
JOB=migrate
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PLAN_DIR=${MIGRATE_PLAN_DIR:-$SCRIPT_DIR}
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
# shellcheck source=chains.sh
source "$SCRIPT_DIR/chains.sh"

read_plan "$PLAN_DIR/plan.env" CLUSTER_ID DESC REPLICAS DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES STORAGE_NODE_IDS TARGET_ID_PREFIX \
  CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT TOKEN_FILE ADMIN_CLI_CONFIG POLL_INTERVAL CLI_TIMEOUT TIME_BUDGET \
  MAX_SYNCS_PER_NODE STALL_TIMEOUT HEADS
for n in REPLICAS DISKS_PER_NODE NODE_ID_BEGIN STORAGE_NODES TARGET_ID_PREFIX CHAIN_ID_PREFIX CHAIN_TABLE_ID GROUP_COUNT \
  POLL_INTERVAL CLI_TIMEOUT TIME_BUDGET MAX_SYNCS_PER_NODE STALL_TIMEOUT HEADS; do
  v=PLAN_$n
  [[ ${!v} =~ ^[0-9]+$ ]] || die "plan.env: $n must be a whole number"
done
ADMIN_CLI=${ADMIN_CLI:-admin_cli}
POLL_INTERVAL=$PLAN_POLL_INTERVAL
CLI_TIMEOUT=$PLAN_CLI_TIMEOUT
BUDGET_END=$PLAN_TIME_BUDGET
WORK=$(mktemp -d -t 3fs-migrate.XXXXXX)

load_token "$PLAN_TOKEN_FILE"
AUTH_CFG=$(mktemp -t 3fs-admin-cli.XXXXXX)
trap 'rm -f -- "$AUTH_CFG"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
write_auth_config "$PLAN_ADMIN_CLI_CONFIG" "$AUTH_CFG"

expand_placement
log "placement: $(wc -l <"$WORK/targets.tsv") targets in $(wc -l <"$WORK/plan.tsv") chains, at most ${PLAN_MAX_SYNCS_PER_NODE} resync(s) per node"

# plan_steps: from the cluster snapshot (chains.sh read_cluster) and the placement, the commands that can
# run now (steps.txt) and the state of the migration (status.env: CHAINS AT_PLACEMENT MOVING INFLIGHT BLOCKED
# HEADS STRAY DONE REASON).
plan_steps() {
  awk -v K="$PLAN_REPLICAS" -v MAX="$PLAN_MAX_SYNCS_PER_NODE" -v HEADS="$PLAN_HEADS" -v W="$WORK" '
    FILENAME ~ /nodes.tsv$/ { if ($2 == "STORAGE") st[$1] = $3; next }
    FILENAME ~ /targets.tsv$/ { pnode[$1] = $2; pdisk[$1] = $3; planned[$1] = 1; holds[$2] = 1; next }
    FILENAME ~ /members.tsv$/ { mnode[$1] = $5; member[$1] = $2; next }
    FILENAME ~ /orphans.tsv$/ { orphan[$1] = 1; onode[$1] = $3; ols[$1] = $2; odisk[$1] = $4; next }
    FILENAME ~ /plan.tsv$/ { order[++chains] = $1; pn[$1] = NF - 1; for (i = 2; i <= NF; i++) { pm[$1, i - 1] = $i; inp[$1, $i] = 1 }; next }
    FILENAME ~ /live.tsv$/ {
      c = $1; live[c] = 1; pref[c] = $3; n[c] = NF - 3
      for (i = 4; i <= NF; i++) {
        split($i, a, ":"); j = i - 3; lt[c, j] = a[1]; lps[c, j] = a[2]; at[c, a[1]] = j
        if (a[2] == "LASTSRV" || a[2] == "WAITING") { troubled++; if (trouble == "") trouble = "chain " c " has " a[1] " " a[2] }
        if (a[2] == "SERVING") tail[c] = j
      }
      next
    }
    function node_of(t) { return ((t in mnode) && mnode[t] != "N/A") ? mnode[t] : pnode[t] }
    function up(x) { return st[x] == "HEARTBEAT_CONNECTED" }
    function tail_node(c, fallback) { return (c in tail) ? node_of(lt[c, tail[c]]) : fallback }
    function emit(s) { print s > (W "/steps.txt"); steps++ }
    # A member that is resyncing or about to (a planned member OFFLINE on a live node: added, rotated or
    # restarted): it holds a resync slot on its node and on the chain tail that sends.
    function syncing(c, j) { return lps[c, j] == "SYNCING" || lps[c, j] == "WAITING" || (lps[c, j] == "OFFLINE" && ((c, lt[c, j]) in inp) && up(node_of(lt[c, j]))) }
    END {
      printf "" > (W "/steps.txt")
      for (x in holds) if (!up(x)) down = down " " x
      for (k = 1; k <= chains; k++) {
        c = order[k]
        if (c in live) for (j = 1; j <= n[c]; j++) if (syncing(c, j)) { load[node_of(lt[c, j])]++; load[tail_node(c, "")]++ }
      }
      gate = down == "" && troubled == 0
      # Leftovers: orphans no chain plans on their node (what earlier moves left behind). The chunk engine
      # keeps the chunks of a disk per chain, and remove-target deletes every chunk of the chain of the target on its
      # disk (alibabacloud-3FS src/storage/service/StorageOperator.cc:1128-1136, src/storage/store/
      # StorageTargets.h:80-83), while create-target only refuses a second target of a chain the node holds
      # as a live member (src/storage/store/StorageTargets.cc:140-149). An orphan does not say its chain, so
      # nothing joins a chain on a disk that still holds a leftover: the clean-up below removes it first.
      for (o in orphan) if (!((o in planned) && pnode[o] == onode[o])) leftover[onode[o], odisk[o]] = 1
      for (k = 1; k <= chains; k++) {
        c = order[k]
        if (!(c in live)) { newc++; continue }
        na = 0; nr = 0; busy = 0; serving = 0
        for (i = 1; i <= pn[c]; i++) if (!((c, pm[c, i]) in at)) add[++na] = pm[c, i]
        for (j = 1; j <= n[c]; j++) {
          if (!((c, lt[c, j]) in inp)) rem[++nr] = j
          if (lps[c, j] == "SERVING") serving++
          if (syncing(c, j)) busy = 1
        }
        if (na == 0 && nr == 0) {
          at_plan++
          # A member still resyncing (a rotated head, a restarted node): not settled yet.
          if (busy || serving < n[c]) settling++
          if (!HEADS) continue
          want = "["; for (i = 1; i <= pn[c]; i++) want = want (i > 1 ? "," : "") pm[c, i]; want = want "]"
          if (pref[c] != want) { line = "set-preferred-target-order " c; for (i = 1; i <= pn[c]; i++) line = line " " pm[c, i]; emit(line); heads++; continue }
          if (lt[c, 1] == pm[c, 1]) continue
          heads++
          if (busy || serving < n[c] || !gate) continue
          # The head moves to the end and resyncs from the tail: charged like a move.
          h = node_of(lt[c, 1]); s = tail_node(c, h)
          if (load[h] >= MAX || load[s] >= MAX) { throttled++; continue }
          load[h]++; load[s]++
          emit("rotate-as-preferred-order " c)
          continue
        }
        moving++
        if (busy) { inflight++; continue }
        if (!gate) { blocked++; continue }
        if (nr > 0 && (na == 0 || n[c] > K)) {
          # Leave: an OFFLINE member first; a serving one only while K others serve.
          pick = rem[1]
          for (r = 1; r <= nr; r++) if (lps[c, rem[r]] == "OFFLINE") { pick = rem[r]; break }
          t = lt[c, pick]
          if (lps[c, pick] == "OFFLINE") emit("update-chain --mode remove " c " " t)
          else if (lps[c, pick] == "SERVING" && serving - 1 >= K && up(node_of(t))) emit("offline-target --node-id " node_of(t) " --target-id " t)
          else waiting++
          continue
        }
        # Join: the first planned member the chain lacks.
        t = add[1]; x = pnode[t]
        if (t in member) { reuse++; continue }
        s = tail_node(c, x)
        if (load[x] >= MAX || load[s] >= MAX) { throttled++; continue }
        if ((x, pdisk[t]) in leftover) { waiting++; continue }
        if ((t in orphan) && onode[t] == x && ols[t] != "OFFLINE") {
          load[x]++; load[s]++
          emit("update-chain --mode add " c " " t)
        } else if (!(t in orphan)) {
          emit("create-target --node-id " x " --disk-index " pdisk[t] " --target-id " t " --chain-id " c " --use-new-chunk-engine")
        } else if (onode[t] == x && ols[t] == "OFFLINE") {
          # Created, then offlined (offline-target is sticky until the process restarts, TargetMap.cc:294-303):
          # it can never join as it is; removed, it is created again next round.
          emit("remove-target --node-id " x " --target-id " t)
        } else waiting++
      }
      # Targets no chain holds and no chain plans: what the moves left behind. offline-target first; the
      # second command fails harmlessly until the node has dropped the target from its routing.
      for (t in orphan) {
        if ((t in planned) && pnode[t] == onode[t]) continue
        # A node that is gone keeps its last orphans listed (nothing drops them, MgmtdHeartbeatChecker.cc:31-75):
        # this run does not wait for them.
        if (!up(onode[t])) continue
        stray++
        # Offlined by an earlier round already: offline-target again would only fail (4030, TargetMap.cc:296-297).
        if (ols[t] != "OFFLINE") emit("offline-target --node-id " onode[t] " --target-id " t)
        emit("remove-target --node-id " onode[t] " --target-id " t)
      }
      reason = down != "" ? "storage node(s)" down " not connected" : (troubled ? trouble : "")
      done = newc == 0 && moving == 0 && heads == 0 && stray == 0 && settling == 0
      printf "CHAINS=%d\nAT_PLACEMENT=%d\nNEW=%d\nMOVING=%d\nINFLIGHT=%d\nBLOCKED=%d\nTHROTTLED=%d\nWAITING=%d\nREUSE=%d\nHEADS=%d\nSTRAY=%d\nSETTLING=%d\nSTEPS=%d\nDONE=%d\nREASON=\"%s\"\n", \
        chains, at_plan, newc, moving, inflight, blocked, throttled, waiting, reuse, heads, stray, settling, steps, done, reason > (W "/status.env")
    }' "$WORK/nodes.tsv" "$WORK/targets.tsv" "$WORK/members.tsv" "$WORK/orphans.tsv" "$WORK/plan.tsv" "$WORK/live.tsv"
}

# A target removed from its chain is reported again, as an orphan, only at its node's next heartbeat
# (every 10 s, src/client/mgmtd/MgmtdClient.h:22-23; RoutingInfo.cc:75-85): "done" needs a clean round at
# least SETTLE_SECONDS after the last step, or such a target would be left on its disk.
SETTLE_SECONDS=15
STEPPED_AT=-1000

# One round: returns 0 when the cluster is at the placement.
LAST_PROGRESS=""
PROGRESS_AT=0
LOGGED=""
round() {
  if ! read_cluster; then
    log "waiting: $WAIT_DETAIL"
    return 1
  fi
  new_chains_status
  if [[ -s $WORK/need_targets.tsv ]]; then create_targets "$WORK/need_targets.tsv" "new chains"; fi
  if [[ -s $WORK/ready_chains.tsv ]]; then
    upload_ready_chains
    read_cluster || return 1
  fi
  plan_steps
  # shellcheck disable=SC1091
  source "$WORK/status.env"
  if ((NEW == 0)) && [[ ! -s $WORK/deferred.txt ]]; then upload_table_if_complete >/dev/null; fi
  local progress="${AT_PLACEMENT}/${CHAINS} chains at the placement (${SETTLING} resyncing), ${NEW} new to create, ${MOVING} moving (${INFLIGHT} resyncing, ${THROTTLED} waiting for a resync slot, ${BLOCKED} blocked), ${HEADS} head(s) to set, ${STRAY} stray target(s)${REASON:+; blocked: $REASON}"
  if [[ $progress != "$LOGGED" ]]; then
    log "$progress"
    LOGGED=$progress
  fi
  if ((DONE == 1)); then
    (($(elapsed) - STEPPED_AT >= SETTLE_SECONDS)) && return 0
    return 1
  fi
  local mark="${AT_PLACEMENT}:${NEW}:${MOVING}:${INFLIGHT}:${HEADS}:${STRAY}:${SETTLING}:${STEPS}"
  if [[ $mark != "$LAST_PROGRESS" ]]; then LAST_PROGRESS=$mark PROGRESS_AT=$(elapsed); fi
  if [[ -s $WORK/steps.txt ]]; then
    run_batch "$WORK/steps.txt" "migration steps"
    STEPPED_AT=$(elapsed)
  fi
  return 1
}

until round; do
  (($(elapsed) - PROGRESS_AT < PLAN_STALL_TIMEOUT)) || die "no progress for ${PLAN_STALL_TIMEOUT}s: ${LOGGED}; a new run resumes from the cluster's state"
  (($(elapsed) + POLL_INTERVAL < BUDGET_END)) || die "the time budget (${BUDGET_END}s) is used up: ${LOGGED}; a new run resumes from the cluster's state"
  sleep "$POLL_INTERVAL"
done
upload_table_if_complete
log "done in $(elapsed)s: the cluster matches the placement"
