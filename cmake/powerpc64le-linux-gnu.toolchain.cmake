# ppc64le (POWER8 and later, VSX) with Debian's g++-powerpc64le-linux-gnu, tests under
# qemu-ppc64le. See debian-cross.cmake; dependencies: bash cmake/install-deps.sh ppc64le.
set(ACTIV_CROSS_TRIPLE powerpc64le-linux-gnu)
set(ACTIV_CROSS_PROCESSOR ppc64le)
set(ACTIV_CROSS_QEMU qemu-ppc64le)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
