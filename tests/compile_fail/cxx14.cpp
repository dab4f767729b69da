// Compiled with -std=c++14 (CASE_tensor: through <activ/tensor.hpp>): the first error says that
// activ requires C++17, and nothing after it is parsed.
#if defined(CASE_tensor)
#include <activ/tensor.hpp>
#else
#include <activ/activ.hpp>
#endif

int main() { return 0; }
