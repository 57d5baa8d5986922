// `rxstress validate`: load every file; with --explain, list every resolved value (as text or, with
// --format json, for tools); plausibility warnings are printed, and are errors with --strict.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/explain.hpp"
#include "app/warnings.hpp"
#include "rxstress/app.hpp"
#include "rxstress/scenario.hpp"

namespace rxstress {
namespace {

std::string summary_line(const Scenario& sc) {
  return fmt::format("{} practices, {} drivers, {} delegation models, {} paths",
                     sc.population.size(), sc.drivers.size(), sc.delegation.size(), sc.paths);
}

}  // namespace

int validate_command(const ValidateRequest& r, std::ostream& out, std::ostream& err) {
  const bool json = r.format == "json";
  nlohmann::json report = nlohmann::json::array();
  int status = 0;
  for (const auto& file : r.files) {
    try {
      const Scenario sc = load_scenario(file);
      if (const int s = report_warnings(sc, r.strict, json, err)) {
        status = s;
        if (json) report.push_back({{"file", file}, {"ok", false}, {"warnings_as_errors", true}});
        continue;
      }
      if (json) {
        nlohmann::json entry = r.explain ? explain_json(sc) : nlohmann::json{{"file", file}};
        entry["ok"] = true;
        entry["summary"] = summary_line(sc);
        report.push_back(entry);
        continue;
      }
      out << fmt::format("{}: ok ({})\n", file, summary_line(sc));
      if (r.explain) explain_text(sc, out);
    } catch (const InputError& e) {
      err << "rxstress: " << e.what() << "\n";
      if (json) report.push_back({{"file", file}, {"ok", false}, {"error", e.what()}});
      status = 2;
    }
  }
  if (json) out << report.dump(2) << "\n";
  return status;
}

}  // namespace rxstress
