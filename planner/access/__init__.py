"""Isolation hotspots: which villages cannot reach a meeting in Tiel and get home again.

- :mod:`planner.access.score`: the scoring rules on plain minutes (testable by hand);
- :mod:`planner.access.analysis`: every village of the data pack rated for one meeting;
- :mod:`planner.access.whatif`: an added village car, a shifted meeting time.

The isolation map is :mod:`planner.output.access_map`; :func:`planner.assess_access` runs it all.
"""
