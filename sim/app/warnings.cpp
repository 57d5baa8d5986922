#include "app/warnings.hpp"

namespace rxstress {

int report_warnings(const Scenario& sc, bool strict, bool quiet, std::ostream& err) {
  for (const auto& w : sc.warnings) {
    if (strict)
      err << "rxstress: " << w.as_error().what() << "\n";
    else if (!quiet)
      err << "rxstress: warning: " << w.text() << "\n";
  }
  return strict && !sc.warnings.empty() ? 2 : 0;
}

}  // namespace rxstress
