#include <map>

#include "rxstress/driver.hpp"

namespace rxstress {
namespace {

// A function-local static, so registration from other files' statics is order-safe.
std::map<std::string, DriverFactory, std::less<>>& registry() {
  static std::map<std::string, DriverFactory, std::less<>> factories;
  return factories;
}

}  // namespace

bool register_driver(std::string_view type, DriverFactory factory) {
  registry().emplace(std::string(type), factory);
  return true;
}

std::unique_ptr<Driver> make_driver(std::string_view type, DriverSetup& setup) {
  auto it = registry().find(type);
  return it == registry().end() ? nullptr : it->second(setup);
}

std::vector<std::string> driver_types() {
  std::vector<std::string> out;
  for (const auto& [type, factory] : registry()) out.push_back(type);
  return out;
}

}  // namespace rxstress
