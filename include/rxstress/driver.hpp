// A spend driver (DESIGN §2.2): a plug-in that adds its contribution to the spend of every practice
// on one path and knows its exact expectation. A new driver is one file in sim/drivers/ that calls
// register_driver() with its YAML `type`; the engine does not change.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rxstress/calendar.hpp"
#include "rxstress/population.hpp"
#include "rxstress/random.hpp"

namespace rxstress {

class ParamNode;  // sim/scenario/param_node.hpp: what a driver factory reads its YAML through

// One high-cost patient's cost inside one settlement year, kept for per-patient carve-outs.
struct PatientCost {
  std::uint32_t practice;
  std::uint32_t year;
  double cost;  // GBP paid in that year for this patient
};

// A per-path systemic factor a driver reports in /national.
struct NationalSeries {
  std::string name;
  std::string unit;
  std::string meaning;
  bool monthly = false;  // [K, T] if true, else [K]
};

// Where a driver writes one path. Everything is added to (the engine zeroes it first).
struct DriverOutput {
  std::span<double> annual;    // [practice * years + year]: contribution per settlement year, GBP
  std::span<double> monthly;   // [practice * months + t], or empty when the path needs no months
  std::span<double> national;  // this driver's national series, concatenated as declared
  std::vector<PatientCost>* patients = nullptr;  // non-null: record high-cost patients' costs
};

struct PathContext {
  std::uint64_t seed;
  std::uint64_t path;
  const Population& population;
  const Calendar& calendar;
};

class Driver {
 public:
  struct Header {
    std::string type;
    std::string name;    // unique in the scenario; keys the driver's random streams
    std::string source;  // citation of its parameters
  };
  explicit Driver(Header header) : header_(std::move(header)) {}
  virtual ~Driver() = default;

  const std::string& type() const { return header_.type; }
  const std::string& name() const { return header_.name; }
  const std::string& source() const { return header_.source; }
  std::uint64_t key() const { return stream_key(header_.name); }

  virtual std::vector<NationalSeries> national_series() const { return {}; }
  // Adds this driver's contribution on path ctx.path. Must draw only from streams
  // Stream(ctx.seed, key(), ctx.path, practice-or-kSystemic).
  virtual void simulate(const PathContext& ctx, DriverOutput& out) const = 0;
  // Exact E[contribution] per practice and month, written to monthly[practice * months + t].
  virtual void expected(const Population& pop, const Calendar& cal,
                        std::span<double> monthly) const = 0;

 protected:
  // Streams of this driver on a path.
  Stream systemic_stream(const PathContext& ctx) const {
    return Stream(ctx.seed, key(), ctx.path, kSystemic);
  }
  Stream practice_stream(const PathContext& ctx, std::size_t practice) const {
    return Stream(ctx.seed, key(), ctx.path, practice);
  }

 private:
  Header header_;
};

// What a driver factory receives: its parameters (to read and finish()) and the model it joins.
struct DriverSetup {
  ParamNode& params;
  Driver::Header header;
  const Population& population;
  const Calendar& calendar;
};

using DriverFactory = std::unique_ptr<Driver> (*)(DriverSetup& setup);

// Registers a driver type; returns true so that a driver file can register itself from a static.
bool register_driver(std::string_view type, DriverFactory factory);
std::unique_ptr<Driver> make_driver(std::string_view type, DriverSetup& setup);
std::vector<std::string> driver_types();

}  // namespace rxstress
