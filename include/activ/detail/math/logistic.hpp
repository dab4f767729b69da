// v * sigmoid(z) without cancellation and without overflow: sigmoid, silu, swish and the
// tanh-form GELU are all this one kernel with a different v and z.
//
// Float results (v_times_sigmoid_for_float): the kernel runs in double on values widened from
// float (widen.hpp), where z needs no low word (beta*x of two floats is exact in double) and
// every intermediate error is ~2^-28 relative: the narrowing to float is the one rounding that
// matters (max error 1 ULP, subnormal float results rounded once).
//
// Double results (v_times_sigmoid_for_double), in double with error-free corrections. Method:
// t = e^(-|z|) = m * 2^k (k <= 0) never overflows, and
//   sigmoid(z) = 1 / (1 + t)   for z >= 0,
//   sigmoid(z) = t / (1 + t)   for z <  0   (the form 1 - 1/(1+e^-z) would cancel).
// The quotient and its correction are computed on the numerator v*m before its power of two is
// applied, and the power of two is applied once, last: a result is rounded once, in
// scale_by_pow2, also where it is subnormal (silu near -745) or barely normal. (Scaling the
// numerator's words first and correcting afterwards rounded the low word to the subnormal grid,
// which is the result's own ULP in the lowest binades: 2 ULP where e^z is subnormal and v*e^z is
// normal, e.g. silu in [-715, -708.4], gelu_tanh in [-21.18, -21.15].)
#pragma once

#include "activ/detail/math/double_word.hpp"
#include "activ/detail/math/exp.hpp"
#include "activ/detail/math/fast/logistic.hpp"
#include "activ/detail/math/parameter.hpp"
#include "activ/detail/math/tier.hpp"
#include "activ/detail/math/widen.hpp"

