# Debian packages (one synopsis, the project's description, for all three):
# `cpack -G DEB` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr (so that GNUInstallDirs picks Debian's
# multiarch library directory and dosm.pc says prefix=/usr) makes
#   libdosm      the shared library (component runtime)
#   libdosm-dev  header, static library, CMake and pkg-config files (dev)
#   dosm-tools   the dosm tool and the shipped workflows (tools)
# test/consumers/deb.sh builds them, checks their contents and builds
# consumers against them.
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  return()  # no packages are defined for other systems
endif()

set(CPACK_PACKAGE_NAME libdosm)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "The libdosm authors <maintainers@users.noreply.h-seed-940f4e22.example>")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime dev tools)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # name_version_arch.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # libc6, libyaml-0-2 from dpkg-shlibdeps
# dpkg-shlibdeps must find libdosm.so.0 for the tool; it is in the runtime
# package's staging directory (the dependency itself comes from below).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
  ${PROJECT_BINARY_DIR}/_CPack_Packages/Linux/DEB/${CPACK_PACKAGE_NAME}-${PROJECT_VERSION}-Linux/runtime/${CMAKE_INSTALL_FULL_LIBDIR})
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # "libdosm (= VERSION)"
set(CPACK_COMPONENT_DEV_DEPENDS runtime)
set(CPACK_COMPONENT_TOOLS_DEPENDS runtime)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libdosm)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)  # a shlibs file for dependants
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# dpkg runs ldconfig once per transaction for packages that ask by trigger.
file(WRITE ${PROJECT_BINARY_DIR}/deb/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/deb/triggers)
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

# Debian policy: every package carries /usr/share/doc/PACKAGE/copyright and,
# being native, its changelog.gz (CHANGELOG.md; gzip -n, so builds repeat).
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY
  CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/CHANGELOG.md)
execute_process(COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/CHANGELOG.md
  OUTPUT_FILE ${PROJECT_BINARY_DIR}/deb/changelog.gz RESULT_VARIABLE _gzip)
if(_gzip)
  message(FATAL_ERROR "gzip CHANGELOG.md: ${_gzip}")
endif()
foreach(_component RUNTIME DEV TOOLS)
  string(TOLOWER ${_component} _lower)
  set(_doc ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_DEBIAN_${_component}_PACKAGE_NAME})
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
    DESTINATION ${_doc} COMPONENT ${_lower})
  install(FILES ${PROJECT_BINARY_DIR}/deb/changelog.gz DESTINATION ${_doc} COMPONENT ${_lower})
endforeach()

include(CPack)
