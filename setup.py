"""Build hook: the wheel carries the PWA build, so an installed FieldRep serves the app.

Everything else is declared in pyproject.toml. ``build_py`` copies ``pwa/dist`` (made by
``npm run build``, or ``make pwa``) into ``backend/static/pwa`` of the build; ``make wheel`` runs
both. A wheel built without the PWA still installs and serves the API, and its app shell says
the app was not built.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PWA_BUILD = Path(__file__).parent / "pwa" / "dist"


class BuildWithPWA(build_py):
    """``build_py`` plus the PWA build copied into the package."""

    def run(self):
        super().run()
        if not (PWA_BUILD / "index.html").exists():
            self.warn("pwa/dist is not built: the wheel will not serve the app (run make pwa)")
            return
        target = Path(self.build_lib) / "backend" / "static" / "pwa"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(PWA_BUILD, target)


setup(cmdclass={"build_py": BuildWithPWA})
