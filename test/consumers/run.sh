#!/bin/sh
# Installs the built library into a scratch prefix and builds consumers
# against it: find_package (shared, static, and C++11) and pkg-config with a
# plain Makefile; each loads a shipped workflow from the prefix and fires one
# event. Then the README's embedding example.
set -eu
build=$1 source=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
lib=$(ls -d "$scratch"/prefix/lib*)
fire="$scratch/prefix/share/dosm/states/dwos-connect.yaml lab_received WAITING_FOR_DESIGN"

cmake -S "$source/test/consumers/cmake" -B "$scratch/cmake" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_shared" $fire
"$scratch/cmake/consumer_static" $fire
LD_LIBRARY_PATH=$lib "$scratch/cmake/consumer_cxx" $fire
# The static one must not need the shared library at run time.
! ldd "$scratch/cmake/consumer_static" | grep -q libdosm

cp -r "$source/test/consumers/make" "$scratch/make"
cp "$source/test/consumers/consumer.c" "$scratch/"
PKG_CONFIG_PATH=$(dirname "$(find "$scratch/prefix" -name dosm.pc)") \
  make -s -C "$scratch/make" PKG_CONFIG="pkg-config --define-prefix" >/dev/null
LD_LIBRARY_PATH=$lib "$scratch/make/consumer" $fire

# The README's embedding example, as a reader would build it.
sed -n '/^```c$/,/^```$/p' "$source/README.md" | sed '1d;$d' > "$scratch/example.c"
PKG_CONFIG="pkg-config --define-prefix" PKG_CONFIG_PATH=$(dirname "$(find "$scratch/prefix" -name dosm.pc)") \
  sh -c 'cc -std=c99 -Wall -Wextra -Werror -o "$1/example" "$1/example.c" $($PKG_CONFIG --cflags --libs dosm)' sh "$scratch"
LD_LIBRARY_PATH=$lib "$scratch/example"
echo "all consumers built and ran"
