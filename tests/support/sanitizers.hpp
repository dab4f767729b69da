// ACTIV_TEST_SANITIZED: 1 in a build with AddressSanitizer, which looks for memory errors, not
// rounding ones: the accuracy tests shrink their samples there (the sample's size adds nothing).
#pragma once

#if defined(__SANITIZE_ADDRESS__)  // GCC
#define ACTIV_TEST_SANITIZED 1
#elif defined(__has_feature)  // Clang
#if __has_feature(address_sanitizer)
#define ACTIV_TEST_SANITIZED 1
#endif
#endif
#ifndef ACTIV_TEST_SANITIZED
#define ACTIV_TEST_SANITIZED 0
#endif
