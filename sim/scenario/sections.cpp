#include "scenario/sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

namespace rxstress {
namespace {

bool names_driver(const Scenario& sc, const std::string& name) {
  return std::any_of(sc.drivers.begin(), sc.drivers.end(),
                     [&](const auto& d) { return d->name() == name || d->type() == name; });
}

Terms read_terms(ParamNode terms, const Scenario& sc) {
  Terms out;
  if (auto c = terms.optional_child("carve_out")) {
    out.carve_out = CarveOut{c->number("threshold", Range::positive(), "GBP/patient/year",
                                       "per-patient annual cost above which the ICB pays")};
    c->finish();
    if (!names_driver(sc, "high_cost_patients"))
      terms.fail("carve_out", "a carve-out without a high_cost_patients driver",
                 "a high_cost_patients driver in 'drivers'");
  }
  if (auto c = terms.optional_child("corridor")) {
    Corridor k;
    k.lower = c->number("lower", Range::non_negative(), "fraction of budget", "underspend band");
    k.upper = c->number("upper", Range::non_negative(), "fraction of budget", "overspend band");
    k.share_over = c->number("share_over", Range::fraction(), "fraction",
                             "holder's share of overspend beyond upper", 1.0);
    k.share_under = c->number("share_under", Range::fraction(), "fraction",
                              "holder's share of underspend beyond lower", 1.0);
    k.cap = c->number("cap", Range::non_negative(), "fraction of budget",
                      "cap on the holder's retained overspend", 1e300);
    c->finish();
    if (k.cap < k.upper)
      c->fail("cap",
              fmt::format("cap {} is below upper {}: the corridor could never be reached", k.cap,
                          k.upper),
              "cap >= upper");
    out.corridor = k;
  }
  if (auto c = terms.optional_child("pool")) {
    Pool p;
    p.contribution = c->number("contribution", Range::between(0.0, 1.0), "fraction of budget",
                               "each holder's payment into the mutual pool");
    p.returned = c->choice("leftover", {"returned", "kept"}, "what happens to an unspent pool",
                           "returned") == "returned";
    c->finish();
    out.pool = p;
  }
  terms.finish();
  return out;
}

// Keys of one budget method: given with another method they are an error, not silently unused.
void check_method_keys(const ParamNode& block, const std::string& method) {
  static const std::pair<std::string_view, std::string_view> kOwner[] = {
      {"column", "file"}, {"total", "capitation"}, {"weights", "capitation"}};
  for (auto [key, owner] : kOwner)
    if (method != owner && block.has(key))
      block.fail(key, fmt::format("'{}' is used only with method: {}", key, owner),
                 fmt::format("no '{}' with method: {}", key, method));
}

// A numeric practice column named by the value of `key`, checked: it exists, every value is a
// number and none is negative. `what` names a value in messages.
const std::vector<double>& practice_column(const ParamNode& block, std::string_view key,
                                           const std::string& name, const Population& pop,
                                           std::string_view what) {
  const std::vector<double>* values = pop.numeric_column(name);
  if (!values) {
    const auto names = pop.numeric_column_names();
    const auto guess = did_you_mean(name, names);
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    block.fail(key,
               "no column '" + name + "' in the practice table" +
                   (guess ? " (did you mean '" + *guess + "'?)" : ""),
               "a numeric practice column: one of " + known);
  }
  auto extra = pop.columns.find(name);
  if (extra == pop.columns.end()) return *values;  // a standard column, validated on reading
  const ExtraColumn& c = extra->second;
  if (c.first_bad) {
    const SourceLocation& w = c.where[*c.first_bad];
    block.fail(key,
               fmt::format("column '{}' is not numeric at {}:{}:{} (found '{}')", name, w.file,
                           w.line, w.column, c.first_bad_text),
               "a column with a number in every row");
  }
  for (std::size_t i = 0; i < values->size(); ++i)
    if ((*values)[i] < 0.0)
      throw InputError(
          c.where[i], c.key_path[i],
          fmt::format("practice '{}' has a negative {}: {}", pop.id[i], what, (*values)[i]),
          fmt::format("a non-negative {}", what));
  return *values;
}

// method: file: each practice's annual budget is a column of the practice table.
void read_file_budget(ParamNode& block, const Population& pop, BudgetSpec& b) {
  b.column = block.text("column", "practice column holding each practice's annual budget");
  b.annual = practice_column(block, "column", b.column, pop, "budget (GBP/year)");
}

// method: capitation: a total shared in proportion to a practice column (list size by default).
void read_capitation(ParamNode& block, const Population& pop, BudgetSpec& b) {
  b.total = block.number("total", Range::positive(), "GBP/year",
                         "annual budget shared by all the practices");
  b.column = block.text("weights", "practice column the total is shared by", "list_size");
  const auto& w = practice_column(block, "weights", b.column, pop, "weight");
  double sum = 0.0;
  for (double x : w) sum += x;
  if (!(sum > 0.0))
    block.fail("weights", fmt::format("the weights in column '{}' sum to {}", b.column, sum),
               "weights with a positive sum");
  for (double x : w) b.annual.push_back(b.total * x / sum);
}

}  // namespace

const char* level_name(HolderLevel level) {
  switch (level) {
    case HolderLevel::icb:
      return "icb";
    case HolderLevel::provider:
      return "provider";
    case HolderLevel::neighbourhood:
      return "neighbourhood";
    case HolderLevel::practice:
      return "practice";
  }
  return "?";
}

std::string Terms::text() const {
  std::string out;
  if (carve_out) out += fmt::format("carve_out: threshold={}; ", carve_out->threshold);
  if (corridor)
    out +=
        fmt::format("corridor: lower={} upper={} share_over={} share_under={} cap={}; ",
                    corridor->lower, corridor->upper, corridor->share_over, corridor->share_under,
                    corridor->cap >= 1e299 ? "none" : fmt::format("{}", corridor->cap));
  if (pool)
    out += fmt::format("pool: contribution={} leftover={}; ", pool->contribution,
                       pool->returned ? "returned" : "kept");
  if (!out.empty()) out.resize(out.size() - 2);
  return out;
}

BudgetSpec read_budget(ParamNode& top, const Scenario& sc) {
  BudgetSpec b;
  std::vector<std::string> all;
  for (const auto& d : sc.drivers) all.push_back(d->name());
  auto block = top.optional_child("budget");
  if (!block) {
    b.funded = all;
    return b;
  }
  const std::string method = block->choice("method", {"expected", "historic", "file", "capitation"},
                                           "how budgets are set", "expected");
  b.method = method == "historic"     ? BudgetSpec::Method::historic
             : method == "file"       ? BudgetSpec::Method::file
             : method == "capitation" ? BudgetSpec::Method::capitation
                                      : BudgetSpec::Method::expected;
  b.funded = block->texts("funded", "drivers funded at their expectation", all);
  for (std::size_t i = 0; i < b.funded.size(); ++i)
    if (!names_driver(sc, b.funded[i])) {
      auto guess = did_you_mean(b.funded[i], all);
      block->fail_item("funded", i,
                       "'" + b.funded[i] + "' is not a driver of this scenario" +
                           (guess ? " (did you mean '" + *guess + "'?)" : ""),
                       "driver names or types from 'drivers'");
    }
  b.uplift = block->number("uplift", Range::between(-0.5, 1.0), "fraction",
                           "margin added to every budget", 0.0);
  check_method_keys(*block, method);
  if (b.method == BudgetSpec::Method::file) read_file_budget(*block, sc.population, b);
  if (b.method == BudgetSpec::Method::capitation) read_capitation(*block, sc.population, b);
  block->finish();
  return b;
}

std::vector<DelegationModel> read_delegation(ParamNode& top, const Scenario& sc) {
  YAML::Node list = top.raw("delegation");
  if (!list) return {{"icb-held", HolderLevel::icb, {}, std::nullopt}};
  if (!list.IsSequence() || list.size() == 0)
    top.fail("delegation", "not a non-empty list", "a list of delegation models");
  std::vector<DelegationModel> models;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    ParamNode m(list[i], sc.file, fmt::format("delegation[{}]", i), top.log());
    DelegationModel model;
    model.name = m.text("name", "model name");
    if (model.name.empty() || model.name.find('/') != std::string::npos)
      m.fail("name", "'" + model.name + "' cannot name an HDF5 group", "a name without '/'");
    if (!names.insert(model.name).second)
      m.fail("name", "duplicate model name '" + model.name + "'", "unique model names");
    const std::string level = m.choice("holder", {"icb", "provider", "neighbourhood", "practice"},
                                       "who holds the budget");
    for (auto l : {HolderLevel::icb, HolderLevel::provider, HolderLevel::neighbourhood,
                   HolderLevel::practice})
      if (level == level_name(l)) model.level = l;
    if (auto t = m.optional_child("terms")) model.terms = read_terms(*t, sc);
    if (m.has("capacity"))
      model.capacity =
          m.number("capacity", Range::non_negative(), "fraction of budget",
                   "retained overspend a holder can absorb; the excess returns to the ICB");
    m.finish();
    models.push_back(model);
  }
  return models;
}

