// Every public function of activ, instantiated the way a consumer calls it, for float and double:
// the element-wise functions and functors on dense objects and tensors, every GLU variant in
// every form (value-first, gate_first, interleaved, two-input, into()) on a 2-D input, and every
// other kind of input (1-D, a product, Map, tensors) for a variant of each kind of spec (no
// parameter, beta, alpha and limit with a value transform). A warning depends on the gate (the
// variant) or on the input's adapter (the form and kind), so this covers activ's code without
// the whole cross product, which would triple the compile time.
// The packaging tests compile it with activ's include directory as a plain -I (so a warning in
// activ's own code is an error under -Werror), under C++17 and C++20, with GCC and Clang, and run
// it: it exits 1 unless a few closed forms hold.
#include <activ/activ.hpp>
#include <activ/tensor.hpp>

#include <cmath>
#include <cstdio>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("WRONG: %s\n", what);
    ++failures;
  }
}

// The element-wise functions, their functors, and the functors' scalar operator().
template <class T>
void elementwise() {
  using ArrayX = Eigen::Array<T, Eigen::Dynamic, 1>;
  using MatrixRow = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const ArrayX x = ArrayX::LinSpaced(9, T(-4), T(4));
  const MatrixRow m = MatrixRow::Constant(2, 3, T(1));
  const T beta = T(1.5);

  ArrayX y = activ::gelu(x) + activ::gelu_tanh(x) + activ::sigmoid(x) + activ::silu(x) +
             activ::swish(x, beta) + activ::swish(x, 1.0) + activ::relu(x);
  MatrixRow r = activ::gelu(m) + activ::gelu_tanh(m.transpose()).transpose() + activ::sigmoid(m) +
                activ::silu(m) + activ::swish(m, 0.5) + activ::relu(m);
  y += x.unaryExpr(activ::Gelu{}) + x.unaryExpr(activ::GeluTanh{}) + x.unaryExpr(activ::Sigmoid{}) +
       x.unaryExpr(activ::Silu{}) + x.unaryExpr(activ::Swish{0.5}) + x.unaryExpr(activ::Relu{}) +
       x.unaryExpr(activ::Identity{});
  const T one(1);
  const T scalars = activ::Gelu{}(one) + activ::GeluTanh{}(one) + activ::Sigmoid{}(one) +
                    activ::Silu{}(one) + activ::Swish{2.0}(one) + activ::Relu{}(one) +
                    activ::Identity{}(one);
  check(std::isfinite(double(y.sum())) && std::isfinite(double(r.sum())) && scalars > T(4),
        "element-wise results are finite");
  check(activ::relu(x)(0) == T(0) && activ::sigmoid(x)(4) == T(0.5), "relu(-4), sigmoid(0)");

  Eigen::Tensor<T, 3> t(2, 3, 4);
  t.setConstant(T(1));
  Eigen::Tensor<T, 3> u = activ::gelu_tanh(t);  // (one assignment each compiles faster)
  u = activ::sigmoid(t);
  u = activ::silu(t);
  u = activ::swish(t, 0.5);
  u = activ::relu(t * t);
  const Eigen::TensorMap<const Eigen::Tensor<T, 3>> view(t.data(), 2, 3, 4);
  u = activ::gelu(view);
  check(u(1, 2, 3) == activ::Gelu{}(one), "tensor gelu");
}

template <class T>
Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> glu_input() {
  Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic> h(3, 8);
  for (Eigen::Index k = 0; k < h.size(); ++k) h(k) = T(-2) + T(0.25) * T(k % 16);
  return h;
}

// Every form of one GLU variant on a 2-D input; params are the variant's own (swiglu's beta,
// swiglu_oai's alpha and limit). Returns the sum of all results, which the caller checks.
template <class T, class Variant, class... Params>
double glu_forms(const Variant& f, const Params&... params) {
  using ArrayXX = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  const ArrayXX h = glu_input<T>();
  ArrayXX out(3, 4);
  double sum = 0;

  out = f(h, params...);
  sum += double(out.sum());
  out = f(h, activ::value_first, params...);
  sum += double(out.sum());
  out = f(h, activ::gate_first, params...);
  sum += double(out.sum());
  out = f(h, activ::interleaved, params...);
  sum += double(out.sum());
  out = f(h.leftCols(4), h.rightCols(4), params...);
  sum += double(out.sum());

  f.into(out, h, params...);
  f.into(out, h, activ::value_first, params...);
  f.into(out, h, activ::gate_first, params...);
  f.into(out, h, activ::interleaved, params...);
  f.into(out, h.leftCols(4), h.rightCols(4), params...);
  sum += double(out.sum());

  const auto functor = f.functor(params...);
  return sum + double(functor(T(1), T(2)));
}

