// A spend driver (DESIGN §2.2): a plug-in that adds its contribution to the spend of every practice
// on one path and knows its exact expectation. A new driver is one file in sim/drivers/ that calls
// register_driver() with its YAML `type`; the engine does not change.
//
// Engine version 2 (structure of arrays): a driver works on all the practices of a path at once,
// in vectors of consecutive practices, and writes flat arrays whose rows are `stride` doubles long
// (the practices, padded to a whole number of the widest vectors). Its random numbers come from the
// streams of stream scheme 2 (rxstress/random.hpp): per-practice draws through the vector samplers
// in sim/simd/, per-path draws through SystemicStream (rxstress/systemic.hpp).
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

// Widest vector the engine dispatches to, in doubles (AVX-512): practice arrays are padded to a
// multiple of it, so every kernel runs whole vectors.
inline constexpr std::size_t kMaxLanes = 8;
inline constexpr std::size_t padded_size(std::size_t practices) {
  return (practices + kMaxLanes - 1) / kMaxLanes * kMaxLanes;
}

// A per-path systemic factor a driver reports in /national.
struct NationalSeries {
  std::string name;
  std::string unit;
  std::string meaning;
  bool monthly = false;  // [K, T] if true, else [K]
};

// Where a driver writes one path. Arrays are zeroed by the engine before each driver runs.
struct DriverOutput {
  std::size_t stride = 0;      // doubles per row: padded_size(practices)
  std::span<double> annual;    // this driver's spend, [year * stride + practice], GBP (own array)
  std::span<double> monthly;   // every driver's spend, [t * stride + practice], GBP (add to it);
                               // empty unless the path keeps its months (trajectory paths)
  std::span<double> national;  // this driver's national series, concatenated as declared
  // Carve-outs (DESIGN §2.4): for each threshold k of carve_thresholds, the part of each high-cost
  // patient's in-year cost above it, summed per practice: carve[(k * years + y) * stride + i]
  // (add to it). Only drivers with per-patient costs write here.
  std::span<const double> carve_thresholds;
  std::span<double> carve;
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

  virtual std::vector<NationalSeries> national_series() const { return {}; }
  // Adds this driver's contribution on path ctx.path. Draws only from the streams keyed by
  // stream_key(ctx.seed, name()) with counter (practice, ctx.path, substream, block).
  virtual void simulate(const PathContext& ctx, DriverOutput& out) const = 0;
  // Exact E[contribution] per practice and month, written to monthly[practice * months + t].
  virtual void expected(const Population& pop, const Calendar& cal,
                        std::span<double> monthly) const = 0;

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
