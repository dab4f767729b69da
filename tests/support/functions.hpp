// The functions under test, one small descriptor each, so that every test runs over the same list
// instead of repeating itself per function. A descriptor names the function, gives its functor and
// its free function (the public API of docs/design.md §2), and its independent references:
//   libm<T, R>(x)    the definition evaluated in R (double by default) with libm
//                    (support/reference.hpp, ref::), with β first converted to T where there is one
//   mpfr<T>(x)       the definition in MPFR, rounded once to T
//   reference<T>(x)  the reference of docs/design.md §4 at precision T: for float the libm value rounded
//                    once (round_to_float, which asks MPFR only at rounding ties), for double MPFR.
// Tests that are not linked with MPFR use libm only; that keeps mpfr_* symbols out of them.
#pragma once

#include "support/accuracy.hpp"
#include "support/reference.hpp"

#include <activ/activ.hpp>

#include <string>
#include <type_traits>

namespace activ_test {

// reference<T>, shared by all descriptors.
template <class Fn>
struct WithReference {
  static constexpr bool kFast = false;
  template <class T>
  static T reference(T x) {
    if constexpr (std::is_same_v<T, float>) {
      return round_to_float(Fn::template libm<float>(double(x)),
                            [x] { return Fn::template mpfr<float>(x); });
    } else if constexpr (std::is_same_v<T, double>) {
      return Fn::template mpfr<double>(x);
    } else {  // bfloat16, half: computed in float (float parameters), rounded once to T
      return round_to_16<T>(Fn::template libm<float>(double(x)),
                            [x] { return Fn::template mpfr<T>(double(x)); });
    }
  }
};

struct GeluFn : WithReference<GeluFn> {
  static std::string name() { return "gelu"; }
  static activ::Gelu functor() { return {}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::gelu(x);
  }
  template <class T, class R = double>
  static R libm(R x) {
    return ref::gelu(x);
  }
  template <class T>
  static T mpfr(double x) {
    return mpfr_reference().gelu<T>(x);
  }
};

struct GeluTanhFn : WithReference<GeluTanhFn> {
  static std::string name() { return "gelu_tanh"; }
  static activ::GeluTanh functor() { return {}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::gelu_tanh(x);
  }
  template <class T, class R = double>
  static R libm(R x) {
    return ref::gelu_tanh(x);
  }
  template <class T>
  static T mpfr(double x) {
    return mpfr_reference().gelu_tanh<T>(x);
  }
};

struct SigmoidFn : WithReference<SigmoidFn> {
  static std::string name() { return "sigmoid"; }
  static activ::Sigmoid functor() { return {}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::sigmoid(x);
  }
  template <class T, class R = double>
  static R libm(R x) {
    return ref::sigmoid(x);
  }
  template <class T>
  static T mpfr(double x) {
    return mpfr_reference().sigmoid<T>(x);
  }
};

// x·σ(βx) with β converted to the scalar type first (the contract of activ::Swish): the float
// references use float(β), which for 1.702 is not 1.702.
template <class Derived>
struct SwishReferences : WithReference<Derived> {
  template <class T>
  static double beta_at() {
    using Parameter =
        std::conditional_t<sizeof(T) == 2, float, T>;  // 16-bit types compute in float
    return double(Parameter(Derived::beta()));
  }
  template <class T, class R = double>
  static R libm(R x) {
    return ref::swish(x, R(beta_at<T>()));
  }
  template <class T>
  static T mpfr(double x) {
    return mpfr_reference().swish<T>(x, beta_at<T>());
  }
};

struct SiluFn : SwishReferences<SiluFn> {
  static double beta() { return 1.0; }
  static std::string name() { return "silu"; }
  static activ::Silu functor() { return {}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::silu(x);
  }
};

// β = Milli / 1000; the quotient of two exact integers is the correctly rounded decimal, so
// SwishFn<1702>::beta() == 1.702 exactly. It is a constant expression, evaluated at compile
// time: a division at run time would round in the current mode (test_fp_environment).
template <int Milli>
struct SwishFn : SwishReferences<SwishFn<Milli>> {
  static constexpr double kBeta = Milli / 1000.0;
  static double beta() { return kBeta; }
  static std::string name() {
    std::string s = "swish_" + std::to_string(Milli / 1000) + "p" + std::to_string(Milli % 1000);
    while (s.back() == '0') s.pop_back();
    if (s.back() == 'p') s.pop_back();
    return s;  // swish_0p5, swish_1p702, swish_2
  }
  static activ::Swish functor() { return activ::Swish{beta()}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::swish(x, beta());
  }
};

// max(x, 0) is exact, so its reference is the definition itself, NaN staying NaN (as PyTorch's).
struct ReluFn {
  static constexpr bool kFast = false;
  static std::string name() { return "relu"; }
  static activ::Relu functor() { return {}; }
  template <class X>
  static auto apply(const X& x) {
    return activ::relu(x);
  }
  template <class T, class R = double>
  static R libm(R x) {
    return x > 0 || x != x ? x : R(0);
  }
  template <class T>
  static T reference(T x) {
    return T(libm<T>(double(x)));
  }
};

// The fast tier of a function: the same references, activ::fast's functor, "fast::" before the
// name, and the fast tier's bound (bound_of). apply goes through unaryExpr with that functor,
// which is what the free functions activ::fast::* return (test_fast_tier checks them).
template <class Fn>
struct Fast : Fn {
  static constexpr bool kFast = true;
  static std::string name() { return "fast::" + Fn::name(); }
  static auto functor() { return fast_functor(Fn::functor()); }
  template <class X>
  static auto apply(const X& x) {
    return x.unaryExpr(functor());
  }

