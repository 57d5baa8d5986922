// HDF5's Fletcher32 checksum (H5_checksum_fletcher32, the filter H5Z_FILTER_FLETCHER32), with the
// same result for every input, computed a vector of words at a time (Highway, any target): HDF5's
// loop adds one 16-bit word to one sum and that sum to the other, a chain of two additions per
// word. The writer checksums the chunks it writes with it (h5::Dataset::write_chunks) and the
// statistics pass checks every chunk it reads back (h5::Dataset::read_chunks).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rxstress::h5 {

std::uint32_t fletcher32(const unsigned char* data, std::size_t bytes);

}  // namespace rxstress::h5
