"""The review overview, the first thing shown of a document: the contract type, the findings
counted and grouped by severity with their explanations (a click opens the clause a finding
cites), the key facts in words (a click goes to where each was read, a double click edits
it), and the summary sentences with the clauses they rest on."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from westfall_legal.gui import theme
from westfall_legal.gui.signals import emit
from westfall_legal.gui.style import severity_colour, swatch
from westfall_legal.session.present import fact_text, severity_counts
from westfall_legal.session.rows import SEVERITIES

if TYPE_CHECKING:
    from westfall_legal.store import FactState

ROLE = Qt.ItemDataRole.UserRole  # ("clause", ref) or ("span", start, end)
WRAP = Qt.ItemDataRole.UserRole + 2  # an explanation's text, wrapped to the tree's width


def wrap(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` broken into lines at spaces so that each fits ``width`` pixels (a tree view
    cannot wrap its items' text itself: it elides it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _section(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(f"<b>{title}</b>")
    layout.addWidget(label)
    layout.addWidget(widget)
    return box


class SummaryTab(QWidget):
    clauseRequested = Signal(str)  # a clause ref ("k12")
    findingRequested = Signal(dict)  # a finding (its review JSON): open the clause it cites
    # ("risk", severity) / ("finding", finding) / ("fact", name): show those clauses in the list
    filterRequested = Signal(str, object)
    spanRequested = Signal(int, int)
    factEdited = Signal(str, str)  # fact name, the value typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.contract = QLabel("No document open", self)
        self.contract.setWordWrap(True)
        self.counts = QLabel(self)  # High 1 · Medium 3 · Low 2
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setAccessibleName("Findings by severity")
        self.facts = QTableWidget(0, 3, self)
        self.facts.setAccessibleName("Key facts")
        self.facts.setHorizontalHeaderLabels(["Fact", "Value", "Page"])
        self.facts.verticalHeader().hide()
        self.facts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.facts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.facts.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.facts.itemClicked.connect(self._fact_clicked)
        self.facts.itemActivated.connect(self._fact_clicked)  # Enter, as a click
        self.facts.itemChanged.connect(self._fact_changed)
        self.facts.setToolTip(
            "Click: where it was read. Double click: correct it. Right click: its clauses"
        )
        self.findings = QTreeWidget(self)
        self.findings.setAccessibleName("Findings")
        self.findings.setHeaderHidden(True)
        self.findings.setWordWrap(True)
        self.findings.itemClicked.connect(self._go)
        self.findings.itemActivated.connect(self._go)  # Enter, as a click
        for view in (self.facts, self.findings):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.facts.customContextMenuRequested.connect(self._fact_menu)
        self.findings.customContextMenuRequested.connect(self._finding_menu)
        self.sentences = QListWidget(self)
        self.sentences.setAccessibleName("Summary")
        self.sentences.setWordWrap(True)
        self.sentences.itemClicked.connect(self._go)
        self.sentences.itemActivated.connect(self._go)
        self._loading = False
        self.names: dict[str, str] = {}
        self.findings.viewport().installEventFilter(self)  # re-wrap explanations on resize

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(_section("Findings", self.findings))
        split.addWidget(_section("Key facts", self.facts))
        split.addWidget(_section("Summary", self.sentences))
        split.setSizes([300, 180, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.contract)
        layout.addWidget(self.counts)
        layout.addWidget(split, 1)

    def show_review(
        self,
        contract_type: Mapping[str, Any] | None,
        facts: Mapping[str, FactState],
        findings: Sequence[Mapping[str, Any]],
        summary: Mapping[str, Any] | None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Show a review; ``names`` gives each clause id the name a reader knows it by
        ("k40" -> "§12 Uncapped Liability"), the id staying in the tooltip."""
        self.names = dict(names or {})
        if contract_type:
            self.contract.setText(
                f"<b>Contract type:</b> {contract_type['label']} "
                f"<span style='color:{theme.current().muted}'>"
                f"({contract_type['confidence']:.0%})</span>"
            )
        else:
            self.contract.setText("<b>Contract type:</b> not recognised")
        self.show_facts(facts)
        self._show_findings(findings)
        self.counts.setText(self._counts_html(findings))
        self.sentences.clear()
        for sentence in (summary or {}).get("sentences", []):
            self.add_sentence(
                sentence["text"],
                sentence.get("clause_ids", []),
                sentence.get("source", ""),
                quote=sentence.get("quote"),
                heading=sentence.get("heading") or "",
                span=sentence.get("span"),
            )
        note = (summary or {}).get("note")
        if note:
            item = QListWidgetItem(f"({note})")
            item.setForeground(Qt.GlobalColor.darkGray)
            self.sentences.addItem(item)

    def show_facts(self, facts: Mapping[str, FactState]) -> None:
        self._loading = True
        self.facts.setRowCount(0)
        for name, fact in facts.items():
            row = self.facts.rowCount()
            self.facts.insertRow(row)
            label = QTableWidgetItem(name.replace("_", " "))
            label.setData(ROLE, ("span", fact.char_start, fact.char_end))
            label.setData(ROLE + 1, name)
            label.setFlags(label.flags() & ~Qt.ItemFlag.ItemIsEditable)
            edited = " ✎" if fact.source == "reviewer" or fact.value != fact.original_value else ""
            value = QTableWidgetItem(fact_text(name, fact.value))
            value.setData(ROLE, ("span", fact.char_start, fact.char_end))
            value.setData(ROLE + 1, name)
            value.setToolTip(f"Read from: “{fact.text}”{edited and ' — edited by a reviewer'}")
            page = QTableWidgetItem(f"{fact.page}{edited}" if fact.page else edited.strip())
            page.setFlags(page.flags() & ~Qt.ItemFlag.ItemIsEditable)
            page.setData(ROLE, ("span", fact.char_start, fact.char_end))
            page.setData(ROLE + 1, name)
            for column, item in enumerate((label, value, page)):
                self.facts.setItem(row, column, item)
        self.facts.resizeColumnToContents(0)
        self._loading = False

    @staticmethod
    def _counts_html(findings: Sequence[Mapping[str, Any]]) -> str:
        """The findings by severity, each count in its severity's colour."""
        parts = [
            f"<span style='color:{severity_colour(s).darker(120).name()}'>"
            f"<b>{s.capitalize()}</b> {n}</span>"
            for s, n in severity_counts(findings).items()
        ]
        return "<b>Findings:</b> " + " · ".join(parts)

    def counts_text(self) -> str:
        """The counts line as plain text ("Findings: High 1 · Medium 3 · Low 2")."""
        doc = QTextDocument()
        doc.setHtml(self.counts.text())
        return doc.toPlainText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.findings.viewport():
            self.wrap_explanations()
        return super().eventFilter(watched, event)

    def wrap_explanations(self) -> None:
        """Each finding's explanation whole, on as many lines as the tree's width needs."""
        metrics = self.findings.fontMetrics()
        width = self.findings.viewport().width() - 3 * self.findings.indentation() - 12
        for i in range(self.findings.topLevelItemCount()):
            group = self.findings.topLevelItem(i)
            for j in range(group.childCount() if group else 0):
                finding = group.child(j) if group else None
                for k in range(finding.childCount() if finding else 0):
                    item = finding.child(k) if finding else None
                    text = item.data(0, WRAP) if item else None
                    if item is not None and text:
                        item.setText(0, wrap(str(text), metrics, max(width, 120)))

    def _show_findings(self, findings: Sequence[Mapping[str, Any]]) -> None:
        self.findings.clear()
        for severity in SEVERITIES:
            mine = [f for f in findings if f["severity"] == severity]
            if not mine:
                continue
            group = QTreeWidgetItem([f"{severity.capitalize()} ({len(mine)})"])
            group.setIcon(0, swatch(severity_colour(severity)))
            group.setData(0, ROLE, ("risk", severity))
            group.setToolTip(0, f"Click: list the clauses with a {severity} finding")
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.findings.addTopLevelItem(group)
            for finding in mine:
                item = QTreeWidgetItem([finding.get("title") or finding["rule"]])
                item.setToolTip(
                    0, f"{finding['explanation']}\n\nClick: open its clause. Right click: more"
                )
                item.setData(0, ROLE, ("finding", dict(finding)))
                explanation = QTreeWidgetItem([finding["explanation"]])
                explanation.setData(0, WRAP, finding["explanation"])
                explanation.setToolTip(0, finding["explanation"])
                explanation.setData(0, ROLE, ("finding", dict(finding)))
                item.addChild(explanation)
                for ref in finding.get("citations", []):
                    cite = QTreeWidgetItem([f"→ {self.names.get(ref, 'clause ' + ref)}"])
                    cite.setToolTip(0, f"Open clause {ref}")
                    cite.setData(0, ROLE, ("clause", ref))
                    item.addChild(cite)
                group.addChild(item)
                item.setExpanded(severity != "low")  # the explanations of what matters most
            group.setExpanded(True)
        self.wrap_explanations()

    def add_sentence(
        self,
        text: str,
        clause_ids: Sequence[str],
        source: str = "",
        *,
        quote: str | None = None,
        heading: str = "",
        span: Sequence[int] | None = None,
    ) -> None:
        """One summary sentence (the LLM's arrive one by one while it writes them). A quotation
        shows the contract's words in quote marks under its section; a click goes to them."""
        named = [self.names.get(ref, ref) for ref in clause_ids]
        cites = f"  [{'; '.join(named)}]" if clause_ids else ""
        if quote is not None:
            item = QListWidgetItem(f"{heading or 'Section not numbered'}\n    “{quote}”{cites}")
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            picked = "picked by the local model" if source == "llm" else "picked by rule"
            item.setToolTip(f"The contract's own words ({picked}); click to see them on the page")
        else:
            item = QListWidgetItem(text + cites)
            if clause_ids:
                item.setToolTip(
                    "Click to see the clause it rests on" + (f" ({source})" if source else "")
                )
        if quote is not None and span and len(span) == 2:
            item.setData(ROLE, ("span", int(span[0]), int(span[1])))
        elif clause_ids:
            item.setData(ROLE, ("clause", clause_ids[0]))
        self.sentences.addItem(item)

    def clear(self) -> None:
        self.contract.setText("No document open")
        self.counts.clear()
        self.facts.setRowCount(0)
        self.findings.clear()
        self.sentences.clear()

    def _go(self, item: QTreeWidgetItem | QListWidgetItem, _column: int = 0) -> None:
        target = item.data(0, ROLE) if isinstance(item, QTreeWidgetItem) else item.data(ROLE)
        self._jump(target)

    def _fact_clicked(self, item: QTableWidgetItem) -> None:
        self._jump(item.data(ROLE))

    def _jump(self, target: Any) -> None:
        if not target:
            return
        if target[0] == "risk":
            emit(self.filterRequested, "risk", target[1])
        elif target[0] == "finding":
            emit(self.findingRequested, target[1])
        elif target[0] == "clause":
            emit(self.clauseRequested, str(target[1]))
        elif target[2] > target[1]:
            emit(self.spanRequested, int(target[1]), int(target[2]))

    def filter_by_item(self, item: QTreeWidgetItem | QTableWidgetItem) -> None:
        """Show in the clause list the clauses of a finding (those it cites) or of a fact
        (those that hold its words)."""
        if isinstance(item, QTableWidgetItem):
            emit(self.filterRequested, "fact", str(item.data(ROLE + 1)))
            return
        target = item.data(0, ROLE)
        if target and target[0] in ("finding", "risk"):
            emit(self.filterRequested, target[0], target[1])

    def _finding_menu(self, pos: QPoint) -> None:
        item = self.findings.itemAt(pos)
        target = item.data(0, ROLE) if item else None
        if item is None or not target or target[0] not in ("finding", "risk"):
            return
        menu = QMenu(self)
        if target[0] == "finding":
            menu.addAction("Open its clause", lambda: self._jump(target))
        menu.addAction("Show its clauses in the clause list", lambda: self.filter_by_item(item))
        menu.popup(self.findings.viewport().mapToGlobal(pos))

    def _fact_menu(self, pos: QPoint) -> None:
        item = self.facts.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        menu.addAction("Show where it was read", lambda: self._fact_clicked(item))
        menu.addAction("Show the clauses that hold it", lambda: self.filter_by_item(item))
        value = self.facts.item(item.row(), 1)
        if value is not None:
            menu.addAction("Correct it", lambda: self.facts.editItem(value))
        menu.popup(self.facts.viewport().mapToGlobal(pos))

    def _fact_changed(self, item: QTableWidgetItem) -> None:
        if not self._loading and item.column() == 1:
            emit(self.factEdited, str(item.data(ROLE + 1)), item.text().strip())
