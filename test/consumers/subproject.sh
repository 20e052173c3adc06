#!/bin/sh
# Builds libdosm from this source tree inside two host projects, one with
# add_subdirectory and one with FetchContent, and runs their consumer. Inside
# another project libdosm installs nothing and adds no tests.
set -eu
source=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch"
fire="$source/states/dwos-connect.yaml lab_received WAITING_FOR_DESIGN"
for how in subdirectory fetchcontent; do
  cmake -S "$source/test/consumers/$how" -B "$scratch/$how" \
    -DDOSM_SOURCE_DIR="$source" >/dev/null
  cmake --build "$scratch/$how" -j2 >/dev/null
  "$scratch/$how/consumer" $fire
  cmake --install "$scratch/$how" --prefix "$scratch/$how-installed" >/dev/null
  [ ! -e "$scratch/$how-installed" ] || { echo "$how installed files"; exit 1; }
  ctest --test-dir "$scratch/$how" -N | grep -q '^Total Tests: 0$'
done
echo "both subprojects built and ran"
