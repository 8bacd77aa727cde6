"""Benchmarks: a simulated year at three sizes, outbox delivery against bare aiosmtplib, answer latency.

Run everything with `make bench` (or `.venv/bin/python -m bench`); each part also runs on its own:
`python -m bench.year --units 150`, `python -m bench.delivery`, `python -m bench.answers`.
Targets are reported in the output, never asserted in tests.
"""
