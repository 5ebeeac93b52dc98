"""What-if changes for the access analysis: an added village car, and a shifted meeting time.

A village car (dorpsauto) added with ``dorpsauto@VILLAGE`` is based at that village's point. It
serves every village on the same river bank that it reaches within ``Limits.dorpsauto_reach_min``
minutes by car (its own village included); a served village counts the car ride to the venue as a
means of travel both ways (see :mod:`planner.access.score`). This measures reach, not capacity:
seats, drivers and hours are for ``planner plan`` to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.errors import InputFileError, UnknownPlaceError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from planner.region import Region

#: Vehicle kinds ``--add-vehicle`` accepts.
ADDABLE_KINDS: tuple[str, ...] = ("dorpsauto",)


@dataclass(frozen=True)
class AddedVehicle:
    """A what-if vehicle: its kind and the data-pack id and name of its base village."""

    kind: str
    village_id: str
    village: str

    @property
    def label(self) -> str:
        """``kind@Village`` as the user writes it."""
        return f"{self.kind}@{self.village}"

    def to_dict(self) -> dict[str, str]:
        """Plain dict of the fields."""
        return {"kind": self.kind, "village_id": self.village_id, "village": self.village}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> AddedVehicle:
        """Inverse of :meth:`to_dict`."""
        return cls(kind=data["kind"], village_id=data["village_id"], village=data["village"])


def parse_added_vehicle(text: str, region: Region) -> AddedVehicle:
    """Parse ``KIND@VILLAGE`` (e.g. ``dorpsauto@Wamel``).

    Raises
    ------
    InputFileError
        Naming ``--add-vehicle`` when the text is not ``KIND@VILLAGE`` or the kind is unknown.
    UnknownPlaceError
        When the village is not in the data pack (with the closest names).
    """
    kind, at, place = text.partition("@")
    kind = kind.strip().lower()
    if not at or not place.strip():
        raise InputFileError(
            "--add-vehicle",
            f"'{text}' is not KIND@VILLAGE",
            hint="e.g. --add-vehicle dorpsauto@Wamel",
        )
    if kind not in ADDABLE_KINDS:
        raise InputFileError(
            "--add-vehicle",
            f"unknown vehicle kind '{kind}'",
            hint=f"use one of {', '.join(ADDABLE_KINDS)}, e.g. dorpsauto@Wamel",
        )
    try:
        village = region.find_village(place.strip())
    except UnknownPlaceError as exc:
        raise InputFileError("--add-vehicle", str(exc)) from None
    return AddedVehicle(kind=kind, village_id=str(village["id"]), village=str(village["name"]))


def served_by(
    vehicles: tuple[AddedVehicle, ...], region: Region, car_s: NDArray[np.float64], reach_min: float
) -> dict[str, str]:
    """Which village each what-if vehicle serves.

    Parameters
    ----------
    vehicles
        The added vehicles.
    region
        The data pack; ``region.villages`` gives the order of ``car_s``.
    car_s
        Car travel times in seconds between the villages (square, in ``region.villages`` order).
    reach_min
        Longest car time from the base village, minutes.

    Returns
    -------
    dict
        Village id -> name of the base village of the first vehicle that serves it.
    """
    ids = list(region.villages["id"])
    banks = region.villages["bank"].to_numpy()
    served: dict[str, str] = {}
    for vehicle in vehicles:
        base = ids.index(vehicle.village_id)
        near = (car_s[base] <= reach_min * 60.0) & (banks == banks[base])
        near[base] = True
        for i in np.flatnonzero(near):
            served.setdefault(ids[i], vehicle.village)
    return served
