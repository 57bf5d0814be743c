# as_user UID COMMAND...: COMMAND as an unprivileged user with a private runtime directory
# (/run/user/UID, on the sandbox's tmpfs). Sourced by lib.sh and by its nstopo wrapper.
as_user() {
  local uid=$1; shift
  mkdir -p "/run/user/$uid"
  chown "$uid:$uid" "/run/user/$uid"
  setpriv --reuid="$uid" --regid="$uid" --clear-groups --inh-caps=-all \
    env XDG_RUNTIME_DIR="/run/user/$uid" HOME=/tmp "$@"
}
