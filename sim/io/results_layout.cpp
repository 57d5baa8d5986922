#include "io/results_layout.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace rxstress {
namespace {

using Shape = std::vector<std::string>;

// Several datasets of one type and shape under one group.
void add(std::vector<DatasetSpec>& specs, const std::string& group,
         std::initializer_list<const char*> names, const std::string& type,
         std::vector<Shape> shapes, bool optional = false) {
  for (const char* name : names) specs.push_back({group + "/" + name, type, shapes, optional});
}

std::vector<DatasetSpec> model_statistics(const std::string& stats, const std::string& H) {
  std::vector<DatasetSpec> s;
  add(s, stats, {"mean", "sd", "se_mean", "cv"}, "float64", {{"Y", H}});
  add(s, stats, {"quantiles"}, "float64", {{"Y", H, "10"}});
  add(s, stats, {"var", "es", "q95_ci"}, "float64", {{"Y", H, "2"}});
  add(s, stats, {"return_period_loss"}, "float64", {{"Y", H, "6"}});
  add(s, stats, {"p_exceed"}, "float64", {{"Y", H, "X"}});
  return s;
}

std::vector<DatasetSpec> build_specs() {
  std::vector<DatasetSpec> s;
  s.push_back({"/scenario", "string", {{}}});
  add(s, "/practices", {"id", "name", "neighbourhood", "provider"}, "string", {{"P"}});
  add(s, "/practices", {"list_size", "annual_spend", "generic_share"}, "float64", {{"P"}});
  add(s, "/practices", {"budget"}, "float64", {{"Y", "P"}});
  add(s, "/drivers", {"names", "types", "sources", "parameters"}, "string", {{"D"}});
  add(s, "/drivers", {"expected_annual"}, "float64", {{"D", "Y"}});
  add(s, "/drivers/detail", {"{driver}"}, "float64", {{"Y", "K", "P"}}, true);
  const std::string m = "/models/{model}";
  add(s, m, {"holders"}, "string", {{"H"}});
  add(s, m, {"list_size"}, "float64", {{"H"}});
  add(s, m, {"budget"}, "float64", {{"Y", "H"}});
  add(s, m, {"gross", "outcome"}, "float64", {{"Y", "K", "H"}});
  add(s, m, {"icb_residual", "icb_carries"}, "float64", {{"Y", "K"}});
  add(s, m, {"breaches"}, "int32", {{"Y", "K", "X"}});
  add(s, m, {"gross_by_driver"}, "float64", {{"Y", "K", "H", "D"}}, true);
  for (auto& spec : model_statistics(m + "/stats", "H")) s.push_back(spec);
  add(s, m + "/stats", {"attribution"}, "float64", {{"Y", "H", "D"}});
  add(s, m + "/stats", {"es95_attribution"}, "float64", {{"Y", "H", "D"}}, true);
  add(s, m + "/stats", {"breaches_mean", "breaches_p95"}, "float64", {{"Y", "X"}});
  add(s, m + "/stats/convergence", {"paths"}, "float64", {{"4"}});
  add(s, m + "/stats/convergence", {"mean", "se_mean", "q95", "se_q95"}, "float64",
      {{"Y", "H", "4"}});
  add(s, m + "/stats", {"reserve"}, "float64", {{"Y", "H", "C"}});
  for (auto& spec : model_statistics(m + "/stats/icb_residual", "1")) s.push_back(spec);
  for (auto& spec : model_statistics(m + "/stats/icb_carries", "1")) s.push_back(spec);
  add(s, "/national", {"{series}"}, "float64", {{"K"}, {"K", "T"}}, true);
  add(s, "/trajectories/{level}", {"holders"}, "string", {{"H"}}, true);
  add(s, "/trajectories/{level}", {"budget"}, "float64", {{"T", "H"}}, true);
  add(s, "/trajectories/{level}", {"spend"}, "float64", {{"S", "T", "H"}}, true);
  return s;
}

// Files of random stream scheme 1 (rxstress 0.1) have no stream_version; still format version 1.
constexpr std::string_view kOptionalRootAttribute = "stream_version";

constexpr const char* kPlaceholders[] = {"{model}", "{level}", "{series}", "{driver}"};

std::string placeholder_of(const std::string& path) {
  for (const char* p : kPlaceholders)
    if (path.find(p) != std::string::npos) return p;
  return {};
}

// The names that fill `placeholder` in `pattern` among the file's dataset paths.
std::set<std::string> names_in(const std::string& pattern, const std::string& placeholder,
                               const std::vector<std::string>& paths) {
  const auto at = pattern.find(placeholder);
  const std::string before = pattern.substr(0, at), after = pattern.substr(at + placeholder.size());
  std::set<std::string> names;
  for (const auto& p : paths)
    if (p.size() > before.size() + after.size() && p.starts_with(before) && p.ends_with(after)) {
      const std::string name = p.substr(before.size(), p.size() - before.size() - after.size());
      if (name.find('/') == std::string::npos) names.insert(name);
    }
  return names;
}

std::string replaced(std::string path, const std::string& placeholder, const std::string& name) {
  if (!placeholder.empty()) path.replace(path.find(placeholder), placeholder.size(), name);
  return path;
}

// The numbers FORMAT.md's letters stand for in `file`; H per model or trajectory level.
class Letters {
 public:
  explicit Letters(const h5::File& f) {
    values_["Y"] = f.attr_strings("settlement_years").size();
    values_["K"] = static_cast<hsize_t>(f.attr_int("paths"));
    values_["T"] = static_cast<hsize_t>(f.attr_int("horizon_months"));
    values_["P"] = first_dim(f, "/practices/id");
    values_["D"] = first_dim(f, "/drivers/names");
    if (f.exists("trajectories")) values_["S"] = f.open_group("trajectories").attr_int("paths");
    const auto models = f.open_group("models").attr_strings("order");
    if (!models.empty()) {
      const std::string first = "models/" + models[0];
      set_from_attribute(f, "X", first + "/breaches", "thresholds");
      set_from_attribute(f, "C", first + "/stats/reserve", "cover");
    }
  }
  // For a dataset under /models/<m> or /trajectories/<level>: H is that group's holder count.
  void set_holders(const h5::File& f, const std::string& group) {
    values_.erase("H");
    if (f.exists(group + "/holders")) values_["H"] = first_dim(f, group + "/holders");
  }
  // The numbers of a shape, or nothing when a letter is unknown (its dataset is missing).
  std::optional<std::vector<hsize_t>> resolve(const Shape& shape) const {
    std::vector<hsize_t> dims;
    for (const auto& d : shape) {
      if (std::isdigit(static_cast<unsigned char>(d[0]))) {
        dims.push_back(std::stoull(d));
      } else if (const auto it = values_.find(d); it != values_.end()) {
        dims.push_back(it->second);
      } else {
        return std::nullopt;
      }
    }
    return dims;
  }

