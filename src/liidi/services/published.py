"""The published scoring models, parsed once per process."""

from __future__ import annotations

from dataclasses import dataclass

from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.services.unit_of_work import UnitOfWork

_PARSED: dict[tuple[str, int, str], ScoringModel] = {}


@dataclass(frozen=True, slots=True)
class Published:
    """A model's published version, parsed."""

    name: str
    version: int
    model: ScoringModel

    @property
    def label(self) -> str:
        """How the version is named in histories: 'core-services@v3'."""
        return f"{self.name}@v{self.version}"


def published_models(uow: UnitOfWork) -> list[Published]:
    """The published version of every model (parsed once per process)."""
    found = []
    for row in uow.models.published():
        key = (row["name"], row["version"], row["fingerprint"])
        if key not in _PARSED:
            _PARSED[key] = load_model_text(row["source"], f"{row['name']}@v{row['version']}")
        found.append(Published(row["name"], row["version"], _PARSED[key]))
    return found
