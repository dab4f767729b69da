// 16-bit lane types (docs/design.md §4, "16-bit types"): Eigen::bfloat16 and Eigen::half in every
// element-wise function and GLU variant, both tiers.
//  - Exhaustive: each of the 65 536 inputs of each type gives the exact function correctly rounded
//    to the type (support/reference.hpp: libm in double, MPFR near the type's midpoints), NaN bit
//    for bit, through the packet path and the scalar path alike, for every function and tier.
//  - The packet path is taken wherever Eigen vectorizes the type, with a native conversion where
//    activ has one (a 16-bit expression never runs one element at a time there).
//  - GLU: value·Gate(gate) formed in float and rounded once to 16 bits, correctly, over a sample of
//    values times every gate; a test finds pairs where rounding the gate to 16 bits first would
//    give another result, and checks activ does not.
#include <activ/activ.hpp>
#include <activ/glu.hpp>
#include <activ/tensor.hpp>

#include "support/function_lists.hpp"
#include "support/glu_cases.hpp"
#include "support/glu_reference.hpp"
#include "support/isa_guard.hpp"
#include "support/storage16.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

namespace activ_test {
namespace {

using Eigen::Dynamic;
using Eigen::Index;

// The references of one function at every input of T, computed once per function and type (both
// tiers share them).
template <class Fn, class T>
const std::vector<T>& references() {
  static const std::vector<T> r = [] {
    std::vector<T> out(65536);
    for (std::uint32_t b = 0; b < 65536; ++b) {
      const T x = from_bits16<T>(b);
      out[b] = Eigen::numext::isnan(x) ? x : precise_of_t<Fn>::template reference<T>(x);
    }
    return out;
  }();
  return r;
}

template <class Fn, class T>
void expect_correctly_rounded_everywhere() {
  const auto x = all_values16<T>();
  const Eigen::Array<T, Dynamic, 1> packet = Fn::apply(x);  // Eigen's packet path (and tail)
  const auto f = Fn::functor();
  const std::vector<T>& want = references<Fn, T>();
  int wrong = 0, path = 0;
  for (std::uint32_t b = 0; b < 65536; ++b) {
    const T scalar = f(x[b]);
    if (bits16(scalar) != bits16(packet[b]) && ++path <= 5) {
      ADD_FAILURE() << Fn::name() << "<" << type_name16<T>() << ">(" << show16(x[b])
                    << "): packet path " << show16(packet[b]) << ", scalar path " << show16(scalar);
    }
    // Bit for bit: NaN with its payload, zeros with their sign.
    if (bits16(packet[b]) != bits16(want[b]) && ++wrong <= 10) {
      ADD_FAILURE() << Fn::name() << "<" << type_name16<T>() << ">(" << show16(x[b])
                    << ") = " << show16(packet[b]) << ", correctly rounded " << show16(want[b]);
    }
  }
  EXPECT_EQ(wrong, 0) << Fn::name() << "<" << type_name16<T>() << ">: inputs not correctly rounded";
  EXPECT_EQ(path, 0) << Fn::name() << "<" << type_name16<T>()
                     << ">: packet and scalar paths differ";
}

template <class Fn>
class Storage16 : public ::testing::Test {};
TYPED_TEST_SUITE(Storage16, GTestTypes<AllFunctionList>::Each, FunctionName);

TYPED_TEST(Storage16, BFloat16CorrectlyRoundedForAllInputs) {
  expect_correctly_rounded_everywhere<TypeParam, Eigen::bfloat16>();
}
TYPED_TEST(Storage16, HalfCorrectlyRoundedForAllInputs) {
  expect_correctly_rounded_everywhere<TypeParam, Eigen::half>();
}

// The special values of docs/design.md §3 in 16 bits, by hand, and the largest finite inputs.
TEST(Storage16, SpecialValues) {
  using BF = Eigen::bfloat16;
  using H = Eigen::half;
  const auto inf = std::numeric_limits<float>::infinity();
  Eigen::Array<BF, 6, 1> b;
  b << BF(inf), BF(-inf), BF(0.0f), BF(-0.0f), BF(0.5f), Eigen::NumTraits<BF>::highest();
  const Eigen::Array<BF, 6, 1> gb = activ::gelu(b), sb = activ::sigmoid(b);
  EXPECT_EQ(bits16(gb[0]), bits16(BF(inf)));
  EXPECT_EQ(bits16(gb[1]), bits16(BF(-0.0f)));
  EXPECT_EQ(bits16(gb[2]), bits16(BF(0.0f)));
  EXPECT_EQ(bits16(gb[3]), bits16(BF(-0.0f)));
  EXPECT_EQ(bits16(gb[5]), bits16(Eigen::NumTraits<BF>::highest()));  // gelu(x) = x up there
  EXPECT_EQ(bits16(sb[0]), bits16(BF(1.0f)));
  EXPECT_EQ(bits16(sb[1]), bits16(BF(0.0f)));
  EXPECT_EQ(bits16(sb[2]), bits16(BF(0.5f)));
  Eigen::Array<H, 4, 1> h;
  h << H(inf), H(-inf), H(-0.0f), Eigen::NumTraits<H>::highest();
  const Eigen::Array<H, 4, 1> sh = activ::silu(h);
  EXPECT_EQ(bits16(sh[0]), bits16(H(inf)));
  EXPECT_EQ(bits16(sh[1]), bits16(H(-0.0f)));
  EXPECT_EQ(bits16(sh[2]), bits16(H(-0.0f)));
  EXPECT_EQ(bits16(sh[3]), bits16(Eigen::NumTraits<H>::highest()));  // 65504·σ(65504)
  // A NaN payload comes back bit for bit (quiet, payload 0x15; the sign kept).
  Eigen::Array<BF, 2, 1> n;
  n << from_bits16<BF>(0x7FD5), from_bits16<BF>(0xFFC1);
  const Eigen::Array<BF, 2, 1> gn = activ::fast::gelu(n);
  EXPECT_EQ(bits16(gn[0]), 0x7FD5);
  EXPECT_EQ(bits16(gn[1]), 0xFFC1);
}

// Subnormal bfloat16 inputs with an odd last bit put x/2 on a midpoint, and double rounds g(x)
// to exactly 1/2 there, so the quadratic term decides: gelu(x) = x/2 + x²/√(2π) + ..., silu(x) =
// x/2 + x²/4 + .... For x = 5·2^-133 (5 subnormal ULPs), x/2 = 2.5 ULPs: rounding it to even gives
// 2, the exact value is a hair above, so 3; for -x, a hair below -2.5 in magnitude, so -2.
TEST(Storage16, SubnormalTiesFollowTheQuadraticTerm) {
  using BF = Eigen::bfloat16;
  Eigen::Array<BF, 2, 1> x;
  x << from_bits16<BF>(5), from_bits16<BF>(0x8005);  // ±5·2^-133
  const Eigen::Array<BF, 2, 1> g = activ::gelu(x), s = activ::silu(x);
  EXPECT_EQ(bits16(g[0]), 3);       // above the midpoint 2.5: up
  EXPECT_EQ(bits16(g[1]), 0x8002);  // -x/2 + x²·c: toward zero
  EXPECT_EQ(bits16(s[0]), 3);
  EXPECT_EQ(bits16(s[1]), 0x8002);
}

// Every kind of input a float user has: a Block, a strided Map, a row-major Matrix, a Tensor; and
// every GLU form (the three layouts, two inputs, into()). Each element equals the functor's
// scalar result for it.
TEST(Storage16, EveryKindAndForm) {
  using BF = Eigen::bfloat16;
  using M = Eigen::Matrix<BF, Dynamic, Dynamic>;
  using RowM = Eigen::Matrix<BF, Dynamic, Dynamic, Eigen::RowMajor>;
  M m(7, 9);
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < m.rows(); ++i) m(i, j) = BF(0.37f * float(i) - 0.61f * float(j) + 0.3f);
  const activ::Gelu gelu;
  const auto expect_each = [&](const auto& in, const auto& out, const char* what) {
    ASSERT_EQ(in.rows(), out.rows());
    ASSERT_EQ(in.cols(), out.cols());
    for (Index i = 0; i < in.rows(); ++i)
      for (Index j = 0; j < in.cols(); ++j)
        EXPECT_EQ(bits16(out(i, j)), bits16(gelu(BF(in(i, j)))))
            << what << " (" << i << ", " << j << ")";
  };
  const M block = activ::gelu(m.block(1, 2, 5, 6));
  expect_each(m.block(1, 2, 5, 6), block, "Block");
  const Eigen::Map<const M, Eigen::Unaligned, Eigen::Stride<Dynamic, Dynamic>> strided(
      m.data(), 3, 4, Eigen::Stride<Dynamic, Dynamic>(14, 2));
  const M from_map = activ::gelu(strided);
  expect_each(strided, from_map, "strided Map");
  const RowM row_major = m;
  const RowM from_rows = activ::gelu(row_major);
  expect_each(row_major, from_rows, "row-major");
  Eigen::Tensor<BF, 2> t(3, 5);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 5; ++j) t(i, j) = m(i, j);
  const Eigen::Tensor<BF, 2> tg = activ::gelu(t);
  for (Index i = 0; i < 3; ++i)
    for (Index j = 0; j < 5; ++j) EXPECT_EQ(bits16(tg(i, j)), bits16(gelu(t(i, j)))) << "Tensor";

