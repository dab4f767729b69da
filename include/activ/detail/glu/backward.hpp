// glu_backward_variant<Spec>: the backward pass of every named GLU (activ::geglu_backward, ...),
// built from the same Spec as the forward variant (spec.hpp), so that the two cannot disagree on
// a gate, a parameter or a default layout.
//
// For out = V(v)·Gate(g) (V the value transform: the identity, or swiglu_oai's clamp + 1):
//   dvalue = dy·Gate(g)·V'(v)        dgate = (dy·V(v))·Gate'(g)
// Gate' is derivative_of(gate), found by argument-dependent lookup beside the gate (each
// activation's header defines it for its functor; a user-defined gate defines its own). A gate or
// value transform with a clamp masks the gradient where the clamp is active (gradient_mask), as
// PyTorch's clamp backward does: a select, so a masked result is +0 whatever dy is.
//
// The forms:
//   f(dy, h[, layout], params...)        the gradient with respect to h: h's plain type, evaluated
//   f.into(dh, dy, h[, layout], params...)  the same into existing storage, its shape checked
//   f(dy, value, gate, params...)        std::pair of lazy expressions {dvalue, dgate}
// 16-bit lanes compute in float (the three inputs widened exactly) and round each result once,
// correctly (detail/math/product16.hpp).
#pragma once

#include <Eigen/Core>

#include <functional>
#include <string>
#include <type_traits>
#include <utility>

#include "activ/detail/glu/check.hpp"
#include "activ/detail/glu/dense.hpp"
#include "activ/detail/glu/layout.hpp"
#include "activ/detail/glu/owned.hpp"
#include "activ/detail/glu/variant.hpp"
#include "activ/detail/glu/views.hpp"
#include "activ/detail/math/product16.hpp"
#include "activ/detail/math/scalar_path.hpp"
#include "activ/detail/math/table16.hpp"
#include "activ/detail/scalar_types.hpp"
#include "activ/detail/unary_functor.hpp"

namespace activ {
namespace detail {

/// Whether F masks the gradient that flows through it (a clamp): F::gradient_mask(x), all ones
/// where the gradient passes.
template <class F, class = void>
struct has_gradient_mask : std::false_type {};
template <class F>
struct has_gradient_mask<
    F, std::void_t<decltype(std::declval<const F&>().gradient_mask(std::declval<const float&>()))>>
    : std::true_type {};

/// Whether lane x of a float packet passes F's gradient mask (the 16-bit lanes' double path).
template <class F>
bool passes_gradient_mask(const F& f, double x) {
  using PacketF = narrowest_packet_of<float>;
  return lane_set(ei::pfirst(f.gradient_mask(ei::pset1<PacketF>(static_cast<float>(x)))));
}

/// product where F's gradient mask passes x, +0 elsewhere (a select); product itself for an F
/// without a clamp.
template <class F, class Packet>
EIGEN_STRONG_INLINE Packet masked_gradient(const F& f, const Packet& x, const Packet& product) {
  if constexpr (has_gradient_mask<F>::value) {
    return ei::pand(f.gradient_mask(x), product);
  } else {
    return product;
  }
}

/// A kernel of three float or double packets (dy, v, g) as an Eigen ternary functor: the packet
/// path runs it on the lanes, the scalar path on one broadcast lane (bit-identical). 16-bit lanes
/// take the kernel's float_kernel16() and exact16() through apply16: the product formed in float,
/// rounded once, correctly (detail/math/product16.hpp).
template <class Kernel>
struct glu_gradient_op {
  Kernel kernel;

