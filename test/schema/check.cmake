# Checks YAML definitions against states/dosm.schema.json with ajv-cli.
#   -DMODE=valid         every file in GLOB must be valid; with -DMODELINE=ON
#                        it must also name the schema on its first line
#   -DMODE=unknown_keys  every file in GLOB that expects DOSM_D_UNKNOWN_KEY
#                        (its "# expect:" header, as test_diagnostics reads
#                        it) must fail `dosm lint` with an unknown key at that
#                        position AND fail the schema on the same key; and
#                        every mapping whose keys lib/loader.c checks must
#                        have such a file
# Also: -DNODE -DTOOLS (from install.cmake) -DSCHEMA -DWORK (scratch dir),
# for unknown_keys -DDOSM (the dosm tool) -DLOADER (lib/loader.c).
set(MODELINE_TEXT "# yaml-language-server: $schema=dosm.schema.json")

if(NOT NODE)
  message(FATAL_ERROR "node not found: the schema tests need Node.js and npm "
    "(sudo apt-get install -y nodejs npm), then cmake again")
endif()
if(NOT EXISTS ${TOOLS}/node_modules/.bin/ajv)
  message(FATAL_ERROR "ajv-cli is not installed in ${TOOLS} (the schema_tools "
    "test installs it)")
endif()

# Converts FILES to JSON in WORK; sets JSON to the converted files.
function(to_json)
  file(REMOVE_RECURSE ${WORK})
  file(MAKE_DIRECTORY ${WORK})
  execute_process(COMMAND ${NODE} ${TOOLS}/yaml2json.mjs ${WORK} ${ARGN}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "YAML to JSON failed:\n${err}")
  endif()
  set(json)
  foreach(f ${ARGN})
    get_filename_component(name ${f} NAME_WE)
    list(APPEND json ${WORK}/${name}.json)
  endforeach()
  set(JSON ${json} PARENT_SCOPE)
endfunction()

# Validates JSON: sets AJV_RC, AJV_OUT, AJV_ERR (one error line per file).
# Strict mode refuses a schema with unknown keywords or loose types; all but
# strictRequired, which cannot see that the enum rule's `required: [values]`
# names a property declared where the rule is used. Union types ("text" is
# any scalar) are allowed.
function(ajv)
  set(args)
  foreach(f ${JSON})
    list(APPEND args -d ${f})
  endforeach()
  execute_process(COMMAND ${NODE} ${TOOLS}/node_modules/.bin/ajv validate
      --spec=draft7 --strict=true --strict-required=false --allow-union-types
      --all-errors --errors=line -s ${SCHEMA} ${args}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(AJV_RC ${rc} PARENT_SCOPE)
  set(AJV_OUT "${out}" PARENT_SCOPE)
  set(AJV_ERR "${err}" PARENT_SCOPE)
endfunction()

# Sets VAR to TEXT with the regex special characters escaped (paths).
function(regex_escape var text)
  string(REGEX REPLACE "([][+.*?()^$|\\])" "\\\\\\1" text "${text}")
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

file(GLOB files ${GLOB})
if(NOT files)
  message(FATAL_ERROR "no file matches ${GLOB}")
endif()

if(MODE STREQUAL "valid")
  if(MODELINE)
    foreach(f ${files})
      file(STRINGS ${f} first LIMIT_COUNT 1)
      if(NOT first STREQUAL MODELINE_TEXT)
        message(FATAL_ERROR "${f}: the first line must be '${MODELINE_TEXT}'")
      endif()
    endforeach()
  endif()
  to_json(${files})
  ajv()
  foreach(j ${JSON})
    string(FIND "${AJV_OUT}" "${j} valid\n" at)
    if(at EQUAL -1)
      set(AJV_RC "${j} not valid")
    endif()
  endforeach()
  if(NOT AJV_RC EQUAL 0)
    message(FATAL_ERROR "schema check failed (${AJV_RC}):\n${AJV_OUT}${AJV_ERR}")
  endif()
  list(LENGTH files n)
  message(STATUS "${n} files valid")
  return()
endif()

if(NOT MODE STREQUAL "unknown_keys")
  message(FATAL_ERROR "MODE must be valid or unknown_keys")
endif()

# What dosm lint says about each expected unknown key: the key and the
# mapping ("unknown key 'lable' in a state").
set(cases)
set(keys)
set(seen_in)
foreach(f ${files})
  file(STRINGS ${f} expected REGEX "^# expect: DOSM_D_UNKNOWN_KEY [0-9]+:[0-9]+$")
  if(NOT expected)
    continue()
  endif()
  list(APPEND cases ${f})
  execute_process(COMMAND ${DOSM} lint ${f} RESULT_VARIABLE rc ERROR_VARIABLE lint)
  if(NOT rc EQUAL 1)
    message(FATAL_ERROR "dosm lint ${f}: exit ${rc}, not 1\n${lint}")
  endif()
  get_filename_component(name ${f} NAME_WE)
  foreach(e ${expected})
    string(REGEX REPLACE ".* " "" pos "${e}")
    regex_escape(at "${f}:${pos}")
    if(NOT lint MATCHES "${at}: error: unknown key '([^']*)' in ([^;\n]*)")
      message(FATAL_ERROR "dosm lint ${f}: no unknown key at ${pos}:\n${lint}")
    endif()
    list(APPEND keys "${name}|${CMAKE_MATCH_1}")
    list(APPEND seen_in "${CMAKE_MATCH_2}")
  endforeach()
endforeach()

# One error line per invalid file, after its name.
to_json(${cases})
ajv()
string(REPLACE ";" "," err "${AJV_ERR}")
string(REPLACE "\n" ";" lines "${err}")
set(current)
regex_escape(work "${WORK}")
foreach(line ${lines})
  if(line MATCHES "^${work}/(.*)\\.json invalid$")
    set(current ${CMAKE_MATCH_1})
  elseif(current)
    set(errors_${current} "${line}")
  endif()
endforeach()
foreach(k ${keys})
  string(REPLACE "|" ";" k "${k}")
  list(GET k 0 name)
  list(GET k 1 key)
  string(FIND "${errors_${name}}" "\"additionalProperty\":\"${key}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the schema accepts the unknown key '${key}' of "
      "${name}.yaml:\n${AJV_OUT}${AJV_ERR}")
  endif()
endforeach()

# Every mapping the loader checks for unknown keys has a case.
file(READ ${LOADER} loader)
string(REGEX MATCHALL "check_known\\([^;]*" calls "${loader}")
string(REGEX MATCHALL "\"[^\"]*\"" mappings "${calls}")
list(LENGTH cases n)
foreach(m ${mappings})
  string(REPLACE "\"" "" m "${m}")
  list(FIND seen_in "${m}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "no file in ${GLOB} has an unknown key in ${m}")
  endif()
endforeach()
list(LENGTH keys k)
list(LENGTH mappings m)
message(STATUS "${k} unknown keys in ${n} files, in all ${m} mappings: "
  "refused by dosm lint and by the schema")
