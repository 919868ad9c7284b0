# Kubernetes API calls of the Jobs that act on pods and claims (roll.sh, replace.sh, target-health.sh):
# sourced after common.sh, never run. curl with the pod's ServiceAccount token (automountServiceAccountToken),
# sent from a private 0600 header file so the token is on no command line; JSON read with python3 (the
# 3fs-init image has both, deploy/container/Dockerfile target init of alibabacloud-3FS ab363af).
#
# kube_init <sa dir>: writes the header file; KUBE_API from the in-cluster environment.
kube_init() {
  [[ -r $1/token && -r $1/ca.crt ]] || die "no ServiceAccount token in $1 (automountServiceAccountToken)"
  KUBE_CA=$1/ca.crt
  KUBE_HEADERS=$(mktemp -t 3fs-kube.XXXXXX)
  printf 'Authorization: Bearer %s\n' "$(<"$1/token")" >"$KUBE_HEADERS"
  KUBE_API="https://${KUBERNETES_SERVICE_HOST:-kubernetes.default.svc}:${KUBERNETES_SERVICE_PORT:-443}"
}

# kube <method> <path> <out> [<body file>]: one request; 0 on HTTP 2xx, else 1 with KUBE_ERROR set (read by
# the callers). A body
# is a strategic merge patch (the only kind these Jobs send: pods/status conditions merged by type).
# shellcheck disable=SC2034
kube() {
  local method=$1 path=$2 out=$3 body=${4:-} code
  local args=(-sS --max-time 30 --cacert "$KUBE_CA" -H "@$KUBE_HEADERS" -X "$method" -o "$out" -w '%{http_code}')
  [[ -n $body ]] && args+=(-H "Content-Type: application/strategic-merge-patch+json" --data-binary "@$body")
  code=$(curl "${args[@]}" "$KUBE_API$path" 2>"$WORK/curl.err") || code=000
  [[ $code == 2?? ]] && return 0
  KUBE_ERROR="$method $path: HTTP $code $(head -c 200 "$out" 2>/dev/null | tr '\n' ' ') $(head -c 200 "$WORK/curl.err")"
  return 1
}

# pods_tsv <pod list json>: one line per pod: name uid phase containersReady ready podIndex templateHash
# nodeName (`-` for absent values).
pods_tsv() {
  python3 - "$1" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1])).get("items", []):
    m, st = p.get("metadata", {}), p.get("status", {})
    cond = {c.get("type"): c.get("status") for c in st.get("conditions", [])}
    print(m.get("name", "-"), m.get("uid", "-"), st.get("phase", "-"), cond.get("ContainersReady", "False"), cond.get("Ready", "False"),
          m.get("labels", {}).get("apps.kubernetes.io/pod-index", "-"), m.get("annotations", {}).get("threefs.io/template-hash", "-"),
          p.get("spec", {}).get("nodeName", "-"))
PY
}
