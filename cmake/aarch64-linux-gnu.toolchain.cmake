# aarch64 (ARMv8-A, NEON) with Debian's g++-aarch64-linux-gnu (or Clang), tests under
# qemu-aarch64. See debian-cross.cmake; dependencies: bash cmake/install-deps.sh aarch64.
set(ACTIV_CROSS_TRIPLE aarch64-linux-gnu)
set(ACTIV_CROSS_PROCESSOR aarch64)
set(ACTIV_CROSS_QEMU qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
