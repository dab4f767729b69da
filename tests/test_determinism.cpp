// docs/design.md §5, determinism: the same input gives bit-identical output wherever it sits — in Eigen's
// SIMD body or its scalar head and tail, at every offset 0..63 into a buffer, for every size 1..257
// and a large one, aligned or not, in an Array, a Matrix of either storage order, a Map, a strided
// Map or a block. The expected value is the functor's scalar operator() on that input, bit for bit
// (NaN payloads and signs included).
#include "support/function_lists.hpp"
#include "support/isa_guard.hpp"
#include "support/sampling.hpp"
#include "support/ulp.hpp"

#include <gtest/gtest.h>
#include <Eigen/Core>
#include <activ/activ.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace activ_test {
namespace {

template <class P>
class Determinism : public ::testing::Test {
 protected:
  using Fn = typename P::Fn;
  using T = typename P::Scalar;
  using Column = Eigen::Array<T, Eigen::Dynamic, 1>;
  using Buffer = std::vector<T, Eigen::aligned_allocator<T>>;

  void SetUp() override {
    pool_ = hard_values<T>();
    const auto f = Fn::functor();
    for (T x : pool_) expected_.push_back(f(x));
  }

  void TearDown() override {
    EXPECT_EQ(mismatches_, 0u) << mismatches_ << " results differ from the scalar functor; first: "
                               << first_mismatch_;
  }

  // The input with index k; inputs cycle through the pool.
  T input(std::size_t k) const { return pool_[k % pool_.size()]; }

  // Records whether `got` is the scalar functor's result for input k; `where` says how it was made.
  template <class Where>
  void check(T got, std::size_t k, Where where) {
    const std::size_t i = k % pool_.size();
    if (bit_identical(got, expected_[i])) return;
    if (mismatches_++ == 0) {
      char buf[256];
      std::snprintf(buf, sizeof buf,
                    "%s(%a) = %a [bits %llx], scalar functor gives %a [bits %llx], in ",
                    Fn::name().c_str(), double(pool_[i]), double(got),
                    static_cast<unsigned long long>(bits_of(got)), double(expected_[i]),
                    static_cast<unsigned long long>(bits_of(expected_[i])));
      first_mismatch_ = buf + where();
    }
  }

  // Fills in[offset + i] = input(k0 + i) and checks out[out_offset + i] after `run`.
  template <class Run>
  void run_linear(Buffer& in, Buffer& out, Eigen::Index offset, Eigen::Index out_offset,
                  Eigen::Index n, std::size_t k0, const char* kind, Run run) {
    for (Eigen::Index i = 0; i < n; ++i) in[offset + i] = input(k0 + i);
    run(in.data() + offset, out.data() + out_offset, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      check(out[out_offset + i], k0 + i, [&] {
        return std::string(kind) + ", size " + std::to_string(n) + ", input offset " +
               std::to_string(offset) + ", output offset " + std::to_string(out_offset) +
               ", index " + std::to_string(i);
      });
    }
  }

  // Checks every element of `result` against the input at the same (row, col) of `source`, whose
  // element (i, j) is input(k0 + i * cols + j).
  template <class Result>
  void check_2d(const Result& result, std::size_t k0, const std::string& kind) {
    for (Eigen::Index i = 0; i < result.rows(); ++i) {
      for (Eigen::Index j = 0; j < result.cols(); ++j) {
        check(result(i, j), k0 + std::size_t(i * result.cols() + j), [&] {
          return kind + " " + std::to_string(result.rows()) + "x" + std::to_string(result.cols()) +
                 " at (" + std::to_string(i) + ", " + std::to_string(j) + ")";
        });
      }
    }
  }

  template <class Dense>
  void fill_2d(Dense&& m, std::size_t k0) const {
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j)
        m(i, j) = input(k0 + std::size_t(i * m.cols() + j));
  }

  std::vector<T> pool_, expected_;
  std::size_t mismatches_ = 0;
  std::string first_mismatch_;
};
TYPED_TEST_SUITE(Determinism, PathFunctionsAtBothPrecisions, FunctionAndScalarName);