// The other kinds of input of one variant: row-major storage, a product, a Map, 1-D inputs
// (split along the length), tensors.
template <class T, class Variant, class... Params>
double glu_inputs(const Variant& f, const Params&... params) {
  using Eigen::Dynamic;
  using ArrayX = Eigen::Array<T, Dynamic, 1>;
  using MatrixRow = Eigen::Matrix<T, Dynamic, Dynamic, Eigen::RowMajor>;
  using VectorX = Eigen::Matrix<T, Dynamic, 1>;
  using RowVectorX = Eigen::Matrix<T, 1, Dynamic>;
  const MatrixRow hr = glu_input<T>().matrix();
  MatrixRow out_r(3, 4);
  double sum = 0;

  out_r = f(hr, activ::interleaved, params...);
  sum += double(out_r.sum());
  out_r = f(hr * MatrixRow::Identity(8, 8), params...);  // a product: evaluated once
  sum += double(out_r.sum());
  f.into(out_r, hr, activ::gate_first, params...);
  Eigen::Map<MatrixRow> out_map(out_r.data(), 3, 4);
  f.into(out_map, hr, activ::interleaved, params...);
  sum += double(out_r.sum());

  // 1-D inputs: split along the length.
  const ArrayX a = hr.row(0).transpose().array();
  const VectorX v = a.matrix();
  const RowVectorX rv = v.transpose();
  ArrayX a_out = f(a, params...);
  VectorX v_out = f(v, activ::interleaved, params...);
  RowVectorX rv_out = f(rv, activ::gate_first, params...);
  f.into(a_out, a, activ::gate_first, params...);
  f.into(v_out, v.head(4), v.tail(4), params...);
  sum += double(a_out.sum()) + double(v_out.sum()) + double(rv_out.sum());

  check(f.name()[0] == 'a', "the variant's name");

  Eigen::Tensor<T, 3> t(2, 3, 8);
  t.setConstant(T(0.5));
  Eigen::Tensor<T, 3> t_out(2, 3, 4);
  t_out = f(t, params...);
  t_out = f(t, activ::gate_first, params...);
  t_out = f(t, activ::interleaved, params...);
  Eigen::Tensor<T, 3> t_value(2, 3, 4);
  t_value.setConstant(T(2));
  t_out = f(t_value, t_value, params...);
  f.into(t_out, t, activ::value_first, params...);
  const Eigen::Tensor<T, 0> t_sum = t_out.sum();
  return sum + double(t_sum());
}

template <class T>
void glu() {
  const double sums[] = {
      glu_forms<T>(activ::geglu),
      glu_forms<T>(activ::geglu_tanh),
      glu_forms<T>(activ::swiglu),
      glu_forms<T>(activ::swiglu, 0.5),
      glu_forms<T>(activ::reglu),
      glu_forms<T>(activ::glu),
      glu_forms<T>(activ::bilinear),
      glu_forms<T>(activ::swiglu_oai),
      glu_forms<T>(activ::swiglu_oai, 1.0),
      glu_forms<T>(activ::swiglu_oai, 1.0, 5.0),
      glu_forms<T>(activ::make_glu(activ::Sigmoid{}, "activ_consumer::sigmoid_glu")),
      glu_inputs<T>(activ::geglu),
      glu_inputs<T>(activ::swiglu, 0.5),
      glu_inputs<T>(activ::swiglu_oai, 1.0, 5.0),
  };
  for (double s : sums) check(std::isfinite(s), "GLU results are finite");

  // Closed forms: bilinear([3, 2]) = 6, reglu([3, -2]) = 0, glu([2, 0]) = 2 * 1/2.
  Eigen::Array<T, 1, 2> h;
  h << T(3), T(2);
  check(activ::bilinear(h)(0) == T(6), "bilinear([3, 2]) = 6");
  h << T(3), T(-2);
  check(activ::reglu(h)(0) == T(0), "reglu([3, -2]) = 0");
  h << T(2), T(0);
  check(activ::glu(h)(0) == T(1), "glu([2, 0]) = 1");

  // The half views, destinations of in-place evaluation.
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> m(2, 6);
  m.setOnes();
  activ::value_half(m) = activ::geglu(m);
  activ::value_half(m, activ::interleaved) = activ::swiglu(m, activ::interleaved);
  activ::gate_half(m, activ::gate_first).setZero();
  Eigen::Matrix<T, Eigen::Dynamic, 1> v = Eigen::Matrix<T, Eigen::Dynamic, 1>::Ones(6);
  activ::value_half(v, activ::interleaved) = activ::reglu(v, activ::interleaved);
  activ::value_half(v, activ::gate_first) = activ::reglu(v, activ::gate_first);
  check(m(0, 0) == T(0), "gate_half(m, gate_first) is the first half");
}

}  // namespace

int main() {
  elementwise<float>();
  elementwise<double>();
  glu<float>();
  glu<double>();
  std::printf("activ %s: every public function instantiated for float and double: %s\n",
              ACTIV_VERSION, failures == 0 ? "ok" : "WRONG");
  return failures == 0 ? 0 : 1;
}
