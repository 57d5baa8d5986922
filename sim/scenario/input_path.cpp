#include "scenario/input_path.hpp"

namespace rxstress {

PathStatus path_status(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) return {PathKind::missing, ""};
  if (ec) return {PathKind::unusable, ec.message()};
  if (status.type() == fs::file_type::regular) return {PathKind::regular, ""};
  if (status.type() == fs::file_type::directory) return {PathKind::directory, ""};
  return {PathKind::other, ""};
}

}  // namespace rxstress
