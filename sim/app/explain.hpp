// `rxstress validate --explain`: every resolved value of a scenario (every section), with its
// unit, meaning and where it was set (file:line:column, or "default"), as text or JSON.
#pragma once

#include <nlohmann/json.hpp>

#include <ostream>

#include "rxstress/scenario.hpp"

namespace rxstress {

// One section per top-level key (the drivers one by one), a line per value.
void explain_text(const Scenario& sc, std::ostream& out);

// {"file", "name", "practices", "patients", "drivers": [{name, type, source}], "values":
// [{key, value, unit, meaning, default, file, line, column}], "warnings": [...]}.
nlohmann::json explain_json(const Scenario& sc);

}  // namespace rxstress
