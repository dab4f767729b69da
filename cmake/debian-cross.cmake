# Cross compilation with Debian's packages (included by the toolchain files beside it, which set
# ACTIV_CROSS_TRIPLE, ACTIV_CROSS_PROCESSOR and ACTIV_CROSS_QEMU first).
#
# The compiler is Debian's <triple>-g++ (g++-<triple> package), or Clang when the preset passes
# CMAKE_CXX_COMPILER=clang++: CMAKE_CXX_COMPILER_TARGET then makes it target the same triple and
# pick up the same cross libstdc++. Target libraries (GoogleTest, MPFR, GMP) come from Debian's
# multiarch packages (dpkg --add-architecture; libgtest-dev:<arch> ...), which install into
# /usr/lib/<triple> and /usr/include/<triple>: the sysroot is /, and find_* looks there through
# CMAKE_LIBRARY_ARCHITECTURE. Eigen is header-only and architecture-independent.
# Test programs run under Debian's qemu-user (CMAKE_CROSSCOMPILING_EMULATOR) with the multiarch
# libc (libc6:<arch>, /lib/ld-linux-*.so) as on the target. Not with -L /usr/<triple>: that
# loader, from the cross package, is another glibc build than the multiarch libc it then loads,
# and threads deadlock (a condition variable never wakes).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${ACTIV_CROSS_PROCESSOR})
set(CMAKE_LIBRARY_ARCHITECTURE ${ACTIV_CROSS_TRIPLE})

if(NOT CMAKE_CXX_COMPILER)
  set(CMAKE_CXX_COMPILER ${ACTIV_CROSS_TRIPLE}-g++)
endif()
if(CMAKE_CXX_COMPILER MATCHES "clang")
  set(CMAKE_CXX_COMPILER_TARGET ${ACTIV_CROSS_TRIPLE})
endif()

find_program(ACTIV_CROSS_QEMU_PROGRAM ${ACTIV_CROSS_QEMU})
if(ACTIV_CROSS_QEMU_PROGRAM)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${ACTIV_CROSS_QEMU_PROGRAM}")
endif()

# Programs and build tools from the host; libraries, headers and packages for the target only
# (the host's /usr/lib/x86_64-linux-gnu is never searched, so a missing :<arch> package fails
# at configure time instead of linking a host library).
set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
