#!/usr/bin/env bash
# Installs keypool as a systemd service:
#   sudo scripts/install.sh dist/keypool-linux-x64      install or upgrade, then (re)start
#   sudo scripts/install.sh --uninstall                 stop and remove the binary and the unit (keeps data)
#   sudo scripts/install.sh --uninstall --purge         also remove /var/lib/keypool, /etc/keypool and the user
set -euo pipefail

BIN=/usr/local/bin/keypool
RELOAD=/usr/local/bin/keypool-reload
DATA_DIR=/var/lib/keypool
CONF_DIR=/etc/keypool
ENV_FILE=$CONF_DIR/keypool.env
UNIT=/etc/systemd/system/keypool.service
SERVICE_USER=keypool
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
  sed -n '2,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}

require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh needs root to create the service user, $BIN and the systemd unit." >&2
    echo "Please run it again with sudo: sudo $0 $*" >&2
    exit 1
  fi
}

write_sample_env() {
  # Readable by the service group only: it may hold AUTH_KEY, ENCRYPTION_KEY and database passwords.
  install -m 0640 -o root -g "$SERVICE_USER" /dev/null "$ENV_FILE"
  cat >"$ENV_FILE" <<'ENV'
# keypool configuration (GPT-Load variable names). Restart after editing: systemctl restart keypool
PORT=3001
HOST=0.0.0.0
# Admin key. When unset, the first start generates one in /var/lib/keypool and logs where.
#AUTH_KEY=
# Encrypt upstream keys at rest (16+ characters). To change it later use `keypool migrate-keys`.
#ENCRYPTION_KEY=
# SQLite in DATA_DIR by default; PostgreSQL and Redis for several nodes:
#DATABASE_DSN=postgres://keypool:secret@127.0.0.1:5432/keypool
#REDIS_DSN=redis://127.0.0.1:6379/0
#LOG_LEVEL=info
#SERVER_GRACEFUL_SHUTDOWN_TIMEOUT=10
# DATA_DIR must stay under /var/lib/keypool: the unit makes the rest of the file system read-only.
ENV
}

do_install() {
  local src=$1
  [ -f "$src" ] && [ -x "$src" ] || die "$src is not an executable file (build one with: bun run build)"
  [ -f "$HERE/keypool.service" ] || die "keypool.service not found next to install.sh ($HERE)"
  [ -f "$HERE/keypool-reload.sh" ] || die "keypool-reload.sh not found next to install.sh ($HERE)"
  "$src" --version >/dev/null || die "$src does not run on this machine (wrong platform?)"

  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "keypool gateway" "$SERVICE_USER"
    echo "created system user $SERVICE_USER"
  fi
  install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR"
  install -d -m 0750 -o root -g "$SERVICE_USER" "$CONF_DIR"
  if [ ! -e "$ENV_FILE" ]; then
    write_sample_env
    echo "wrote a sample $ENV_FILE"
  fi

  # Copy then rename so a running binary is never overwritten in place.
  install -m 0755 "$src" "$BIN.new"
  mv -f "$BIN.new" "$BIN"
  install -m 0755 "$HERE/keypool-reload.sh" "$RELOAD"
  install -m 0644 "$HERE/keypool.service" "$UNIT"
  systemctl daemon-reload
  systemctl enable keypool.service
  # A running node is taken over without a failed request; one started by an older unit (without REUSE_PORT)
  # cannot be, and is restarted.
  systemctl reload-or-restart keypool.service || systemctl restart keypool.service
  echo "installed $("$BIN" --version)"
  echo "status: systemctl status keypool   logs: journalctl -u keypool -f   config: $ENV_FILE"
}

do_uninstall() {
  local purge=$1
  if [ -f "$UNIT" ]; then
    systemctl disable --now keypool.service || true
    rm -f "$UNIT"
    systemctl daemon-reload
  fi
  rm -f "$BIN" "$RELOAD"
  if [ "$purge" = yes ]; then
    rm -rf "$DATA_DIR" "$CONF_DIR"
    if getent passwd "$SERVICE_USER" >/dev/null; then userdel "$SERVICE_USER"; fi
    echo "removed keypool, its data, its configuration and its user"
  else
    echo "removed keypool; kept $DATA_DIR, $CONF_DIR and the $SERVICE_USER user (--purge removes them)"
  fi
}

main() {
  local uninstall=no purge=no src=""
  for arg in "$@"; do
    case "$arg" in
      -h | --help) usage; exit 0 ;;
      --uninstall) uninstall=yes ;;
      --purge) purge=yes ;;
      -*) echo "install.sh: unknown flag $arg" >&2; usage >&2; exit 2 ;;
      *) [ -z "$src" ] || { echo "install.sh: one binary only" >&2; exit 2; }; src=$arg ;;
    esac
  done
  if [ "$uninstall" = yes ]; then
    [ -z "$src" ] || { echo "install.sh: --uninstall takes no binary" >&2; exit 2; }
    require_root "$@"
    do_uninstall "$purge"
  else
    [ "$purge" = no ] || { echo "install.sh: --purge goes with --uninstall" >&2; exit 2; }
    [ -n "$src" ] || { usage >&2; exit 2; }
    require_root "$@"
    do_install "$src"
  fi
}

main "$@"
