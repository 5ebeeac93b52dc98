"""Tooltips and popups for the access and event maps without jQuery.

Folium's own ``Popup`` builds its content with jQuery, which the offline maps do not load, and its
``Tooltip`` puts text in a JavaScript template literal. Here the content goes to Leaflet's
``bindTooltip``/``bindPopup`` as a JSON string, so no character of a name can break the script.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import folium
from branca.element import MacroElement
from jinja2 import Template

if TYPE_CHECKING:
    from planner.region import Region


class _Bind(MacroElement):
    """Call ``method`` (``bindTooltip`` or ``bindPopup``) on the parent layer with JSON content."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.{{ this.method }}({{ this.content|tojson }}, "
        "{{ this.options|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, method: str, content: str, options: dict[str, Any]) -> None:
        super().__init__()
        self._name = "Bind"
        self.method = method
        self.content = content
        self.options = options


def bind(layer: Any, *, tooltip_html: str, popup_html: str | None = None,
         tooltip_options: dict[str, Any] | None = None) -> Any:
    """Attach a tooltip (and a popup) to a folium layer and return the layer.

    Parameters
    ----------
    layer
        A folium marker or path.
    tooltip_html, popup_html
        Ready HTML: the caller escapes every value it puts in.
    tooltip_options
        Leaflet tooltip options; default ``{"sticky": True}`` (follows the mouse).
    """
    layer.add_child(_Bind("bindTooltip", tooltip_html, tooltip_options or {"sticky": True}))
    if popup_html:
        layer.add_child(_Bind("bindPopup", popup_html, {"maxWidth": 380}))
    return layer


def add_rivers(fmap: folium.Map, region: Region, label: str) -> None:
    """Draw the river centrelines of ``region`` as one layer: orientation when tiles are offline."""
    layer = folium.FeatureGroup(name=label)
    for name, river in region.rivers.iterrows():
        line = folium.PolyLine([(lat, lon) for lon, lat in river.geometry.coords],
                               color="#4a90d9", weight=5, opacity=0.5, class_name="river")
        bind(line, tooltip_html=html.escape(str(name))).add_to(layer)
    layer.add_to(fmap)
