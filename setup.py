"""Build hook: compile the gettext catalogues (``.po`` -> ``.mo``) into every build.

The project's metadata is in ``pyproject.toml``; this file only adds the compile step, so a
wheel carries ``planner/locale/<lang>/LC_MESSAGES/django.mo`` and an editable install gets them
beside the ``.po`` files. The ``.mo`` files are not committed.
"""

from pathlib import Path

from setuptools import setup
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


setup(cmdclass={"build_py": BuildPyWithCatalogues})
