# dosm cover writes a plan for WORKFLOW (relative to SOURCE) into DIR, and
# dosm test runs it from another directory and takes every transition:
# the plan names its workflow relative to itself and carries the values
# its guards and payloads need (issue 17 item 16). MIN: the coverage it
# must reach (100 unless the plan leaves transitions out).
if(NOT DEFINED MIN)
  set(MIN 100)
endif()
get_filename_component(name ${WORKFLOW} NAME)
file(MAKE_DIRECTORY ${DIR}/elsewhere)
execute_process(COMMAND ${DOSM} cover ${WORKFLOW} --output ${DIR}/${name}
  WORKING_DIRECTORY ${SOURCE} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc STREQUAL 0)
  message(FATAL_ERROR "dosm cover ${WORKFLOW}: exit ${rc}\n${err}")
endif()
execute_process(COMMAND ${DOSM} test --min-coverage ${MIN} ${DIR}/${name}
  WORKING_DIRECTORY ${DIR}/elsewhere RESULT_VARIABLE rc OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc STREQUAL 0)
  file(READ ${DIR}/${name} plan)
  message(FATAL_ERROR "dosm test on the plan: exit ${rc}\n${out}${err}\n${plan}")
endif()
