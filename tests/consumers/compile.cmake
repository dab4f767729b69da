# cmake -DCXX=<compiler> -DFLAGS=<list> -DSOURCE=<file> -DOUTPUT=<exe>
#       [-DPKG_CONFIG=<pkg-config> -DPKG_CONFIG_PATH=<dirs>] -P compile.cmake
#
# Builds a consumer with a plain compiler command line and runs it. With PKG_CONFIG, the command
# is the one a user types, run by the shell as written:
#   <CXX> <FLAGS> $(pkg-config --cflags activ) <SOURCE> -o <OUTPUT>
# with nothing rewritten, and the version pkg-config reports (--modversion) must be ACTIV_VERSION.
if(PKG_CONFIG)
  set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_PATH}")
  execute_process(COMMAND "${PKG_CONFIG}" --modversion activ
                  OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "pkg-config does not know activ (PKG_CONFIG_PATH=${PKG_CONFIG_PATH})")
  endif()
  execute_process(COMMAND "${PKG_CONFIG}" --cflags activ OUTPUT_VARIABLE cflags
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  message(STATUS "pkg-config --cflags activ: ${cflags}")
  string(REPLACE ";" " " flags "${FLAGS}")
  set(command "'${CXX}' ${flags} $('${PKG_CONFIG}' --cflags activ) '${SOURCE}' -o '${OUTPUT}'"
              " -DACTIV_EXPECTED_VERSION='\"${version}\"'")
  string(CONCAT command ${command})
  message(STATUS "${command}")
  execute_process(COMMAND sh -c "${command}" RESULT_VARIABLE rc)
else()
  string(REPLACE ";" " " shown "${CXX};${FLAGS};${SOURCE};-o;${OUTPUT}")
  message(STATUS "${shown}")
  execute_process(COMMAND "${CXX}" ${FLAGS} "${SOURCE}" -o "${OUTPUT}" RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer does not compile (${rc})")
endif()
execute_process(COMMAND "${OUTPUT}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${rc})")
endif()
