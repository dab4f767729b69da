# cmake -DSOURCE_DIR=<activ's source tree> -P readme.cmake
#
# The README's promises about itself: it is a front door of at most 200 lines; its Quick start
# test command is, character for character, the command CI runs (.ci/run); and neither it nor a
# page of docs/ points at a document or tracker outside the repository.
cmake_minimum_required(VERSION 3.16)
set(errors "")

file(STRINGS "${SOURCE_DIR}/README.md" readme_lines)
file(READ "${SOURCE_DIR}/README.md" readme)
string(REGEX MATCHALL "\n" newlines "${readme}")
list(LENGTH newlines n)
if(n GREATER 200)
  string(APPEND errors "README.md has ${n} lines; at most 200 (depth belongs in docs/)\n")
endif()

file(STRINGS "${SOURCE_DIR}/.ci/run" ci_lines REGEX "^bash cmake/install-deps.sh")
list(LENGTH ci_lines n)
if(NOT n EQUAL 1)
  string(APPEND errors ".ci/run: expected one line starting `bash cmake/install-deps.sh`, found ${n}\n")
else()
  string(FIND "${readme}" "\n${ci_lines}\n" at)
  if(at EQUAL -1)
    string(APPEND errors "README.md does not show CI's command as a line of its own:\n  ${ci_lines}\n")
  endif()
endif()

file(GLOB pages "${SOURCE_DIR}/docs/*.md")
foreach(page IN ITEMS "${SOURCE_DIR}/README.md" ${pages})
  file(STRINGS "${page}" hits REGEX "DESIGN|[Ii]ssue [0-9]|shared/")
  foreach(hit IN LISTS hits)
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${page}")
    string(APPEND errors "${rel} cites a document outside the repository: ${hit}\n")
  endforeach()
endforeach()

if(errors)
  message(FATAL_ERROR "${errors}")
endif()
message(STATUS "README.md: front-door checks pass")
