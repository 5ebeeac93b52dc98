"""Pickup-and-delivery route engine.

Problem (:mod:`.problem`), solver (:mod:`.engine`), search parameters (:mod:`.params`),
independent checker (:mod:`.check`) and benchmark readers (:mod:`.bench_io`).
"""
