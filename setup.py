"""Ship the repository's ``data/`` folder inside the wheel as ``planner/data``.

Everything else is configured in ``pyproject.toml``; only a package mapped from a folder outside
``planner/`` needs ``setup()`` (see :func:`planner.settings.data_dir`, which finds it).
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["planner*"], exclude=["*__pycache__"]),
              "planner.data",
              *(f"planner.data.{name}" for name in find_namespace_packages(where="data"))],
    package_dir={"planner.data": "data"},
)
