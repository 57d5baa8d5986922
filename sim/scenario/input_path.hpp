// What a path named by a scenario (a base it extends, a population CSV) is, found without
// throwing. std::filesystem's throwing calls turn a name too long, a loop of symbolic links or a
// directory that may not be searched into std::filesystem::filesystem_error, which is not bad
// input's answer (file:line:column, exit 2): fuzzing found `extends:` with a 250-byte name.
#pragma once

#include <filesystem>
#include <string>

namespace rxstress {

enum class PathKind { missing, regular, directory, other, unusable };

struct PathStatus {
  PathKind kind = PathKind::missing;
  std::string problem;  // unusable: what the system said (e.g. "File name too long")
};

PathStatus path_status(const std::filesystem::path& path);

}  // namespace rxstress
