#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "scenario/param_node.hpp"
#include "scenario/probe.hpp"

namespace rxstress {
namespace {

std::string format_number(double x) {
  if (x >= 1e299) return "inf";
  if (x <= -1e299) return "-inf";
  return fmt::format("{}", x);
}

std::string join(const std::vector<std::string>& words, std::string_view sep) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += sep;
    out += w;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// What the user wrote, for messages.
std::string shown(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

}  // namespace

bool Range::contains(double x) const {
  if (lo_open ? !(x > lo) : !(x >= lo)) return false;
  if (hi_open ? !(x < hi) : !(x <= hi)) return false;
  return true;
}

std::string Range::describe() const {
  if (lo <= -1e299 && hi >= 1e299) return "a finite number";
  return fmt::format("a number in {}{}, {}{}", lo_open ? "(" : "[", format_number(lo),
                     format_number(hi), hi_open ? ")" : "]");
}

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

ParamNode::ParamNode(YAML::Node node, std::string file, std::string key_path,
                     std::shared_ptr<ParamLog> log, std::shared_ptr<ReadingState> state)
    : node_(std::move(node)),
      file_(std::move(file)),
      key_path_(std::move(key_path)),
      log_(std::move(log)),
      state_(std::move(state)) {
  file_ = locate(node_).file;
  if (!node_.IsMap()) {
    throw InputError(locate(node_), key_path_.empty() ? "(top level)" : key_path_,
                     "found " + shown(node_), "a mapping of keys to values");
  }
  // yaml-cpp keeps the first of two equal keys silently: a repeated key would go unvalidated.
  std::map<std::string, int> first_line;
  for (const auto& item : node_) {
    const std::string key = item.first.Scalar();
    const SourceLocation at = locate(item.first);
    auto [it, fresh] = first_line.emplace(key, at.line);
    if (!fresh)
      throw InputError(at, path_of(key),
                       fmt::format("duplicate key '{}' (first given at line {})", key, it->second),
                       "each key once in a mapping");
  }
}

bool ParamNode::has(std::string_view key) const {
  if (!shape_) return bool(node_[std::string(key)]);
  // A probe decides, once per key, unless the key has been read already.
  auto [it, fresh] = shape_->present.emplace(std::string(key), true);
  if (fresh) it->second = shape_->find(it->first) || state_->probe->decide(2) == 1;
  return it->second;
}

bool ParamNode::is_list(std::string_view key) const {
  if (!shape_) {
    const YAML::Node v = node_[std::string(key)];
    return v && v.IsSequence();
  }
  // A probe decides, once per key: both forms go into the schema.
  auto [it, fresh] = shape_->present.emplace(std::string(key) + "[]", false);
  if (fresh) it->second = state_->probe->decide(2) == 1;
  return it->second;
}

SourceLocation ParamNode::location() const { return locate(node_); }

SourceLocation ParamNode::location_of(std::string_view key) const {
  YAML::Node v = node_[std::string(key)];
  return v ? locate(v) : location();
}

SourceLocation ParamNode::locate(const YAML::Node& node) const {
  if (state_->provenance && node)
    if (auto where = state_->provenance->find(node)) return *where;
  return rxstress::location_of(node, file_);
}

std::string ParamNode::path_of(std::string_view key) const {
  return key_path_.empty() ? std::string(key) : key_path_ + "." + std::string(key);
}

void ParamNode::missing(std::string_view key, std::string_view meaning,
                        std::string expected) const {
  for (const auto& item : node_) {
    const std::string typo = item.first.Scalar();
    if (!read_.count(typo) && did_you_mean(typo, {std::string(key)}))
      throw InputError(locate(item.first), path_of(typo),
                       "unknown key '" + typo + "' (did you mean '" + std::string(key) + "'?)",
                       std::move(expected));
  }
  fail("", fmt::format("missing required key '{}' ({})", key, meaning), std::move(expected));
}

void ParamNode::fail_item(std::string_view key, std::size_t i, std::string problem,
                          std::string expected) const {
  const YAML::Node list = node_[std::string(key)];
  if (!list || !list.IsSequence() || i >= list.size()) fail(key, problem, expected);
  throw InputError(locate(list[i]), fmt::format("{}[{}]", path_of(key), i), std::move(problem),
                   std::move(expected));
}

void ParamNode::fail(std::string_view key, std::string problem, std::string expected) const {
  throw InputError(key.empty() ? location() : location_of(key),
                   key.empty() ? key_path_ : path_of(key), std::move(problem), std::move(expected));
}

void ParamNode::warn(std::string_view key, std::string problem, std::string advice) const {
  warn_at(location_of(key), path_of(key), std::move(problem), std::move(advice));
}

void ParamNode::warn_at(SourceLocation where, std::string key_path, std::string problem,
                        std::string advice) const {
  state_->warnings.push_back(
      {std::move(where), std::move(key_path), std::move(problem), std::move(advice)});
}

YAML::Node ParamNode::value_of(std::string_view key) const {
  read_.insert(std::string(key));
  YAML::Node v = node_[std::string(key)];
  if (v && v.IsNull()) fail(key, "no value given", "a value");
  return v;
}

void ParamNode::record(std::string_view key, std::string value, std::string_view unit,
                       std::string_view meaning, bool defaulted) {
  log_->push_back({path_of(key), std::move(value), std::string(unit), std::string(meaning),
                   defaulted,
                   defaulted ? SourceLocation{location().file, 0, 0} : location_of(key)});
}

double ParamNode::number(std::string_view key, Range range, std::string_view unit,
                         std::string_view meaning, std::optional<double> fallback) {
  if (shape_)
    return probed<double>(key, number_schema(range, unit, meaning, fallback), fallback,
                          probe_value(range), meaning, range.describe());
  YAML::Node v = value_of(key);
  double x = 0.0;
  if (!v) {
    if (!fallback)
      missing(key, meaning, range.describe() + (unit.empty() ? "" : fmt::format(" ({})", unit)));
    x = *fallback;
  } else {
    if (!v.IsScalar()) fail(key, "found " + shown(v), range.describe());
    try {
      x = v.as<double>();
    } catch (const YAML::Exception&) {
      fail(key, "found " + shown(v), range.describe());
    }
    if (!std::isfinite(x))
      fail(key, "found " + shown(v) + ", which is not finite", range.describe());
    if (!range.contains(x))
      fail(key, fmt::format("{} is out of range", format_number(x)),
           range.describe() + (unit.empty() ? "" : fmt::format(" ({})", unit)));
  }
  record(key, format_number(x), unit, meaning, !v);
  return x;
}

std::int64_t ParamNode::integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                                std::string_view unit, std::string_view meaning,
                                std::optional<std::int64_t> fallback) {
  const std::string expected = fmt::format("a whole number in [{}, {}]", lo, hi);
  if (shape_)
    return probed<std::int64_t>(key, integer_schema(lo, hi, unit, meaning, fallback), fallback,
                                state_->probe->high() ? hi : lo, meaning, expected);
  YAML::Node v = value_of(key);
  std::int64_t x = 0;
  if (!v) {
    if (!fallback) missing(key, meaning, expected);
    x = *fallback;
  } else {
    if (!v.IsScalar()) fail(key, "found " + shown(v), expected);
    try {
      x = v.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      fail(key, "found " + shown(v), expected);
    }
    if (x < lo || x > hi) fail(key, fmt::format("{} is out of range", x), expected);
  }
  record(key, std::to_string(x), unit, meaning, !v);
  return x;
}

std::vector<double> ParamNode::numbers(std::string_view key, Range range, std::size_t min_count,
                                       std::size_t max_count, std::string_view unit,
                                       std::string_view meaning,
                                       std::optional<std::vector<double>> fallback) {
  const std::string expected =
      min_count == max_count
          ? fmt::format("a list of {} numbers, each {}", min_count, range.describe())
          : fmt::format("a list of {} to {} numbers, each {}", min_count, max_count,
                        range.describe());
  if (shape_)
    return probed<std::vector<double>>(
        key, numbers_schema(range, min_count, max_count, unit, meaning), fallback,
        probe_values(range, state_->probe->high() ? max_count : min_count), meaning, expected);
  YAML::Node v = value_of(key);
  std::vector<double> xs;
  if (!v) {
    if (!fallback) missing(key, meaning, expected);
    xs = *fallback;
  } else {
    if (!v.IsSequence()) fail(key, "found " + shown(v), expected);
    if (v.size() < min_count || v.size() > max_count)
      fail(key, fmt::format("found {} values", v.size()), expected);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const YAML::Node item = v[i];
      const std::string item_path = fmt::format("{}[{}]", path_of(key), i);
      double x = 0.0;
      bool ok = item.IsScalar();
      if (ok) {
        try {
          x = item.as<double>();
        } catch (const YAML::Exception&) {
          ok = false;
        }
      }
      if (!ok || !std::isfinite(x) || !range.contains(x))
        throw InputError(locate(item), item_path, "found " + shown(item), range.describe());
      xs.push_back(x);
    }
  }
  std::vector<std::string> shown_values;
  for (double x : xs) shown_values.push_back(format_number(x));
  record(key, "[" + join(shown_values, ", ") + "]", unit, meaning, !v);
  return xs;
}