  // GLU: h of 7 x 8, d = 4, against GLU<Gelu>'s scalar operator() on the pairs of each layout.
  const M h = m.leftCols(8);
  const activ::GLU<activ::Gelu> glu;
  const auto expect_glu = [&](const M& out, auto value_col, auto gate_col, const char* what) {
    ASSERT_EQ(out.cols(), 4);
    for (Index i = 0; i < h.rows(); ++i)
      for (Index j = 0; j < 4; ++j)
        EXPECT_EQ(bits16(out(i, j)), bits16(glu(h(i, value_col(j)), h(i, gate_col(j))))) << what;
  };
  expect_glu(
      activ::geglu(h), [](Index j) { return j; }, [](Index j) { return j + 4; }, "value_first");
  expect_glu(
      activ::geglu(h, activ::gate_first), [](Index j) { return j + 4; }, [](Index j) { return j; },
      "gate_first");
  expect_glu(
      activ::geglu(h, activ::interleaved), [](Index j) { return 2 * j + 1; },
      [](Index j) { return 2 * j; }, "interleaved");
  expect_glu(
      activ::geglu(h.leftCols(4), h.rightCols(4)), [](Index j) { return j; },
      [](Index j) { return j + 4; }, "two inputs");
  M into(7, 4);
  activ::geglu.into(into, h);
  expect_glu(
      into, [](Index j) { return j; }, [](Index j) { return j + 4; }, "into");
}

