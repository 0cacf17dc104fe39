"""Issue 25, item 3: confidence you can see. A 5% "Volume Restriction" must not look like a
100% "Cap On Liability": checked on rendered pixels of the clause list and the page; the
clauses below the threshold wait in a group, collapsed at first; a legend says what the
colours and marks mean."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath
from pytestqt.qtbot import QtBot

from westfall_legal.gui.clause_model import COLUMNS
from westfall_legal.gui.main_window import MainWindow
from westfall_legal.gui.style import category_colour
from westfall_legal.session.rows import ClauseRow
from westfall_legal.session.workspace import Workspace

WEAK, STRONG = "k15", "k39"  # Volume Restriction 5%, Cap On Liability 100%


def _ws(window: MainWindow) -> Workspace:
    assert window.workspace is not None
    return window.workspace


def _row(window: MainWindow, ref: str) -> ClauseRow:
    row = _ws(window).row(ref)
    assert row is not None
    return row


def _pixels(image: QImage, rect: QRect) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1)
        for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1)
    ]


def _cell(qtbot: QtBot, window: MainWindow, clause_id: str) -> tuple[QImage, QRect]:
    """The category cell of a clause, as drawn in the list (grabbed from the screen)."""
    panel = window.clauses
    source = next(i for i, r in enumerate(panel.model.rows) if r.id == clause_id)
    index = panel.proxy.mapFromSource(panel.model.index(source, 0))
    assert index.isValid()
    viewport = panel.table.viewport()

    def in_view() -> bool:
        panel.table.scrollTo(index)
        return viewport.rect().contains(panel.table.visualRect(index))

    qtbot.waitUntil(in_view, timeout=3000)
    return viewport.grab().toImage(), panel.table.visualRect(index)


def test_a_weak_clause_is_drawn_fainter_in_the_list(qtbot: QtBot, reviewed: MainWindow) -> None:
    window = reviewed
    weak, strong = _row(window, WEAK), _row(window, STRONG)
    assert weak.confidence is not None and weak.confidence < 0.1
    assert strong.confidence is not None and strong.confidence > 0.95
    window.tabs.setCurrentWidget(window.review_split)
    window.clauses.set_weak_shown(True)  # open the "below threshold" group
    measured = {}
    for row in (weak, strong):
        image, cell = _cell(qtbot, window, row.id)
        swatch = QRect(cell.left(), cell.top(), 22, cell.height())
        text = QRect(cell.left() + 24, cell.top(), cell.width() - 24, cell.height())
        measured[row.ref] = (
            max(c.hsvSaturationF() for c in _pixels(image, swatch)),  # the colour chip
            min(c.lightnessF() for c in _pixels(image, text)),  # the darkest ink of the name
        )
    (weak_chip, weak_ink), (strong_chip, strong_ink) = measured[WEAK], measured[STRONG]
    assert strong_chip > 0.3 and weak_chip < strong_chip / 2, measured
    assert weak_ink > strong_ink + 0.3, measured  # grey, not black


def _highlight_pixels(window: MainWindow, clause_id: str) -> list[QColor]:
    """The highlight alone on white paper (the page image, which renders when it likes, and
    the other marks hidden, its words shared with other clauses coloured too), as drawn at
    three times its size."""
    item = window.view.highlight_items(clause_id)[0]
    item.set_shared(QPainterPath())
    rect = item.sceneBoundingRect().adjusted(2, 2, -2, -2)  # inside its outline
    scene = window.view.scene()
    others = [i for i in scene.items() if i is not item and i.isVisible()]
    for other in others:
        other.hide()
    scale = 3.0
    image = QImage(
        int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32
    )
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    for other in others:
        other.show()
    return _pixels(image, image.rect())


def test_a_weak_clause_is_fainter_and_hatched_on_the_page(reviewed: MainWindow) -> None:
    window = reviewed
    weak = window.view.highlight_items(_row(window, WEAK).id)[0]
    strong = window.view.highlight_items(_row(window, STRONG).id)[0]
    assert weak.hatched and not strong.hatched
    assert weak.opacity() == strong.opacity()  # neither is the current clause
    weak_px = _highlight_pixels(window, weak.clause_id)
    strong_px = _highlight_pixels(window, strong.clause_id)

    def tinted(pixels: list[QColor]) -> float:  # the share of pixels the highlight colours
        return sum(c.hsvSaturationF() > 0.12 for c in pixels) / len(pixels)

    def hatch(pixels: list[QColor]) -> float:  # the share of lines darker than the fill
        fill = Counter(round(c.lightnessF(), 2) for c in pixels).most_common(1)[0][0]
        return sum(c.lightnessF() < fill - 0.08 for c in pixels) / len(pixels)

    assert tinted(strong_px) > 0.5, tinted(strong_px)  # a solid highlighter colour
    assert tinted(weak_px) < tinted(strong_px) / 2, (tinted(weak_px), tinted(strong_px))
    assert hatch(strong_px) < 0.05 < hatch(weak_px), (hatch(strong_px), hatch(weak_px))


def test_clauses_below_the_threshold_wait_in_a_collapsed_group(
    qtbot: QtBot, reviewed: MainWindow
) -> None:
    window, ws = reviewed, _ws(reviewed)
    panel = window.clauses
    window.tabs.setCurrentWidget(window.review_split)
    weak = [r.id for r in ws.rows if r.confidence is not None and r.confidence < 0.5]
    assert len(weak) >= 5
    shown = panel.visible_ids()
    assert not set(weak) & set(shown) and len(shown) == len(ws.rows) - len(weak)
    # the group is a row of the list, after the clauses above the threshold, closed
    group = panel.group_row()
    assert group == panel.proxy.rowCount() - 1 and not panel.weak_shown
    index = panel.proxy.index(group, 0)
    assert f"Below the 50% threshold: {len(weak)} clauses" in index.data()
    assert panel.table.columnSpan(group, 0) == len(COLUMNS)  # one line across the table
    panel.table.setCurrentIndex(index)  # Enter on it opens it
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert panel.weak_shown and panel.current_id() is None
    shown = panel.visible_ids()
    assert shown[-len(weak) :] == [i for i in shown if i in weak]  # the group comes last
    assert len(shown) == len(ws.rows)
    assert panel.group_row() == len(ws.rows) - len(weak)  # its clauses under it
    panel.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # any order: still last
    assert panel.group_row() == len(ws.rows) - len(weak)
    assert set(panel.visible_ids()[-len(weak) :]) == set(weak)
    qtbot.keyClick(panel.table, Qt.Key.Key_Left)  # ← closes it
    assert not panel.weak_shown and len(panel.visible_ids()) == len(ws.rows) - len(weak)
    rect = panel.table.visualRect(panel.proxy.index(panel.group_row() or 0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.weak_shown  # a click opens it
    panel.set_weak_shown(False)
    assert panel.select(_row(window, WEAK).id)  # going to a weak clause opens its group
    assert panel.weak_shown and panel.current_id() == _row(window, WEAK).id


def test_a_legend_names_the_colours_on_the_page(reviewed: MainWindow) -> None:
    legend = reviewed.legend
    assert legend.isVisible()
    on_page_1 = {r.category for r in _ws(reviewed).rows if r.page == 1}
    assert on_page_1 <= set(legend.categories)
    text = legend.text()
    for category in on_page_1:
        assert category_colour(category).name() in text
    assert "below 50%" in text and "less sure" in text
