#!/usr/bin/env bash
# Builds the inrapport container image with podman on Debian 12, with no image
# registry needed, and checks the image it built. See docs/deployment.md.
#
#   scripts/build-image.sh
#
# 1. Installs podman and debootstrap if they are missing.
# 2. If the Dockerfile's base image is not in local storage, makes it: a
#    minimal Debian 12 (debootstrap --variant=minbase bookworm) from the
#    Debian mirror this machine's apt uses, imported under the Dockerfile's
#    FROM name.
# 3. Builds inrapport:VERSION and inrapport:latest (VERSION from
#    CMakeLists.txt), never pulling.
# 4. Mounts the image and checks it: both binaries in /usr/local/bin, every
#    shared library they need present, `inrapportd --version` prints the
#    project version, a non-root user, ports 50051 and 9464 exposed,
#    /var/lib/inrapport a volume owned by that user, no compiler left behind.
#    It does not run a container: the checks run the binaries with chroot.
#
# Exits non-zero when any step or check fails. Needs root or sudo.
# Environment: JOBS (parallel compile jobs in the build stage, default 2).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [ "$(id -u)" -ne 0 ]; then
  exec sudo --preserve-env=JOBS "$0" "$@"
fi

say() { echo "build-image: $*"; }
fail() { echo "build-image: FAILED: $*" >&2; exit 1; }

version="$(sed -n 's/^project(inrapport VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)"
[ -n "$version" ] || fail "no 'project(inrapport VERSION x.y.z)' in CMakeLists.txt"
image="localhost/inrapport:$version"

# The base image is whatever the Dockerfile's stages start FROM; both stages
# must use the same one, and that is the name the local image is made under.
mapfile -t bases < <(awk 'toupper($1) == "FROM" { print $2 }' Dockerfile | sort -u)
[ "${#bases[@]}" -eq 1 ] || fail "expected one base image in Dockerfile, found: ${bases[*]}"
base="${bases[0]}"

