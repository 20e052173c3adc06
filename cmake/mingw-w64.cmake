# Cross-compiles for 64-bit Windows with Debian's mingw-w64
# (gcc-mingw-w64-x86-64); Windows programs run under Wine (wine64):
#   cmake -S . -B build-mingw -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake \
#     -DCMAKE_FIND_ROOT_PATH=/where/windows/libyaml/and/cmocka/are/installed
# libdosm then finds libyaml through its CMake package (as with vcpkg), and
# pkg-config looks only under those prefixes, never at the Linux libraries.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_CROSSCOMPILING_EMULATOR wine)

list(APPEND CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
list(REMOVE_DUPLICATES CMAKE_FIND_ROOT_PATH)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config's search path is the process's environment, which the checks
# CMake compiles (try_compile) share without this project's roots: only the
# project itself sets it.
get_property(_in_try_compile GLOBAL PROPERTY IN_TRY_COMPILE)
if(NOT _in_try_compile)
  set(_pkgconfig_dirs)
  foreach(_root IN LISTS CMAKE_FIND_ROOT_PATH)
    list(APPEND _pkgconfig_dirs ${_root}/lib/pkgconfig)
  endforeach()
  string(REPLACE ";" ":" _pkgconfig_dirs "${_pkgconfig_dirs}")
  set(ENV{PKG_CONFIG_LIBDIR} "${_pkgconfig_dirs}")
endif()
