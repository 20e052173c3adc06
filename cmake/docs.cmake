# The API reference, from include/dosm.h's comments and the format reference
# states/README.md: cmake --build build --target docs, then open
# build/docs/html/index.html. Any Doxygen warning fails the target.
find_package(Doxygen)
if(DOXYGEN_FOUND)
  set(DOSM_DOCS_DIR ${CMAKE_CURRENT_BINARY_DIR}/docs)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/Doxyfile.in
    ${CMAKE_CURRENT_BINARY_DIR}/Doxyfile @ONLY)
  add_custom_target(docs COMMAND Doxygen::doxygen ${CMAKE_CURRENT_BINARY_DIR}/Doxyfile
    COMMENT "API reference: ${DOSM_DOCS_DIR}/html/index.html" VERBATIM)
else()
  add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -E echo "the docs target needs Doxygen (sudo apt-get install doxygen), then cmake again"
    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
endif()
