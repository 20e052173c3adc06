# Debian packages (one synopsis, the project's description, for all three):
# `cpack -G DEB` in any build makes
#   libdosm0     the shared library, named after its SONAME (component runtime)
#   libdosm-dev  header, static library, CMake and pkg-config files (dev)
#   dosm-tools   the dosm tool, its man page and the shipped workflows (tools)
# A build configured with -DCMAKE_INSTALL_PREFIX=/usr puts the libraries in
# Debian's multiarch directory; any other prefix gives /usr/lib, and works
# too (dosm.pc and the CMake package find their paths from where they are).
# test/consumers/deb.sh builds them, checks their contents and builds
# consumers against them; CI runs lintian on them.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()  # no packages are defined for other systems
endif()

# Who made the packages: the person who builds them, as Debian's own tools
# (dch, debmake) take it from DEBFULLNAME and DEBEMAIL (or NAME and EMAIL).
# The project has no address of its own to put there.
set(_name "$ENV{DEBFULLNAME}")
if(NOT _name)
  set(_name "$ENV{NAME}")
endif()
set(_mail "$ENV{DEBEMAIL}")
if(NOT _mail)
  set(_mail "$ENV{EMAIL}")
endif()
set(_maintainer "")
if(_mail MATCHES "<.*>")
  set(_maintainer "${_mail}")  # DEBEMAIL="Name <address>", as dch accepts
elseif(_name AND _mail)
  set(_maintainer "${_name} <${_mail}>")
endif()
set(DOSM_DEB_MAINTAINER "${_maintainer}" CACHE STRING
  "Maintainer field of the Debian packages, 'Name <address>' (default: DEBFULLNAME and DEBEMAIL)")
set(DOSM_HOMEPAGE "" CACHE STRING
  "Homepage field of the Debian packages (none when empty)")
set(DOSM_DEB_REVISION 1 CACHE STRING
  "Debian revision of the packages: version ${PROJECT_VERSION}-REVISION")
if(NOT DOSM_DEB_MAINTAINER)
  message(STATUS "Debian packages (cpack -G DEB) need a maintainer: configure with "
    "-DDOSM_DEB_MAINTAINER=\"Name <address>\" or set DEBFULLNAME and DEBEMAIL")
endif()

set(CPACK_PACKAGE_NAME libdosm)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${DOSM_DEB_MAINTAINER}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime dev tools)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # name_version-revision_arch.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE ${DOSM_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_SOURCE libdosm)
if(DOSM_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${DOSM_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # libc6, libyaml-0-2 from dpkg-shlibdeps
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # "libdosm0 (= VERSION)"
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
# dosm links libdosm.a (examples/dosm): dosm-tools needs no libdosm0.

set(_runtime libdosm${PROJECT_VERSION_MAJOR})
set(_version ${PROJECT_VERSION}-${DOSM_DEB_REVISION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${_runtime})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# dpkg runs ldconfig once per transaction for packages that ask by trigger;
# CPack writes postinst and postrm scripts calling ldconfig (lintian:
# maintscript-calls-ldconfig) whenever it inspects a package's shared
# objects, for shlibdeps or for a shlibs file. So the runtime package gets
# neither from CPack: its shlibs file is written here and its dependencies
# come from dpkg-shlibdeps run on the built library (deb/cpack.cmake).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
file(WRITE ${PROJECT_BINARY_DIR}/deb/triggers "activate-noawait ldconfig\n")
file(WRITE ${PROJECT_BINARY_DIR}/deb/shlibs
  "libdosm ${PROJECT_VERSION_MAJOR} ${_runtime} (>= ${_version})\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  ${PROJECT_BINARY_DIR}/deb/triggers ${PROJECT_BINARY_DIR}/deb/shlibs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
  "The shared library. libdosm loads dental order workflows (YAML), checks
them strictly and validates the transitions of orders between lab, scanner
and clinic statuses.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libdosm-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# dosm.pc requires yaml-0.1, and the static library needs libyaml.a.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS libyaml-dev)
set(CPACK_COMPONENT_DEV_DESCRIPTION
  "Files to build programs with libdosm: the header dosm.h, the static
library, and the CMake (find_package(dosm)) and pkg-config (dosm) files.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME dosm-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
  "The dosm tool checks, inspects, runs, draws and tests workflow files; the
shipped vendor workflows are in /usr/share/dosm/states.")

# At cpack time (cmake/deb-cpack.cmake): refuse without a maintainer, in
# one message; give the runtime package its dependencies; and write
# changelog.Debian.gz, whose trailer names the maintainer. CPACK_DOSM_*
# reach it through CPackConfig.cmake.
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/deb-cpack.cmake)
set(CPACK_DOSM_DEB_WORK ${PROJECT_BINARY_DIR}/deb)
set(CPACK_DOSM_DEB_VERSION ${_version})
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/deb/shared-library
  CONTENT "$<TARGET_FILE:dosm_shared>")

# Debian policy: every package carries /usr/share/doc/PACKAGE/copyright, the
# upstream changelog.gz (CHANGELOG.md) and, the packages not being native
# (version-revision), changelog.Debian.gz (written by cpack, so OPTIONAL for
# a plain cmake --install); gzip -n, so builds repeat.
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY
  CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/deb/changelog.gz RESULT_VARIABLE _gzip)
if(_gzip)
  message(FATAL_ERROR "gzip CHANGELOG.md failed (${_gzip}): the Debian packages need gzip")
endif()
foreach(_component RUNTIME DEV TOOLS)
  string(TOLOWER ${_component} _lower)
  set(_doc ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_DEBIAN_${_component}_PACKAGE_NAME})
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
    DESTINATION ${_doc} COMPONENT ${_lower})
  install(FILES ${PROJECT_BINARY_DIR}/deb/changelog.gz DESTINATION ${_doc} COMPONENT ${_lower})
  install(FILES ${PROJECT_BINARY_DIR}/deb/changelog.Debian.gz DESTINATION ${_doc}
    COMPONENT ${_lower} OPTIONAL)
endforeach()

include(CPack)
