#!/bin/sh
# One version everywhere: the header's macros, dosm_version(), the CMake
# project, dosm.pc, the CMake package's version file, the SONAME (major
# version) and the newest release in CHANGELOG.md.
set -eu
check=$1 library=$2 build=$3 source=$4 version=$5
fail=0
agree() {  # WHAT FOUND EXPECTED
  [ "$2" = "$3" ] || { echo "$1: '$2', expected '$3'"; fail=1; }
}
printed=$("$check")
agree "the header's macros" "${printed% *}" "$version"
agree "dosm_version()" "${printed#* }" "$version"
agree "dosm.pc" "$(PKG_CONFIG_PATH=$build pkg-config --modversion dosm)" "$version"
agree "dosmConfigVersion.cmake" \
  "$(sed -n 's/^set(PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/dosmConfigVersion.cmake")" "$version"
agree "the SONAME" "$(objdump -p "$library" | awk '$1 == "SONAME" { print $2 }')" \
  "libdosm.so.${version%%.*}"
agree "CHANGELOG.md" \
  "$(sed -n 's/^## \[\([0-9][0-9.]*\)\].*/\1/p' "$source/CHANGELOG.md" | head -1)" "$version"
[ "$fail" = 0 ] && echo "version $version everywhere"
