#!/usr/bin/env bash
# Builds the local container images used by mlops-test-harness, on machines
# where no container registry is reachable. Each image is built only when
# `docker image inspect` does not find it (delete it to force a rebuild).
#
#   1. fake-gcs-server: `go install` of the pinned module version from the Go
#      module proxy (static, CGO_ENABLED=0), kept at
#      ${MLOPS_TOOLS_DIR}/fake-gcs-server for the harness's process mode, and
#      wrapped in a FROM scratch image tagged
#        local/fake-gcs-server:${FAKE_GCS_VERSION}
#        fsouza/fake-gcs-server:${FAKE_GCS_VERSION}   (public name, local only)
#   2. runner image for clean builds: debootstrap'ed Debian bookworm (minbase)
#      with openjdk-17-jdk-headless, git, ca-certificates, python3,
#      python3-venv, the host's Java trust store and Maven ${MAVEN_VERSION} (the
#      distribution the project's Maven Wrapper downloads from Maven Central, at
#      /opt/maven, `mvn` on the PATH), `docker import`ed as
#        local/mlops-runner:jdk17-maven${MAVEN_VERSION}
#        maven:3.9-eclipse-temurin-17              (compat name, local only)
#
# Needs a running engine (scripts/docker-setup.sh), Go >= 1.25.8 for
# fake-gcs-server 1.55.x, and root for debootstrap.
#
# Usage: scripts/build-images.sh [fake-gcs|runner|all]   (default: all)
# Environment:
#   FAKE_GCS_VERSION  fake-gcs-server tag without "v" (default 1.55.1)
#   MLOPS_TOOLS_DIR   where the fake-gcs-server binary is kept
#                     (default /var/tmp/mlops-tools)
#   RUNNER_ROOTFS     debootstrap target (default /var/tmp/mlops-runner-rootfs)
#   DEBIAN_MIRROR     Debian mirror URL (default: the one configured for apt)
#   DEBIAN_SUITE      default bookworm
#   MAVEN_HOME_DIST   an unpacked Maven 3.9 distribution to put in the runner
#                     (default: the Maven Wrapper's, fetched with ./mvnw -v)
set -euo pipefail

FAKE_GCS_VERSION="${FAKE_GCS_VERSION:-1.55.1}"
FAKE_GCS_MODULE="github.com/fsouza/fake-gcs-server"
FAKE_GCS_MIN_GO="1.25.8" # go.mod "go" line of v1.55.x
MLOPS_TOOLS_DIR="${MLOPS_TOOLS_DIR:-/var/tmp/mlops-tools}"
RUNNER_ROOTFS="${RUNNER_ROOTFS:-/var/tmp/mlops-runner-rootfs}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"
RUNNER_PACKAGES="openjdk-17-jdk-headless,git,ca-certificates,python3,python3-venv"
MAVEN_VERSION="$(sed -n 's/.*apache-maven-\([0-9.]*\)-bin.*/\1/p' "$(dirname "$0")/../.mvn/wrapper/maven-wrapper.properties")"
HOST_JAVA_CACERTS="/etc/ssl/certs/java/cacerts"

FAKE_GCS_IMAGE="local/fake-gcs-server:${FAKE_GCS_VERSION}"
FAKE_GCS_PUBLIC_IMAGE="fsouza/fake-gcs-server:${FAKE_GCS_VERSION}"
RUNNER_IMAGE="local/mlops-runner:jdk17-maven${MAVEN_VERSION}"
RUNNER_COMPAT_IMAGE="maven:3.9-eclipse-temurin-17"

log() { printf '[build-images] %s\n' "$*" >&2; }
die() { printf '[build-images] ERROR: %s\n' "$*" >&2; exit 1; }

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# "1.26.8" >= "1.25.8" ?
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

require_engine() {
  command -v docker >/dev/null 2>&1 || die "docker CLI not found; run scripts/docker-setup.sh first"
  docker info >/dev/null 2>&1 || die "Docker engine not reachable ('docker info' failed); run scripts/docker-setup.sh first"
}

