"""Several categories on the same words (the sample's preamble carries four): one neutral
shade on the words, each category's colour in a bar of its own in the right margin, the bars
side by side; the selected clause is drawn whole in its colour."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.page_items import MarginBar, SharedShade, lanes
from westfall_legal.session.workspace import Workspace


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _pixel(window: MainWindow, point: QPointF) -> QColor:
    """The colour the highlights give ``point`` (scene) on white paper, the page image and
    the text hidden."""
    scene = window.view.scene()
    hidden = [i for i in scene.items() if i.zValue() < 1.5 and i.isVisible()]
    for item in hidden:
        item.hide()
    image = QImage(9, 9, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(
        painter, QRectF(image.rect()), QRectF(point - QPointF(1, 1), point + QPointF(1, 1))
    )
    painter.end()
    for item in hidden:
        item.show()
    return image.pixelColor(4, 4)


def test_lanes_put_overlapping_extents_side_by_side() -> None:
    placed = lanes([("a", 0, 10), ("b", 5, 20), ("c", 12, 30), ("d", 0, 4), ("e", 31, 40)])
    assert placed["a"] != placed["b"] and placed["a"] != placed["d"]
    assert placed["c"] != placed["b"]
    assert placed["e"] == 0  # nothing beside it


def test_overlapping_categories_are_stacked_in_the_margin_not_blended(
    qtbot: QtBot, reviewed: MainWindow
) -> None:
    window, ws = reviewed, _ws(reviewed)
    view = window.view
    first = [r for r in ws.rows if r.page == 1]
    assert len({r.category for r in first}) >= 3  # the preamble's categories
    bars = [b for b in view.layer_items("bars") if isinstance(b, MarginBar)]
    second_page = view.scene_rect(2, (0, 0, 1, 1)).top()
    on_first = [b for b in bars if b.rect().top() < second_page]
    assert {b.clause_id for b in on_first} == {r.id for r in first}
    # bars of clauses on the same lines stand side by side, each in its own colour
    for i, a in enumerate(on_first):
        for b in on_first[i + 1 :]:
            if a.rect().top() < b.rect().bottom() and b.rect().top() < a.rect().bottom():
                assert a.rect().right() <= b.rect().left() or b.rect().right() <= a.rect().left()
    assert len({b.colour.name() for b in on_first}) == len({r.category for r in first})

    # the words they share: one neutral shade, not a blend of four colours
    shades = [s for s in view.layer_items("shared") if isinstance(s, SharedShade)]
    assert shades
    window.clauses.select(ws.rows[-1].id)  # no preamble clause is the selected one
    shared = first[0]
    point = next(
        p
        for p in (
            view.scene_rect(1, box).center()
            for box in ws.boxes(shared.char_start, shared.char_end)[1]
        )
        if any(s.contains(p) for s in shades)
    )
    resting = _pixel(window, point)
    assert resting.hsvSaturationF() < 0.12, resting.name()  # grey, whatever the categories

    # selected, a clause shows whole in its colour, over the shade
    window.clauses.select(shared.id)
    selected = _pixel(window, point)
    assert selected.hsvSaturationF() > 0.2, selected.name()

    # a click on a bar selects its clause
    other = next(b for b in on_first if b.clause_id != shared.id)
    view.show_rect(other.sceneBoundingRect())
    view.click_at(view.mapFromScene(other.sceneBoundingRect().center()))
    assert window.clauses.current_id() == other.clause_id


def test_a_rejected_clause_leaves_the_margin(reviewed: MainWindow) -> None:
    window, ws = reviewed, _ws(reviewed)
    row = next(r for r in ws.rows if r.page == 1)
    window.clauses.select(row.id)
    window.corrector.actions["reject"].trigger()
    bars = {b.clause_id for b in window.view.layer_items("bars") if isinstance(b, MarginBar)}
    assert bars == {r.id for r in ws.rows} - {row.id}


def test_selecting_the_current_row_again_outlines_it_on_the_page(reviewed: MainWindow) -> None:
    """The first row is current once a document opens, without the page being told; going
    to it (a finding, --clause) must still outline it."""
    first = reviewed.clauses.current_id()
    assert first is not None
    assert not any(h.current for h in reviewed.view.highlight_items(first))
    reviewed.clauses.select(first)
    assert all(h.current for h in reviewed.view.highlight_items(first))
