# cmake -DBUILD_DIR=<activ build> -DSOURCE_DIR=<activ source> -DWORK_DIR=<dir> -P setup.cmake
#
# Prepares the consumer tests: installs activ from BUILD_DIR into a fresh WORK_DIR/prefix, and lays
# out the two consumer projects under WORK_DIR/src, the submodule one with a copy of activ's source
# tree in third_party/activ, as `git submodule add` would place it.
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR)
  if(NOT IS_ABSOLUTE "${${var}}")
    message(FATAL_ERROR "setup.cmake: ${var} must be an absolute path")
  endif()
endforeach()
set(consumers "${SOURCE_DIR}/tests/consumers")

file(REMOVE_RECURSE "${WORK_DIR}/prefix" "${WORK_DIR}/src" "${WORK_DIR}/build")

execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()

foreach(project find_package submodule)
  file(COPY "${consumers}/${project}/CMakeLists.txt" "${consumers}/main.cpp"
       DESTINATION "${WORK_DIR}/src/${project}")
endforeach()

# What a clone holds: everything but .git and build trees.
file(GLOB entries LIST_DIRECTORIES true RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/*" "${SOURCE_DIR}/.*")
foreach(entry IN LISTS entries)
  set(path "${SOURCE_DIR}/${entry}")
  if(entry MATCHES "^(\\.git|build|out)$" OR EXISTS "${path}/CMakeCache.txt"
     OR path STREQUAL BUILD_DIR)
    continue()
  endif()
  file(COPY "${path}" DESTINATION "${WORK_DIR}/src/submodule/third_party/activ")
endforeach()
