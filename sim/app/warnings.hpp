// A scenario's plausibility warnings (values valid but most likely unit slips), as `run` and
// `validate` report them.
#pragma once

#include <ostream>

#include "rxstress/scenario.hpp"

namespace rxstress {

// Prints each warning on one line ("rxstress: warning: file:line:column: ..."), or, with
// `strict`, each as an error; returns 2 when strict and there is any (the run must stop), else 0.
// `quiet` silences the warnings, never the errors.
int report_warnings(const Scenario& sc, bool strict, bool quiet, std::ostream& err);

}  // namespace rxstress