 private:
  template <template <activ::Tier> class F>
  static F<activ::Tier::fast> fast_functor(F<activ::Tier::precise>) {
    return {};
  }
  static activ::fast::Swish fast_functor(const activ::Swish& f) {
    return activ::fast::Swish{f.beta.value};
  }
};

// The precise descriptor of Fn (Fn itself, or the one Fast<> wraps).
template <class Fn>
struct precise_of {
  using type = Fn;
};
template <class Fn>
struct precise_of<Fast<Fn>> {
  using type = Fn;
};
template <class Fn>
using precise_of_t = typename precise_of<Fn>::type;

// The bound of docs/design.md §4 for Fn at precision T: the precise tier's (max_ulp<T>), or the
// fast tier's kMaxUlpFast.
template <class Fn, class T>
constexpr std::uint64_t bound_of() {
  return Fn::kFast ? kMaxUlpFast : max_ulp<T>();
}

template <class... Fns>
struct FunctionList {};

// The functions with an accuracy bound (docs/design.md §4; swish at β ∈ {0.5, 1.702, 2}), in both
// tiers.
using AccuracyFunctionList =
    FunctionList<GeluFn, GeluTanhFn, SigmoidFn, SiluFn, SwishFn<500>, SwishFn<1702>, SwishFn<2000>,
                 Fast<GeluFn>, Fast<GeluTanhFn>, Fast<SigmoidFn>, Fast<SiluFn>, Fast<SwishFn<500>>,
                 Fast<SwishFn<1702>>, Fast<SwishFn<2000>>>;

// Every element-wise function of docs/design.md §2, in both tiers (relu is the same in both).
using AllFunctionList =
    FunctionList<GeluFn, GeluTanhFn, SigmoidFn, SiluFn, SwishFn<500>, SwishFn<1702>, SwishFn<2000>,
                 ReluFn, Fast<GeluFn>, Fast<GeluTanhFn>, Fast<SigmoidFn>, Fast<SiluFn>,
                 Fast<SwishFn<500>>, Fast<SwishFn<1702>>, Fast<SwishFn<2000>>>;

// The same with one β per tier, for the suites about where and how an input is evaluated (its
// position in an array, Eigen's packet or scalar path), which β, a run-time value of the same code,
// does not change: each β more would only add compile time.
using PathFunctionList =
    FunctionList<GeluFn, GeluTanhFn, SigmoidFn, SiluFn, SwishFn<1702>, ReluFn, Fast<GeluFn>,
                 Fast<GeluTanhFn>, Fast<SigmoidFn>, Fast<SiluFn>, Fast<SwishFn<1702>>>;

}  // namespace activ_test
