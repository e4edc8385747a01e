"""Speed and quality benchmarks: run on demand (`make bench`), never as timed unit tests."""
