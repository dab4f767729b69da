#!/usr/bin/env bash
# Installs the Debian 12 packages that activ's builds need, when any is missing; does nothing
# (and needs no network) when all are there. Run as root, or as a user with sudo.
#
#   bash cmake/install-deps.sh demo     a compiler, CMake, Ninja and Eigen: enough for the examples
#   bash cmake/install-deps.sh          all of it: + GoogleTest, MPFR, Google Benchmark, pkg-config,
#                                       Clang with its sanitizer runtime (every native preset) and
#                                       clang-format-14 (the formatting check)
#   bash cmake/install-deps.sh aarch64  all of it, + what the aarch64 presets need: Debian's
#                                       cross compiler (g++-aarch64-linux-gnu), qemu-user, and the
#                                       target's libc, GoogleTest, MPFR and GMP from the arm64
#                                       multiarch packages (it adds the arm64 architecture to dpkg)
#   bash cmake/install-deps.sh ppc64le  the same for the ppc64le preset (Debian's ppc64el)
#
# The cross presets build the test programs against the target's packages and compute the MPFR
# references on the host, with the host's compiler, GoogleTest and MPFR (hence "all of it").
set -euo pipefail

packages=(cmake ninja-build g++ libeigen3-dev)
all=(libgtest-dev libmpfr-dev libgmp-dev libbenchmark-dev pkg-config clang libclang-rt-14-dev
     clang-format-14)
foreign=""  # the dpkg architecture of a cross target
case "${1:-all}" in
  demo) ;;
  all) packages+=("${all[@]}") ;;
  aarch64) foreign=arm64; packages+=("${all[@]}" g++-aarch64-linux-gnu qemu-user) ;;
  ppc64le) foreign=ppc64el; packages+=("${all[@]}" g++-powerpc64le-linux-gnu qemu-user) ;;
  *) echo "usage: $0 [demo|all|aarch64|ppc64le]" >&2; exit 2 ;;
esac
if [ -n "$foreign" ]; then
  # Debian 12's libgtest-dev is Multi-Arch: same, so the target's copy installs beside the host's
  # (no GoogleTest build from /usr/src/googletest needed).
  for package in libc6 libstdc++6 libgtest-dev libmpfr-dev libgmp-dev; do
    packages+=("$package:$foreign")
  done
fi

# Whether a package is installed for the host (name) or for an architecture (name:arch). A
# Multi-Arch: same package installed for several architectures is listed once for each.
native=$(dpkg --print-architecture)
installed() {
  local name=${1%%:*} arch=$native
  [ "$name" = "$1" ] || arch=${1#*:}
  local status
  status=$(dpkg-query -W -f='${Architecture} ${db:Status-Status}\n' "$name" 2>/dev/null || true)
  grep -Eqx "($arch|all) installed" <<<"$status"
}

missing=()
for package in "${packages[@]}"; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if [ -n "$foreign" ] && ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
  echo "install-deps: adding the $foreign architecture to dpkg"
  "${sudo[@]}" dpkg --add-architecture "$foreign"
fi
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
