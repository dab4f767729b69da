# cmake -DCXX=<compiler> -DFLAGS=<list> -DSOURCE=<file> -DEXPECT=<regex> -DMAX_ERRORS=<n>
#       -DMAX_LINES=<n> -P check.cmake
#
# A compile-fail check: compiling SOURCE must fail, its first error must match EXPECT, and the
# diagnostics must stay short: at most MAX_ERRORS error lines ("error:" or "fatal error:") and
# MAX_LINES lines in all, so that a right message buried under a cascade fails the check.
# EXPECT sees the output's semicolons as commas.
execute_process(COMMAND "${CXX}" ${FLAGS} -fsyntax-only "${SOURCE}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
string(REPLACE ";" " " shown "${CXX};${FLAGS};-fsyntax-only;${SOURCE}")
set(report "${shown}\n--- its output:\n${out}---\n")
if(rc EQUAL 0)
  message(FATAL_ERROR "${report}compiled, but must fail with: ${EXPECT}")
endif()

# (CMake lists are ';'-separated: the output's semicolons are matched as commas.)
string(REPLACE ";" "," out "${out}")
string(REGEX MATCHALL "[^\n]*error: [^\n]*" errors "${out}")
list(LENGTH errors error_count)
string(REGEX MATCHALL "\n" newlines "${out}")
list(LENGTH newlines line_count)
if(error_count EQUAL 0)
  message(FATAL_ERROR "${report}failed without an error line")
endif()
list(GET errors 0 first)
if(NOT first MATCHES "${EXPECT}")
  message(FATAL_ERROR "${report}the first error does not match '${EXPECT}':\n${first}")
endif()
if(error_count GREATER MAX_ERRORS OR line_count GREATER MAX_LINES)
  message(FATAL_ERROR "${report}${error_count} errors and ${line_count} lines; at most "
                      "${MAX_ERRORS} errors and ${MAX_LINES} lines are allowed")
endif()
message(STATUS "ok: ${error_count} error(s), ${line_count} lines; first: ${first}")
