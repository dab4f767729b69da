// fuzz_glu's fast variants: fuzz_glu.cpp compiled a second time with ACTIV_FUZZ_GLU_FAST, which
// instantiates activ::fast's variants instead of the precise ones and defines the entry that
// fuzz_glu.cpp's LLVMFuzzerTestOneInput hands their inputs (fuzz_glu.cpp's file comment: the two
// units compile in parallel, each within 3 GB under the sanitizers).
#define ACTIV_FUZZ_GLU_FAST
#define ACTIV_FUZZ_SECONDARY_UNIT
#include "fuzz_glu.cpp"  // NOLINT(bugprone-suspicious-include)
