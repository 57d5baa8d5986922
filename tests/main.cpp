// The Catch2 v2 entry point: one translation unit for the whole suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
