# The layering of include/activ/, checked over the #include lines (cmake -P, SOURCE_DIR=<repo>):
#   - nothing under detail/ includes a public header (activ/<name>.hpp): the public headers are
#     wrappers over detail/, never the other way round;
#   - nothing under detail/math/ includes detail/glu/: the GLU layer uses the math layer, the math
#     layer knows nothing of GLU.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -P layering.cmake")
endif()

set(root "${SOURCE_DIR}/include/activ/detail")
file(GLOB_RECURSE headers RELATIVE "${SOURCE_DIR}/include" "${root}/*.hpp" "${root}/*.h")
set(violations "")
foreach(header IN LISTS headers)
  file(STRINGS "${SOURCE_DIR}/include/${header}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]activ/")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*[\"<]([^\">]*)[\">].*$" "\\1" target "${line}")
    if(NOT target MATCHES "^activ/detail/")
      list(APPEND violations "${header} includes the public header ${target}")
    elseif(header MATCHES "^activ/detail/math/" AND target MATCHES "^activ/detail/glu/")
      list(APPEND violations "${header} (math layer) includes the GLU layer: ${target}")
    endif()
  endforeach()
endforeach()

list(LENGTH headers count)
if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering broken:\n  ${text}")
endif()
message(STATUS "layering holds over ${count} headers under include/activ/detail/")
