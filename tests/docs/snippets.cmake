# cmake -DCXX=<compiler> -DSTD=<17|20> -DFLAGS=<list> -DINCLUDE_FLAGS=<list> -DWORK_DIR=<dir>
#       -DSOURCE_DIR=<activ's source tree> -P snippets.cmake
#
# Compiles every ```cpp block of README.md and docs/*.md, so that the documentation cannot rot.
# A block is compiled in one of three ways, chosen by what it contains or by an HTML comment on the
# line right before its opening fence (invisible on a rendered page):
#   - it contains `int main`, or is marked <!-- snippet: program -->: a whole program, compiled,
#     linked and run (exit status 0 expected);
#   - it is marked <!-- snippet: file -->: a translation unit of declarations, compiled only;
#   - otherwise: a fragment. Its #include lines go to the top of a program, the rest becomes the
#     body of main() (after #include <activ/activ.hpp>, <cstdio> and <vector>); compiled, linked
#     and run;
#   - <!-- snippet: skip --> leaves a block out (say why next to the marker).
# Every block is compiled with -std=c++${STD} and FLAGS (the strict flags of a consumer build).
cmake_minimum_required(VERSION 3.16)

foreach(var CXX STD WORK_DIR SOURCE_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "snippets.cmake: -D${var}=... is required")
  endif()
endforeach()
file(MAKE_DIRECTORY "${WORK_DIR}")
file(GLOB DOCS "${SOURCE_DIR}/docs/*.md")
list(SORT DOCS)
list(INSERT DOCS 0 "${SOURCE_DIR}/README.md")

# CMake lists split on ';' and treat '[' ']' specially: protect them while splitting into lines.
function(split_lines text out)
  string(REPLACE "\\" "@ACTIV_BS@" text "${text}")
  string(REPLACE ";" "@ACTIV_SC@" text "${text}")
  string(REPLACE "[" "@ACTIV_LB@" text "${text}")
  string(REPLACE "]" "@ACTIV_RB@" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
function(restore text out)
  string(REPLACE "@ACTIV_SC@" ";" text "${text}")
  string(REPLACE "@ACTIV_LB@" "[" text "${text}")
  string(REPLACE "@ACTIV_RB@" "]" text "${text}")
  string(REPLACE "@ACTIV_BS@" "\\" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(failures "")
set(count 0)
foreach(doc IN LISTS DOCS)
  get_filename_component(doc_name "${doc}" NAME_WE)
  file(RELATIVE_PATH doc_path "${SOURCE_DIR}" "${doc}")
  file(READ "${doc}" content)
  split_lines("${content}" lines)
  set(in_block OFF)
  set(line_no 0)
  set(previous "")
  foreach(line IN LISTS lines)
    math(EXPR line_no "${line_no} + 1")
    if(NOT in_block)
      if(line MATCHES "^```cpp[ \t]*$")
        set(in_block ON)
        set(block_start ${line_no})
        set(block "")
        set(includes "")
        set(mode fragment)
        if(previous MATCHES "<!-- snippet: (skip|file|program)")
          set(mode "${CMAKE_MATCH_1}")
        endif()
      endif()
      if(NOT line STREQUAL "")
        set(previous "${line}")
      endif()
      continue()
    endif()
    if(NOT line MATCHES "^```[ \t]*$")
      string(APPEND block "${line}\n")
      if(line MATCHES "^[ \t]*#[ \t]*include")
        string(APPEND includes "${line}\n")
      endif()
      continue()
    endif()

    # The closing fence: compile the block.
    set(in_block OFF)
    set(previous "")
    if(mode STREQUAL "skip")
      message(STATUS "${doc_path}:${block_start}: skipped (<!-- snippet: skip -->)")
      continue()
    endif()
    if(mode STREQUAL "fragment" AND block MATCHES "int main")
      set(mode program)
    endif()
    restore("${block}" block)
    restore("${includes}" includes)
    set(name "${doc_name}_${block_start}_cxx${STD}")
    set(source "${WORK_DIR}/${name}.cpp")
    math(EXPR first_line "${block_start} + 1")
    if(mode STREQUAL "fragment")
      string(REGEX REPLACE "(^|\n)[ \t]*#[ \t]*include[^\n]*" "\\1" body "${block}")
      file(WRITE "${source}"
           "// ${doc_path}:${block_start}, compiled as the body of main()\n"
           "#include <activ/activ.hpp>\n#include <cstdio>\n#include <vector>\n${includes}\n"
           "int main() {\n#line ${first_line} \"${doc_path}\"\n${body}  return 0;\n}\n")
    else()
      file(WRITE "${source}" "#line ${first_line} \"${doc_path}\"\n${block}")
    endif()
    math(EXPR count "${count} + 1")

    set(output "${WORK_DIR}/${name}")
    if(mode STREQUAL "file")
      set(compile_only -c)
      set(output "${output}.o")
    else()
      set(compile_only "")
    endif()
    execute_process(COMMAND "${CXX}" -std=c++${STD} ${FLAGS} ${INCLUDE_FLAGS} ${compile_only}
                            "${source}" -o "${output}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message("${doc_path}:${block_start}: the ```cpp block does not compile with -std=c++${STD} "
              "(${source}):\n${out}${err}")
      list(APPEND failures "${doc_path}:${block_start}")
      continue()
    endif()
    if(NOT mode STREQUAL "file")
      execute_process(COMMAND "${output}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      if(NOT rc EQUAL 0)
        message("${doc_path}:${block_start}: the ```cpp block compiles but its program fails (${rc}):\n"
                "${out}${err}")
        list(APPEND failures "${doc_path}:${block_start}")
        continue()
      endif()
    endif()
    message(STATUS "${doc_path}:${block_start}: ok (${mode})")
  endforeach()
  if(in_block)
    list(APPEND failures "${doc_path}:${block_start} (unterminated ```cpp block)")
  endif()
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "no ```cpp block found in ${DOCS}")
endif()
if(failures)
  list(LENGTH failures n)
  string(REPLACE ";" "\n  " failures "${failures}")
  message(FATAL_ERROR "${n} of ${count} C++ snippets fail under -std=c++${STD}:\n  ${failures}")
endif()
message(STATUS "all ${count} C++ snippets compile and run under -std=c++${STD}")
