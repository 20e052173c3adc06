# dosm test --junit: exit code and TAP as run.cmake compares them, then
# the XML exactly, its time attributes (seconds the run took, which vary)
# first checked for their form and written as 0.000. Variables: DOSM,
# ARGS, RC, OUT, XML (expected), RESULT (where dosm writes it), WORKDIR.
separate_arguments(ARGS UNIX_COMMAND "${ARGS}")
file(REMOVE ${RESULT})
execute_process(COMMAND ${DOSM} test --junit ${RESULT} ${ARGS}
  WORKING_DIRECTORY ${WORKDIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
file(READ ${OUT} want_out)
file(READ ${XML} want_xml)
if(NOT rc STREQUAL RC)
  message(SEND_ERROR "exit code ${rc}, expected ${RC}\n${err}")
endif()
if(NOT out STREQUAL want_out)
  message(SEND_ERROR "stdout differs:\n--- got\n${out}--- expected\n${want_out}")
endif()
file(READ ${RESULT} xml)
string(REGEX REPLACE " time=\"[0-9]+\\.[0-9][0-9][0-9]\"" " time=\"0.000\"" xml "${xml}")
if(NOT xml STREQUAL want_xml)
  message(SEND_ERROR "JUnit XML differs:\n--- got\n${xml}--- expected\n${want_xml}")
endif()
