#include "scenario/sections.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include "scenario/plausibility.hpp"

namespace rxstress {
namespace {

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
    warn_above(*c, "lower", k.lower, kMaxCorridorBand, "of the budget");
    warn_above(*c, "upper", k.upper, kMaxCorridorBand, "of the budget");
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
    warn_above(*c, "contribution", p.contribution, kMaxPoolContribution, "of the budget");
    out.pool = p;
  }
  terms.finish();
  return out;
}

}  // namespace

bool names_driver(const Scenario& sc, const std::string& name) {
  return std::any_of(sc.drivers.begin(), sc.drivers.end(),
                     [&](const auto& d) { return d->name() == name || d->type() == name; });
}

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

std::vector<DelegationModel> read_delegation(ParamNode& top, const Scenario& sc) {
  std::vector<DelegationModel> models;
  std::set<std::string> names;
  const auto read_model = [&](ParamNode& m, std::size_t) {
    DelegationModel model;
    model.name = m.text("name", "model name");
    if (model.name.empty() || model.name.find('/') != std::string::npos)
      m.fail("name", "'" + model.name + "' cannot name an HDF5 group", "a name without '/'");
    // A probe reads the same model many times over.
    if (!m.probing() && !names.insert(model.name).second)
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
    top.log()->insert(top.log()->end(), m.log()->begin(), m.log()->end());
    models.push_back(model);
  };
  if (!top.each_item("delegation",
                     {"delegation models", "a list of delegation models", false, true},
                     read_model)) {
    top.record_default("delegation", "[{name: icb-held, holder: icb}]", "delegation models");
    return {{"icb-held", HolderLevel::icb, {}, std::nullopt}};
  }
  return models;
}

Outputs read_outputs(ParamNode& block) {
  Outputs o;
  o.thresholds =
      block.numbers("thresholds", Range::between(-1.0, 10.0), 1, 32, "fraction of budget",
                    "overspend thresholds for exceedance", o.thresholds);
  if (std::adjacent_find(o.thresholds.begin(), o.thresholds.end(), std::greater_equal<double>()) !=
      o.thresholds.end())
    block.fail("thresholds", "thresholds are not strictly increasing",
               "strictly increasing fractions");
  o.trajectories = block.integer("trajectories", 0, 100000, "paths",
                                 "paths whose monthly spend is written", o.trajectories);
  o.compression = static_cast<int>(block.integer("compression", 0, 9, "deflate level",
                                                 "compression of path datasets", o.compression));
  o.driver_detail =
      block.texts("driver_detail", "drivers whose annual spend per practice and path is written",
                  std::vector<std::string>{});
  o.cover = block.numbers("cover", {0.0, 1.0, true, true}, 1, 8, "probability",
                          "cover levels of the holders' reserves", o.cover);
  if (std::adjacent_find(o.cover.begin(), o.cover.end(), std::greater_equal<double>()) !=
      o.cover.end())
    block.fail("cover", "cover levels are not strictly increasing",
               "strictly increasing probabilities in (0, 1)");
  block.finish();
  return o;
}

}  // namespace rxstress
