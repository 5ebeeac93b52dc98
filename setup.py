"""Ship ``data/`` and the plan schema inside the wheel and compile the gettext catalogues.

Everything else is configured in ``pyproject.toml``. ``setup()`` is needed for two things: the
packages mapped from folders outside ``planner/`` (``data/`` as ``planner/data``, see
:func:`planner.settings.data_dir`; ``docs/`` as ``planner/docs``, of which the wheel carries only
``plan.schema.json``, see :data:`planner.model.plan_check.SCHEMA_PATH`), and the compile step (``.po`` -> ``.mo``), so that a wheel carries
``planner/locale/<lang>/LC_MESSAGES/django.mo`` and an editable install gets them beside the
``.po`` files. The ``.mo`` files are not committed.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py


class BuildPyWithCatalogues(build_py):
    """``build_py`` that also compiles every catalogue under ``planner/locale``."""

    def run(self) -> None:
        """Build the package, then write each catalogue's ``.mo`` next to its ``.po``."""
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        into = Path.cwd() if self.editable_mode else Path(self.build_lib)
        for po in sorted(Path("planner/locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as source:
                catalogue = read_po(source, locale=po.parts[2])
            target = into / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as out:
                write_mo(out, catalogue)


setup(
    packages=[
        *find_namespace_packages(include=["planner*"], exclude=["*__pycache__"]),
        "planner.data",
        *(f"planner.data.{name}" for name in find_namespace_packages(where="data")),
        "planner.docs",
    ],
    package_dir={"planner.data": "data", "planner.docs": "docs"},
    cmdclass={"build_py": BuildPyWithCatalogues},
)
