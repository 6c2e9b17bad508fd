#!/bin/sh
# ExecReload= of keypool.service: `systemctl reload keypool` replaces the process without failing a request.
#   keypool-reload OLD_MAIN_PID        (the unit passes $MAINPID)
# Starts a new keypool beside the running one (both listen with REUSE_PORT=true, set by the unit), waits until the
# new process itself listens on PORT, makes it the unit's main process (systemd-notify MAINPID=, which needs the
# unit's NotifyAccess=all) and sends SIGTERM to the old one, which answers what it holds with `connection: close`
# and exits. If the new process dies or does not listen within KEYPOOL_RELOAD_WAIT seconds, the old one keeps
# serving and this exits 1. Linux only (it reads /proc).
set -eu

old=${1:?usage: keypool-reload OLD_MAIN_PID}
bin=${KEYPOOL_BIN:-/usr/local/bin/keypool}
port=${PORT:-3001}
wait_s=${KEYPOOL_RELOAD_WAIT:-60}

if [ "${REUSE_PORT:-}" != true ]; then
  echo "keypool-reload: REUSE_PORT=true is not set, a new process could not bind beside the old one; use systemctl restart" >&2
  exit 1
fi
kill -0 "$old" 2>/dev/null || { echo "keypool-reload: no process $old to replace" >&2; exit 1; }

"$bin" </dev/null &
new=$!
hexport=$(printf '%04X' "$port")

# Whether the new process holds a socket listening (state 0A) on the port: /health could be the old one answering.
listening() {
  for inode in $(awk -v p=":$hexport" '$4 == "0A" && substr($2, length($2) - 4) == p { print $10 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    ls -l "/proc/$new/fd" 2>/dev/null | grep -q "socket:\[$inode\]" && return 0
  done
  return 1
}

tries=$((wait_s * 10))
until listening; do
  if ! kill -0 "$new" 2>/dev/null; then
    code=0
    wait "$new" || code=$?
    echo "keypool-reload: the new process exited ($code) before listening; $old keeps serving" >&2
    exit 1
  fi
  tries=$((tries - 1))
  if [ "$tries" -le 0 ]; then
    kill -TERM "$new" 2>/dev/null || true
    echo "keypool-reload: the new process did not listen on port $port within ${wait_s}s; $old keeps serving" >&2
    exit 1
  fi
  sleep 0.1
done

if [ -n "${NOTIFY_SOCKET:-}" ]; then
  systemd-notify "MAINPID=$new"
fi
kill -TERM "$old"
echo "keypool-reload: process $new took port $port over; $old drains and exits"
