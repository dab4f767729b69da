#!/usr/bin/env bash
# Installs the Debian 12 packages that activ's builds need, when any is missing; does nothing
# (and needs no network) when all are there. Run as root, or as a user with sudo.
#
#   bash cmake/install-deps.sh demo   a compiler, CMake, Ninja and Eigen: enough for the examples
#   bash cmake/install-deps.sh        all of it: + GoogleTest, MPFR, Google Benchmark, pkg-config,
#                                     Clang with its sanitizer runtime (every preset) and
#                                     clang-format-14 (the formatting check)
set -euo pipefail

packages=(cmake ninja-build g++ libeigen3-dev)
case "${1:-all}" in
  demo) ;;
  all) packages+=(libgtest-dev libmpfr-dev libgmp-dev libbenchmark-dev pkg-config clang libclang-rt-14-dev
        clang-format-14) ;;
  *) echo "usage: $0 [demo|all]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