  template <class Scalar>
  EIGEN_STRONG_INLINE Scalar operator()(const Scalar& dy, const Scalar& v, const Scalar& g) const {
    if constexpr (is_storage16_v<Scalar>) {
      return apply16_scalar<Kernel::kMaxUlp16>(kernel.template float_kernel16<Scalar>(),
                                               kernel.exact16(), dy, v, g);
    } else {
      using Packet = narrowest_packet_of<Scalar>;
      return ei::pfirst(kernel(ei::pset1<Packet>(dy), ei::pset1<Packet>(v), ei::pset1<Packet>(g)));
    }
  }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(const Packet& dy, const Packet& v, const Packet& g) const {
    if constexpr (is_storage16_v<scalar_of<Packet>>) {
      return apply16<Kernel::kMaxUlp16>(kernel.template float_kernel16<scalar_of<Packet>>(),
                                        kernel.exact16(), dy, v, g);
    } else {
      return kernel(dy, v, g);
    }
  }
};

/// dvalue = dy·Gate(g)·V'(v): the forward product with dy in the value's place (the same bits as
/// the forward GLU of (dy, g), 16-bit lanes included), masked where V clamps v.
template <class Gate, class ValueOp>
struct glu_value_gradient {
  static constexpr int kCost = int(ei::functor_traits<Gate>::Cost) + 2;
  // As GLU<Gate>'s: the gate's bound, one rounding of the product, one of the value.
  static constexpr int kMaxUlp16 = factor_max_ulp16<Gate>() + 2;
  Gate gate;
  ValueOp value_op;
  template <class Packet>
  EIGEN_STRONG_INLINE Packet operator()(const Packet& dy, const Packet& v, const Packet& g) const {
    return masked_gradient(value_op, v, mul(dy, gate.packetOp(g)));
  }
  template <class S16>
  auto float_kernel16() const {
    return [this](const auto& dy, const auto& v, const auto& g) {
      auto r = product16<Gate>(dy, factor16<S16>(gate, g), ei::pzero(dy));
      r.value = masked_gradient(value_op, v, r.value);
      return r;
    };
  }
  auto exact16() const {
    return [this](double dy, double v, double g) {
      if constexpr (has_gradient_mask<ValueOp>::value) {
        if (!passes_gradient_mask(value_op, v)) return DoubleWord16{0.0, 0.0};
      }
      return product16_exact(gate, dy, g);
    };
  }
};

/// dgate = (dy·V(v))·Gate'(g), masked where Gate clamps g. 16-bit lanes: dy·V(v) in float (exact
/// for the identity V unless it leaves float's normal range, which sends the lane to the double
/// path; swiglu_oai's V(v) = clamp(v) + 1 may round it once more), times the precise Gate'.
template <class Gate, class ValueOp, class GateDerivative>
struct glu_gate_gradient {
  static constexpr int kCost =
      int(ei::functor_traits<GateDerivative>::Cost) + int(ei::functor_traits<ValueOp>::Cost) + 3;
  static constexpr int kMaxUlp16 =
      factor_max_ulp16<GateDerivative>() + 2 + (is_exact_functor<ValueOp>::value ? 0 : 1);
  Gate gate;
  ValueOp value_op;
  GateDerivative gate_derivative;
  template <class Packet>
  EIGEN_STRONG_INLINE Packet operator()(const Packet& dy, const Packet& v, const Packet& g) const {
    return masked_gradient(gate, g,
                           mul(mul(dy, value_op.packetOp(v)), gate_derivative.packetOp(g)));
  }
  template <class S16>
  auto float_kernel16() const {
    return [this](const auto& dy, const auto& v, const auto& g) {
      const auto value = value_op.packetOp(v);
      const auto scale = mul(dy, value);
      auto r = product16<GateDerivative>(scale, factor16<S16>(gate_derivative, g),
                                         product_inexact16(dy, value, scale));
      r.value = masked_gradient(gate, g, r.value);
      return r;
    };
  }
  auto exact16() const {
    return [this](double dy, double v, double g) {
      if constexpr (has_gradient_mask<Gate>::value) {
        if (!passes_gradient_mask(gate, g)) return DoubleWord16{0.0, 0.0};
      }
      // dy·V(v), V(v) as float computes it: exact in double (at most 11 + 24 bits).
      const double scale = dy * static_cast<double>(value_op(static_cast<float>(v)));
      return product16_exact(gate_derivative, scale, g);
    };
  }
};

template <class F, class = void>
struct has_derivative : std::false_type {};
template <class F>
struct has_derivative<F, std::void_t<decltype(derivative_of(std::declval<const F&>()))>>
    : std::true_type {};

/// The two ternary functors of a GLU functor (GLU<Gate, ValueOp>, activ/glu.hpp).
template <class Glu>
auto glu_gradient_ops(const Glu& f) {
  using Gate = decltype(f.gate);
  using ValueOp = decltype(f.value_op);
  static_assert(has_derivative<Gate>::value,
                "activ GLU backward: the gate has no derivative; define "
                "derivative_of(const YourGate&) beside it, returning its derivative functor");
  using GateDerivative = decltype(derivative_of(f.gate));
  return std::make_pair(glu_gradient_op<glu_value_gradient<Gate, ValueOp>>{{f.gate, f.value_op}},
                        glu_gradient_op<glu_gate_gradient<Gate, ValueOp, GateDerivative>>{
                            {f.gate, f.value_op, derivative_of(f.gate)}});
}

/// dy ⊗ v ⊗ g through a ternary functor (shapes checked by the caller).
template <class Op, class DY, class V, class G>
auto glu_ternary(const Op& op, const DY& dy, const V& v, const G& g) {
  return Eigen::CwiseTernaryOp<Op, const DY, const V, const G>(dy, v, g, op);
}

/// The first address and one past the last element a direct-access object spans.
template <class X>
std::pair<const void*, const void*> storage_span(const X& x) {
  using Scalar = typename X::Scalar;
  const Scalar* first = x.data();
  if (x.size() == 0) return {first, first};
  const Eigen::Index rows = X::IsRowMajor ? x.outerStride() : x.innerStride();
  const Eigen::Index cols = X::IsRowMajor ? x.innerStride() : x.outerStride();
  return {first, first + (x.rows() - 1) * rows + (x.cols() - 1) * cols + 1};
}

/// Whether two objects may share memory (false when either has no storage of its own).
template <class A, class B>
bool may_overlap(const A& a, const B& b) {
  if constexpr ((int(A::Flags) & Eigen::DirectAccessBit) &&
                (int(B::Flags) & Eigen::DirectAccessBit) &&
                std::is_same_v<typename A::Scalar, typename B::Scalar>) {
    const auto sa = storage_span(a);
    const auto sb = storage_span(b);
    return sa.first != sa.second && sb.first != sb.second &&
           std::less<const void*>()(sa.first, sb.second) &&
           std::less<const void*>()(sb.first, sa.second);
  } else {
    return false;
  }
}

inline void glu_check_dy(const char* fn, Eigen::Index dy_rows, Eigen::Index dy_cols,
                         Eigen::Index rows, Eigen::Index cols) {
  if (dy_rows != rows || dy_cols != cols) {
    glu_fail(std::string(fn) + ": dy is " + glu_shape(dy_rows, dy_cols) + " but the output is " +
             glu_shape(rows, cols) + "; dy must have the forward output's shape");
  }
}

/// One half of a dense fused input, read-only: the value (lane 1 when interleaved) or the gate.
template <class H, glu_order Order>
auto glu_read_half(const H& h, Eigen::Index d, glu_order_tag<Order>, glu_half which) {
  using In = glu_input<H>;
  const bool first = (which == glu_half::value) == (Order == glu_order::value_first);
  if constexpr (Order == glu_order::interleaved) {
    return In::every_other_column(h, d, which == glu_half::gate ? 0 : 1);
  } else {
    return h.middleCols(first || h.size() == 0 ? 0 : d, In::half_extent(d));
  }
}

template <class Spec>
struct glu_backward_variant {
  Spec spec;

