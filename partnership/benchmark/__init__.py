"""The benchmark behind ``manage.py benchmark``: data sizes, query counts, render times and
latency under concurrent load. See the README's Benchmark section."""