# --- 1. Tools ----------------------------------------------------------------
missing=()
for p in podman debootstrap; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- 2. Base image -------------------------------------------------------------
# The Debian mirror this machine's apt uses: the first deb source (deb822 or
# one-line format) that serves the bookworm suite itself, not security.
debian_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      /^$/ { if (uri != "" && suite) { print uri; exit } uri = ""; suite = 0; next }
      /^URIs:/ { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END { if (uri != "" && suite) print uri }
    ' "$f"
  done
  { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
    awk '$1 == "deb" && $3 == "bookworm" { print $2 }'
  echo "http://deb.debian.org/debian"
}

# Makes the tree at $1 as slim as Debian's bookworm-slim image: dpkg leaves
# out documentation, manual pages and translations (copyright files stay), and
# apt keeps no package files or caches after it runs.
slim_down() {
  local root="$1"
  [ -n "$root" ] && [ "$root" != / ] && [ -d "$root/etc/dpkg" ] || fail "slim_down: bad root '$root'"
  printf '%s\n' \
    'path-exclude /usr/share/doc/*' \
    'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/groff/*' \
    'path-exclude /usr/share/info/*' \
    'path-exclude /usr/share/lintian/*' \
    'path-exclude /usr/share/linda/*' \
    'path-exclude /usr/share/locale/*' >"$root/etc/dpkg/dpkg.cfg.d/docker"
  local clean='"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"'
  printf '%s\n' \
    "DPkg::Post-Invoke { $clean; };" \
    "APT::Update::Post-Invoke { $clean; };" \
    'Dir::Cache::pkgcache "";' \
    'Dir::Cache::srcpkgcache "";' >"$root/etc/apt/apt.conf.d/docker-clean"
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  local d
  for d in usr/share/man usr/share/groff usr/share/info usr/share/lintian usr/share/linda \
      usr/share/locale var/cache/apt/archives var/lib/apt/lists var/log tmp; do
    [ -d "$root/$d" ] && find "$root/$d" -mindepth 1 ! -type d -delete
  done
  rm -f "$root"/var/cache/apt/*.bin
}

if podman image exists "$base"; then
  say "base image $base is in local storage"
else
  mirror="$(debian_mirror | awk 'NR == 1')"
  security="$(echo "$mirror" | sed 's#/debian/*$#/debian-security#')"
  say "making base image $base: debootstrap --variant=minbase bookworm from $mirror"
  rootfs="$(mktemp -d /var/tmp/inrapport-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1 ||
    { tail -n 30 "$rootfs.log" >&2; rm -f "$rootfs.log"; fail "debootstrap"; }
  rm -f "$rootfs.log"
  # The same apt sources as Debian's own image: the release, its updates and
  # its security fixes, in deb822 form.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  slim_down "$rootfs"
  tar -C "$rootfs" --numeric-owner -c . | podman import --change 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
  podman image exists "$base" || fail "podman import did not make $base"
fi

# --- 3. Build ----------------------------------------------------------------------
say "building $image (inrapport:latest) from $repo"
start=$(date +%s)
podman build --isolation=chroot --pull=never \
  --build-arg "VERSION=$version" --build-arg "JOBS=${JOBS:-2}" \
  -t "$image" -t localhost/inrapport:latest -f Dockerfile .
say "built in $(( $(date +%s) - start )) s"

# --- 4. Checks -----------------------------------------------------------------------
failures=0
check() {  # check DESCRIPTION COMMAND...: runs the command, reports ok/FAIL.
  local what="$1"; shift
  if "$@"; then say "ok   $what"; else say "FAIL $what"; failures=$((failures + 1)); fi
}

mnt="$(podman image mount "$image")"
trap 'podman image unmount "$image" >/dev/null 2>&1 || true' EXIT

for bin in inrapportd inrapport; do
  check "/usr/local/bin/$bin is an executable file" test -f "$mnt/usr/local/bin/$bin" -a -x "$mnt/usr/local/bin/$bin"
  # ldd is in libc-bin, which every Debian system has.
  libs="$(chroot "$mnt" /usr/bin/ldd "/usr/local/bin/$bin" 2>&1 || true)"
  check "$bin finds every shared library" \
    bash -c '! grep -E "not found|not a dynamic" <<<"$1" >&2' _ "$libs"
done

printed="$(chroot "$mnt" /usr/local/bin/inrapportd --version 2>&1)" || printed="(exit $?) $printed"
check "inrapportd --version prints '$printed', expected 'inrapportd $version'" \
  test "$printed" = "inrapportd $version"
check "inrapport (the CLI) starts" \
  bash -c 'chroot "$1" /usr/local/bin/inrapport --version >/dev/null' _ "$mnt"

check "sqlite3 (for online backups) starts" \
  bash -c 'chroot "$1" /usr/bin/sqlite3 --version >/dev/null' _ "$mnt"

for tool in /usr/bin/cc /usr/bin/c++ /usr/bin/cmake /usr/bin/protoc; do
  check "no build tool $tool in the runtime image" test ! -e "$mnt$tool"
done

user="$(podman image inspect --format '{{.Config.User}}' "$image")"
uid="${user%%:*}"
check "user '$user' is a numeric non-root uid" bash -c '[[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ne 0 ]' _ "$uid"
ports="$(podman image inspect --format '{{range $p, $_ := .Config.ExposedPorts}}{{$p}} {{end}}' "$image")"
check "exposed ports '$ports' are 50051/tcp and 9464/tcp" \
  test "$(tr ' ' '\n' <<<"$ports" | grep . | sort | tr '\n' ' ')" = "50051/tcp 9464/tcp "
volumes="$(podman image inspect --format '{{range $v, $_ := .Config.Volumes}}{{$v}} {{end}}' "$image")"
check "volumes '$volumes' are /var/lib/inrapport" test "$volumes" = "/var/lib/inrapport "
check "/var/lib/inrapport is owned by uid $uid" test "$(stat -c %u "$mnt/var/lib/inrapport")" = "$uid"
entrypoint="$(podman image inspect --format '{{json .Config.Entrypoint}}' "$image")"
check "entrypoint $entrypoint is inrapportd" test "$entrypoint" = '["inrapportd"]'
cmd="$(podman image inspect --format '{{json .Config.Cmd}}' "$image")"
check "command $cmd listens on 0.0.0.0 and keeps the database in the volume" \
  bash -c 'grep -q -- "--listen=0.0.0.0:50051" <<<"$1" && grep -q -- "--metrics_listen=0.0.0.0:9464" <<<"$1" && grep -q -- "--db=/var/lib/inrapport/" <<<"$1"' _ "$cmd"
label="$(podman image inspect --format '{{index .Labels "org.opencontainers.image.version"}}' "$image")"
check "label org.opencontainers.image.version is $version" test "$label" = "$version"

size="$(podman image inspect --format '{{.Size}}' "$image")"
echo
echo "image:       $image (also localhost/inrapport:latest)"
echo "id:          $(podman image inspect --format '{{.Id}}' "$image" | cut -c1-12)"
echo "size:        $((size / 1000 / 1000)) MB"
echo "base:        $base"
echo "version:     $printed"
echo "user:        $user"
echo "ports:       $ports"
echo "volume:      $volumes"
echo "entrypoint:  $entrypoint $cmd"

if [ "$failures" -ne 0 ]; then
  fail "$failures check(s) failed"
fi
say "all checks passed"
