# The analysis notebooks (notebooks/) and their reader, tested by tests/test_notebooks.py: it writes
# two small results files with the rxstress program, checks the rxstress package (python/) on them, checks
# the committed notebooks carry no outputs, and executes every notebook headless with
# `jupyter nbconvert --execute`, failing on a cell error or a missing figure.
# Included from tests/CMakeLists.txt. Needs Debian's python3 with h5py, numpy, pandas, matplotlib,
# nbconvert and ipykernel (tools/install-deps.sh). Executed notebooks and figures are kept in
# <build>/tests/notebooks for inspection.

# Debian's interpreter first: a python3 earlier on PATH (pyenv, venv) may lack the packages.
find_program(RXSTRESS_NOTEBOOK_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(RXSTRESS_NOTEBOOK_PYTHON NAMES python3)
set(RXSTRESS_NOTEBOOK_PYTHON "${RXSTRESS_NOTEBOOK_PYTHON}" CACHE FILEPATH
    "Python 3 with h5py, pandas, matplotlib and nbconvert, for the notebook test")

if(RXSTRESS_NOTEBOOK_PYTHON)
  add_test(NAME notebooks
    COMMAND ${RXSTRESS_NOTEBOOK_PYTHON} ${PROJECT_SOURCE_DIR}/tests/test_notebooks.py
            --rxstress $<TARGET_FILE:rxstress>
            --work-dir ${CMAKE_CURRENT_BINARY_DIR}/notebooks
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/notebooks)
  set_tests_properties(notebooks PROPERTIES
    TIMEOUT 900
    LABELS "notebooks"
    ENVIRONMENT "PYDEVD_DISABLE_FILE_VALIDATION=1;MPLBACKEND=Agg;PYTHONDONTWRITEBYTECODE=1")
else()
  message(WARNING "python3 not found: the notebooks test is not registered")
endif()
