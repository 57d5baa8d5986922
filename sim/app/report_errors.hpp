// The exit status of the commands that read a results file (summary, replay): the command's own,
// or 2 for bad input (no such file, not a results file, no such model or path) and 1 for anything
// else, each with its one-line message on `err`.
#pragma once

#include <exception>
#include <ostream>

#include "rxstress/error.hpp"

namespace rxstress {

template <class Command>
int status_reporting_errors(std::ostream& err, Command&& command) {
  try {
    return command();
  } catch (const InputError& e) {
    err << "rxstress: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "rxstress: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace rxstress
