#include "scenario/probe.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "rxstress/error.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {
namespace {

using nlohmann::json;

// More combinations than any section has (the drivers: about 200); a guard against a reader
// whose decisions multiply without bound.
constexpr int kMaxRuns = 100000;

// Whether two schemas are equal but for the keywords `ignored` (compared without copying: the
// merge compares every pair of runs).
bool same_apart_from(const json& a, const json& b,
                     std::initializer_list<std::string_view> ignored) {
  const auto skipped = [&](const std::string& k) {
    return std::find(ignored.begin(), ignored.end(), k) != ignored.end();
  };
  for (const auto& [k, v] : a.items())
    if (!skipped(k) && (!b.contains(k) || b[k] != v)) return false;
  for (const auto& [k, v] : b.items())
    if (!skipped(k) && !a.contains(k)) return false;
  return true;
}

std::vector<std::string> keys_of(const json& object_schema) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : object_schema["properties"].items()) keys.push_back(k);
  return keys;
}

json required_of(const json& s) { return s.value("required", json::array()); }

bool is_object_schema(const json& s) { return s.is_object() && s.contains("properties"); }

json union_schema(const json& a, const json& b);

// Two object schemas as one, when they differ in one value only or one lacks keys of the other
// (then those keys are optional); nullopt otherwise.
std::optional<json> merge_pair(const json& a, const json& b) {
  if (!is_object_schema(a) || !is_object_schema(b)) return std::nullopt;
  if (!same_apart_from(a, b, {"properties", "required"})) return std::nullopt;
  const auto ka = keys_of(a), kb = keys_of(b);
  const json ra = required_of(a), rb = required_of(b);
  json required = json::array();
  for (const auto& r : ra)
    if (std::find(rb.begin(), rb.end(), r) != rb.end()) required.push_back(r);
  const auto with_required = [&](json merged) {
    merged.erase("required");
    if (!required.empty()) merged["required"] = required;
    return merged;
  };
  const bool a_in_b = std::includes(kb.begin(), kb.end(), ka.begin(), ka.end());
  const bool b_in_a = std::includes(ka.begin(), ka.end(), kb.begin(), kb.end());
  if (ka != kb && (a_in_b || b_in_a)) {
    const json& small = a_in_b ? a : b;
    const json& big = a_in_b ? b : a;
    for (const auto& k : keys_of(small))
      if (small["properties"][k] != big["properties"][k]) return std::nullopt;
    return with_required(big);
  }
  if (ka != kb) return std::nullopt;
  std::vector<std::string> differing;
  for (const auto& k : ka)
    if (a["properties"][k] != b["properties"][k]) differing.push_back(k);
  if (differing.empty()) return with_required(a);  // only which keys are required differs
  if (differing.size() > 1) return std::nullopt;
  // One value differs; the keys required must be the same but for that one (required only if
  // both require it).
  const std::string& k = differing.front();
  json others_a = ra, others_b = rb;
  others_a.erase(std::remove(others_a.begin(), others_a.end(), k), others_a.end());
  others_b.erase(std::remove(others_b.begin(), others_b.end(), k), others_b.end());
  if (others_a != others_b) return std::nullopt;
  json merged = a;
  merged["properties"][k] = union_schema(a["properties"][k], b["properties"][k]);
  return with_required(merged);
}

// The members of an anyOf (or the schema itself).
std::vector<json> alternatives(const json& s) {
  if (s.is_object() && s.size() == 1 && s.contains("anyOf"))
    return s["anyOf"].get<std::vector<json>>();
  return {s};
}

json union_schema(const json& a, const json& b) {
  if (a == b) return a;
  if (a.contains("enum") && b.contains("enum") && same_apart_from(a, b, {"enum"})) {
    json merged = a;
    for (const auto& v : b["enum"])
      if (std::find(merged["enum"].begin(), merged["enum"].end(), v) == merged["enum"].end())
        merged["enum"].push_back(v);
    std::sort(merged["enum"].begin(), merged["enum"].end());
    return merged;
  }
  if (a.contains("items") && b.contains("items") && same_apart_from(a, b, {"items"})) {
    json merged = a;
    merged["items"] = union_schema(a["items"], b["items"]);
    return merged;
  }
  std::vector<json> all = alternatives(a);
  for (const auto& s : alternatives(b)) all.push_back(s);
  return merge_schemas(all);
}

