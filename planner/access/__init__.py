"""Isolation hotspots: which villages cannot reach a meeting in Tiel and get home again.

- :mod:`planner.access.score`: the scoring rules on plain minutes (testable by hand);
- :mod:`planner.access.analysis`: every village of the data pack rated for one meeting;
- :mod:`planner.access.whatif`: an added village car, a shifted meeting time;
- :mod:`planner.access.maps`: the offline isolation map;
- :mod:`planner.access.event`: ranking candidate venues and time slots for a group;
- :mod:`planner.access.event_map`: the offline map of the ranked venues.
"""