# ---------------------------------------------------------------------------
# 1. fake-gcs-server
# ---------------------------------------------------------------------------
build_fake_gcs_binary() {
  local bin="${MLOPS_TOOLS_DIR}/fake-gcs-server"
  local stamp="${MLOPS_TOOLS_DIR}/fake-gcs-server.version"
  if [[ -x "${bin}" && -f "${stamp}" && "$(cat "${stamp}")" == "${FAKE_GCS_VERSION}" ]]; then
    log "fake-gcs-server ${FAKE_GCS_VERSION} binary present: ${bin}"
    return
  fi
  command -v go >/dev/null 2>&1 || die "Go toolchain not found; fake-gcs-server ${FAKE_GCS_VERSION} needs Go >= ${FAKE_GCS_MIN_GO}"
  local gov
  gov="$(go env GOVERSION)"; gov="${gov#go}"
  version_ge "${gov}" "${FAKE_GCS_MIN_GO}" \
    || die "Go ${gov} is too old for fake-gcs-server ${FAKE_GCS_VERSION} (needs >= ${FAKE_GCS_MIN_GO}); install a newer Go or set FAKE_GCS_VERSION to an older tag (1.53.1 needs Go >= 1.24)"

  local start=${SECONDS} gobin
  gobin="$(mktemp -d /var/tmp/fake-gcs-gobin.XXXXXX)"
  log "go install ${FAKE_GCS_MODULE}@v${FAKE_GCS_VERSION} (Go ${gov}, CGO_ENABLED=0)"
  # GOTOOLCHAIN=local: never switch to a downloaded toolchain behind our back.
  CGO_ENABLED=0 GOTOOLCHAIN=local GOBIN="${gobin}" \
    go install -trimpath "${FAKE_GCS_MODULE}@v${FAKE_GCS_VERSION}" \
    || { rm -rf "${gobin}"; die "go install ${FAKE_GCS_MODULE}@v${FAKE_GCS_VERSION} failed (Go module proxy reachable? GOPROXY=$(go env GOPROXY))"; }
  [[ -x "${gobin}/fake-gcs-server" ]] || die "go install produced no fake-gcs-server binary in ${gobin}"
  mkdir -p "${MLOPS_TOOLS_DIR}"
  install -m 0755 "${gobin}/fake-gcs-server" "${bin}"
  echo "${FAKE_GCS_VERSION}" > "${stamp}"
  rm -rf "${gobin}"
  if command -v file >/dev/null 2>&1 && ! file "${bin}" | grep -q 'statically linked'; then
    die "${bin} is not statically linked; it cannot run in a FROM scratch image"
  fi
  log "built ${bin} in $(( SECONDS - start ))s"
}

build_fake_gcs_image() {
  build_fake_gcs_binary
  if image_exists "${FAKE_GCS_IMAGE}"; then
    log "image ${FAKE_GCS_IMAGE} present, not rebuilding"
  else
    local start=${SECONDS} ctx
    ctx="$(mktemp -d /var/tmp/fake-gcs-image.XXXXXX)"
    mkdir -p "${ctx}/bin" "${ctx}/tmp"
    cp "${MLOPS_TOOLS_DIR}/fake-gcs-server" "${ctx}/bin/fake-gcs-server"
    cat > "${ctx}/Dockerfile" <<DOCKERFILE
FROM scratch
COPY bin/fake-gcs-server /bin/fake-gcs-server
COPY tmp /tmp
LABEL org.opencontainers.image.title="fake-gcs-server" \\
      org.opencontainers.image.version="${FAKE_GCS_VERSION}" \\
      org.opencontainers.image.source="https://${FAKE_GCS_MODULE}" \\
      io.mlops.built-by="scripts/build-images.sh"
EXPOSE 4443
ENTRYPOINT ["/bin/fake-gcs-server"]
DOCKERFILE
    log "building ${FAKE_GCS_IMAGE} (FROM scratch, classic builder)"
    # Debian's docker.io has no buildx: use the classic builder.
    DOCKER_BUILDKIT=0 docker build --quiet --network host -t "${FAKE_GCS_IMAGE}" "${ctx}" >/dev/null \
      || { rm -rf "${ctx}"; die "docker build of ${FAKE_GCS_IMAGE} failed"; }
    rm -rf "${ctx}"
    log "built ${FAKE_GCS_IMAGE} in $(( SECONDS - start ))s"
  fi
  # Public name as a local alias, so code asking for it never needs a pull.
  docker tag "${FAKE_GCS_IMAGE}" "${FAKE_GCS_PUBLIC_IMAGE}"
  # Smoke test: the binary starts inside the image (no network needed for -h).
  local help
  help="$(docker run --rm --network none "${FAKE_GCS_IMAGE}" -h 2>&1 || true)"
  [[ "${help}" == *-backend* ]] \
    || die "smoke test failed: '${FAKE_GCS_IMAGE} -h' did not print the flag list: ${help}"
  log "fake-gcs-server images: ${FAKE_GCS_IMAGE}, ${FAKE_GCS_PUBLIC_IMAGE}"
}