 private:
  // `letter` is the length of `attribute` of the dataset at `path`, when the dataset exists.
  void set_from_attribute(const h5::File& f, const std::string& letter, const std::string& path,
                          const std::string& attribute) {
    if (f.exists(path)) values_[letter] = f.open_dataset(path).attr_doubles(attribute).size();
  }
  static hsize_t first_dim(const h5::File& f, const std::string& path) {
    if (!f.exists(path)) return 0;
    const auto dims = f.open_dataset(path).dims();
    return dims.empty() ? 0 : dims[0];
  }
  std::map<std::string, hsize_t> values_;
};

std::string text(const std::vector<hsize_t>& dims) {
  return fmt::format("[{}]", fmt::join(dims, ", "));
}

std::string text(const Shape& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

// The problem with one dataset, or empty when it is as documented.
std::string check_one(const h5::File& f, const std::string& path, const DatasetSpec& spec,
                      const Letters& letters) {
  const h5::Dataset d = f.open_dataset(path);
  if (d.type_name() != spec.type)
    return fmt::format("{}: element type {}; FORMAT.md: {}", path, d.type_name(), spec.type);
  const auto dims = d.dims();
  std::string expected;
  for (const Shape& shape : spec.shapes) {
    const auto want = letters.resolve(shape);
    if (!want) return {};  // a letter's own dataset is missing: reported there
    if (*want == dims) return {};
    expected += (expected.empty() ? "" : " or ") + text(shape) + " = " + text(*want);
  }
  return fmt::format("{}: shape {}; FORMAT.md: {}", path, text(dims), expected);
}

}  // namespace

const std::vector<DatasetSpec>& documented_datasets() {
  static const std::vector<DatasetSpec> specs = build_specs();
  return specs;
}

const std::vector<std::string>& documented_root_attributes() {
  static const std::vector<std::string> names = {
      "format",         "format_version",  "rxstress_version",
      "stream_version", "created",         "seed",
      "paths",          "horizon_months",  "start",
      "scenario_name",  "scenario_sha256", "command_line",
      "currency",       "settlement_years"};
  return names;
}

LayoutCheck check_layout(const h5::File& f) {
  LayoutCheck out;
  for (const auto& name : documented_root_attributes())
    if (!f.has_attr(name) && name != kOptionalRootAttribute)
      out.problems.push_back("/: no attribute '" + name + "'");
  const std::vector<std::string> paths = f.dataset_paths();
  const auto models = f.open_group("models").attr_strings("order");
  std::set<std::string> documented;
  Letters letters(f);
  for (const DatasetSpec& spec : documented_datasets()) {
    const std::string placeholder = placeholder_of(spec.path);
    std::set<std::string> names = placeholder == "{model}"
                                      ? std::set<std::string>(models.begin(), models.end())
                                      : names_in(spec.path, placeholder, paths);
    if (placeholder.empty()) names = {""};
    for (const std::string& name : names) {
      const std::string path = replaced(spec.path, placeholder, name);
      documented.insert(path);
      if (!f.exists(path)) {
        if (!spec.optional) out.problems.push_back(path + ": missing");
        continue;
      }
      const auto group = path.substr(0, path.find('/', path.find('/', 1) + 1));
      letters.set_holders(f, placeholder == "{model}" || placeholder == "{level}" ? group : "");
      ++out.datasets;
      if (auto problem = check_one(f, path, spec, letters); !problem.empty())
        out.problems.push_back(std::move(problem));
    }
  }
  for (const auto& p : paths)
    if (!documented.contains(p)) out.undocumented.push_back(p);
  return out;
}

}  // namespace rxstress
