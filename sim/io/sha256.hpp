// SHA-256 (FIPS 180-4) of a text, as lowercase hex: identifies the exact scenario of a results
// file.
#pragma once

#include <string>
#include <string_view>

namespace rxstress {
std::string sha256_hex(std::string_view data);
}
