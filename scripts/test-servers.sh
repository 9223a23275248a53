#!/usr/bin/env bash
# Installs the servers the remote tests start on 127.0.0.1 (they never run as services):
#   - OpenSSH's sshd (Debian's openssh-server) for the ssh:// remote tests
#   - nginx (Debian's nginx-light, with WebDAV PUT) for the http(s):// remote tests, and openssl for their
#     certificates and htpasswd file
#   - Azurite (npm package, pinned) in .tools/azurite for the azure:// remote tests
# Idempotent. apt-get needs root; without root, missing packages are reported and the tests fail with the
# command that installs them.
set -euo pipefail
cd "$(dirname "$0")/.."
AZURITE_VERSION="${AZURITE_VERSION:-3.35.0}"

need=()
command -v /usr/sbin/sshd >/dev/null 2>&1 || need+=(openssh-server)
command -v /usr/sbin/nginx >/dev/null 2>&1 || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "[test-servers] apt-get install ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/tmp/test-servers-apt.log 2>&1 || {
      DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/test-servers-apt.log 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >>/tmp/test-servers-apt.log 2>&1
    }
    # the packages' init scripts may have started system services: the tests start their own
    (pkill -x nginx || true; pkill -f '^sshd: /usr/sbin/sshd' || true) 2>/dev/null
  else
    echo "[test-servers] missing ${need[*]}: sudo apt-get install ${need[*]}" >&2
  fi
fi

if [ ! -x .tools/azurite/node_modules/.bin/azurite ] \
    || ! .tools/azurite/node_modules/.bin/azurite --version 2>/dev/null | grep -qx "$AZURITE_VERSION"; then
  echo "[test-servers] npm install azurite@$AZURITE_VERSION into .tools/azurite"
  mkdir -p .tools/azurite
  npm install --silent --no-audit --no-fund --prefix .tools/azurite "azurite@$AZURITE_VERSION"
fi
# A system user with a password, for the ssh:// password-login tests: sshd checks passwords against the system's
# accounts, so only an sshd run by root can let a password in. The password is made here, at random, and kept
# beside the machine's user in /var/lib/mlops-tests/ssh-password-user (user:password, mode 600), which every
# checkout's tests read. The user has no home and no login shell.
SSH_TEST_USER=mlops-sshtest
if [ "$(id -u)" -eq 0 ]; then
  made=no
  if ! id "$SSH_TEST_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SSH_TEST_USER"
    made=yes
  fi
  if [ "$made" = yes ] || [ ! -s /var/lib/mlops-tests/ssh-password-user ]; then
    mkdir -p /var/lib/mlops-tests
    pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    echo "$SSH_TEST_USER:$pw" | chpasswd
    (umask 077; echo "$SSH_TEST_USER:$pw" > /var/lib/mlops-tests/ssh-password-user)
  fi
  echo "[test-servers] ssh password user: $SSH_TEST_USER"
else
  echo "[test-servers] not root: the ssh password-login tests need root (a system user with a password)" >&2
fi
echo "[test-servers] sshd: $(/usr/sbin/sshd -V 2>&1 | head -1 || true)"
echo "[test-servers] nginx: $(/usr/sbin/nginx -v 2>&1)"
echo "[test-servers] openssl: $(openssl version)"
echo "[test-servers] azurite: $(.tools/azurite/node_modules/.bin/azurite --version)"
