// Readers of the scenario's budget, delegation and outputs sections.
#pragma once

#include "rxstress/scenario.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

BudgetSpec read_budget(ParamNode& top, const Scenario& sc);
std::vector<DelegationModel> read_delegation(ParamNode& top, const Scenario& sc);
Outputs read_outputs(ParamNode& top);

}  // namespace rxstress
