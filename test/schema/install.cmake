# Installs the schema tools (ajv-cli, yaml) into TOOLS with npm ci, from the
# checked-in package-lock.json; again only when the lock file changed.
#   cmake -DNPM=npm -DSRC=test/schema -DTOOLS=build/test/schema/tools -P install.cmake
if(NOT NPM)
  message(FATAL_ERROR "npm not found: the schema tests need Node.js and npm "
    "(sudo apt-get install -y nodejs npm), then cmake again")
endif()
file(COPY ${SRC}/package.json ${SRC}/package-lock.json ${SRC}/yaml2json.mjs
  DESTINATION ${TOOLS})
file(SHA256 ${SRC}/package-lock.json _want)
if(EXISTS ${TOOLS}/installed.sha256)
  file(READ ${TOOLS}/installed.sha256 _have)
  if(_have STREQUAL _want AND EXISTS ${TOOLS}/node_modules/.bin/ajv)
    return()
  endif()
endif()
execute_process(COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY ${TOOLS} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${_rc}) in ${TOOLS}")
endif()
file(WRITE ${TOOLS}/installed.sha256 ${_want})
