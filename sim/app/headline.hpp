// The headline table a CFO reads: one row per delegation model, from a results file.
#pragma once

#include <ostream>
#include <string>

namespace rxstress {
void print_headline(const std::string& results_path, std::ostream& out);
}