  /// f(dy, h, params...): the gradient with respect to h, in h's default layout.
  template <class DY, class H, class... Params,
            std::enable_if_t<is_dense_v<DY> && is_dense_v<H> && glu_spec_accepts_v<Spec, Params...>,
                             int> = 0>
  auto operator()(const DY& dy, const H& h, const Params&... params) const {
    return fused(dy, h, glu_order_tag<Spec::default_order>{}, params...);
  }

  /// f(dy, h, layout, params...)
  template <class DY, class H, class Layout, class... Params,
            std::enable_if_t<is_dense_v<DY> && is_dense_v<H> && is_glu_layout_v<Layout> &&
                                 glu_spec_accepts_v<Spec, Params...>,
                             int> = 0>
  auto operator()(const DY& dy, const H& h, Layout, const Params&... params) const {
    return fused(dy, h, glu_order_tag<Layout::order>{}, params...);
  }

  /// f(dy, value, gate, params...): {dvalue, dgate}, lazy, each of value's shape.
  template <class DY, class V, class G, class... Params,
            std::enable_if_t<is_dense_v<DY> && is_dense_v<V> && is_dense_v<G> &&
                                 glu_spec_accepts_v<Spec, Params...>,
                             int> = 0>
  auto operator()(const DY& dy, const V& value, const G& gate, const Params&... params) const {
    static_assert(std::is_same_v<typename DY::Scalar, typename V::Scalar> &&
                      std::is_same_v<typename V::Scalar, typename G::Scalar>,
                  "activ GLU backward: dy, value and gate must have the same scalar type");
    if constexpr (check_scalar<std::remove_cv_t<typename V::Scalar>>()) {
      if (value.rows() != gate.rows() || value.cols() != gate.cols()) {
        glu_fail_mismatch(spec.name, glu_shape(value.rows(), value.cols()),
                          glu_shape(gate.rows(), gate.cols()));
      }
      glu_check_dy(spec.name, dy.rows(), dy.cols(), value.rows(), value.cols());
      const auto ops = glu_gradient_ops(spec.functor(params...));
      return std::make_pair(glu_ternary(ops.first, dy, value, gate),
                            glu_ternary(ops.second, dy, value, gate));
    } else {
      return std::make_pair(value, gate);
    }
  }

