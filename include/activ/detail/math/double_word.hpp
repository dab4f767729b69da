// Double-word ("double-double" / "float-float") arithmetic on packets: a value carried as an
// unevaluated sum hi + lo, |lo| <= ulp(hi)/2, for the steps of a kernel where one rounding of the
// working precision would already use up the error budget: the error-free transformations
// (two_product, two_sum, fast_two_sum) and the double-word operations built on them.
//
// References: Dekker (1971), Knuth TAOCP vol. 2 §4.2.2 (TwoSum), Joldes, Muller & Popescu,
// "Tight and rigorous error bounds for basic building blocks of double-word arithmetic" (2017).
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

/// An unevaluated sum hi + lo with |lo| <= ulp(hi)/2.
template <class Packet>
struct DoubleWord {
  Packet hi;
  Packet lo;
};

/// Hides v's computation from the optimizer, so that a product stored in v cannot be fused
/// into a later addition. GCC contracts a*b + c into an FMA by default (-ffp-contract=fast, even
/// in ISO mode), which would silently break the error-free transformations below: two_sum of a
/// product that the compiler turned into an unrounded FMA term is no longer exact. Emits no
/// instruction.
template <class T>
EIGEN_STRONG_INLINE void keep_rounded(T& v) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  if constexpr (sizeof(T) == 64) {
    __asm__("" : "+v"(v));
  } else {
    __asm__("" : "+x"(v));
  }
#elif defined(__GNUC__) && defined(__aarch64__)
  __asm__("" : "+w"(v));
#elif defined(__GNUC__) && defined(__VSX__)
  __asm__("" : "+wa"(v));
#elif defined(__GNUC__) && !defined(__clang__)
  __asm__("" : "+m"(v));  // any other GCC target: through memory, which rounds as well
#else
  (void)v;  // Clang and other compilers do not contract across statements by default
#endif
}

/// Error-free product: hi + lo == a*b exactly (barring underflow and overflow).
/// With FMA the error is one fused operation; without it, Dekker's split (Veltkamp constant
/// 2^ceil(p/2) + 1) cuts a and b into halves whose partial products are all exact.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> two_product(const Packet& a, const Packet& b) {
  Packet hi = mul(a, b);
  keep_rounded(hi);
  if constexpr (kFusedMultiplyAdd) {
    return {hi, madd(a, b, negate(hi))};
  } else {
    using Scalar = scalar_of<Packet>;
    // 2^27 + 1 for double, 2^12 + 1 for float
    constexpr Scalar kSplit = Scalar((1u << ((std::numeric_limits<Scalar>::digits + 1) / 2)) + 1);
    const auto split = [&](const Packet& v, Packet& v_hi, Packet& v_lo) {
      // t must be rounded before t - v: a target with FMA hardware would otherwise fuse them.
      // (The products of halves below are exact, so fusing those changes nothing.)
      Packet t = mul(set1<Packet>(kSplit), v);
      keep_rounded(t);
      v_hi = ei::psub(t, ei::psub(t, v));
      v_lo = ei::psub(v, v_hi);
    };
    Packet a_hi, a_lo, b_hi, b_lo;
    split(a, a_hi, a_lo);
    split(b, b_hi, b_lo);
    Packet err = ei::psub(mul(a_hi, b_hi), hi);
    err = ei::padd(err, mul(a_hi, b_lo));
    err = ei::padd(err, mul(a_lo, b_hi));
    return {hi, ei::padd(err, mul(a_lo, b_lo))};
  }
}

/// Knuth's TwoSum: hi + lo == a + b exactly, whatever the magnitudes.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> two_sum(const Packet& a, const Packet& b) {
  const Packet hi = ei::padd(a, b);
  const Packet b_virtual = ei::psub(hi, a);
  const Packet a_virtual = ei::psub(hi, b_virtual);
  return {hi, ei::padd(ei::psub(a, a_virtual), ei::psub(b, b_virtual))};
}

/// Dekker's Fast2Sum: hi + lo == a + b exactly, provided |a| >= |b| (or a == 0).
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> fast_two_sum(const Packet& a, const Packet& b) {
  const Packet hi = ei::padd(a, b);
  return {hi, ei::psub(b, ei::psub(hi, a))};
}

/// (hi + lo) * b for a plain b, relative error ~2u^2.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> dw_mul(const DoubleWord<Packet>& a, const Packet& b) {
  const DoubleWord<Packet> p = two_product(a.hi, b);
  return fast_two_sum(p.hi, madd(a.lo, b, p.lo));
}

/// (a.hi + a.lo) * (b.hi + b.lo), relative error ~5u^2.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> dw_mul(const DoubleWord<Packet>& a,
                                              const DoubleWord<Packet>& b) {
  const DoubleWord<Packet> p = two_product(a.hi, b.hi);
  const Packet cross = madd(a.hi, b.lo, mul(a.lo, b.hi));
  return fast_two_sum(p.hi, ei::padd(p.lo, cross));
}

/// (a.hi + a.lo) + (b.hi + b.lo), relative error ~3u^2 for operands of one sign.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> dw_add(const DoubleWord<Packet>& a,
                                              const DoubleWord<Packet>& b) {
  const DoubleWord<Packet> s = two_sum(a.hi, b.hi);
  return fast_two_sum(s.hi, ei::padd(s.lo, ei::padd(a.lo, b.lo)));
}

/// (a.hi + a.lo) / (b.hi + b.lo): one Newton correction of the quotient of the high words.
template <class Packet>
EIGEN_STRONG_INLINE DoubleWord<Packet> dw_div(const DoubleWord<Packet>& a,
                                              const DoubleWord<Packet>& b) {
  const Packet q0 = ei::pdiv(a.hi, b.hi);
  // a - q0*b, with the product a.hi - q0*b.hi exact (FMA or Dekker)
  const DoubleWord<Packet> q0b = two_product(q0, b.hi);
  Packet r = ei::psub(a.hi, q0b.hi);  // exact: q0*b.hi is within an ulp of a.hi
  r = ei::padd(r, ei::psub(a.lo, madd(q0, b.lo, q0b.lo)));
  return fast_two_sum(q0, ei::pdiv(r, b.hi));
}

/// Horner evaluation of c[0] + c[1]*x + ... + c[N-1]*x^(N-1) whose last `Exact` steps (the
/// coefficients c[Exact-1] ... c[0]) are done in double-word arithmetic; the higher-order part
/// before them is plain Horner, whose rounding errors reach the result scaled by the (small)
/// share of those terms in the value. x is plain, the coefficients are plain constants.
template <std::size_t Exact, class Packet, class Scalar, std::size_t N>
EIGEN_STRONG_INLINE DoubleWord<Packet> dw_horner(const Packet& x, const Scalar (&c)[N]) {
  static_assert(Exact >= 1 && Exact < N, "at least one double-word step, and a plain head");
  DoubleWord<Packet> r{horner_from<Exact>(x, c), ei::pzero(x)};
  for (std::size_t i = Exact; i-- > 0;) {
    const DoubleWord<Packet> p = dw_mul(r, x);
    const DoubleWord<Packet> s = two_sum(p.hi, set1<Packet>(c[i]));
    r = fast_two_sum(s.hi, ei::padd(s.lo, p.lo));
  }
  return r;
}

}  // namespace detail
}  // namespace activ
