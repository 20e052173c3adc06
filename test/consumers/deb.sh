#!/bin/sh
# Builds the Debian packages (cpack -G DEB) from a fresh /usr build, checks
# each one's control fields and file list against deb/*.contents, unpacks
# all three into one scratch root and builds consumers against that root:
# find_package (linking without GCC's LTO plugin, as other compilers and
# linkers do, so libdosm.a must hold machine code, not only LTO bytecode) and
# pkg-config; then runs them and the packaged tool on the packaged workflows.
set -eu
source=$1 version=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"
build=$scratch/build root=$scratch/root
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
cmake -S "$source" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
(cd "$build" && cpack -G DEB >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; exit 1; }

for pkg in libdosm libdosm-dev dosm-tools; do
  deb=$build/${pkg}_${version}_$(dpkg --print-architecture).deb
  # The multiarch directory, the version and libc6's minimum vary by machine.
  { dpkg-deb -f "$deb" Package Version Section Depends
    dpkg-deb -c "$deb" | awk '{ $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }'
  } | sed -e "s,/$multiarch/,/MULTIARCH/," -e "s/$version/VERSION/g" \
          -e 's/libc6 (>= [0-9.]*)/libc6 (>= ANY)/' > "$scratch/$pkg.contents"
  diff -u "$source/test/consumers/deb/$pkg.contents" "$scratch/$pkg.contents"
  dpkg -x "$deb" "$root"
  echo "$pkg: $(stat -c %s "$deb") bytes"
done

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
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$lib/pkgconfig"
[ "$(pkg-config --modversion dosm)" = "$version" ]
make -s -C "$scratch/make" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/make/consumer" $fire

LD_LIBRARY_PATH=$lib "$root/usr/bin/dosm" lint "$root"/usr/share/dosm/states/*.yaml
echo "packages built, installed and used"