namespace activ {
namespace detail {

struct LogisticConstants {
  // Double results: beyond |z| = kMaxArg, e^-|z| times any finite double v is below half the
  // smallest subnormal (2^1024 * e^-1500 < 2^-1075), so clamping |z| there changes no result.
  static constexpr double kMaxArg = 1500.0;
  // Float results: past |z| = 200, e^-|z| times any float v (|v| < 2^128) is below half the
  // smallest float subnormal (2^128 * e^-200 < 2^-150).
  static constexpr double kMaxArgForFloat = 200.0;
};

/// v * sigmoid(z) for float results, on double packets holding float values (v, and z computed
/// from them in double). Clamping z to +-kMaxArgForFloat changes no float result, and it keeps
/// e^-z a normal double (no inf / inf). v = -inf (silu(-inf)) stands in as
/// -FLT_MAX: -FLT_MAX / (1 + e^200) = -4.7e-49 narrows to -0, where -inf would stay -inf.
/// NaN lanes give a NaN of unspecified payload (callers use nan_passthrough).
template <class PacketD>
EIGEN_STRONG_INLINE PacketD v_times_sigmoid_for_float(const PacketD& v, const PacketD& z) {
  const PacketD max_arg = set1<PacketD>(LogisticConstants::kMaxArgForFloat);
  const PacketD minus_z = ei::pmax(ei::pmin(negate(z), max_arg), negate(max_arg));
  const PacketD t = exp_for_float(minus_z);  // e^-z in [e^-200, e^200]
  const PacketD v_finite = ei::pmax(v, set1<PacketD>(-double(std::numeric_limits<float>::max())));
  return ei::pdiv(v_finite, ei::padd(set1<PacketD>(1.0), t));
}

/// e^(hi + lo) for the logistic kernel. Without FMA, Horner's unfused steps make the plain
/// exp_parts mantissa ~2 u off, which would push v*sigmoid(z) past 2 ULP; the double-word variant's
/// high word is within ~0.6 u. With FMA the plain one (~1 u) is enough and cheaper.
template <class Packet>
EIGEN_STRONG_INLINE ExpParts<Packet> exp_for_logistic(const Packet& hi, const Packet& lo) {
  if constexpr (kFusedMultiplyAdd) {
    return exp_parts(hi, lo);
  } else {
    const ExpPartsDW<Packet> e = exp_parts_dw(hi, lo);
    return {e.mantissa.hi, e.exponent};
  }
}

/// v * sigmoid(z_hi + z_lo) for double results.
/// `v_neg` is the value used for v where z < 0; it must be finite (callers pass v clamped to
/// the finite range) so that -inf * e^-|z| cannot turn into NaN. NaN in v or z_hi gives NaN.
template <class Packet>
EIGEN_STRONG_INLINE Packet v_times_sigmoid_for_double(const Packet& v, const Packet& v_neg,
                                                      const Packet& z_hi, const Packet& z_lo) {
  using Scalar = double;
  const Packet zero = ei::pzero(z_hi);
  const Packet one = set1<Packet>(Scalar(1));
  const Packet max_arg = set1<Packet>(LogisticConstants::kMaxArg);

  const Packet abs_hi = ei::pabs(z_hi);
  // The low word only matters while |z| is in range; past it (or for z = inf, where the
  // two-product's low word is NaN) it is dropped. (z < 0 below: select_lt(z_hi, zero, ...).)
  const Packet abs_lo = select_lt(abs_hi, max_arg, select_lt(z_hi, zero, negate(z_lo), z_lo), zero);
  const Packet arg_hi = negate(min_keep_nan(abs_hi, max_arg));

  const ExpParts<Packet> t = exp_for_logistic(arg_hi, negate(abs_lo));
  const Packet e_minus_abs_z = scale_by_pow2(t.mantissa, t.exponent);
  const Packet denominator = ei::padd(one, e_minus_abs_z);
  // 1 + t rounds; its error is exact by Fast2Sum (1 >= t).
  const Packet denominator_lo = ei::padd(ei::psub(one, denominator), e_minus_abs_z);

  // Numerator v (z >= 0) or v*t (z < 0) without its power of two, the product kept exact as
  // hi + lo: v*t = (v*m/2) * 2^(k+1) where k < 0, and (v*m) * 2^0 where k = 0. v * m with
  // m <= 1.42 could overflow for |v| near the largest finite value; v * (m/2) cannot (m/2 is
  // exact), nor can v * m with k = 0 (m <= 1 there). The power of two is never positive, so an
  // unscaled quotient below the smallest normal number belongs to a subnormal result (a quotient
  // v*m/2 that is subnormal, later scaled by 2, lost bits under the result's ULP, and flushed to
  // zero under FTZ).
  const Packet half_m =
      mul(t.mantissa, select_lt(t.exponent, zero, set1<Packet>(Scalar(0.5)), one));
  const DoubleWord<Packet> v_m = two_product(v_neg, half_m);
  const Packet exponent = select_lt(z_hi, zero, ei::pmin(ei::padd(t.exponent, one), zero), zero);
  const Packet numerator = select_lt(z_hi, zero, v_m.hi, v);
  const Packet numerator_lo = select_lt(z_hi, zero, v_m.lo, zero);

  // quotient = numerator / denominator, then one first-order correction for everything that was
  // rounded after the exponential: the division itself (its residual is exact), the low word of
  // v*m and the rounding of 1 + t. 1/denominator (in [0.5, 1]) comes from the chord 1.5 - den/2,
  // 12% off at worst: plenty for a correction below one ULP.
  const Packet quotient = ei::pdiv(numerator, denominator);
  const DoubleWord<Packet> q_den = two_product(quotient, denominator);
  const Packet residual = ei::psub(ei::psub(numerator, q_den.hi), q_den.lo);  // exact
  const Packet error = madd(negate(quotient), denominator_lo, ei::padd(residual, numerator_lo));
  const Packet inv_den = madd(set1<Packet>(Scalar(-0.5)), denominator, set1<Packet>(Scalar(1.5)));
  const Packet corrected = madd(error, inv_den, quotient);
  // Zero, infinite and NaN quotients are already exact (and the correction would turn -0 into
  // +0 or inf into NaN): only finite nonzero quotients take it, and only where it is a number
  // (without FMA, Dekker's split in two_product overflows for |operands| beyond ~2^996).
  const Packet magnitude = ei::pabs(quotient);
  const Packet infinity = set1<Packet>(std::numeric_limits<Scalar>::infinity());
  const Packet nonzero = select_lt(zero, magnitude, corrected, quotient);
  const Packet finite_nonzero = select_lt(magnitude, infinity, nonzero, quotient);
  return scale_by_pow2(select_eq(corrected, corrected, finite_nonzero, quotient), exponent);
}

// The logistic family's entry points: v * sigmoid(z) with (v, z) = (1, x) for sigmoid, (x, x) for
// silu and (x, beta*x) for swish. beta*x is exact: in double for float lanes (a product of two
// floats), as a double word for double lanes. For double results, v where z < 0 is x clamped to
// the finite range (finite_clamp), so that -inf * e^-|z| gives -0, not NaN.

template <class PacketD>
EIGEN_STRONG_INLINE PacketD sigmoid_for_float(const PacketD& x) {
  return v_times_sigmoid_for_float(set1<PacketD>(1.0), x);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet sigmoid_for_double(const Packet& x) {
  const Packet one = set1<Packet>(1.0);
  return v_times_sigmoid_for_double(one, one, x, ei::pzero(x));
}

template <class PacketD>
EIGEN_STRONG_INLINE PacketD silu_for_float(const PacketD& x) {
  return v_times_sigmoid_for_float(x, x);
}
template <class Packet>
EIGEN_STRONG_INLINE Packet silu_for_double(const Packet& x) {
  return v_times_sigmoid_for_double(x, finite_clamp(x), x, ei::pzero(x));
}

/// beta: the float parameter (widened exactly) for float results, the double one for double.
template <class PacketD>
EIGEN_STRONG_INLINE PacketD swish_for_float(const PacketD& x, double beta) {
  return v_times_sigmoid_for_float(x, mul(set1<PacketD>(beta), x));
}
template <class Packet>
EIGEN_STRONG_INLINE Packet swish_for_double(const Packet& x, double beta) {
  const DoubleWord<Packet> z = two_product(set1<Packet>(beta), x);
  return v_times_sigmoid_for_double(x, finite_clamp(x), z.hi, z.lo);
}

// Derivatives. With t = e^-|z| (never overflows) and sigma(z) sigma(-z) = t / (1 + t)^2:
//   sigmoid'(z)            = t / (1 + t)^2
//   d/dbeta swish          = x^2 t / (1 + t)^2                                 (kTimesSquare)
//   f' of v*sigmoid(z) with v' * ... folded into w (swish: w = z, gelu_tanh: w = x z'):
//     f' = sigmoid(z) (1 + w sigmoid(-z)) = (1 + t (1 + w)) / (1 + t)^2      for z >= 0,
//                                         = t (1 + t + w) / (1 + t)^2         for z <  0.
// None of these subtracts except 1 + t + w, whose zero is the zero of f' itself (silu' at
// x ~ -1.2785): there the absolute error stays at the level of t's own, and docs/accuracy.md
// bounds the absolute error in a small neighbourhood instead. Past |z| = max_arg every result is
// its limit (0, or 1 / -0 for f'), selected outright, so infinities never meet t = 0.
enum class LogisticDerivative { kSigmoid, kTimesSquare, kPlusSigmoid };

struct LogisticDerivativeConstants {
  // Float results: e^-708 is a normal double, and x^2 e^-708 (|x| < 2^128) or w e^-708 are far
  // below the float subnormals.
  static constexpr double kMaxArgForFloat = 708.0;
};

/// Float results, in double on widened lanes: z, and w (kPlusSigmoid) or x (kTimesSquare), all
/// computed from float values. t comes from the double exponential (exp_parts: 4.3e-18), so that
/// near the zero of f' the absolute error is ~1e-17.
template <LogisticDerivative D, class PacketD>
EIGEN_STRONG_INLINE PacketD logistic_derivative_for_float(const PacketD& z, const PacketD& w) {
  const PacketD zero = ei::pzero(z), one = set1<PacketD>(1.0);
  const PacketD max_arg = set1<PacketD>(LogisticDerivativeConstants::kMaxArgForFloat);
  const PacketD abs_z = ei::pabs(z);
  const ExpParts<PacketD> e = exp_parts(negate(ei::pmin(abs_z, max_arg)));
  const PacketD t = mul(e.mantissa, pow2(e.exponent));
  const PacketD one_plus_t = ei::padd(one, t);
  const PacketD den = mul(one_plus_t, one_plus_t);
  PacketD num, far;
  if constexpr (D == LogisticDerivative::kSigmoid) {
    num = t;
    far = zero;
  } else if constexpr (D == LogisticDerivative::kTimesSquare) {
    num = mul(mul(w, w), t);
    far = zero;
  } else {
    const PacketD one_plus_w = ei::padd(one, w);
    num = select_lt(z, zero, mul(t, ei::padd(one_plus_w, t)), madd(t, one_plus_w, one));
    far = select_lt(z, zero, set1<PacketD>(-0.0), one);
  }
  return select_lt(abs_z, max_arg, ei::pdiv(num, den), far);
}

/// Double results, in double-word arithmetic: z = z_hi + z_lo, w a double word (kPlusSigmoid)
/// or x in w.hi (kTimesSquare). The quotient is formed on the mantissa of t and scaled by its
/// power of two last, so results down to the subnormals keep their relative accuracy.
template <LogisticDerivative D, class Packet>
EIGEN_STRONG_INLINE Packet logistic_derivative_for_double(const Packet& z_hi, const Packet& z_lo,
                                                          const DoubleWord<Packet>& w) {
  const Packet zero = ei::pzero(z_hi), one = set1<Packet>(1.0);
  const Packet max_arg = set1<Packet>(LogisticConstants::kMaxArg);
  const Packet abs_hi = ei::pabs(z_hi);
  const Packet in_range = ei::pcmp_lt(abs_hi, max_arg);
  const Packet abs_lo = ei::pand(in_range, select_lt(z_hi, zero, negate(z_lo), z_lo));
  const ExpPartsDW<Packet> e = exp_parts_dw(negate(ei::pmin(abs_hi, max_arg)), negate(abs_lo));
  const DoubleWord<Packet>& m = e.mantissa;
  DoubleWord<Packet> t{scale_by_pow2(m.hi, e.exponent), scale_by_pow2(m.lo, e.exponent)};
  keep_rounded(t.hi);
  keep_rounded(t.lo);
  DoubleWord<Packet> one_plus_t = fast_two_sum(one, t.hi);
  one_plus_t.lo = ei::padd(one_plus_t.lo, t.lo);
  const DoubleWord<Packet> den = dw_mul(one_plus_t, one_plus_t);
  DoubleWord<Packet> num;
  Packet exponent = e.exponent, far = zero;
  if constexpr (D == LogisticDerivative::kSigmoid) {
    num = m;
  } else if constexpr (D == LogisticDerivative::kTimesSquare) {
    num = dw_mul(m, two_product(w.hi, w.hi));
  } else {
    DoubleWord<Packet> one_plus_w = two_sum(one, w.hi);
    one_plus_w.lo = ei::padd(one_plus_w.lo, w.lo);
    const DoubleWord<Packet> negative = dw_mul(m, dw_add(one_plus_w, t));
    const DoubleWord<Packet> positive = dw_add({one, zero}, dw_mul(t, one_plus_w));
    const Packet is_negative = ei::pcmp_lt(z_hi, zero);
    num = {ei::pselect(is_negative, negative.hi, positive.hi),
           ei::pselect(is_negative, negative.lo, positive.lo)};
    exponent = ei::pselect(is_negative, exponent, zero);
    far = select_lt(z_hi, zero, set1<Packet>(-0.0), one);
  }
  const DoubleWord<Packet> q = dw_div(num, den);
  return ei::pselect(in_range, scale_by_pow2(ei::padd(q.hi, q.lo), exponent), far);
}

/// The fast tier's sigmoid' (kSigmoid) and swish' (kPlusSigmoid, w = z) for float lanes, in
/// float: with e^-|z| = m * 2^k (m a double word, exp_parts_dw) and t = m * 2^k,
///   sigmoid'       = (m / (1 + t)^2) * 2^k,
///   f', z >= 0     = (1 + t (1 + w)) / (1 + t)^2,
///   f', z <  0     = (m ((1 + w) + t) / (1 + t)^2) * 2^k,
/// the power of two applied last (Pow2Scale: one rounding of a subnormal result). Near the zero
/// of f' (w ~ -1 - t), 1 + w and (1 + w) + t_hi are exact (Sterbenz) and the low words of t and
/// z (swish's beta*x) are added after, so the absolute error there is a few units of 2^-24 times
/// t, not an ULP of t. Errors elsewhere, in ULP: m < 1, (1 + t)^2 1.5, numerator 1, division 0.5.
/// kLowWord: z_lo may be nonzero (swish's beta*x); sigmoid and silu pass z alone.
template <LogisticDerivative D, bool kLowWord, class Packet>
EIGEN_STRONG_INLINE Packet fast_logistic_derivative(const Packet& z_hi, const Packet& z_lo) {
  static_assert(D != LogisticDerivative::kTimesSquare, "d/dbeta: the precise kernel");
  using Scalar = scalar_of<Packet>;
  const Packet zero = ei::pzero(z_hi), one = set1<Packet>(Scalar(1));
  const Packet max_arg = set1<Packet>(FastLogisticConstants<Scalar>::kMaxArg);
  const Packet in_range = ei::pcmp_lt(ei::pabs(z_hi), max_arg);
  const Packet is_negative = ei::pcmp_lt(z_hi, zero);
  const Packet arg_lo = ei::pand(in_range, ei::pselect(is_negative, z_lo, negate(z_lo)));
  const ExpPartsDW<Packet> e = exp_parts_dw(minus_abs_clamped(z_hi), arg_lo);
  const Pow2Scale<Packet> scale(e.exponent);
  const Packet t = scale.small_term(e.mantissa.hi);
  const Packet one_plus_t = ei::padd(one, t);
  const Packet den = mul(one_plus_t, one_plus_t);
  if constexpr (D == LogisticDerivative::kSigmoid) {
    const Packet q = ei::pdiv(e.mantissa.hi, den);
    return ei::pselect(in_range, scale.apply(q, in_range), zero);
  } else {
    const Packet one_plus_w = ei::padd(one, z_hi);
    const Packet t_lo = scale.refinement_term(e.mantissa.lo);
    const Packet low = kLowWord ? ei::padd(t_lo, z_lo) : t_lo;
    const Packet sum = ei::padd(ei::padd(one_plus_w, t), low);
    const Packet negative = mul(e.mantissa.hi, sum);
    const Packet positive = madd(t, one_plus_w, one);
    const Packet q = ei::pdiv(ei::pselect(is_negative, negative, positive), den);
    const Packet scaled = scale.apply(q, ei::pand(in_range, is_negative));
    const Packet far = ei::pselect(is_negative, set1<Packet>(Scalar(-0.0)), one);
    return ei::pselect(in_range, ei::pselect(is_negative, scaled, q), far);
  }
}

/// The derivatives of the logistic family. The precise tier (and the fast one on double lanes,
/// and for d/dbeta, where it is the faster way to the fast bound) computes float lanes in double
/// (z = beta*x exact there) and double lanes in double words; the fast tier's float lanes use
/// fast_logistic_derivative.
template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet sigmoid_derivative(const Packet& x) {
  if constexpr (T == Tier::fast && std::is_same_v<scalar_of<Packet>, float>) {
    return fast_logistic_derivative<LogisticDerivative::kSigmoid, false>(x, ei::pzero(x));
  } else {
    return float_in_double_else(
        x,
        [](const auto& v) {
          return logistic_derivative_for_float<LogisticDerivative::kSigmoid>(v, v);
        },
        [](const auto& v) {
          const auto zero = ei::pzero(v);
          return logistic_derivative_for_double<LogisticDerivative::kSigmoid>(v, zero, {v, zero});
        });
  }
}

/// swish'(x) (beta = 1: silu') for kPlusSigmoid, d swish / d beta for kTimesSquare.
template <Tier T, LogisticDerivative D, class Packet>
EIGEN_STRONG_INLINE Packet swish_derivative(const Packet& x, const Parameter& beta) {
  if constexpr (T == Tier::fast && D == LogisticDerivative::kPlusSigmoid &&
                std::is_same_v<scalar_of<Packet>, float>) {
    if (beta.as_float == 1.0f) return fast_logistic_derivative<D, false>(x, ei::pzero(x));  // silu
    const DoubleWord<Packet> z = two_product(set1<Packet>(beta.as_float), x);
    return fast_logistic_derivative<D, true>(z.hi, z.lo);
  } else {
    return float_in_double_else(
        x,
        [&beta](const auto& v) {
          const auto z = mul(set1<std::decay_t<decltype(v)>>(double(beta.as_float)), v);
          return logistic_derivative_for_float<D>(z, D == LogisticDerivative::kTimesSquare ? v : z);
        },
        [&beta](const auto& v) {
          const DoubleWord<std::decay_t<decltype(v)>> z =
              two_product(set1<decltype(z.hi)>(beta.value), v);
          if constexpr (D == LogisticDerivative::kTimesSquare) {
            return logistic_derivative_for_double<D>(z.hi, z.lo, {v, ei::pzero(v)});
          } else {
            return logistic_derivative_for_double<D>(z.hi, z.lo, z);
          }
        });
  }
}

// The entry points of both tiers. The fast tier runs in the lane type (fast/logistic.hpp); its
// z is exact for sigmoid and silu, and beta*x as a double word for swish.

template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet sigmoid(const Packet& x) {
  if constexpr (T == Tier::fast) {
    const Packet one = set1<Packet>(scalar_of<Packet>(1));
    return fast_v_times_sigmoid(one, x, [&one] { return one; });
  } else {
    return float_in_double_else(
        x, [](const auto& wide) { return sigmoid_for_float(wide); },
        [](const auto& v) { return sigmoid_for_double(v); });
  }
}
template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet silu(const Packet& x) {
  if constexpr (T == Tier::fast) {
    return fast_v_times_sigmoid(x, x, [&x] { return tail_stand_in(x); });
  } else {
    return float_in_double_else(
        x, [](const auto& wide) { return silu_for_float(wide); },
        [](const auto& v) { return silu_for_double(v); });
  }
}
template <Tier T, class Packet>
EIGEN_STRONG_INLINE Packet swish(const Packet& x, const Parameter& beta) {
  if constexpr (T == Tier::fast) {
    const DoubleWord<Packet> z = two_product(set1<Packet>(beta.in<scalar_of<Packet>>()), x);
    return fast_v_times_sigmoid(x, z.hi, z.lo, [&x] { return tail_stand_in(x); });
  } else {
    return float_in_double_else(
        x, [&beta](const auto& wide) { return swish_for_float(wide, double(beta.as_float)); },
        [&beta](const auto& v) { return swish_for_double(v, beta.value); });
  }
}

}  // namespace detail
}  // namespace activ