// The two readings of one combination (smallest and largest samples) as one: every bound the
// wider of the two.
json widen(const json& low, const json& high) {
  if (low.is_object() && high.is_object()) {
    json out = low;
    for (auto& [key, value] : out.items()) {
      if (!high.contains(key)) continue;
      const json& other = high[key];
      if (key == "minimum" || key == "exclusiveMinimum" || key == "minItems")
        value = std::min(value, other);
      else if (key == "maximum" || key == "exclusiveMaximum" || key == "maxItems")
        value = std::max(value, other);
      else
        value = widen(value, other);
    }
    return out;
  }
  if (low.is_array() && high.is_array() && low.size() == high.size()) {
    json out = json::array();
    for (std::size_t i = 0; i < low.size(); ++i) out.push_back(widen(low[i], high[i]));
    return out;
  }
  return low;
}

}  // namespace

ProbeShape::Key* ProbeShape::find(const std::string& name) {
  for (auto& k : keys)
    if (k.name == name) return &k;
  return nullptr;
}

void ProbeShape::add(Key key) {
  if (Key* old = find(key.name))
    *old = std::move(key);
  else
    keys.push_back(std::move(key));
}

json ProbeShape::to_json() const {
  json properties = json::object(), required = json::array();
  for (const auto& k : keys) {
    json s = k.schema;
    if (k.mapping) s.update(k.mapping->to_json());
    properties[k.name] = s;
    if (k.required) required.push_back(k.name);
  }
  std::sort(required.begin(), required.end());
  json out = {{"type", "object"},
              {"properties", properties},
              {"additionalProperties", other_keys.is_null() ? json(false) : other_keys}};
  if (!required.empty()) out["required"] = required;
  return out;
}

int Probe::decide(int options) {
  if (high_ && asked_ == answers_.size()) return 0;  // the second reading follows the first's
  if (asked_ == answers_.size()) {
    answers_.push_back(0);
    options_.push_back(options);
  }
  return answers_[asked_++];
}

bool Probe::next_combination() {
  answers_.resize(asked_);
  options_.resize(asked_);
  asked_ = 0;
  while (!answers_.empty()) {
    if (answers_.back() + 1 < options_.back()) {
      ++answers_.back();
      return true;
    }
    answers_.pop_back();
    options_.pop_back();
  }
  return false;
}

json Probe::run(const std::function<void(ParamNode&)>& read, const std::string& key_path,
                const std::shared_ptr<ReadingState>& state) {
  asked_ = 0;
  auto shape = std::make_shared<ProbeShape>();
  ParamNode node = ParamNode::probe(key_path, shape, state);
  try {
    read(node);
    return shape->to_json();
  } catch (const InputError&) {
    return nullptr;  // a combination a file cannot have (two alternatives, a key missing)
  }
}

json Probe::explore(const std::function<void(ParamNode&)>& read, const std::string& key_path,
                    const std::shared_ptr<ReadingState>& state) {
  Probe probe;
  struct Restore {
    ReadingState& state;
    Probe* outer;
    ~Restore() { state.probe = outer; }
  } restore{*state, state->probe};
  state->probe = &probe;
  std::vector<json> runs;
  int count = 0;
  do {
    if (++count > kMaxRuns)
      throw std::logic_error("schema: too many combinations of choices at '" + key_path + "'");
    const json low = probe.run(read, key_path, state);
    const std::size_t asked = probe.asked_;
    probe.high_ = true;
    const json high = probe.run(read, key_path, state);
    probe.high_ = false;
    probe.asked_ = asked;
    if (!low.is_null() || !high.is_null())
      runs.push_back(low.is_null() ? high : high.is_null() ? low : widen(low, high));
  } while (probe.next_combination());
  if (runs.empty()) throw std::logic_error("schema: no probe of '" + key_path + "' could be read");
  return merge_schemas(runs);
}

json merge_schemas(std::vector<json> schemas) {
  std::vector<json> out;
  for (auto& s : schemas)
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  for (bool merged = true; merged && out.size() > 1;) {
    merged = false;
    for (std::size_t i = 0; i < out.size() && !merged; ++i)
      for (std::size_t j = i + 1; j < out.size() && !merged; ++j)
        if (auto m = merge_pair(out[i], out[j])) {
          out[i] = *m;
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(j));
          merged = true;
        }
  }
  if (out.size() == 1) return out[0];
  return {{"anyOf", out}};
}

}  // namespace rxstress
