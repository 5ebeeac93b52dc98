"""Where and when to meet: candidate venues × time slots ranked for a group of participants.

- :mod:`planner.ranking.event`: reading the candidates file, and ranking its options by who can
  attend, the rides needed and the travel time (own means by the rules of
  :mod:`planner.access.score`, rides planned with :func:`planner.solve.planning.plan_event`).

The map of a ranking is :mod:`planner.output.event_map`; :func:`planner.rank_events` runs it all.
"""
