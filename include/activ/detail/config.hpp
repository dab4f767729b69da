// The language check every public header makes first, before it includes anything else.
//
// activ is written in C++17 (if constexpr, inline variables, fold expressions, <type_traits>'
// _v traits). An older standard would otherwise fail deep inside the kernels with a hundred
// errors that do not say why; this makes the first error the reason.
#pragma once

// MSVC keeps __cplusplus at 199711L unless /Zc:__cplusplus is given; _MSVC_LANG is the standard
// it actually compiles for.
#if defined(_MSVC_LANG) && _MSVC_LANG > __cplusplus
#define ACTIV_DETAIL_CPLUSPLUS _MSVC_LANG
#else
#define ACTIV_DETAIL_CPLUSPLUS __cplusplus
#endif

#if ACTIV_DETAIL_CPLUSPLUS < 201703L
#error "activ requires C++17 or later (-std=c++17, /std:c++17, or CMake's cxx_std_17)"
// Stop here: a missing include is a fatal error in every compiler, so nothing after this line
// is parsed and the message above is not buried under the errors of code it explains.
#include "activ/detail/(compilation stopped) activ requires C++17 or later"
#endif