constexpr Eigen::Index kMaxSmall = 257;
constexpr Eigen::Index kOffsets = 64;
constexpr Eigen::Index kLarge = 100003;

TYPED_TEST(Determinism, UnalignedMapAtEveryOffsetForSizes1To257) {
  using Column = typename TestFixture::Column;
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  typename TestFixture::Buffer in(kOffsets + kMaxSmall), out(kOffsets + kMaxSmall);
  for (Eigen::Index offset = 0; offset < kOffsets; ++offset) {
    for (Eigen::Index n = 1; n <= kMaxSmall; ++n) {
      const Eigen::Index out_offset = (offset + n) % kOffsets;
      this->run_linear(in, out, offset, out_offset, n, std::size_t(n * 37 + offset),
                       "unaligned Map", [](const T* x, T* y, Eigen::Index size) {
                         Eigen::Map<Column>(y, size) = Fn::apply(Eigen::Map<const Column>(x, size));
                       });
    }
  }
}

TYPED_TEST(Determinism, AlignedMapAndArrayForSizes1To257) {
  using Column = typename TestFixture::Column;
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  constexpr Eigen::Index kStep = EIGEN_MAX_ALIGN_BYTES / sizeof(T);  // elements per alignment
  typename TestFixture::Buffer in(kOffsets + kMaxSmall), out(kOffsets + kMaxSmall);
  for (Eigen::Index offset = 0; offset < kOffsets; offset += kStep) {
    for (Eigen::Index n = 1; n <= kMaxSmall; ++n) {
      this->run_linear(in, out, offset, offset, n, std::size_t(n * 41 + offset), "aligned Map",
                       [](const T* x, T* y, Eigen::Index size) {
                         using AlignedIn = Eigen::Map<const Column, Eigen::AlignedMax>;
                         Eigen::Map<Column, Eigen::AlignedMax>(y, size) =
                             Fn::apply(AlignedIn(x, size));
                       });
    }
  }
  for (std::size_t rotation = 0; rotation < 64; ++rotation) {
    for (Eigen::Index n = 1; n <= kMaxSmall; ++n) {
      Column x(n);
      for (Eigen::Index i = 0; i < n; ++i) x(i) = this->input(rotation * 97 + std::size_t(i));
      const Column y = Fn::apply(x);
      for (Eigen::Index i = 0; i < n; ++i) {
        this->check(y(i), rotation * 97 + std::size_t(i), [&] {
          return "Array of size " + std::to_string(n) + ", index " + std::to_string(i);
        });
      }
    }
  }
}

TYPED_TEST(Determinism, LargeUnalignedMapAtEveryOffset) {
  using Column = typename TestFixture::Column;
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  typename TestFixture::Buffer in(kOffsets + kLarge), out(kOffsets + kLarge);
  for (Eigen::Index offset = 0; offset < kOffsets; ++offset) {
    this->run_linear(in, out, offset, kOffsets - 1 - offset, kLarge, std::size_t(offset * 13),
                     "large unaligned Map", [](const T* x, T* y, Eigen::Index size) {
                       Eigen::Map<Column>(y, size) = Fn::apply(Eigen::Map<const Column>(x, size));
                     });
  }
}

TYPED_TEST(Determinism, FixedSizeArrays) {
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  auto run = [&](auto zero) {
    using Fixed = decltype(zero);
    for (std::size_t k0 = 0; k0 < this->pool_.size(); k0 += 7) {
      Fixed x;
      this->fill_2d(x, k0);
      const Fixed y = Fn::apply(x);
      this->check_2d(y, k0, "fixed-size");
    }
  };
  // Shorter than any packet (scalar only), whole packets at every width, packets and a scalar
  // tail at every width, and a row-major matrix.
  run(Eigen::Array<T, 3, 1>());
  run(Eigen::Array<T, 16, 1>());
  run(Eigen::Array<T, 19, 1>());
  run(Eigen::Matrix<T, 3, 5, Eigen::RowMajor>());
}

