"""Benchmarks of omsgen against the anchors users would pick instead; `python -m bench` runs them all."""
