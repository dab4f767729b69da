# The C++ sources follow .clang-format (cmake -P, SOURCE_DIR=<repo>, CLANG_FORMAT=<program>):
# clang-format --dry-run -Werror over include/, tests/, bench/, examples/ and docs/plots/*.cpp.
# The style is pinned to one clang-format, Debian 12's clang-format-14: other versions format
# some constructs differently. Reformat with `clang-format-14 -i <files>`.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR OR NOT CLANG_FORMAT)
  message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -DCLANG_FORMAT=<program> -P format.cmake")
endif()

file(GLOB_RECURSE files
     "${SOURCE_DIR}/include/*.hpp" "${SOURCE_DIR}/include/*.h"
     "${SOURCE_DIR}/tests/*.cpp" "${SOURCE_DIR}/tests/*.hpp"
     "${SOURCE_DIR}/bench/*.cpp" "${SOURCE_DIR}/bench/*.hpp"
     "${SOURCE_DIR}/examples/*.cpp" "${SOURCE_DIR}/examples/*.hpp"
     "${SOURCE_DIR}/docs/plots/*.cpp")
list(LENGTH files count)
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror --style=file ${files}
                WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${count} files checked: not formatted as .clang-format says (above); "
                      "run ${CLANG_FORMAT} -i on them")
endif()
message(STATUS "${count} files formatted as .clang-format says")
