// One thread's arrays for one path, shared by the engine's stages (path.cpp: the drivers and the
// terms; aggregate.cpp: the holders). Rows of per-practice arrays are model.stride() doubles.
#pragma once

#include <vector>

#include "rxstress/engine.hpp"

namespace rxstress {

struct PathWork {
  std::vector<double> annual;   // [driver][year][practice]: each driver's spend
  std::vector<double> monthly;  // [t][practice]: all drivers' spend, trajectory paths only
  std::vector<double> carve;    // [threshold][year][practice]: patients' cost above it
  std::vector<double> gross;    // [practice] of one year: spend - budget
  std::vector<std::vector<double>> level_spend;  // [level][driver * H + holder] of one year
  std::vector<double> holder_carve, retained;    // one year of one model
};

// Every level's gross variance, driver spends (kept where the block keeps them) and attribution
// sums, and the trajectories' monthly spend, for slot j of a block of b paths.
void aggregate_levels(const Model& model, PathWork& w, int j, int b, Block& block);

}  // namespace rxstress
