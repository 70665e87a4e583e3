"""Package list for the `crm` namespace.

pyproject.toml maps `crm` to core/ and `crm.plugins` to plugins/; setuptools cannot discover packages
under a renamed root by itself, so we list them here. Test folders are not packages and stay out.
"""

from setuptools import find_packages, setup


def under(prefix: str, folder: str) -> list[str]:
    return [prefix] + [f"{prefix}.{name}" for name in find_packages(folder, exclude=["*.tests", "tests"])]


setup(packages=under("crm", "core") + under("crm.plugins", "plugins"))