# ---------------------------------------------------------------------------
# 2. runner image
# ---------------------------------------------------------------------------

# Prints "URI" for the first apt source (deb822 *.sources or one-line *.list /
# sources.list) of type deb serving suite $1.
host_mirror_for_suite() {
  local suite="$1" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "${f}" ]] || continue
    # deb822: paragraphs separated by blank lines.
    awk -v suite="${suite}" '
      function flush() {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no") {
          n = split(suites, s, /[ \t]+/)
          for (i = 1; i <= n; i++) if (s[i] == suite) { split(uris, u, /[ \t]+/); print u[1]; exit }
        }
        types = ""; suites = ""; uris = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:"   { sub(/^[^:]*:[ \t]*/, ""); types = $0 }
      tolower($1) == "suites:"  { sub(/^[^:]*:[ \t]*/, ""); suites = $0 }
      tolower($1) == "uris:"    { sub(/^[^:]*:[ \t]*/, ""); uris = $0 }
      tolower($1) == "enabled:" { sub(/^[^:]*:[ \t]*/, ""); enabled = tolower($0) }
      END { flush() }
    ' "${f}"
  done | head -n1 | grep . && return 0
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "${f}" ]] || continue
    # deb [options] URI suite components...
    sed -E 's/\[[^]]*\]//' "${f}" | awk -v suite="${suite}" '$1 == "deb" && $3 == suite { print $2; exit }'
  done | head -n1 | grep .
}

# Maven ${MAVEN_VERSION} into ${RUNNER_ROOTFS}/opt/maven: the distribution the Maven Wrapper unpacked
# (downloaded by `./mvnw -v` if needed), or ${MAVEN_HOME_DIST}.
install_maven() {
  local dist="${MAVEN_HOME_DIST:-}" root
  root="$(cd "$(dirname "$0")/.." && pwd)"
  if [[ -z "${dist}" ]]; then
    dist="$(find "${HOME}/.m2/wrapper/dists/apache-maven-${MAVEN_VERSION}" -maxdepth 2 -name bin -type d 2>/dev/null | head -n1)"
    if [[ -z "${dist}" ]]; then
      log "fetching Maven ${MAVEN_VERSION} through the Maven Wrapper"
      (cd "${root}" && ./mvnw -q -v >/dev/null) || die "./mvnw -v failed: cannot get Maven ${MAVEN_VERSION}"
      dist="$(find "${HOME}/.m2/wrapper/dists/apache-maven-${MAVEN_VERSION}" -maxdepth 2 -name bin -type d | head -n1)"
    fi
    dist="$(dirname "${dist}")"
  fi
  [[ -x "${dist}/bin/mvn" ]] || die "no Maven distribution at ${dist} (set MAVEN_HOME_DIST)"
  rm -rf "${RUNNER_ROOTFS}/opt/maven"
  mkdir -p "${RUNNER_ROOTFS}/opt" "${RUNNER_ROOTFS}/usr/local/bin"
  cp -a "${dist}" "${RUNNER_ROOTFS}/opt/maven"
  ln -sfn /opt/maven/bin/mvn "${RUNNER_ROOTFS}/usr/local/bin/mvn"
  log "Maven ${MAVEN_VERSION} from ${dist} installed at /opt/maven"
}