std::string ParamNode::text(std::string_view key, std::string_view meaning,
                            std::optional<std::string> fallback) {
  if (shape_)
    return probed<std::string>(key, text_schema(meaning, fallback), fallback, "probe", meaning,
                               "text");
  YAML::Node v = value_of(key);
  std::string s;
  if (!v) {
    if (!fallback) missing(key, meaning, "text");
    s = *fallback;
  } else {
    if (!v.IsScalar()) fail(key, "found " + shown(v), "text");
    s = v.Scalar();
  }
  record(key, s, "", meaning, !v);
  return s;
}

std::string ParamNode::choice(std::string_view key, std::initializer_list<std::string_view> options,
                              std::string_view meaning, std::optional<std::string> fallback) {
  return choice(key, std::vector<std::string>(options.begin(), options.end()), meaning,
                std::move(fallback), "");
}

std::string ParamNode::choice(std::string_view key, const std::vector<std::string>& names,
                              std::string_view meaning, std::optional<std::string> fallback,
                              std::string_view what) {
  const std::string expected = "one of " + join(names, ", ");
  if (shape_) {
    if (probe_absent(key)) {
      if (!fallback) missing(key, meaning, expected);
      return *fallback;
    }
    // Each option is a decision: the readers may branch on it (a severity law's parameters).
    const std::string option = names[state_->probe->decide(static_cast<int>(names.size()))];
    declare(key, choice_schema(option, meaning, fallback), !fallback);
    return option;
  }
  YAML::Node v = value_of(key);
  std::string s;
  if (!v) {
    if (!fallback) missing(key, meaning, expected);
    s = *fallback;
  } else {
    if (!v.IsScalar()) fail(key, "found " + shown(v), expected);
    s = v.Scalar();
    if (std::find(names.begin(), names.end(), s) == names.end()) {
      auto guess = did_you_mean(s, names);
      fail(key,
           (what.empty() ? "'" + s + "' is not allowed" : fmt::format("unknown {} '{}'", what, s)) +
               (guess ? " (did you mean '" + *guess + "'?)" : ""),
           expected);
    }
  }
  record(key, s, "", meaning, !v);
  return s;
}

