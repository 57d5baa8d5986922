// `rxstress summary`: the headline of a results file (per-holder tables come with issue 3).
#include "app/headline.hpp"
#include "rxstress/app.hpp"
#include "rxstress/error.hpp"

namespace rxstress {

int summary_command(const SummaryRequest& r, std::ostream& out, std::ostream& err) {
  try {
    print_headline(r.results, out);
    return 0;
  } catch (const std::exception& e) {
    err << "rxstress: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace rxstress
