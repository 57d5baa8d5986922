// Risk-sharing terms (docs/model.md §2.4) as small pure functions over one settlement year of one
// path. Signs: positive = overspend. What a holder does not retain is the ICB's.
#pragma once

#include <optional>
#include <span>

#include "rxstress/scenario.hpp"

namespace rxstress {

// The part of a patient's in-year cost above the stop-loss threshold (paid by the ICB).
inline double carved(double patient_cost, double threshold) {
  return patient_cost > threshold ? patient_cost - threshold : 0.0;
}

// Variance a holder retains under a corridor: all of it inside [-lower, +upper] x budget, its
// shares beyond, retained overspend capped at cap x budget.
double corridor_retained(double variance, double budget, const Corridor& c);

// The mutual pool over the holders of one model: each pays contribution x budget in; the pool pays
// positive retained outcomes pro rata while it lasts; the leftover goes back pro rata to
// contributions (or stays with the ICB). `retained` is updated to the holder's final outcome.
void settle_pool(std::span<double> retained, std::span<const double> budget, const Pool& pool);

// All terms, in order, for the holders of one model in one year: gross variance and carve-outs
// per holder in, retained outcome per holder out.
void settle_terms(std::span<const double> gross, std::span<const double> carve,
                  std::span<const double> budget, const Terms& terms, std::span<double> retained);

// What the ICB carries on one path in one year under a model: when the ICB holds the budget, all
// of it (every holder's retained outcome plus the residual); otherwise the residual of the terms
// plus each holder's retained overspend beyond what it can absorb (capacity x budget; nothing
// beyond when capacity is empty).
double icb_carried(std::span<const double> retained, std::span<const double> budget,
                   double residual, std::optional<double> capacity, bool icb_holds);

// The reserve a holder needs so that its retained outcome exceeds it in at most 1 - cover of
// years: the cover quantile of the outcome, at least 0, and at most what the holder can absorb.
double holder_reserve(double quantile, double budget, std::optional<double> capacity);

}  // namespace rxstress
