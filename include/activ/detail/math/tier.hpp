// The accuracy tiers: every kernel entry point takes one as its first template argument.
#pragma once

namespace activ {

/// The accuracy tier of a function (docs/design.md §4):
///   precise  float within 1 ULP, double within 2 ULP (the default: activ::gelu, ...);
///   fast     float and double within 4 ULP, computed in the lane type's own arithmetic
///            (activ::fast::gelu, ...).
/// Both tiers keep the tails, subnormal results and special values right.
enum class Tier { precise, fast };

}  // namespace activ
