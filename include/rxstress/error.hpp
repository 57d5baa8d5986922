// Errors that reach the user. InputError is bad input (exit status 2): it always says where
// (file:line:column), which key, what was wrong and what was expected. Anything else is exit 1.
#pragma once

#include <stdexcept>
#include <string>

namespace rxstress {

// A place in an input file; line and column are 1-based, 0 when unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, std::string key_path, std::string problem, std::string expected);

  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& problem() const { return problem_; }
  const std::string& expected() const { return expected_; }

 private:
  SourceLocation where_;
  std::string key_path_, problem_, expected_;
};

// A value that is valid but most likely a slip (a percentage written as a whole number, pence for
// pounds): reported, and an error with --strict.
struct Warning {
  SourceLocation where;
  std::string key_path, problem, advice;
  std::string text() const;     // "file:line:column: key.path: problem; expected advice"
  InputError as_error() const;  // the same as an error (--strict)
};

// Failure of the machine or a library (I/O, HDF5): exit status 1.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace rxstress
