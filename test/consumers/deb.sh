#!/bin/sh
# Builds the Debian packages (cpack -G DEB) from a fresh /usr build, checks
# each one's control fields, maintainer scripts and file list against
# deb/*.contents, unpacks all three into one scratch root and builds
# consumers against that root: find_package (linking without GCC's LTO
# plugin, as other compilers and linkers do, so libdosm.a must hold machine
# code, not only LTO bytecode) and pkg-config with nothing but
# PKG_CONFIG_PATH (dosm.pc finds the moved tree itself); then runs them and
# the packaged tool, without LD_LIBRARY_PATH, on the packaged workflows.
# The packages are test artefacts: their maintainer is this test, at a
# reserved domain (RFC 2606 .invalid), unless DEBFULLNAME and DEBEMAIL say
# who builds them.
# Then cpack again in OUTER, the build running this test, whatever its
# prefix: the tool from those packages must start too.
set -eu
source=$1 version=$2 scratch=$3 outer=${4:-}
rm -rf "$scratch" && mkdir -p "$scratch"
build=$scratch/build root=$scratch/root
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
maintainer="libdosm consumers_deb test <consumers-deb@libdosm.invalid>"
[ -n "${DEBFULLNAME:-}" ] && [ -n "${DEBEMAIL:-}" ] && maintainer="$DEBFULLNAME <$DEBEMAIL>"
cmake -S "$source" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DDOSM_BUILD_EXAMPLES=OFF \
  -DDOSM_DEB_MAINTAINER="$maintainer" >/dev/null
cmake --build "$build" -j2 >/dev/null
(cd "$build" && cpack -G DEB >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; exit 1; }

for pkg in libdosm0 libdosm-dev dosm-tools; do
  deb=$build/${pkg}_${version}-1_$(dpkg --print-architecture).deb
  # The multiarch directory, the version and libc6's minimum vary by machine.
  { dpkg-deb -f "$deb" Package Source Version Section Depends
    echo "control: $(dpkg-deb --ctrl-tarfile "$deb" | tar -t | sed -n 's,^\./\(..*\),\1,p' | sort | paste -sd ' ')"
    dpkg-deb -c "$deb" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }'
  } | sed -e "s,/$multiarch/,/MULTIARCH/," -e "s/$version/VERSION/g" \
          -e 's/libc6 (>= [0-9.]*)/libc6 (>= ANY)/' > "$scratch/$pkg.contents"
  diff -u "$source/test/consumers/deb/$pkg.contents" "$scratch/$pkg.contents"
  dpkg -x "$deb" "$root"
  echo "$pkg: $(stat -c %s "$deb") bytes"
done
# The runtime package asks for ldconfig by trigger and says who provides
# the SONAME.
dpkg-deb -I "$build/libdosm0_${version}-1_$(dpkg --print-architecture).deb" triggers shlibs

lib=$root/usr/lib/$multiarch
fire="$root/usr/share/dosm/states/dwos-connect.yaml lab_received WAITING_FOR_DESIGN"
cmake -S "$source/test/consumers/cmake" -B "$scratch/cmake" \
  -DCMAKE_EXE_LINKER_FLAGS=-fno-use-linker-plugin \
  -DCMAKE_PREFIX_PATH="$root/usr" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_shared" $fire
"$scratch/cmake/consumer_static" $fire
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_cxx" $fire

cp -r "$source/test/consumers/make" "$scratch/make"
cp "$source/test/consumers/consumer.c" "$scratch/"
export PKG_CONFIG_PATH="$lib/pkgconfig"
[ "$(pkg-config --modversion dosm)" = "$version" ]
[ "$(pkg-config --variable=includedir dosm)" -ef "$root/usr/include" ]
make -s -C "$scratch/make" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/make/consumer" $fire

"$root/usr/bin/dosm" lint "$root"/usr/share/dosm/states/*.yaml

if [ -n "$outer" ]; then
  (cd "$outer" && cpack -G DEB -D CPACK_PACKAGE_CONTACT="$maintainer" \
     -B "$scratch/outer" >"$scratch/outer.log" 2>&1) || { cat "$scratch/outer.log"; exit 1; }
  for deb in "$scratch"/outer/*.deb; do dpkg -x "$deb" "$scratch/outer/root"; done
  "$scratch/outer/root/usr/bin/dosm" --version >/dev/null
  ls "$scratch"/outer/root/usr/lib/*/libdosm.so.0 "$scratch"/outer/root/usr/lib/libdosm.so.0 2>/dev/null | grep -q .
fi
echo "packages built, installed and used"
