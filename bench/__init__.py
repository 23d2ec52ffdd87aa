"""The benchmark behind ``manage.py benchmark``: data sizes, query counts, render times and
latency under concurrent load. A development tool, not a part of the product: installed only
with DEBUG on (config/settings.py). See the README's Benchmark section."""
