# The API reference, from include/dosm.h's comments and the format reference
# states/README.md: cmake --build build --target docs, then open
# build/docs/html/index.html. Any Doxygen warning fails the target.
# Doxygen is looked for when the target runs (cmake/docs-run.cmake), not at
# configure time, so installing it later needs no new configure; without it
# the target fails with one message that says what to install.
set(DOSM_DOCS_DIR ${CMAKE_CURRENT_BINARY_DIR}/docs)
# The format page links each shipped workflow and its schema: copy them
# next to the page (HTML_EXTRA_FILES), so the links resolve.
file(GLOB _docs_files ${PROJECT_SOURCE_DIR}/states/*.yaml
  ${PROJECT_SOURCE_DIR}/states/*.json)
string(REPLACE ";" " " DOSM_DOCS_EXTRA_FILES "${_docs_files}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/Doxyfile.in
  ${CMAKE_CURRENT_BINARY_DIR}/Doxyfile @ONLY)
add_custom_target(docs
  COMMAND ${CMAKE_COMMAND} -DDOXYFILE=${CMAKE_CURRENT_BINARY_DIR}/Doxyfile
    -DINDEX=${DOSM_DOCS_DIR}/html/index.html -P ${CMAKE_CURRENT_LIST_DIR}/docs-run.cmake
  COMMENT "API reference: ${DOSM_DOCS_DIR}/html/index.html" VERBATIM)
