# cmake -DCXX=<compiler> -DFLAGS=<list> -DSOURCE=<file> -DOUTPUT=<exe>
#       [-DPKG_CONFIG=<pkg-config> -DPKG_CONFIG_PATH=<dirs>] -P compile.cmake
#
# Builds a consumer with a plain compiler command line and runs it. With PKG_CONFIG, the include
# flags come from `pkg-config --cflags activ`, and the version from `pkg-config --modversion activ`.
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_PATH}")
  execute_process(COMMAND "${PKG_CONFIG}" --cflags activ
                  OUTPUT_VARIABLE cflags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  execute_process(COMMAND "${PKG_CONFIG}" --modversion activ
                  OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc2)
  if(NOT rc EQUAL 0 OR NOT rc2 EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know activ (PKG_CONFIG_PATH=${PKG_CONFIG_PATH})")
  endif()
  message(STATUS "pkg-config --cflags activ: ${cflags}")
  # Build systems treat a dependency's include directories as system ones (CMake does so for
  # pkg_check_modules(IMPORTED_TARGET)); without that, Clang's -Wconversion fires inside Eigen.
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  foreach(flag IN LISTS cflags)
    if(flag MATCHES "^-I(.+)$")
      list(APPEND FLAGS -isystem "${CMAKE_MATCH_1}")
    else()
      list(APPEND FLAGS "${flag}")
    endif()
  endforeach()
  list(APPEND FLAGS "-DACTIV_EXPECTED_VERSION=\"${version}\"")
endif()

string(REPLACE ";" " " shown "${CXX};${FLAGS};${SOURCE};-o;${OUTPUT}")
message(STATUS "${shown}")
execute_process(COMMAND "${CXX}" ${FLAGS} "${SOURCE}" -o "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer does not compile (${rc})")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${rc})")
endif()
