# Tenants' 3FS users and directories, sourced by bootstrap.sh (after common.sh; needs its run_cli, mutate,
# wait_until, mask, log and die, and TOKEN/AUTH_CFG set). Sources: AliyunContainerService/alibabacloud-3FS
# at ab363af (path:line below).
#
# tenants.tsv (beside plan.env): one tenant per line, "name uid gid directory mode" (lib/threefs/bootstrap.ts).
# Each tenant's token is the file <TENANT_TOKEN_DIR>/<name> (the tenant-tokens Secret): it goes to admin_cli
# through stdin only, like the root token.
#
# Users need FDB only (AdminUserCtrl.cc), so they are ensured right after the root user; directories need
# meta, which serves only after init-cluster (GcManager.cc:692-706), so they come last, after a bounded wait
# for `stat /`. A second run issues no mutating command.

# load_tenants: TENANT_* arrays from tenants.tsv; each tenant's token into TENANT_TOKEN[i], masked in logs.
load_tenants() {
  local file=$1 name uid gid dir mode
  TENANT_NAME=() TENANT_UID=() TENANT_GID=() TENANT_DIR=() TENANT_MODE=() TENANT_TOKEN=()
  [[ -r $file ]] || die "missing $file"
  while read -r name uid gid dir mode || [[ -n $name ]]; do
    [[ -z $name || $name == \#* ]] && continue
    [[ $name =~ ^[a-z0-9-]+$ && $uid =~ ^[1-9][0-9]*$ && $gid =~ ^[1-9][0-9]*$ && $dir =~ ^/[A-Za-z0-9._/-]+$ && $mode =~ ^[0-7]{4}$ ]] ||
      die "$file: bad line for tenant '$name'"
    local tf="$PLAN_TENANT_TOKEN_DIR/$name"
    [[ -s $tf ]] || die "token file $tf of tenant $name is missing or empty"
    local tok
    tok=$(tr -d ' \r\n' <"$tf")
    [[ $tok =~ ^[A-Za-z0-9+/=]+$ ]] || die "token file $tf of tenant $name does not hold a base64 token"
    TENANT_NAME+=("$name") TENANT_UID+=("$uid") TENANT_GID+=("$gid") TENANT_DIR+=("$dir") TENANT_MODE+=("$mode") TENANT_TOKEN+=("$tok")
    EXTRA_MASKS+=("$tok")
  done <"$file"
}

# cell <key>: the value of a "<key>  <value>" row in OUT (printUserAttr / stat tables, AdminUserCtrl.cc:50-63,
# Stat.cc:151-182).
cell() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$OUT"; }

# admin_stdin "<command>" "<shown>": one admin command through admin_cli's stdin (no prompt without a tty;
# exit 0 whatever happens, Dispatcher.cc:238-257,294), so a token argument is on no command line; the
# caller judges success by reading the user back. Logs <shown>.
admin_stdin() {
  log "run: $2 (through admin_cli's stdin)"
  STDIN_OUT=$(printf '%s\n' "$1" | timeout "$CLI_TIMEOUT" "$ADMIN_CLI" "--cfg=$AUTH_CFG" 2>&1) || true
}

# ensure_tenant_user <i>: the 3FS user of tenant i exists, non-root and non-admin, under the tenant's name,
# and accepts the tenant's token. Refuses a uid that belongs to someone else (another name, or root/admin).
ensure_tenant_user() {
  local i=$1 name=${TENANT_NAME[$1]} uid=${TENANT_UID[$1]} gid=${TENANT_GID[$1]} tok=${TENANT_TOKEN[$1]} groups=""
  # The user's own gid is always its uid (UserStore.cc:69); another tenant gid is recorded as a group.
  ((gid == uid)) || groups=" --groups $gid"
  if ! run_cli "user-stat $uid"; then
    # ensureAdmin passed (root token), so this is UserStore's "Uid N not found" (AdminUserCtrl.cc:243-275).
    [[ $OUT == *"Uid $uid not found"* ]] || die "user-stat $uid failed: $(mask "$OUT" | head -c 300)"
    admin_stdin "user-add --token $tok$groups $uid $name" "user-add --token <token>$groups $uid $name"
    run_cli "user-stat $uid" || die "user-add did not create the user of tenant $name: $(mask "$STDIN_OUT" | head -c 600)"
    log "3FS user $uid ($name) added"
  fi
  [[ $(cell Name) == "$name" ]] || die "3FS uid $uid belongs to user '$(cell Name)', not to tenant $name; give the tenant another uid (nothing was changed)"
  [[ $(cell IsRootUser) == false && $(cell IsAdmin) == false ]] || die "3FS user $uid ($name) is a root or admin user; a tenant must not be (nothing was changed)"
  # The endless token row: "Token <token>(Expired at N/A)".
  local have
  have=$(awk '$1 == "Token" && $2 ~ /\(Expired$/ && $3 == "at" && $4 == "N/A)" { sub(/\(Expired$/, "", $2); print $2; exit }' <<<"$OUT")
  if [[ $have != "$tok" ]]; then
    # The tenant-tokens Secret is the source of truth (its random part is in Pulumi state): replace the token.
    admin_stdin "user-set-token --token $tok --invalidate-existed-tokens $uid" "user-set-token --token <token> --invalidate-existed-tokens $uid"
    if ! run_cli "user-stat $uid" || [[ $OUT != *"Token "*"$tok(Expired at N/A)"* ]]; then
      die "could not set the token of 3FS user $uid ($name): $(mask "$STDIN_OUT" | head -c 600)"
    fi
    log "3FS user $uid ($name): token replaced by the tenant's"
  fi
}

ensure_tenant_users() {
  local i
  for i in "${!TENANT_NAME[@]}"; do ensure_tenant_user "$i"; done
  ((${#TENANT_NAME[@]} == 0)) || log "${#TENANT_NAME[@]} tenant user(s) in place"
}

# stat_dir <path>: DIR_STATE absent|present; DIR_UID, DIR_GID, DIR_PERM from stat's rows (Stat.cc:151-182;
# a missing path is 3000 Meta::NotFound).
stat_dir() {
  if run_cli "stat $1"; then
    [[ $(cell Type) == Directory ]] || die "$1 exists in 3FS but is not a directory"
    DIR_STATE=present DIR_UID=$(cell Uid) DIR_GID=$(cell Gid) DIR_PERM=$(cell Permission)
  elif [[ $OUT == *"3000(Meta::NotFound)"* ]]; then
    DIR_STATE=absent
  else
    die "stat $1 failed: $(mask "$OUT" | head -c 300)"
  fi
}

# make_dir <path> <mode>: mkdir of one level. 3FS's mkdir is not idempotent: an existing target is
# 3007 Meta::Exists, with or without -p (Mkdirs.cc:37-47), so the caller stats first and Exists here means
# someone created it meanwhile, which is fine.
make_dir() {
  log "run: mkdir --perm $2 $1"
  run_cli "mkdir --perm $2 $1" && return 0
  [[ $OUT == *"3007(Meta::Exists)"* ]] && { log "$1 appeared meanwhile"; return 0; }
  die "'mkdir --perm $2 $1' failed: $(mask "$OUT")"
}

# shellcheck disable=SC2034 # WAIT_DETAIL is read by wait_until (common.sh)
meta_ready() { run_cli "stat /" || { WAIT_DETAIL="stat /: $(head -c 300 <<<"$OUT")"; return 1; }; }

# ensure_tenant_dir <i>: the parents exist (root's, mode PARENT_MODE, created one level at a time: mkdir -p
# would give every level the tenant's mode), then the tenant directory with the tenant's owner and mode
# (a new directory belongs to the caller, root here, Mkdirs.cc:72-82; set-perm changes owner and mode,
# SetAttr.h:30-66).
ensure_tenant_dir() {
  local i=$1 dir=${TENANT_DIR[$1]} p="" part changes=""
  local -a parts
  IFS=/ read -r -a parts <<<"${dir#/}"
  for part in "${parts[@]:0:${#parts[@]}-1}"; do
    p="$p/$part"
    stat_dir "$p"
    [[ $DIR_STATE == present ]] || make_dir "$p" "$PLAN_TENANT_PARENT_MODE"
  done
  stat_dir "$dir"
  if [[ $DIR_STATE == absent ]]; then
    make_dir "$dir" "${TENANT_MODE[$i]}"
    stat_dir "$dir"
  fi
  [[ $DIR_UID == "${TENANT_UID[$i]}" ]] || changes+=" --uid ${TENANT_UID[$i]}"
  [[ $DIR_GID == "${TENANT_GID[$i]}" ]] || changes+=" --gid ${TENANT_GID[$i]}"
  [[ $DIR_PERM == "${TENANT_MODE[$i]}" ]] || changes+=" --perm ${TENANT_MODE[$i]}"
  [[ -z $changes ]] || mutate "set-perm${changes} $dir"
}

ensure_tenant_dirs() {
  local i
  ((${#TENANT_NAME[@]} > 0)) || return 0
  wait_until "$PLAN_META_TIMEOUT" "meta to serve (stat /)" meta_ready
  for i in "${!TENANT_NAME[@]}"; do ensure_tenant_dir "$i"; done
  log "${#TENANT_NAME[@]} tenant director(y/ies) in place"
}
