"""Rivierenland ride planner: how newcomers in small villages reach meetings in Tiel and get home.

Data flows one way, one subpackage per stage::

    region -> network -> transit -> model -> solve -> plan -> output
"""

__version__ = "0.1.0"
