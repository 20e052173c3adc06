#!/bin/sh
# Installs the built library into a scratch prefix and builds consumers
# against it: find_package (shared, static, and C++11) and pkg-config with a
# plain Makefile; each loads a shipped workflow from the prefix and fires one
# event. Then the README's embedding example, and the installed tool.
# DOSM_CONSUMER_CC, DOSM_CONSUMER_CXX and DOSM_CONSUMER_FLAGS (the build's
# compilers and -fsanitize options, from CMakeLists.txt) build them all.
set -eu
build=$1 source=$2 scratch=$3
cc=${DOSM_CONSUMER_CC:-cc} cxx=${DOSM_CONSUMER_CXX:-} flags=${DOSM_CONSUMER_FLAGS:-}
rm -rf "$scratch" && mkdir -p "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
lib=$(ls -d "$scratch"/prefix/lib*)
fire="$scratch/prefix/share/dosm/states/dwos-connect.yaml lab_received WAITING_FOR_DESIGN"

cmake -S "$source/test/consumers/cmake" -B "$scratch/cmake" \
  -DCMAKE_C_COMPILER="$cc" ${cxx:+-DCMAKE_CXX_COMPILER="$cxx"} \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_shared" $fire
"$scratch/cmake/consumer_static" $fire
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_cxx" $fire
# The static one must not need the shared library at run time.
! ldd "$scratch/cmake/consumer_static" | grep -q libdosm

cp -r "$source/test/consumers/make" "$scratch/make"
cp "$source/test/consumers/consumer.c" "$scratch/"
# No --define-prefix: dosm.pc finds the prefix it was installed to itself.
PKG_CONFIG_PATH=$(dirname "$(find "$scratch/prefix" -name dosm.pc)") CC=$cc CFLAGS=$flags \
  make -s -C "$scratch/make" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/make/consumer" $fire

# The README's embedding example, as a reader would build it.
sed -n '/^```c$/,/^```$/p' "$source/README.md" | sed '1d;$d' > "$scratch/example.c"
PKG_CONFIG_PATH=$(dirname "$(find "$scratch/prefix" -name dosm.pc)") \
  sh -c '$1 $2 -std=c99 -Wall -Wextra -Werror -o "$3/example" "$3/example.c" $(pkg-config --cflags --libs dosm)' \
  sh "$cc" "$flags" "$scratch"
LD_LIBRARY_PATH=$lib "$scratch/example"

# The installed tool starts without LD_LIBRARY_PATH (it links libdosm.a).
"$scratch/prefix/bin/dosm" lint "$scratch"/prefix/share/dosm/states/*.yaml
echo "all consumers built and ran"