std::vector<std::string> ParamNode::texts(std::string_view key, std::string_view meaning,
                                          std::optional<std::vector<std::string>> fallback) {
  if (shape_)
    return probed<std::vector<std::string>>(key, texts_schema(meaning), fallback, {"probe"},
                                            meaning, "a list of names");
  YAML::Node v = value_of(key);
  std::vector<std::string> out;
  if (!v) {
    if (!fallback) missing(key, meaning, "a list of names");
    out = *fallback;
  } else {
    if (!v.IsSequence()) fail(key, "found " + shown(v), "a list of names");
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsScalar())
        throw InputError(locate(v[i]), fmt::format("{}[{}]", path_of(key), i),
                         "found " + shown(v[i]), "a name");
      out.push_back(v[i].Scalar());
    }
  }
  record(key, "[" + join(out, ", ") + "]", "", meaning, !v);
  return out;
}

ParamNode ParamNode::child(std::string_view key) {
  if (shape_) {
    if (probe_absent(key)) missing(key, "a mapping", "a mapping");
    return probe_child(key, true);
  }
  YAML::Node v = value_of(key);
  if (!v) missing(key, "a mapping", "a mapping");
  return ParamNode(v, file_, path_of(key), log_, state_);
}

std::optional<ParamNode> ParamNode::optional_child(std::string_view key) {
  if (shape_) {
    if (probe_absent(key)) return std::nullopt;
    return probe_child(key, false);
  }
  YAML::Node v = value_of(key);
  if (!v) return std::nullopt;
  return ParamNode(v, file_, path_of(key), log_, state_);
}

