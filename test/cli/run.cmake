# Runs one dosm command and compares its exit code, stdout and stderr with
# the expected ones exactly. Variables: DOSM, ARGS (a ;-list), RC, and
# optional OUT, ERR and INPUT (stdin) files; missing files mean "empty".
separate_arguments(ARGS UNIX_COMMAND "${ARGS}")
if(NOT INPUT)
  set(INPUT /dev/null)
endif()
execute_process(COMMAND ${DOSM} ${ARGS}
  WORKING_DIRECTORY ${WORKDIR} INPUT_FILE ${INPUT}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(want_out "")
set(want_err "")
if(OUT)
  file(READ ${OUT} want_out)
endif()
if(ERR)
  file(READ ${ERR} want_err)
endif()
set(failed OFF)
if(NOT rc STREQUAL RC)
  message(SEND_ERROR "exit code ${rc}, expected ${RC}")
  set(failed ON)
endif()
if(NOT out STREQUAL want_out)
  message(SEND_ERROR "stdout differs:\n--- got\n${out}--- expected\n${want_out}")
endif()
if(NOT err STREQUAL want_err)
  message(SEND_ERROR "stderr differs:\n--- got\n${err}--- expected\n${want_err}")
endif()
