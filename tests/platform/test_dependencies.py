"""The `whoosh` package must come from Whoosh-Reloaded alone: every Whoosh distribution
installs the same `whoosh/` folder, so a second one (e.g. pulled in by an extension that
requires `Whoosh`) would silently replace it. And every requirement is pinned."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_only_whoosh_reloaded_provides_whoosh():
    providers = metadata.packages_distributions().get("whoosh", [])
    assert providers == ["Whoosh-Reloaded"]
    assert metadata.version("Whoosh-Reloaded") == "2.7.5"
    for other in ("Whoosh", "whoosh-ng", "Whoosh-Novo"):
        try:
            metadata.version(other)
        except metadata.PackageNotFoundError:
            continue
        raise AssertionError(f"{other} is installed beside Whoosh-Reloaded")


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        pinned = 0
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if not line or line.startswith("-r "):
                continue
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*", line), line
            pinned += 1
        assert pinned > 0, name


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            package, version = line.split("==")
            pins[re.sub(r"\[.*\]", "", package).lower().replace("_", "-")] = version
    return pins


def test_constraints_pin_every_installed_distribution_and_agree_with_requirements():
    """constraints.txt locks the transitive dependencies too; a direct pin that disagrees
    with it, or an installed distribution it does not name, means it is out of date."""
    locked = _pins("constraints.txt")
    for name in ("requirements.txt", "requirements-dev.txt"):
        pins = _pins(name)
        assert pins, name
        for package, version in pins.items():
            assert locked.get(package) == version, (name, package, version, locked.get(package))
    installed = {
        d.metadata["Name"].lower().replace("_", "-"): d.version for d in metadata.distributions()
    }
    for package in ("pip", "setuptools", "wheel"):
        installed.pop(package, None)
    assert {p: v for p, v in installed.items() if locked.get(p) != v} == {}
