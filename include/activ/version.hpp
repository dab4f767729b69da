#pragma once

// The version of activ, in one place: CMake reads these three lines for project(), the package
// version file and activ.pc.
#define ACTIV_VERSION_MAJOR 0
#define ACTIV_VERSION_MINOR 1
#define ACTIV_VERSION_PATCH 0

#define ACTIV_DETAIL_STRINGIFY_(x) #x
#define ACTIV_DETAIL_STRINGIFY(x) ACTIV_DETAIL_STRINGIFY_(x)

// "MAJOR.MINOR.PATCH", e.g. "0.1.0".
#define ACTIV_VERSION                         \
  ACTIV_DETAIL_STRINGIFY(ACTIV_VERSION_MAJOR) \
  "." ACTIV_DETAIL_STRINGIFY(ACTIV_VERSION_MINOR) "." ACTIV_DETAIL_STRINGIFY(ACTIV_VERSION_PATCH)