// docs/design.md §7: the packet path where Eigen vectorizes the type, converting natively (one
// float packet per 16-bit packet) wherever activ has the conversion, so a 16-bit expression never
// runs one element at a time there.
template <class T>
void expect_packet_path() {
  using Expr = decltype(activ::gelu(std::declval<Eigen::Array<T, Dynamic, 1>&>()));
  constexpr bool kVectorized = Eigen::internal::packet_traits<T>::Vectorizable;
  constexpr bool kPacketAccess =
      (Eigen::internal::evaluator<Expr>::Flags & Eigen::PacketAccessBit) != 0;
  EXPECT_EQ(kPacketAccess, kVectorized) << type_name16<T>();
  using Packet = typename Eigen::internal::packet_traits<T>::type;
  const bool native = activ::detail::widening16<Packet>::kind == activ::detail::Widening::kWhole;
#if !defined(ACTIV_GENERIC_PACKET_PATH) && \
    (defined(EIGEN_VECTORIZE_AVX) || (defined(EIGEN_VECTORIZE_NEON) && defined(__aarch64__)))
  const bool expect_native = kVectorized;
#else
  const bool expect_native = false;
#endif
  EXPECT_EQ(native, expect_native) << type_name16<T>();
  std::printf("[ info ] %s: %s\n", type_name16<T>(),
              !kVectorized ? "Eigen does not vectorize it here (scalar path)"
              : native     ? "packet path, native conversion to float"
                           : "packet path, each lane through the scalar path");
}
TEST(Storage16, PacketPathWhereEigenVectorizes) {
  expect_packet_path<Eigen::bfloat16>();
  expect_packet_path<Eigen::half>();
}

