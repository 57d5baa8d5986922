// Readers of the scenario and of its budget, delegation and outputs sections.
#pragma once

#include "rxstress/scenario.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {

// The whole scenario under `top` (the loader, and the schema's probe: scenario/probe.hpp).
void read_scenario(ParamNode& top, Scenario& sc);

BudgetSpec read_budget(ParamNode& block, const Scenario& sc);  // scenario/budget.cpp
std::vector<DelegationModel> read_delegation(ParamNode& top, const Scenario& sc);
Outputs read_outputs(ParamNode& block);

// Whether `name` is the name or the type of a driver of the scenario.
bool names_driver(const Scenario& sc, const std::string& name);

}  // namespace rxstress