Outputs read_outputs(ParamNode& top) {
  Outputs o;
  auto block = top.optional_child("outputs");
  if (!block) return o;
  o.thresholds =
      block->numbers("thresholds", Range::between(-1.0, 10.0), 1, 32, "fraction of budget",
                     "overspend thresholds for exceedance", o.thresholds);
  if (std::adjacent_find(o.thresholds.begin(), o.thresholds.end(), std::greater_equal<double>()) !=
      o.thresholds.end())
    block->fail("thresholds", "thresholds are not strictly increasing",
                "strictly increasing fractions");
  o.trajectories = block->integer("trajectories", 0, 100000, "paths",
                                  "paths whose monthly spend is written", o.trajectories);
  o.compression = static_cast<int>(block->integer("compression", 0, 9, "deflate level",
                                                  "compression of path datasets", o.compression));
  o.driver_detail =
      block->texts("driver_detail", "drivers whose annual spend per practice and path is written",
                   std::vector<std::string>{});
  o.cover = block->numbers("cover", {0.0, 1.0, true, true}, 1, 8, "probability",
                           "cover levels of the holders' reserves", o.cover);
  if (std::adjacent_find(o.cover.begin(), o.cover.end(), std::greater_equal<double>()) !=
      o.cover.end())
    block->fail("cover", "cover levels are not strictly increasing",
                "strictly increasing probabilities in (0, 1)");
  block->finish();
  return o;
}

}  // namespace rxstress
