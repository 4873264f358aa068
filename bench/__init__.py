"""National-scale data generator and benchmarks (not part of the test run). See README.md."""
