// Every other column of a row-major buffer, as an Eigen nullary expression with packet access.
//
// In a row-major [rows, 2d] buffer the interleaved layout puts gate and value side by side
// (g0 v0 g1 v1 ...), so each half has inner stride 2. A strided Map of it is correct but Eigen
// reads strided Maps one scalar at a time, and then never calls the gate's packetOp either.
// This view gives Eigen a packetOp: lanes j..j+P-1 of the half are read from the 2P source
// elements starting at column 2j (load_every_other: two packet loads and a de-interleave where
// the ISA has a cheap one, a strided gather elsewhere). The reads never go past column 2j+2P-1 <= 2d-1, so
// the packet path touches nothing outside the row. Both halves are this one view (lane 0 =
// even columns, lane 1 = odd columns); the GLU functor that consumes them does not know.
#pragma once

#include "activ/detail/math/packet.hpp"

namespace activ {
namespace detail {

/// Nullary functor: element (i, j) is source(i, 2j + lane) of a row-major source with the given
/// strides. kUnitInner: the source's columns are adjacent (inner stride 1 at compile time).
template <class Scalar, bool kUnitInner>
struct glu_every_other_column {
  const Scalar* data;  // source(0, 0)
  Eigen::Index outer;  // distance between source rows
  Eigen::Index inner;  // distance between source columns
  Eigen::Index lane;   // 0: columns 0, 2, 4, ... 1: columns 1, 3, 5, ...

  EIGEN_STRONG_INLINE Scalar operator()(Eigen::Index i, Eigen::Index j) const {
    return data[i * outer + (2 * j + lane) * inner];
  }

  template <class Packet>
  EIGEN_STRONG_INLINE Packet packetOp(Eigen::Index i, Eigen::Index j) const {
    const Scalar* p = data + i * outer + 2 * j * inner;
    if constexpr (kUnitInner) {
      return load_every_other<Packet>(p, lane);
    } else {
      return ei::pgather<Scalar, Packet>(p + lane * inner, 2 * inner);
    }
  }
};

}  // namespace detail
}  // namespace activ

template <class Scalar, bool kUnitInner>
struct Eigen::internal::functor_traits<activ::detail::glu_every_other_column<Scalar, kUnitInner>> {
  enum { Cost = 2, PacketAccess = true, IsRepeatable = true };
};
