// Checks of the documented error contract (docs/design.md §2): bad shapes throw std::invalid_argument
// whose message names the function and the shapes.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace activ_test {

// Runs `build`, which must throw std::invalid_argument with exactly `message`.
template <class Build>
void expect_error(Build build, const std::string& message) {
  try {
    build();
    ADD_FAILURE() << "no exception; expected: " << message;
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(e.what(), message);
  } catch (...) {
    ADD_FAILURE() << "an exception other than std::invalid_argument; expected: " << message;
  }
}

}  // namespace activ_test
