# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE; set up by
# packaging.cmake, with CPACK_DOSM_DEB_WORK, the build's deb directory, and
# CPACK_DOSM_DEB_VERSION). For DEB: no packages without a maintainer; the
# runtime package's dependencies from dpkg-shlibdeps on the built library
# (CPack's own shlibdeps would add ldconfig calls, see packaging.cmake); and
# changelog.Debian.gz. Each problem is one message (no include(), so no call
# stack either).
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(DOSM_DEB_WORK "${CPACK_DOSM_DEB_WORK}")
if(NOT EXISTS "${DOSM_DEB_WORK}/shared-library")
  message(FATAL_ERROR "this cpack configuration belongs to a build in "
    "${DOSM_DEB_WORK}/.., which is gone or has moved: configure and build "
    "again where the build is now (cmake -S SOURCE -B BUILD)")
endif()
file(READ "${DOSM_DEB_WORK}/shared-library" DOSM_SHARED_LIBRARY)
if(NOT CPACK_PACKAGE_CONTACT)
  message(FATAL_ERROR "the Debian packages need a maintainer: configure the "
    "build with -DDOSM_DEB_MAINTAINER=\"Name <address>\" (or set DEBFULLNAME "
    "and DEBEMAIL before configuring), or run cpack -G DEB -D "
    "CPACK_PACKAGE_CONTACT=\"Name <address>\"")
endif()
find_program(DOSM_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(NOT DOSM_DPKG_SHLIBDEPS)
  message(FATAL_ERROR "the Debian packages need dpkg-shlibdeps "
    "(Debian: apt-get install dpkg-dev)")
endif()
if(NOT EXISTS "${DOSM_SHARED_LIBRARY}")
  message(FATAL_ERROR "${DOSM_SHARED_LIBRARY} is missing: build first "
    "(cmake --build BUILD), then run cpack")
endif()
# dpkg-shlibdeps wants a source tree; an empty debian/control is enough.
file(REMOVE_RECURSE "${DOSM_DEB_WORK}/shlibdeps")
file(WRITE "${DOSM_DEB_WORK}/shlibdeps/debian/control" "")
execute_process(COMMAND "${DOSM_DPKG_SHLIBDEPS}" -O "${DOSM_SHARED_LIBRARY}"
  WORKING_DIRECTORY "${DOSM_DEB_WORK}/shlibdeps" RESULT_VARIABLE _rc
  OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _rc EQUAL 0 OR NOT _out MATCHES "shlibs:Depends=([^\n]+)")
  message(FATAL_ERROR "dpkg-shlibdeps ${DOSM_SHARED_LIBRARY} failed (${_rc}): ${_err}")
endif()
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "${CMAKE_MATCH_1}")

# changelog.Debian: one entry for this version, signed by the maintainer.
string(TIMESTAMP _date "%a, %d %b %Y %H:%M:%S +0000" UTC)  # or SOURCE_DATE_EPOCH
file(WRITE "${DOSM_DEB_WORK}/changelog.Debian"
"libdosm (${CPACK_DOSM_DEB_VERSION}) unstable; urgency=medium

  * libdosm ${CPACK_PACKAGE_VERSION}, packaged by its own CMake build (cpack -G DEB).
    Its changes are in changelog.gz next to this file.

 -- ${CPACK_PACKAGE_CONTACT}  ${_date}
")
find_program(DOSM_GZIP gzip)
execute_process(COMMAND "${DOSM_GZIP}" -9nf "${DOSM_DEB_WORK}/changelog.Debian"
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "gzip ${DOSM_DEB_WORK}/changelog.Debian failed (${_rc})")
endif()
