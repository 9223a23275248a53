#!/usr/bin/env bash
# Installs (if needed) and starts a local Docker engine for the test harness.
#
# - Installs Debian's docker.io package when no `dockerd` is present
#   (a docker CLI alone is not enough: the engine is what the tests need).
# - Starts `dockerd --bridge=none --iptables=false` in the background when the
#   engine does not answer, logging to /tmp/dockerd.log. Containers are then
#   expected to use network mode "host", so all traffic stays on 127.0.0.1.
# - Waits until `docker info` works and prints the engine version.
#
# Idempotent; must run as root. Environment:
#   DOCKERD_LOG            log file (default /tmp/dockerd.log)
#   DOCKERD_START_TIMEOUT  seconds to wait for the engine (default 60)
set -euo pipefail

DOCKERD_LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
DOCKERD_START_TIMEOUT="${DOCKERD_START_TIMEOUT:-60}"

log() { printf '[docker-setup] %s\n' "$*" >&2; }
die() { printf '[docker-setup] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "$(id -u)" -eq 0 ]] || die "must run as root (installs packages and starts dockerd)"

SECONDS=0

# 1. Engine binary ----------------------------------------------------------
if command -v dockerd >/dev/null 2>&1; then
  log "dockerd already installed: $(command -v dockerd)"
else
  command -v apt-get >/dev/null 2>&1 || die "dockerd missing and apt-get not available: install a Docker engine by hand"
  log "dockerd missing: installing Debian's docker.io (apt-get update + install)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null \
    || die "apt-get install docker.io failed"
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd still not on PATH"
  log "installed docker.io in ${SECONDS}s"
fi
command -v docker >/dev/null 2>&1 || die "docker CLI not found on PATH"

# 2. Engine process ---------------------------------------------------------
if docker info >/dev/null 2>&1; then
  log "engine already running"
else
  if pgrep -x dockerd >/dev/null 2>&1; then
    log "dockerd process exists but does not answer yet; waiting for it"
  else
    log "starting dockerd --bridge=none --iptables=false (log: ${DOCKERD_LOG})"
    # setsid + nohup: the engine must outlive this script and its terminal.
    setsid nohup dockerd --bridge=none --iptables=false >>"${DOCKERD_LOG}" 2>&1 </dev/null &
    disown || true
  fi
  start=${SECONDS}
  until docker info >/dev/null 2>&1; do
    if (( SECONDS - start >= DOCKERD_START_TIMEOUT )); then
      log "last lines of ${DOCKERD_LOG}:"
      tail -n 20 "${DOCKERD_LOG}" >&2 2>/dev/null || true
      die "Docker engine did not answer 'docker info' within ${DOCKERD_START_TIMEOUT}s; see ${DOCKERD_LOG}"
    fi
    if ! pgrep -x dockerd >/dev/null 2>&1; then
      tail -n 20 "${DOCKERD_LOG}" >&2 2>/dev/null || true
      die "dockerd exited during startup; see ${DOCKERD_LOG}"
    fi
    sleep 1
  done
  log "engine up after $(( SECONDS - start ))s"
fi

# 3. Report -----------------------------------------------------------------
version="$(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}}, min API {{.Server.MinAPIVersion}})')" \
  || die "docker version failed"
log "done in ${SECONDS}s"
echo "Docker engine ${version}"
