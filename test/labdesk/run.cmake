# Applies FEED to a fresh database, then compares the exit code, stdout and
# stderr of apply, dashboard, log and verify, and the HTML dashboard, with
# EXPECTED/NAME.* exactly (a missing file means "empty").
# Every command sees the clock at NOW (the feeds' week is over by then).
# Variables: LABDESK, FEED, NAME, EXPECTED, WORKDIR, APPLY_RC, NOW, and either
# DB (an SQLite file) or PG_STATE (the fixture's directory), PG_BIN, DBNAME.
if(PG_STATE)
  file(READ ${PG_STATE}/url server)
  string(STRIP "${server}" server)
  set(ENV{PGOPTIONS} "-c client_min_messages=warning")
  execute_process(COMMAND ${PG_BIN}/psql -q -v ON_ERROR_STOP=1 ${server}/postgres
      -c "DROP DATABASE IF EXISTS \"${DBNAME}\"" -c "CREATE DATABASE \"${DBNAME}\""
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cannot create database ${DBNAME}: ${err}")
  endif()
  set(DB ${server}/${DBNAME})
else()
  file(REMOVE ${DB} ${DB}-wal ${DB}-shm)
endif()
get_filename_component(html "${DB}" NAME)
set(html ${CMAKE_CURRENT_BINARY_DIR}/${NAME}-${html}.html)

function(step what want_rc)
  execute_process(COMMAND ${LABDESK} --db ${DB} --states states --now ${NOW} ${ARGN}
    WORKING_DIRECTORY ${WORKDIR}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  foreach(stream out err)
    set(want "")
    if(EXISTS ${EXPECTED}/${NAME}.${what}.${stream})
      file(READ ${EXPECTED}/${NAME}.${what}.${stream} want)
    endif()
    if(NOT "${${stream}}" STREQUAL "${want}")
      message(SEND_ERROR "${what}: std${stream} differs:\n--- got\n${${stream}}--- expected\n${want}")
    endif()
  endforeach()
  if(NOT rc STREQUAL want_rc)
    message(SEND_ERROR "${what}: exit code ${rc}, expected ${want_rc}")
  endif()
endfunction()

step(apply ${APPLY_RC} apply ${FEED})
step(dashboard 0 dashboard)
step(log 0 log)
step(verify 0 verify)
step(html 0 dashboard --html ${html})
file(READ ${html} got)
file(READ ${EXPECTED}/${NAME}.html want)
if(NOT got STREQUAL want)
  message(SEND_ERROR "the HTML dashboard differs from ${EXPECTED}/${NAME}.html")
endif()
