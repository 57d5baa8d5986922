#!/usr/bin/env bash
# Installs every Debian package rxstress needs to build, test and analyse, and the packages named
# as arguments (tools/mpi.sh: OpenMPI and parallel HDF5).
# Skips apt entirely when everything is already installed, so repeated runs stay fast.
set -euo pipefail
packages=(build-essential cmake ninja-build pkg-config
  libboost-dev libboost-random-dev libtbb-dev libhdf5-dev hdf5-tools libyaml-cpp-dev catch2
  libbenchmark-dev librandom123-dev libcli11-dev libfmt-dev libhwy-dev nlohmann-json3-dev
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-scipy python3-yaml
  python3-jsonschema
  jupyter-nbconvert python3-ipykernel python3-nbclient
  python3-jinja2 python3-openpyxl python3-setuptools python3-pip chromium "$@")
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
