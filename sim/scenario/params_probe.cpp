// ParamNode in a probe (scenario/probe.hpp): what each read records, and the values it returns.
#include <fmt/format.h>

#include "scenario/param_node.hpp"
#include "scenario/probe.hpp"

namespace rxstress {
namespace {

using nlohmann::json;

std::string described(std::string_view meaning, std::string_view unit) {
  return unit.empty() ? std::string(meaning) : fmt::format("{} [{}]", meaning, unit);
}

// minimum / exclusiveMinimum / maximum / exclusiveMaximum of a Range (infinite ends: none).
void add_bounds(json& s, const Range& r) {
  if (r.lo > -1e299) s[r.lo_open ? "exclusiveMinimum" : "minimum"] = r.lo;
  if (r.hi < 1e299) s[r.hi_open ? "exclusiveMaximum" : "maximum"] = r.hi;
}

// A text key takes any scalar, as the loader does (a name may be written 2026).
const json kScalar = json::array({"string", "number", "boolean"});

}  // namespace

double probe_value(const Range& r) {
  const bool lo_finite = r.lo > -1e299, hi_finite = r.hi < 1e299;
  if (hi_finite && !r.hi_open) return r.hi;  // e.g. a probability of 1, which sums to 1
  if (lo_finite && hi_finite) return (r.lo + r.hi) / 2.0;
  if (lo_finite) return r.lo_open ? r.lo + 1e-3 : r.lo;  // small: a Beta law's sd must be
  return hi_finite ? r.hi - 1.0 : 0.0;
}

std::vector<double> probe_values(const Range& range, std::size_t count) {
  // Fractions summing to 1: a list of probabilities must.
  const bool fractions = range.lo == 0.0 && range.hi == 1.0 && !range.lo_open && !range.hi_open;
  return std::vector<double>(count,
                             fractions ? 1.0 / static_cast<double>(count) : probe_value(range));
}

json number_schema(const Range& range, std::string_view unit, std::string_view meaning,
                   const std::optional<double>& fallback) {
  json s = {{"type", "number"}, {"description", described(meaning, unit)}};
  add_bounds(s, range);
  if (fallback && std::abs(*fallback) < 1e299) s["default"] = *fallback;
  return s;
}

json integer_schema(std::int64_t lo, std::int64_t hi, std::string_view unit,
                    std::string_view meaning, const std::optional<std::int64_t>& fallback) {
  json s = {{"type", "integer"},
            {"minimum", lo},
            {"maximum", hi},
            {"description", described(meaning, unit)}};
  if (fallback) s["default"] = *fallback;
  return s;
}

json numbers_schema(const Range& range, std::size_t min_count, std::size_t max_count,
                    std::string_view unit, std::string_view meaning) {
  json item = {{"type", "number"}};
  add_bounds(item, range);
  return {{"type", "array"},
          {"items", item},
          {"minItems", min_count},
          {"maxItems", max_count},
          {"description", described(meaning, unit)}};
}

json text_schema(std::string_view meaning, const std::optional<std::string>& fallback) {
  json s = {{"type", kScalar}, {"description", std::string(meaning)}};
  if (fallback && !fallback->empty()) s["default"] = *fallback;
  return s;
}

json texts_schema(std::string_view meaning) {
  return {{"type", "array"}, {"items", {{"type", kScalar}}}, {"description", std::string(meaning)}};
}

json choice_schema(const std::string& option, std::string_view meaning,
                   const std::optional<std::string>& fallback) {
  json s = {{"enum", json::array({option})}, {"description", std::string(meaning)}};
  if (fallback) s["default"] = *fallback;
  return s;
}

ParamNode ParamNode::probe(std::string key_path, std::shared_ptr<ProbeShape> shape,
                           std::shared_ptr<ReadingState> state) {
  ParamNode node(YAML::Node(YAML::NodeType::Map), "(schema)", std::move(key_path),
                 std::make_shared<ParamLog>(), std::move(state));
  node.shape_ = std::move(shape);
  return node;
}

bool ParamNode::probe_absent(std::string_view key) const {
  const auto it = shape_->present.find(std::string(key));
  return it != shape_->present.end() && !it->second;
}

void ParamNode::declare(std::string_view key, const json& schema, bool required,
                        std::shared_ptr<ProbeShape> mapping) const {
  shape_->add({std::string(key), schema, std::move(mapping), required});
}

ParamNode ParamNode::probe_child(std::string_view key, bool required) const {
  auto shape = std::make_shared<ProbeShape>();
  declare(key, json::object(), required, shape);
  return probe(path_of(key), shape, state_);
}

}  // namespace rxstress
