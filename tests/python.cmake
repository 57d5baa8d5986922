# Python tests (scenarios, calibration and the scenario schema). Included from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/python.cmake)
# They use Debian's interpreter (numpy, scipy, pandas, h5py, jsonschema), not python3 on PATH.
add_test(NAME python.calibration
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/test_calibration.py
                 --rxstress $<TARGET_FILE:rxstress>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(python.calibration PROPERTIES TIMEOUT 300 LABELS python)
add_test(NAME python.schema
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/test_schema.py
                 --rxstress $<TARGET_FILE:rxstress>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(python.schema PROPERTIES TIMEOUT 120 LABELS python)
# The decision-support commands (compare, sweep, tornado, export, summary's machine output)
# against independent numpy computations from the files.
add_test(NAME python.decisions
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/test_decisions.py
                 --rxstress $<TARGET_FILE:rxstress>
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(python.decisions PROPERTIES TIMEOUT 900 LABELS python
                     ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1")
