// `rxstress schema`: the JSON Schema of scenario files, for editors and CI.
#include "scenario/schema.hpp"

#include "rxstress/app.hpp"

namespace rxstress {

int schema_command(std::ostream& out, std::ostream& err) {
  try {
    out << scenario_schema().dump(2) << "\n";
    return 0;
  } catch (const std::exception& e) {
    err << "rxstress: cannot generate the schema: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace rxstress
