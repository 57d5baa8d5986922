// Probing the loader for its key table (`rxstress schema`). The loader reads every value through
// ParamNode; in a probe, a ParamNode reads no YAML: each read records the key (its type, range,
// unit, meaning, default) and returns a valid value, and each question a file would answer (is
// this key there? which option is chosen?) is a decision. Probe::explore runs a reader once for
// every combination of decisions and merges the runs that succeed into one JSON Schema, so the
// schema is generated from the same code that validates: a key the loader reads is in it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rxstress {

class ParamNode;
struct ReadingState;

// The keys one mapping was read with in one probe run.
struct ProbeShape {
  struct Key {
    std::string name;
    nlohmann::json schema;                // of the value (for a mapping: its description only)
    std::shared_ptr<ProbeShape> mapping;  // when the value is a mapping read key by key
    bool required = false;                // read without a default
  };
  std::vector<Key> keys;
  nlohmann::json other_keys;            // schema of keys not named in advance; null: none
  std::map<std::string, bool> present;  // the answers given to has()

  Key* find(const std::string& name);
  void add(Key key);               // replaces an earlier record of the same key
  nlohmann::json to_json() const;  // {"type": "object", "properties": ..., ...}
};

class Probe {
 public:
  // The JSON Schema of the mapping `read` reads, from every run that succeeds. `state` is shared
  // by the probe mappings (its probe is set for the duration).
  static nlohmann::json explore(const std::function<void(ParamNode&)>& read,
                                const std::string& key_path,
                                const std::shared_ptr<ReadingState>& state);
  // The answer (0..options-1) to the next question of this run.
  int decide(int options);
  // Whether this run samples the largest whole numbers and list lengths a range allows (else the
  // smallest). Each combination is read both ways: a bound that moves between the two depends
  // on another value (the providers of a synthetic population, the probabilities of a list of
  // values), and the schema keeps the wider one.
  bool high() const { return high_; }

 private:
  nlohmann::json run(const std::function<void(ParamNode&)>& read, const std::string& key_path,
                     const std::shared_ptr<ReadingState>& state);
  bool next_combination();
  std::vector<int> answers_, options_;
  std::size_t asked_ = 0;
  bool high_ = false;
};

// One schema for several: identical ones once; objects that differ in one value, or by keys one
// of them lacks, merged; the rest as anyOf.
nlohmann::json merge_schemas(std::vector<nlohmann::json> schemas);

// The schema of each kind of value ParamNode reads, and a valid value to continue a probe with.
struct Range;

double probe_value(const Range& range);
std::vector<double> probe_values(const Range& range, std::size_t count);
nlohmann::json number_schema(const Range& range, std::string_view unit, std::string_view meaning,
                             const std::optional<double>& fallback);
nlohmann::json integer_schema(std::int64_t lo, std::int64_t hi, std::string_view unit,
                              std::string_view meaning,
                              const std::optional<std::int64_t>& fallback);
nlohmann::json numbers_schema(const Range& range, std::size_t min_count, std::size_t max_count,
                              std::string_view unit, std::string_view meaning);
nlohmann::json text_schema(std::string_view meaning, const std::optional<std::string>& fallback);
nlohmann::json texts_schema(std::string_view meaning);
nlohmann::json choice_schema(const std::string& option, std::string_view meaning,
                             const std::optional<std::string>& fallback);

}  // namespace rxstress
