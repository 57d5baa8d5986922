// Damage to an HDF5 file at a known place, for the tests of checksums (issue 18): where a
// dataset's chunk or an object's header lies in the file, and bytes flipped there.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

namespace rxstress::testing {

struct Extent {
  std::uint64_t offset = 0, size = 0;  // bytes from the start of the file
};

// Where chunk `index` (in HDF5's order) of a chunked dataset is stored.
inline Extent chunk_extent(const std::string& file, const std::string& dataset, hsize_t index = 0) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  const hid_t space = H5Dget_space(d);
  hsize_t coords[H5S_MAX_RANK];
  unsigned mask = 0;
  haddr_t addr = HADDR_UNDEF;
  hsize_t size = 0;
  const herr_t status = H5Dget_chunk_info(d, space, index, coords, &mask, &addr, &size);
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  if (status < 0 || addr == HADDR_UNDEF) throw std::runtime_error("no chunk in " + dataset);
  return {addr, size};
}

// Where an object's header starts.
inline std::uint64_t header_address(const std::string& file, const std::string& object) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  H5O_info_t info{};
  const herr_t status = H5Oget_info_by_name2(f, object.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT);
  H5Fclose(f);
  if (status < 0) throw std::runtime_error("no object " + object);
  return info.addr;
}

// Inverts `count` bytes from `offset` (every bit changes).
inline void flip_bytes(const std::string& file, std::uint64_t offset, std::uint64_t count) {
  std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
  for (std::uint64_t i = 0; i < count; ++i) {
    io.seekg(static_cast<std::streamoff>(offset + i));
    const int c = io.get();
    if (c == EOF) throw std::runtime_error("flip_bytes: past the end of " + file);
    io.seekp(static_cast<std::streamoff>(offset + i));
    io.put(static_cast<char>(~c));
  }
}

}  // namespace rxstress::testing
