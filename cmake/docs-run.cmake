# Runs Doxygen on the build's Doxyfile (the docs target, cmake/docs.cmake).
#   cmake -DDOXYFILE=BUILD/Doxyfile -DINDEX=BUILD/docs/html/index.html -P docs-run.cmake
find_program(DOSM_DOXYGEN doxygen)
if(NOT DOSM_DOXYGEN)
  message(FATAL_ERROR "the docs target needs Doxygen, which is not installed "
    "(Debian: apt-get install doxygen); then build the docs target again, no "
    "new configure needed")
endif()
execute_process(COMMAND "${DOSM_DOXYGEN}" "${DOXYFILE}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Doxygen failed (${_rc}): every warning above is an error")
endif()
message(STATUS "${INDEX}")
