"""Tooltips and popups for the access and event maps without jQuery.

Folium's own ``Popup`` builds its content with jQuery, which the offline maps do not load, and its
``Tooltip`` puts text in a JavaScript template literal. Here the content goes to Leaflet's
``bindTooltip``/``bindPopup`` as a JSON string, so no character of a name can break the script.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import folium

from planner.output.offline import bind

if TYPE_CHECKING:
    from planner.region import Region


def add_rivers(fmap: folium.Map, region: Region, label: str) -> None:
    """Draw the river centrelines of ``region`` as one layer: orientation when tiles are offline."""
    layer = folium.FeatureGroup(name=label)
    for name, river in region.rivers.iterrows():
        line = folium.PolyLine([(lat, lon) for lon, lat in river.geometry.coords],
                               color="#4a90d9", weight=5, opacity=0.5, class_name="river")
        bind(line, tooltip_html=html.escape(str(name))).add_to(layer)
    layer.add_to(fmap)