ParamNode ParamNode::child_or_empty(std::string_view key) {
  if (shape_) return probe_child(key, false);
  YAML::Node v = value_of(key);
  return ParamNode(v ? v : YAML::Node(YAML::NodeType::Map), file_, path_of(key), log_, state_);
}

void ParamNode::record_default(std::string_view key, std::string value, std::string_view meaning) {
  record(key, std::move(value), "", meaning, true);
}

void ParamNode::section(std::string_view key, bool required,
                        const std::function<void(ParamNode&)>& read) {
  if (shape_) {
    if (probe_absent(key) && required) missing(key, "a mapping", "a mapping");
    declare(key, Probe::explore(read, path_of(key), state_), required);
    return;
  }
  ParamNode block = required ? child(key) : child_or_empty(key);
  read(block);
}

bool ParamNode::each_item(std::string_view key, const ItemList& list,
                          const std::function<void(ParamNode&, std::size_t)>& read_item) {
  if (shape_) {
    const auto item = [&](ParamNode& node) { read_item(node, 0); };
    declare(key,
            {{"type", "array"},
             {"description", std::string(list.meaning)},
             {"minItems", list.non_empty ? 1 : 0},
             {"items", Probe::explore(item, path_of(key) + "[]", state_)}},
            list.required);
    return true;
  }
  YAML::Node items = value_of(key);
  if (!items) {
    if (list.required) missing(key, list.meaning, std::string(list.expected));
    return false;
  }
  if (!items.IsSequence() || (list.non_empty && items.size() == 0))
    fail(key, list.non_empty ? "not a non-empty list" : "not a list", std::string(list.expected));
  for (std::size_t i = 0; i < items.size(); ++i) {
    ParamNode item(items[i], file_, fmt::format("{}[{}]", path_of(key), i),
                   std::make_shared<ParamLog>(), state_);
    read_item(item, i);
  }
  return true;
}

std::vector<double> ParamNode::named_numbers(const std::vector<std::string>& keys, Range range,
                                             std::string_view unit, std::string_view meaning) {
  if (shape_) shape_->other_keys = number_schema(range, unit, meaning, std::nullopt);
  std::vector<double> values;
  for (const auto& key : keys) values.push_back(number(key, range, unit, meaning));
  return values;
}

YAML::Node ParamNode::raw(std::string_view key) {
  if (shape_) return YAML::Node();
  return value_of(key);
}

void ParamNode::finish() const {
  if (shape_) return;
  std::vector<std::string> known(read_.begin(), read_.end());
  for (const auto& item : node_) {
    const std::string key = item.first.Scalar();
    if (read_.count(key)) continue;
    auto guess = did_you_mean(key, known);
    throw InputError(
        locate(item.first), path_of(key),
        "unknown key '" + key + "'" + (guess ? " (did you mean '" + *guess + "'?)" : ""),
        "one of " + join(known, ", "));
  }
}

}  // namespace rxstress
