"""A small static route map as inline SVG, for printed driver sheets.

No tiles and no script: it prints the same on every printer and needs no network. Coordinates
are (lat, lon) in EPSG:4326, drawn in a local equirectangular projection (fine at village scale).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

from planner.output._common import LatLon

WIDTH = 720
HEIGHT = 400
MARGIN = 36


@dataclass(frozen=True)
class SvgLine:
    """A line to draw: points as (lat, lon), colour and whether it is dashed."""

    points: Sequence[LatLon]
    colour: str
    dashed: bool = False
    css_class: str = "route"


@dataclass(frozen=True)
class SvgPoint:
    """A labelled point: ``badge`` is drawn inside the circle (a stop number), ``label`` beside."""

    point: LatLon
    label: str
    badge: str = ""
    colour: str = "#212121"
    square: bool = False


class _Projection:
    def __init__(self, points: Sequence[LatLon]) -> None:
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self.lat_max, self.lon_min = max(lats), min(lons)
        span_x = max((max(lons) - self.lon_min) * self.kx, 1e-4)
        span_y = max(self.lat_max - min(lats), 1e-4)
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)
        # Centre the drawing in the box.
        self.dx = (WIDTH - span_x * self.scale) / 2
        self.dy = (HEIGHT - span_y * self.scale) / 2

    def xy(self, point: LatLon) -> tuple[float, float]:
        x = self.dx + (point[1] - self.lon_min) * self.kx * self.scale
        y = self.dy + (self.lat_max - point[0]) * self.scale
        return round(x, 1), round(y, 1)

    def metres_per_unit(self) -> float:
        return 111_320.0 / self.scale


def route_svg(lines: Sequence[SvgLine], points: Sequence[SvgPoint], *, title: str) -> str:
    """Return an SVG drawing of routes and labelled stops.

    Parameters
    ----------
    lines
        Routes to draw, in order (later on top).
    points
        Stops and places to mark and label.
    title
        Accessible title of the drawing.
    """
    frame = [p for line in lines for p in line.points] + [p.point for p in points]
    proj = _Projection(frame)
    parts = [
        (
            f'<svg class="route-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
            f' role="img" aria-label="{html.escape(title)}"><title>{html.escape(title)}</title>'
        ),
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f4f6f7" stroke="#9e9e9e"/>',
    ]
    for line in lines:
        dash = ' stroke-dasharray="9 6"' if line.dashed else ""
        width = 3 if line.dashed else 6
        opacity = "1" if line.dashed else "0.55"
        parts.append(
            _polyline(
                proj,
                line.points,
                f'stroke="{line.colour}" stroke-width="{width}" stroke-opacity="{opacity}"{dash} '
                f'class="{html.escape(line.css_class)}"',
            )
        )
    parts += [_marker(proj, p) for p in points]
    parts.append(_scale_bar(proj))
    parts.append(
        f'<text x="{WIDTH - 18}" y="24" font-size="16" font-weight="bold" '
        'text-anchor="middle">N</text>'
        f'<path d="M{WIDTH - 18} 28 l-5 12 h10 z" fill="#212121"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _polyline(proj: _Projection, points: Sequence[LatLon], attributes: str) -> str:
    coords = " ".join(f"{x},{y}" for x, y in map(proj.xy, points))
    return (
        f'<polyline points="{coords}" fill="none" stroke-linecap="round" '
        f'stroke-linejoin="round" {attributes}/>'
    )


def _marker(proj: _Projection, point: SvgPoint) -> str:
    x, y = proj.xy(point.point)
    if point.square:
        shape = (
            f'<rect x="{x - 8}" y="{y - 8}" width="16" height="16" fill="{point.colour}" '
            'stroke="#fff" stroke-width="2"/>'
        )
    else:
        shape = (
            f'<circle cx="{x}" cy="{y}" r="10" fill="#fff" stroke="{point.colour}" '
            'stroke-width="3"/>'
        )
    badge = (
        (
            f'<text x="{x}" y="{y + 4}" font-size="11" font-weight="bold" text-anchor="middle">'
            f"{html.escape(point.badge)}</text>"
        )
        if point.badge
        else ""
    )
    anchor, dx = ("end", -14) if x > WIDTH * 0.75 else ("start", 14)
    label = (
        f'<text x="{x + dx}" y="{y + 4}" font-size="13" text-anchor="{anchor}" '
        f'paint-order="stroke" stroke="#fff" stroke-width="3">{html.escape(point.label)}</text>'
    )
    return f'<g class="stop">{shape}{badge}{label}</g>'


def _scale_bar(proj: _Projection) -> str:
    metres_per_unit = proj.metres_per_unit()
    target = metres_per_unit * WIDTH / 5
    length_m = max(
        (s for s in (100, 200, 500, 1000, 2000, 5000, 10000, 20000) if s <= target), default=100
    )
    units = length_m / metres_per_unit
    label = f"{length_m // 1000} km" if length_m >= 1000 else f"{length_m} m"
    y = HEIGHT - 14
    return (
        f'<g class="scale"><path d="M14 {y} h{units:.1f}" stroke="#212121" stroke-width="3"/>'
        f'<text x="14" y="{y - 6}" font-size="12">{label}</text></g>'
    )