TYPED_TEST(Determinism, MatrixOfEitherStorageOrderEveryShapeTo20x20) {
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  auto run = [&](auto zero, const char* kind) {
    using M = decltype(zero);
    for (Eigen::Index rows = 1; rows <= 20; ++rows) {
      for (Eigen::Index cols = 1; cols <= 20; ++cols) {
        for (std::size_t k0 : {std::size_t(0), std::size_t(rows * 29 + cols)}) {
          M m(rows, cols);
          this->fill_2d(m, k0);
          const M y = Fn::apply(m);
          this->check_2d(y, k0, kind);
        }
      }
    }
  };
  run(Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>(), "column-major Matrix");
  run(Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>(), "row-major Matrix");
}

TYPED_TEST(Determinism, StridedMapsAndBlocks) {
  using Fn = typename TestFixture::Fn;
  using T = typename TestFixture::T;
  using Array2 = Eigen::Array<T, Eigen::Dynamic, Eigen::Dynamic>;
  typename TestFixture::Buffer in(4096), out(4096);
  // Column-major maps whose columns are `pad` elements apart beyond their length: the inner
  // dimension vectorizes, each column with its own head and tail.
  for (Eigen::Index offset = 0; offset < 16; ++offset) {
    for (Eigen::Index rows = 1; rows <= 24; ++rows) {
      for (Eigen::Index cols : {1, 2, 5}) {
        for (Eigen::Index pad : {0, 1, 3, 16}) {
          const Eigen::OuterStride<> stride(rows + pad);
          Eigen::Map<const Array2, Eigen::Unaligned, Eigen::OuterStride<>> x(in.data() + offset,
                                                                             rows, cols, stride);
          Eigen::Map<Array2, Eigen::Unaligned, Eigen::OuterStride<>> y(
              out.data() + (offset * 3) % 16, rows, cols, stride);
          const std::size_t k0 = std::size_t(offset * 31 + rows * 7 + pad);
          this->fill_2d(Eigen::Map<Array2, Eigen::Unaligned, Eigen::OuterStride<>>(
                            in.data() + offset, rows, cols, stride),
                        k0);
          y = Fn::apply(x);
          this->check_2d(y, k0, "OuterStride Map (pad " + std::to_string(pad) + ")");
        }
      }
    }
  }
  // Every other / every third element: no packet loads possible, the scalar path throughout.
  for (Eigen::Index inner : {2, 3}) {
    for (Eigen::Index n = 1; n <= 100; ++n) {
      using Strided =
          Eigen::Map<const Array2, Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>>;
      const Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic> stride(n * inner, inner);
      const std::size_t k0 = std::size_t(n * 11 + inner);
      Eigen::Map<Array2, Eigen::Unaligned, Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>> fill(
          in.data(), n, 2, stride);
      this->fill_2d(fill, k0);
      const Array2 y = Fn::apply(Strided(in.data(), n, 2, stride));
      this->check_2d(y, k0, "InnerStride " + std::to_string(inner) + " Map");
    }
  }
  // Blocks of a matrix of either storage order, read and written in place of another's block.
  auto blocks = [&](auto zero, const char* kind) {
    using M = decltype(zero);
    M src(37, 11), dst(37, 11);
    for (Eigen::Index i = 0; i < 37; i += 3) {
      for (Eigen::Index j = 0; j < 11; j += 2) {
        for (Eigen::Index rows : {Eigen::Index(1), 37 - i}) {
          for (Eigen::Index cols : {Eigen::Index(1), 11 - j}) {
            const std::size_t k0 = std::size_t(i * 11 + j);
            this->fill_2d(src.block(i, j, rows, cols), k0);
            dst.block(i, j, rows, cols) = Fn::apply(src.block(i, j, rows, cols));
            this->check_2d(dst.block(i, j, rows, cols), k0, std::string(kind) + " block");
          }
        }
      }
    }
  };
  blocks(Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>(), "column-major");
  blocks(Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>(), "row-major");
}

}  // namespace
}  // namespace activ_test

int main(int argc, char** argv) { return activ_test::run_tests_for_isa(argc, argv); }