  /// f.into(dh, dy, h[, layout], params...): the gradient with respect to h written into dh,
  /// which must have h's shape (never resized) and must not share memory with dy or h.
  template <
      class DH, class DY, class H, class... Args,
      std::enable_if_t<is_dense_v<std::decay_t<DH>> && is_dense_v<DY> && is_dense_v<H>, int> = 0>
  void into(DH&& dh, const DY& dy, const H& h, const Args&... args) const {
    if constexpr (sizeof...(Args) == 0) {
      write(dh, dy, h, glu_order_tag<Spec::default_order>{}, spec.functor());
    } else {
      into_args(dh, dy, h, args...);
    }
  }

 private:
  template <class DY, class H, class Order, class... Params>
  auto fused(const DY& dy, const H& h, Order order, const Params&... params) const {
    using Plain = typename H::PlainObject;
    Plain dh(h.rows(), h.cols());
    write(dh, dy, h, order, spec.functor(params...));
    return dh;
  }

  // into()'s arguments after h: a layout, then the parameters, or the parameters alone.
  template <class DH, class DY, class H, class First, class... Rest>
  void into_args(DH& dh, const DY& dy, const H& h, const First& first, const Rest&... rest) const {
    if constexpr (is_glu_layout_v<First>) {
      write(dh, dy, h, glu_order_tag<First::order>{}, spec.functor(rest...));
    } else {
      write(dh, dy, h, glu_order_tag<Spec::default_order>{}, spec.functor(first, rest...));
    }
  }

  template <class DH, class DY, class H, class Order, class Glu>
  void write(DH& dh, const DY& dy, const H& h, Order order, const Glu& f) const {
    static_assert(std::is_same_v<typename DY::Scalar, typename H::Scalar> &&
                      std::is_same_v<typename DH::Scalar, typename H::Scalar>,
                  "activ GLU backward: dh, dy and h must have the same scalar type");
    if constexpr (!check_scalar<std::remove_cv_t<typename H::Scalar>>()) {
      return;
    } else if constexpr (glu_has_product_v<H>) {  // evaluated once, not once per half
      const typename H::PlainObject evaluated(h);
      write(dh, dy, evaluated, order, f);
    } else {
      using In = glu_input<H>;
      const Eigen::Index d = In::checked_half(spec.name, h);
      if constexpr (In::kColumnVector) {
        glu_check_dy(spec.name, dy.rows(), dy.cols(), d, 1);
      } else {
        glu_check_dy(spec.name, dy.rows(), dy.cols(), h.rows(), d);
      }
      if (dh.rows() != h.rows() || dh.cols() != h.cols()) {
        glu_fail_destination(spec.name, glu_shape(dh.rows(), dh.cols()),
                             glu_shape(h.rows(), h.cols()));
      }
      if (may_overlap(dh, h) || may_overlap(dh, dy)) {
        glu_fail(std::string(spec.name) +
                 ": dh shares memory with dy or h; the gradient needs storage of its own");
      }
      const auto ops = glu_gradient_ops(f);
      if constexpr (In::kColumnVector) {
        // Split along the length, as the forward pass: through the transposes.
        auto dh_t = dh.transpose();
        write_halves(dh_t, dy.transpose(), h.transpose(), d, order, ops);
      } else {
        write_halves(dh, dy, h, d, order, ops);
      }
    }
  }

  template <class DH, class DY, class H, class Order, class Ops>
  void write_halves(DH& dh, const DY& dy, const H& h, Eigen::Index d, Order order,
                    const Ops& ops) const {
    const auto value = glu_read_half(h, d, order, glu_half::value);
    const auto gate = glu_read_half(h, d, order, glu_half::gate);
    glu_half_view(spec.name, dh, order, glu_half::value) = glu_ternary(ops.first, dy, value, gate);
    glu_half_view(spec.name, dh, order, glu_half::gate) = glu_ternary(ops.second, dy, value, gate);
  }
};

}  // namespace detail
}  // namespace activ

template <class Kernel>
struct Eigen::internal::functor_traits<activ::detail::glu_gradient_op<Kernel>> {
  enum { Cost = Kernel::kCost, PacketAccess = activ::detail::kPacketAccess };
};
