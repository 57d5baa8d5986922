#include "rxstress/error.hpp"

#include <fmt/format.h>

namespace rxstress {
namespace {

std::string format_located(const SourceLocation& where, const std::string& key_path,
                           const std::string& problem, const std::string& expected) {
  std::string out = where.file;
  if (where.line > 0) out += fmt::format(":{}:{}", where.line, where.column);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += problem;
  if (!expected.empty()) out += "; expected " + expected;
  return out;
}

}  // namespace

InputError::InputError(SourceLocation where, std::string key_path, std::string problem,
                       std::string expected)
    : std::runtime_error(format_located(where, key_path, problem, expected)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(problem)),
      expected_(std::move(expected)) {}

std::string Warning::text() const { return format_located(where, key_path, problem, advice); }

InputError Warning::as_error() const {
  return InputError(where, key_path, problem + " (a warning, an error with --strict)", advice);
}

}  // namespace rxstress
