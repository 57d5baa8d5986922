// Validated, located reading of one YAML mapping of a scenario file (private to the loader and the
// drivers: yaml-cpp stays out of the public headers).
//
// Every scenario value is read through a ParamNode, so that every error names file:line:column
// (of the file that set the value, when a scenario extends others), the key path, what was wrong
// and what was expected; so that every resolved parameter (value, unit, meaning, origin) is
// recorded for `rxstress validate --explain` and for the results file; and so that the JSON Schema
// of the format is generated from the same reads (a probe: scenario/probe.hpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "rxstress/error.hpp"
#include "rxstress/param_log.hpp"
#include "scenario/provenance.hpp"

namespace rxstress {

class Probe;
struct ProbeShape;

// What every ParamNode reading one scenario shares.
struct ReadingState {
  std::shared_ptr<const Provenance> provenance;  // which file set each node; null: one file
  std::vector<Warning> warnings;                 // plausibility warnings, in reading order
  Probe* probe = nullptr;                        // set while probing for the schema
};

// A list of mappings (drivers, delegation models, inline practices) as ParamNode::each_item
// reads it.
struct ItemList {
  std::string_view meaning;   // e.g. "spend drivers"
  std::string_view expected;  // e.g. "a list of drivers, each with a 'type'"
  bool required = true;       // absent: an error (else each_item returns false)
  bool non_empty = true;      // empty: an error
};

// Admissible values of a number: [lo, hi], either end open or closed.
struct Range {
  double lo = -1e300;
  double hi = 1e300;
  bool lo_open = false;
  bool hi_open = false;

  static Range any() { return {}; }
  static Range positive() { return {0.0, 1e300, true, false}; }
  static Range non_negative() { return {0.0, 1e300, false, false}; }
  static Range fraction() { return {0.0, 1.0, false, false}; }  // a share or probability
  static Range between(double lo, double hi) { return {lo, hi, false, false}; }

  bool contains(double x) const;
  std::string describe() const;  // e.g. "a number in (0, inf)"
};

class ParamNode {
 public:
  // `node` must be a mapping (checked: an InputError otherwise). `key_path` is its dotted path;
  // `file` where it was read from, unless `state` knows better (a scenario that extends another).
  ParamNode(YAML::Node node, std::string file, std::string key_path,
            std::shared_ptr<ParamLog> log = std::make_shared<ParamLog>(),
            std::shared_ptr<ReadingState> state = std::make_shared<ReadingState>());

  bool has(std::string_view key) const;
  // Whether the key's value is a list (for a key that takes one value or a list of them).
  bool is_list(std::string_view key) const;
  const std::string& file() const { return file_; }
  const std::string& key_path() const { return key_path_; }
  const std::shared_ptr<ParamLog>& log() const { return log_; }
  const std::shared_ptr<ReadingState>& state() const { return state_; }
  SourceLocation location() const;                         // of this mapping
  SourceLocation location_of(std::string_view key) const;  // of the key's value (or the mapping)
  // Where a node of this mapping's tree was set (its file: the one that set it).
  SourceLocation locate(const YAML::Node& node) const;
  std::string path_of(std::string_view key) const;  // key_path + "." + key
  // An error about item i of the list under `key`, located at that item.
  [[noreturn]] void fail_item(std::string_view key, std::size_t i, std::string problem,
                              std::string expected) const;

  // Numbers: finite, inside `range`. Without a default the key is required.
  double number(std::string_view key, Range range, std::string_view unit, std::string_view meaning,
                std::optional<double> fallback = std::nullopt);
  std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi,
                       std::string_view unit, std::string_view meaning,
                       std::optional<std::int64_t> fallback = std::nullopt);
  std::vector<double> numbers(std::string_view key, Range range, std::size_t min_count,
                              std::size_t max_count, std::string_view unit,
                              std::string_view meaning,
                              std::optional<std::vector<double>> fallback = std::nullopt);
  std::string text(std::string_view key, std::string_view meaning,
                   std::optional<std::string> fallback = std::nullopt);
  std::string choice(std::string_view key, std::initializer_list<std::string_view> options,
                     std::string_view meaning, std::optional<std::string> fallback = std::nullopt);
  // The same with options known at run time; `what` names a value in "unknown WHAT 'x'" (else
  // "'x' is not allowed").
  std::string choice(std::string_view key, const std::vector<std::string>& options,
                     std::string_view meaning, std::optional<std::string> fallback,
                     std::string_view what);
  std::vector<std::string> texts(std::string_view key, std::string_view meaning,
                                 std::optional<std::vector<std::string>> fallback = std::nullopt);

