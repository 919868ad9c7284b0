# Shared by the 3FS Jobs' scripts (bootstrap.sh, check.sh, …): sourced, never run. Needs bash, coreutils
# and awk, as in the 3FS images (ubuntu:22.04 base). The caller sets JOB (a short name for the log).
#
# Time comes from `date +%s` and waits use `sleep`, both looked up on PATH (the tests put model-time
# versions there). Every admin_cli call runs under `timeout`: a client blocks while FoundationDB does not
# answer (libfdb_c waits for the cluster), and a script must not hang past its Job's deadline.

log() { printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${JOB:-job}" "$*" >&2; }
die() {
  log "ERROR: $*"
  exit 1
}

now_s() { date +%s; }
START_S=$(now_s)
# Seconds since the script started.
elapsed() { echo $(($(now_s) - START_S)); }

# read_plan <file> <KEY...>: reads KEY=value lines into PLAN_<KEY>; unknown or missing keys are fatal.
# Values may not contain spaces, quotes or = (the plans are rendered by the program, lib/threefs/*.ts;
# label selectors arrive URL-encoded).
read_plan() {
  local file=$1 key value
  shift
  local keys=" $* "
  [[ -r $file ]] || die "missing $file"
  while IFS='=' read -r key value || [[ -n $key ]]; do
    [[ -z $key || $key == \#* ]] && continue
    [[ $keys == *" $key "* ]] || die "$file: unknown key '$key'"
    [[ $value =~ ^[A-Za-z0-9._/:,%-]*$ ]] || die "$file: bad value for $key"
    printf -v "PLAN_$key" '%s' "$value"
  done <"$file"
  for key in "$@"; do
    [[ -v PLAN_$key ]] || die "$file: missing $key"
  done
}

# ------------------------------------------------------------------------------------------ token
# load_token <file>: TOKEN from the Secret's file. A 3FS token is base64 (24 characters); the check also
# keeps it safe inside a TOML literal string. The message never echoes the file.
load_token() {
  [[ -s $1 ]] || die "token file $1 is missing or empty"
  TOKEN=$(tr -d ' \r\n' <"$1")
  [[ $TOKEN =~ ^[A-Za-z0-9+/=]+$ ]] || die "token file $1 does not hold a base64 token"
}

# mask "<text>": the text with the token, and every token in EXTRA_MASKS (tenants'), replaced by <token>.
EXTRA_MASKS=()
mask() {
  local s=${1//"${TOKEN:-<none>}"/<token>} t
  for t in "${EXTRA_MASKS[@]}"; do s=${s//"$t"/<token>}; done
  printf '%s' "$s"
}

# write_auth_config <admin_cli.toml> <out>: a private copy (mode 0600) of the admin_cli config whose
# [user_info] table holds the token, which admin_cli reads through --cfg (`--config.user_info.token=…`
# would put it on a command line, readable in /proc by anything with host PID access). Bash builtins
# only, so no helper process gets the token as an argument. The rendered config is the whole shipped
# admin_cli.toml, which has a [user_info] table: its token line is replaced; any other key stays.
write_auth_config() {
  local src=$1 out=$2 line in_user=0 seen_user=0
  local header='^[[:space:]]*\[' user_header='^[[:space:]]*\[[[:space:]]*user_info[[:space:]]*\][[:space:]]*(#.*)?$'
  local token_key='^[[:space:]]*token[[:space:]]*='
  [[ -r $src ]] || die "admin_cli config $src is missing"
  (umask 077 && : >"$out") || die "cannot write $out"
  {
    while IFS= read -r line || [[ -n $line ]]; do
      if [[ $line =~ $user_header ]]; then
        ((seen_user == 0)) || die "$src: [user_info] appears twice"
        in_user=1 seen_user=1
        printf '%s\n' "$line"
        printf "token = '%s'\n" "$TOKEN"
        continue
      fi
      [[ $line =~ $header ]] && in_user=0
      if ((in_user)) && [[ $line =~ $token_key ]]; then continue; fi
      printf '%s\n' "$line"
    done <"$src"
    ((seen_user)) || printf "\n[user_info]\ntoken = '%s'\n" "$TOKEN"
  } >"$out"
}

# ------------------------------------------------------------------------------------------ admin_cli
# ADMIN_CLI (binary), AUTH_CFG (the private config) and CLI_TIMEOUT (seconds per call) are set by the
# caller. admin_cli prints results and errors on stdout ("Encounter error: <code>(<name>)" + message,
# exit 1 for a command given as argument); its log goes to stderr (src/client/cli/common/Dispatcher.cc).

# run_cli "<command>": one command (ONE argument: gflags would take its options for its own), stdout in
# OUT, the exit status returned; a call that outlives CLI_TIMEOUT is killed (status 124).
run_cli() {
  local rc=0
  OUT=$(timeout "$CLI_TIMEOUT" "$ADMIN_CLI" "--cfg=$AUTH_CFG" "$1") || rc=$?
  ((rc != 124)) || OUT="admin_cli did not answer within ${CLI_TIMEOUT}s"
  return "$rc"
}

# mutate "<command>": a command that changes the cluster; logged, fatal when it fails.
mutate() {
  log "run: $1"
  run_cli "$1" || die "'$1' failed: $(mask "$OUT")"
}

# wait_until <seconds> "<what>" <command...>: polls the command until it succeeds, for at most <seconds>
# and never past BUDGET_END (seconds since the start). The command may leave a reason in WAIT_DETAIL.
wait_until() {
  local timeout=$1 what=$2 deadline limit
  shift 2
  deadline=$(($(elapsed) + timeout))
  limit="timed out after ${timeout}s"
  if ((deadline > BUDGET_END)); then
    deadline=$BUDGET_END
    limit="gave up: the time budget (${BUDGET_END}s, within the Job's deadline) is used up"
  fi
  WAIT_DETAIL=""
  until "$@"; do
    (($(elapsed) < deadline)) || die "$limit waiting for $what${WAIT_DETAIL:+ ($(mask "$WAIT_DETAIL"))}"
    sleep "$POLL_INTERVAL"
  done
}

# remaining_budget: seconds left of BUDGET_END (at least 1): the limit of a long admin_cli session.
remaining_budget() {
  local left=$((BUDGET_END - $(elapsed)))
  echo $((left > 0 ? left : 1))
}

# First column of every table row that starts with a number (skips headers).
first_column_ids() { awk '$1 ~ /^[0-9]+$/ { print $1 }'; }

# memory_peak: the highest memory use of this container's cgroup seen so far, in MiB (cgroup v2
# memory.peak when the kernel has it, else the v1 counter; empty when neither is readable).
memory_peak() {
  local f
  for f in /sys/fs/cgroup/memory.peak /sys/fs/cgroup/memory/memory.max_usage_in_bytes; do
    [[ -r $f ]] && { echo $(($(<"$f") / 1048576)); return; }
  done
}
