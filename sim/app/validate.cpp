// `rxstress validate`: load every file; with --explain, list each resolved parameter.
#include <fmt/format.h>

#include "rxstress/app.hpp"
#include "rxstress/scenario.hpp"

namespace rxstress {

int validate_command(const std::vector<std::string>& files, bool explain, std::ostream& out,
                     std::ostream& err) {
  int status = 0;
  for (const auto& file : files) {
    try {
      const Scenario sc = load_scenario(file);
      out << fmt::format("{}: ok ({} practices, {} drivers, {} delegation models, {} paths)\n",
                         file, sc.population.size(), sc.drivers.size(), sc.delegation.size(),
                         sc.paths);
      if (!explain) continue;
      out << fmt::format("\n  population: {} practices, {:.0f} patients\n    source: {}\n",
                         sc.population.size(), sc.population.total_list_size(),
                         sc.population.source.empty() ? "(none given)" : sc.population.source);
      for (std::size_t d = 0; d < sc.drivers.size(); ++d) {
        out << fmt::format(
            "\n  driver {} ({})\n    source: {}\n", sc.drivers[d]->name(), sc.drivers[d]->type(),
            sc.drivers[d]->source().empty() ? "(none given)" : sc.drivers[d]->source());
        for (const auto& p : *sc.driver_params[d])
          out << fmt::format("    {:<40} = {:<14} {:<26} {}{}\n", p.key_path, p.value,
                             p.unit.empty() ? "" : "[" + p.unit + "]", p.meaning,
                             p.defaulted ? " (default)" : "");
      }
    } catch (const InputError& e) {
      err << "rxstress: " << e.what() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace rxstress
