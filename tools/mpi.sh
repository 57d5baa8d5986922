#!/usr/bin/env bash
# The MPI build (issue 14): installs OpenMPI and parallel HDF5 (Debian), builds rxstress with
# -DRXSTRESS_MPI=ON in build-mpi (Release; its own directory, as the HDF5 choice is cached) and
# runs the MPI tests (ctest -L mpi: mpirun -n 2 and 3 against one process, bit for bit).
#
#   bash tools/mpi.sh            install, build, test
#   BUILD_ONLY=1 bash tools/mpi.sh
#
# Then: mpirun -n R build-mpi/rxstress run SCENARIO.yaml --threads T -o results.h5
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh openmpi-bin libopenmpi-dev libhdf5-openmpi-dev
cmake -S . -B build-mpi -G Ninja -DCMAKE_BUILD_TYPE=Release -DRXSTRESS_MPI=ON
cmake --build build-mpi -j"${MPI_JOBS:-2}" --target rxstress
[[ ${BUILD_ONLY:-0} == 1 ]] && exit 0
ctest --test-dir build-mpi -L mpi --output-on-failure -j2
