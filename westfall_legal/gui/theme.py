"""The window's themes: light (the default), dark and high contrast, set in Models and
settings and applied at once. A theme changes the window's palette and the few colours the
workspace draws itself (the legend, the filter bar, the space around the pages); the pages
stay paper-white and each category keeps its highlight colour in every theme, so a colour
means the same clause category whichever theme is on. High contrast also draws every
highlight at full strength with an outline, and the window in black and white."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from westfall_legal.settings import THEMES

__all__ = ["THEMES", "Theme", "apply", "current", "theme"]


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str  # lists, tables and text boxes
    alternate: str  # every other row
    text: str
    button: str
    selection: str
    selected_text: str
    link: str
    muted: str  # secondary text (the legend's key, "(model: …)")
    panel: str  # the legend's and the filter bar's background
    border: str
    page_background: str  # around the pages
    resting: float  # opacity of the highlights of the clauses not selected
    outline: float  # every highlight's outline in points (0: none, the selected one only)
    disabled: str = ""  # a control that cannot be used now, and placeholder text ("": muted)
    frames: str = ""  # a style sheet that draws the boxes' frames ("": the style's own)


LIGHT = Theme(
    "light", window="#eff1f4", base="#ffffff", alternate="#f5f6f8", text="#1d2430",
    button="#e6e9ee", selection="#2f6fdc", selected_text="#ffffff", link="#1a56c4",
    muted="#556070", panel="#f6f7f9", border="#d5d9e0", page_background="#5b6470",
    resting=0.55, outline=0.0,
)  # fmt: skip
DARK = Theme(
    "dark", window="#23272e", base="#1b1e23", alternate="#262a31", text="#e6e9ee",
    button="#2f343c", selection="#3d7be0", selected_text="#ffffff", link="#8ab4ff",
    muted="#a9b1bd", panel="#2b3038", border="#434a55", page_background="#15181c",
    resting=0.6, outline=0.0,
)  # fmt: skip
HIGH_CONTRAST = Theme(
    "high-contrast", window="#000000", base="#000000", alternate="#101010", text="#ffffff",
    button="#000000", selection="#ffff00", selected_text="#000000", link="#00ffff",
    muted="#ffffff", panel="#000000", border="#ffffff", page_background="#000000",
    resting=0.9, outline=1.0, disabled="#9a9a9a",
    frames="QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractItemView "
    "{ border: 1px solid #ffffff; } QPushButton { border: 1px solid #ffffff; padding: 3px 10px; }"
    " QPushButton:disabled { border: 1px dashed #9a9a9a; }",
)  # fmt: skip
_BY_NAME = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}
_current = LIGHT
_original: QPalette | None = None  # the application's palette before a theme replaced it


def theme(name: str) -> Theme:
    """The theme called ``name`` (an unknown name: light)."""
    return _BY_NAME.get(name, LIGHT)


def current() -> Theme:
    """The theme the window is drawn in now."""
    return _current


def palette(t: Theme) -> QPalette:
    roles = QPalette.ColorRole
    p = QPalette()
    for role, colour in (
        (roles.Window, t.window),
        (roles.WindowText, t.text),
        (roles.Base, t.base),
        (roles.AlternateBase, t.alternate),
        (roles.Text, t.text),
        (roles.Button, t.button),
        (roles.ButtonText, t.text),
        (roles.ToolTipBase, t.base),
        (roles.ToolTipText, t.text),
        (roles.PlaceholderText, t.disabled or t.muted),
        (roles.Highlight, t.selection),
        (roles.HighlightedText, t.selected_text),
        (roles.Link, t.link),
        (roles.BrightText, t.text),
        (roles.Mid, t.border),
        (roles.Dark, t.border),
        (roles.Light, t.alternate),
    ):
        p.setColor(role, QColor(colour))
    disabled = QColor(t.disabled or t.muted)
    if not t.disabled:
        disabled.setAlphaF(0.6)
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def apply(name: str) -> Theme:
    """Make ``name`` the application's theme (its palette); the widgets that draw their own
    colours read :func:`current` when they restyle."""
    global _current, _original
    _current = theme(name)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return _current
    if _current is LIGHT:  # light: the application's own palette, as before themes
        if _original is not None:
            app.setPalette(_original)
    else:
        if _original is None:
            _original = app.palette()
        app.setPalette(palette(_current))
    app.setStyleSheet(_current.frames)
    return _current
