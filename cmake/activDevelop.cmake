# Settings for activ's own targets (tests, benchmarks, examples); never applied to a consumer.
# activ is developed with GCC and Clang; the flags below are theirs.

set(CMAKE_CXX_EXTENSIONS OFF)

option(ACTIV_WERROR "Treat warnings in activ's tests, benchmarks and examples as errors" ON)

# Link this to every project target: activ builds warning-free with GCC and Clang.
add_library(activ_warnings INTERFACE)
target_compile_options(activ_warnings INTERFACE -Wall -Wextra -Wpedantic $<$<BOOL:${ACTIV_WERROR}>:-Werror>)

# GCC 12's AVX-512 intrinsics trip -Wuninitialized and -Wmaybe-uninitialized on their own
# _mm512_undefined_*() placeholders once inlined at -O2 and above (GCC PR 105593, fixed in GCC 13).
# Targets that may use AVX-512 (the avx512 test variants, -march=native builds) turn those two off
# under GCC 12; the same code keeps them in its baseline and AVX2 builds and under Clang.
set(ACTIV_GCC12_AVX512_FLAGS "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # (-Warray-bounds: at -O3 GCC 12 flags the 16-lane packet loop of an assignment to a fixed-size
  # object of 8 or 6 elements, a loop that runs zero times there: test_glu_backward's fixed sizes.)
  set(ACTIV_GCC12_AVX512_FLAGS -Wno-uninitialized -Wno-maybe-uninitialized -Wno-array-bounds)
endif()

# activ_optimize(<target> <arch>): -O3 whatever the build type (timings and sweeps are meaningless
# otherwise), plus -march=<arch> unless <arch> is empty (empty = the x86-64 baseline users get).
function(activ_optimize target arch)
  target_compile_options(${target} PRIVATE -O3)
  if(arch)
    target_compile_options(${target} PRIVATE -march=${arch} ${ACTIV_GCC12_AVX512_FLAGS})
  endif()
endfunction()