build_runner_image() {
  if image_exists "${RUNNER_IMAGE}"; then
    log "image ${RUNNER_IMAGE} present, not rebuilding"
    docker tag "${RUNNER_IMAGE}" "${RUNNER_COMPAT_IMAGE}"
    return
  fi
  [[ "$(id -u)" -eq 0 ]] || die "building ${RUNNER_IMAGE} needs root (debootstrap, chroot, mount)"
  [[ -f "${HOST_JAVA_CACERTS}" ]] || die "host Java trust store ${HOST_JAVA_CACERTS} not found (apt-get install ca-certificates-java)"

  local mirror security_mirror arch marker="${RUNNER_ROOTFS}/.mlops-rootfs-complete"
  mirror="${DEBIAN_MIRROR:-$(host_mirror_for_suite "${DEBIAN_SUITE}" || true)}"
  [[ -n "${mirror}" ]] || die "no Debian mirror for suite ${DEBIAN_SUITE} found in /etc/apt/sources.list{,.d/*}; set DEBIAN_MIRROR"
  security_mirror="$(host_mirror_for_suite "${DEBIAN_SUITE}-security" || true)"
  arch="$(dpkg --print-architecture)"

  if [[ -f "${marker}" ]]; then
    log "reusing finished root filesystem ${RUNNER_ROOTFS}"
  else
    if ! command -v debootstrap >/dev/null 2>&1; then
      local t=${SECONDS}
      log "installing debootstrap"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; } \
        || die "apt-get install debootstrap failed"
      log "installed debootstrap in $(( SECONDS - t ))s"
    fi
    rm -rf "${RUNNER_ROOTFS}"
    mkdir -p "$(dirname "${RUNNER_ROOTFS}")"

    local t=${SECONDS}
    log "debootstrap --variant=minbase ${DEBIAN_SUITE} ${RUNNER_ROOTFS} ${mirror} (${arch})"
    debootstrap --variant=minbase --arch="${arch}" "${DEBIAN_SUITE}" "${RUNNER_ROOTFS}" "${mirror}" \
      > /var/tmp/mlops-runner-debootstrap.log 2>&1 \
      || { tail -n 30 /var/tmp/mlops-runner-debootstrap.log >&2; die "debootstrap failed; see /var/tmp/mlops-runner-debootstrap.log"; }
    log "debootstrap done in $(( SECONDS - t ))s"

    # Same mirrors as the host.
    {
      echo "deb ${mirror} ${DEBIAN_SUITE} main"
      echo "deb ${mirror} ${DEBIAN_SUITE}-updates main"
      [[ -n "${security_mirror}" ]] && echo "deb ${security_mirror} ${DEBIAN_SUITE}-security main"
    } > "${RUNNER_ROOTFS}/etc/apt/sources.list"
    # No daemons may start inside the chroot.
    printf '#!/bin/sh\nexit 101\n' > "${RUNNER_ROOTFS}/usr/sbin/policy-rc.d"
    chmod 0755 "${RUNNER_ROOTFS}/usr/sbin/policy-rc.d"
    # Host CAs (outbound TLS goes through a CA the host trusts).
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
      mkdir -p "${RUNNER_ROOTFS}/usr/local/share/ca-certificates"
      cp /usr/local/share/ca-certificates/*.crt "${RUNNER_ROOTFS}/usr/local/share/ca-certificates/"
    fi

    t=${SECONDS}
    log "installing ${RUNNER_PACKAGES//,/ } in the chroot"
    mount -t proc proc "${RUNNER_ROOTFS}/proc"
    # shellcheck disable=SC2064
    trap "umount '${RUNNER_ROOTFS}/proc' 2>/dev/null || true" EXIT
    chroot "${RUNNER_ROOTFS}" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${RUNNER_PACKAGES//,/ } && update-ca-certificates && apt-get clean" \
      > /var/tmp/mlops-runner-apt.log 2>&1 \
      || { tail -n 30 /var/tmp/mlops-runner-apt.log >&2; die "package installation in ${RUNNER_ROOTFS} failed; see /var/tmp/mlops-runner-apt.log"; }
    log "packages installed in $(( SECONDS - t ))s"

    install -m 0644 "${HOST_JAVA_CACERTS}" "${RUNNER_ROOTFS}/etc/ssl/certs/java/cacerts"
    rm -f "${RUNNER_ROOTFS}/usr/sbin/policy-rc.d"
    rm -rf "${RUNNER_ROOTFS}"/var/lib/apt/lists/* "${RUNNER_ROOTFS}"/var/cache/apt/*.bin "${RUNNER_ROOTFS}"/tmp/*
    # The java launcher needs /proc (still mounted here) to find libjli.so.
    local check
    for check in "java -version" "git --version" "python3 -m venv --help"; do
      # shellcheck disable=SC2086 # ${check} is a command line: split it on purpose
      chroot "${RUNNER_ROOTFS}" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin ${check} >/dev/null 2>&1 \
        || die "'${check}' does not run inside ${RUNNER_ROOTFS}"
    done
    umount "${RUNNER_ROOTFS}/proc"
    trap - EXIT
    touch "${marker}"
  fi

  local t=${SECONDS} java_home="/usr/lib/jvm/java-17-openjdk-${arch}"
  [[ -d "${RUNNER_ROOTFS}${java_home}" ]] || die "JDK not found at ${RUNNER_ROOTFS}${java_home}"
  install_maven  # checked by the smoke test below
  log "docker import ${RUNNER_ROOTFS} as ${RUNNER_IMAGE}"
  tar -C "${RUNNER_ROOTFS}" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* \
      --exclude=./.mlops-rootfs-complete --numeric-owner -c . \
    | docker import \
        --change "ENV JAVA_HOME=${java_home}" \
        --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        --change "ENV LANG=C.UTF-8" \
        --change "ENV MAVEN_HOME=/opt/maven" \
        --change "WORKDIR /work" \
        --change 'CMD ["/bin/bash"]' \
        --message "mlops runner: debootstrap ${DEBIAN_SUITE} minbase + ${RUNNER_PACKAGES}" \
        - "${RUNNER_IMAGE}" >/dev/null \
    || die "docker import of ${RUNNER_ROOTFS} failed"
  docker tag "${RUNNER_IMAGE}" "${RUNNER_COMPAT_IMAGE}"
  log "imported ${RUNNER_IMAGE} in $(( SECONDS - t ))s"
  docker run --rm --network none "${RUNNER_IMAGE}" mvn -v 2>&1 | grep -q "Apache Maven ${MAVEN_VERSION}" \
    || die "smoke test failed: 'mvn -v' in ${RUNNER_IMAGE} does not report Maven ${MAVEN_VERSION}"
  log "runner images: ${RUNNER_IMAGE}, ${RUNNER_COMPAT_IMAGE}"
}

# ---------------------------------------------------------------------------
what="${1:-all}"
case "${what}" in
  fake-gcs|runner|all) ;;
  *) die "usage: $0 [fake-gcs|runner|all]" ;;
esac
require_engine
SECONDS=0
if [[ "${what}" == fake-gcs || "${what}" == all ]]; then
  build_fake_gcs_image
  echo "fake-gcs-server binary: ${MLOPS_TOOLS_DIR}/fake-gcs-server"
  echo "fake-gcs-server images: ${FAKE_GCS_IMAGE} ${FAKE_GCS_PUBLIC_IMAGE}"
fi
if [[ "${what}" == runner || "${what}" == all ]]; then
  build_runner_image
  echo "runner images: ${RUNNER_IMAGE} ${RUNNER_COMPAT_IMAGE}"
fi
log "done in ${SECONDS}s"
