"""Self-contained HTML: Leaflet inlined from an installed package, no CDN, stable element ids.

Leaflet's JavaScript, CSS and images come from the PyPI package ``xstatic-leaflet`` (the same
Leaflet 1.9.3 that folium 0.20 links to). Folium's other default assets (jQuery, Bootstrap,
awesome-markers, Font Awesome) are not used by these maps and are left out, so a page opened from
``file://`` without a network loads no script, stylesheet or font from anywhere.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

_CSS_IMAGE = re.compile(r"url\((images/[^)]+\.png)\)")


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's minified JavaScript and its CSS with the images as data URIs.

    Returns
    -------
    tuple of str
        ``(javascript, css)`` ready to place inside ``<script>`` and ``<style>``.
    """
    from xstatic.pkg import leaflet

    base = Path(leaflet.BASE_DIR)
    js = (base / "leaflet.js").read_text(encoding="utf-8")
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        png = base64.b64encode((base / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{png})"

    css = _CSS_IMAGE.sub(data_uri, css)
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("Leaflet assets cannot be inlined: they contain a closing tag")
    return js, css


def page_of(fmap: folium.Map) -> Figure:
    """Return the page (a branca ``Figure``, with ``header`` and ``html``) the map is drawn on.

    ``get_root`` is typed as any ``Element``; a folium map always sits on a ``Figure``.
    """
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"the map is not on a page but on a {type(root).__name__}")
    return root


def inline_leaflet(fmap: folium.Map) -> None:
    """Replace the map's CDN links by inline Leaflet, and drop the assets the map does not use."""
    js, css = leaflet_assets()
    fmap.default_js = []
    fmap.default_css = []
    header = page_of(fmap).header
    header.add_child(Element(f"<style>{css}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{js}</script>"), name="leaflet_js_inline")


def stabilise_ids(root: Element) -> None:
    """Give every element of a folium/branca tree an id derived from its position.

    Branca draws random ids, so two renders of the same plan would differ; this makes the HTML
    the same for the same input.
    """
    counter = 0

    def visit(element: Element) -> None:
        nonlocal counter
        element._id = f"{counter:06d}"
        counter += 1
        for child in element._children.values():
            visit(child)

    visit(root)


def external_resources(html_text: str) -> list[str]:
    """URLs of scripts, stylesheets, fonts and imports a page would fetch from another host.

    Looks at ``<script src>``, ``<link href>`` (stylesheet, preload, icon, font), ``<iframe src>``
    and CSS ``@import`` / ``url(...)`` with an ``http(s):`` or protocol-relative address.
    Links the reader may click (``<a href>``) and map tiles requested at run time are not counted.
    """
    finder = _ResourceFinder()
    finder.feed(html_text)
    css_urls = re.findall(r"""(?:@import\s+|url\()\s*['"]?((?:https?:)?//[^'")\s]+)""", html_text)
    return finder.urls + css_urls


class _ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        url = None
        if tag in ("script", "iframe", "img", "embed") and attr.get("src"):
            url = attr["src"]
        elif tag == "link" and attr.get("href"):
            url = attr["href"]
        if url and re.match(r"^(?:https?:)?//", url.strip(), re.IGNORECASE):
            self.urls.append(url)


def assert_self_contained(html_text: str, where: str) -> str:
    """Return ``html_text`` unchanged, or raise when it would fetch a resource from the internet.

    A failure is a bug in this package (a folium element that brought its own CDN link), never
    a user error, so it raises ``RuntimeError``.
    """
    urls = external_resources(html_text)
    if urls:
        raise RuntimeError(
            f"{where} would load {len(urls)} resource(s) from the internet: {urls[:3]}"
        )
    return html_text


class _Bind(MacroElement):
    """Call ``method`` (``bindTooltip`` or ``bindPopup``) on the parent layer with JSON content.

    Folium's own Tooltip puts text in a JavaScript template literal and its Popup needs jQuery,
    which these offline pages leave out; JSON keeps any character harmless and needs no library.
    """

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


def bind(
    layer: Any,
    *,
    tooltip_html: str,
    popup_html: str | None = None,
    tooltip_options: dict[str, Any] | None = None,
    popup_width: int = 380,
) -> Any:
    """Attach a tooltip (and a popup) to a folium layer without jQuery; returns the layer.

    ``tooltip_html`` and ``popup_html`` are ready HTML: the caller escapes every value in them.
    """
    layer.add_child(_Bind("bindTooltip", tooltip_html, tooltip_options or {"sticky": True}))
    if popup_html:
        layer.add_child(_Bind("bindPopup", popup_html, {"maxWidth": popup_width}))
    return layer