  // A nested mapping; required unless `optional` (then nullopt when absent).
  ParamNode child(std::string_view key);
  std::optional<ParamNode> optional_child(std::string_view key);
  // An optional mapping whose keys all have defaults: the key's mapping, or an empty one, so
  // that every default is read (and recorded) the same way.
  ParamNode child_or_empty(std::string_view key);
  // Records a value that is not read through this class (a default list of items) as a default.
  void record_default(std::string_view key, std::string value, std::string_view meaning);
  // A mapping read by `read` (in a probe: explored on its own, so that its choices do not
  // multiply with other sections'); absent and not `required`: an empty mapping (defaults).
  void section(std::string_view key, bool required, const std::function<void(ParamNode&)>& read);
  // Each item of a list of mappings, read by `read_item(item, index)`; every item has its own
  // ParamLog (the reader keeps what it wants explained). Returns false when the list is absent
  // and not required.
  bool each_item(std::string_view key, const ItemList& list,
                 const std::function<void(ParamNode&, std::size_t)>& read_item);
  // Numbers under keys that the scenario names itself (`population.columns`).
  std::vector<double> named_numbers(const std::vector<std::string>& keys, Range range,
                                    std::string_view unit, std::string_view meaning);
  // The raw node of a key (marks it as read).
  YAML::Node raw(std::string_view key);

  // A probe mapping (see scenario/probe.hpp): reads record keys into `shape` instead of reading.
  static ParamNode probe(std::string key_path, std::shared_ptr<ProbeShape> shape,
                         std::shared_ptr<ReadingState> state);
  bool probing() const { return shape_ != nullptr; }

  // Every key of the mapping must have been read: an unknown key is an error with a suggestion.
  void finish() const;

  // A valid value of `key` that is most likely a slip: a warning, not an error (--strict: one).
  void warn(std::string_view key, std::string problem, std::string advice) const;
  void warn_at(SourceLocation where, std::string key_path, std::string problem,
               std::string advice) const;

  // An error about `key` of this mapping (or the mapping itself when key is empty).
  [[noreturn]] void fail(std::string_view key, std::string problem, std::string expected) const;
  // A required key is absent: points at a misspelling of it when the mapping has one.
  [[noreturn]] void missing(std::string_view key, std::string_view meaning,
                            std::string expected) const;

 private:
  YAML::Node value_of(std::string_view key) const;  // marks the key read; null when absent
  // In a probe: whether the key was answered absent; what a read records; a child mapping.
  bool probe_absent(std::string_view key) const;
  void declare(std::string_view key, const nlohmann::json& schema, bool required,
               std::shared_ptr<ProbeShape> mapping = nullptr) const;
  ParamNode probe_child(std::string_view key, bool required) const;
  // In a probe: records `key` and returns the value to go on with (the default, else `sample`).
  template <class T>
  T probed(std::string_view key, const nlohmann::json& schema, const std::optional<T>& fallback,
           T sample, std::string_view meaning, const std::string& expected) const {
    if (probe_absent(key)) {
      if (!fallback) missing(key, meaning, expected);
      return *fallback;
    }
    declare(key, schema, !fallback);
    return fallback ? *fallback : sample;
  }
  void record(std::string_view key, std::string value, std::string_view unit,
              std::string_view meaning, bool defaulted);

  YAML::Node node_;
  std::string file_;
  std::string key_path_;
  std::shared_ptr<ParamLog> log_;
  std::shared_ptr<ReadingState> state_;
  std::shared_ptr<ProbeShape> shape_;  // set in a probe
  mutable std::set<std::string, std::less<>> read_;
};

// Location of a YAML node (1-based line and column).
SourceLocation location_of(const YAML::Node& node, const std::string& file);

// The closest of `candidates` to `word` by edit distance, if it is close enough to suggest.
std::optional<std::string> did_you_mean(std::string_view word,
                                        const std::vector<std::string>& candidates);

}  // namespace rxstress