// ---------------------------------------------------------------------------------------------
// GLU

// The reference of value·Gate(gate) rounded once to T, the value transform of swiglu_oai applied
// in float first (as activ defines it for 16-bit types): libm in double, MPFR near a midpoint.
template <class T>
T glu_reference16(const GluVariant& var, double beta, double limit, T value_in, T gate_in) {
  double v = double(static_cast<float>(value_in)), g = double(static_cast<float>(gate_in));
  if (var.oai) {
    oai_clamp(v, g, limit);
    v = double(static_cast<float>(v) + 1.0f);  // clamp(v) + 1 in float, as the float kernel
  }
  if (!std::isfinite(v) || !std::isfinite(g)) {
    return T(static_cast<float>(v) * static_cast<float>(gate_limit(var.gate, g)));
  }
  const double product = v * gate_double(var.gate, g, beta);
  return round_to_16<T>(product,
                        [&] { return mpfr_gate_product_rounded<T>(var.gate, v, g, 0.0, beta); });
}

// Values times every gate, through the two-input form (the packet path) and the scalar functor.
template <class T>
void expect_glu_correctly_rounded(bool& found_gate_rounding_difference) {
  const auto gates = all_values16<T>();
  const float kValues[] = {1.0f, -3.0f, 0.7f, 1000.0f, 3e-5f, -1.5e4f};
  const double beta = double(float(kSwiGluBeta)), alpha = double(1.702f), limit = 7.0;
  for_each_glu_variant([&](const GluVariant& var, const auto& variant, auto... params) {
    for (const float vf : kValues) {
      const T value(vf);
      const Eigen::Array<T, Dynamic, 1> values =
          Eigen::Array<T, Dynamic, 1>::Constant(65536, value);
      const Eigen::Array<T, Dynamic, 1> out = variant(values, gates, params...);
      const auto f = variant.functor(params...);
      int wrong = 0;
      for (Index i = 0; i < 65536; ++i) {
        const T g = gates[i];
        const T want = glu_reference16<T>(var, var.oai ? alpha : beta, limit, value, g);
        const T got = out[i];
        EXPECT_EQ(bits16(f(value, g)), bits16(got)) << var.name << ": packet and scalar paths";
        const bool both_nan = Eigen::numext::isnan(got) && Eigen::numext::isnan(want);
        if (!both_nan && bits16(got) != bits16(want) && ++wrong <= 5) {
          ADD_FAILURE() << var.name << "<" << type_name16<T>() << ">(value " << show16(value)
                        << ", gate " << show16(g) << ") = " << show16(got) << ", correctly rounded "
                        << show16(want);
        }
        // Rounding Gate(gate) to T before the product would give another result here.
        if (!var.exact && !var.oai && std::isfinite(double(static_cast<float>(g)))) {
          const float gate16 = static_cast<float>(
              T(static_cast<float>(gate_double(var.gate, double(static_cast<float>(g)), beta))));
          if (bits16(T(vf * gate16)) != bits16(want)) found_gate_rounding_difference = true;
        }
      }
      EXPECT_EQ(wrong, 0) << var.name << "<" << type_name16<T>() << "> with value " << vf;
    }
  });
}

TEST(Storage16, GluBFloat16ProductRoundedOnce) {
  bool found = false;
  expect_glu_correctly_rounded<Eigen::bfloat16>(found);
  EXPECT_TRUE(found) << "no pair tells rounding once from rounding the gate first";
}
TEST(Storage16, GluHalfProductRoundedOnce) {
  bool found = false;
  expect_glu_correctly_rounded<Eigen::half>(found);
  EXPECT_TRUE(found) << "no pair tells rounding once from rounding the gate first";
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
