"""Charts and headline figures for the dashboards, drawn with QtCharts: a card that shows
bars, a pie or lines with a legend of Qt labels, and a tile for one figure.

Charts read in the window's direction: in Arabic the first category stands on the right,
time runs from right to left and bars grow leftwards, and each legend is a row of Qt labels
that follows the layout like any other text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ui.qt import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QColor,
    QFont,
    QFontMetricsF,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHorizontalBarSeries,
    QLabel,
    QLineSeries,
    QPainter,
    QPieSeries,
    QStackedBarSeries,
    Qt,
    QValueAxis,
    QVBoxLayout,
    QWidget,
)

# A calm palette that stays apart for colour-blind readers (Okabe–Ito, reordered).
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
)


def colour(index: int) -> QColor:
    """The palette's colour for the `index`-th series or slice (the palette repeats)."""
    return QColor(PALETTE[index % len(PALETTE)])


def _nice_top(value: float) -> tuple[float, int]:
    """An axis top at or above `value` on a 1-2-5 step, and its number of ticks."""
    if value <= 0:
        return 1.0, 2
    step = 1.0
    while value / step > 5:
        for factor in (2, 2.5, 2):
            step *= factor
            if value / step <= 5:
                break
    top = step * -(-value // step)
    return top, int(round(top / step)) + 1


def two_lines(text: str) -> list[str]:
    """`text` broken at its last space: a month's name over its year ("ربيع الأول" over
    "1448"); a text without a space stays one line."""
    head, _space, tail = text.rpartition(" ")
    return [head, tail] if head and tail else [text]


# --- charts -----------------------------------------------------------------------------------


class ChartCard(QFrame):
    """One chart with its heading and its legend, reading in the window's direction.

    `categories` and `series` keep what is drawn, in reading order, for anyone (a test, a
    screen reader's summary) who wants the numbers behind the picture.
    """

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel(title)
        self.heading.setObjectName(f"{name}_title")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.chart = QChart()
        self.chart.legend().hide()
        self.chart.setBackgroundRoundness(0)
        self.chart.layout().setContentsMargins(0, 0, 0, 0)
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{name}_view")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(240)
        self.empty = QLabel(self.tr("Nothing to count in this period."))
        self.empty.setObjectName(f"{name}_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMinimumHeight(120)
        self.empty.hide()
        self.note = QLabel()
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self.note.hide()
        self.legend = QWidget()
        self.legend_layout = QGridLayout(self.legend)
        self.legend_layout.setContentsMargins(0, 0, 0, 0)
        self.legend_layout.setHorizontalSpacing(14)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.note)
        self.categories: list[str] = []
        self.series: dict[str, list[float]] = {}
        self.nothing = True
        # The axis under the chart and its labels in drawing order, laid out again whenever
        # the plot's width changes (see _fit_labels).
        self._bottom: QBarCategoryAxis | None = None
        self._bottom_names: list[str] = []
        # Queued: QtCharts is mid-layout when it says so, and new labels need a layout of
        # their own.
        self.chart.plotAreaChanged.connect(
            self._plot_area_changed, Qt.ConnectionType.QueuedConnection
        )

    # --- what every chart does first --------------------------------------------------------

    def _rtl(self) -> bool:
        return self.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def _reset(self, categories: Sequence[str], series: dict[str, list[float]]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)  # gone from the card now, deleted when Qt is ready
                widget.deleteLater()
        self._bottom = None
        self._bottom_names = []
        self.categories = list(categories)
        self.series = {name: list(values) for name, values in series.items()}
        # An empty period says so, rather than drawing bare axes.
        self.nothing = not any(value for values in self.series.values() for value in values)
        self.view.setVisible(not self.nothing)
        self.empty.setVisible(self.nothing)

    def _legend(self, names: Sequence[str], columns: int = 3) -> None:
        for index, name in enumerate(names):
            swatch = QLabel()
            swatch.setFixedSize(12, 12)
            swatch.setStyleSheet(f"background: {colour(index).name()}; border-radius: 2px;")
            text = QLabel(name)
            text.setObjectName(f"{self.objectName()}_legend_{index}")
            entry = QWidget()
            row = QHBoxLayout(entry)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(swatch)
            row.addWidget(text, 1)
            self.legend_layout.addWidget(entry, index // columns, index % columns)
        self.legend.setVisible(bool(names) and not self.nothing)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _small_font(self) -> QFont:
        # QtCharts elides every label of an axis to "..." once one is taller than its slot:
        # the Arabic face's tall lines need a smaller size there.
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.82))
        return font

    def _value_axis(self, top: float, decimals: int) -> QValueAxis:
        axis = QValueAxis()
        upper, ticks = _nice_top(top)
        axis.setRange(0, upper)
        axis.setTickCount(ticks)
        axis.setLabelFormat("%d" if decimals == 0 else f"%.{decimals}f")
        axis.setLabelsFont(self._small_font())
        return axis

    def _category_axis(self, categories: Sequence[str], *, bottom: bool) -> QBarCategoryAxis:
        axis = QBarCategoryAxis()
        axis.append(list(categories))
        axis.setLabelsFont(self._small_font())
        if bottom:
            self._bottom = axis
            self._bottom_names = list(categories)
            self._fit_labels()
        return axis

    def _plot_area_changed(self, _area: object) -> None:
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Show every label under the chart whole: QtCharts cuts a label wider than its
        category's slot ("ربيع الأول 14…"). A label stays on one line if every one fits its
        slot, else goes onto two lines (a month's name over its year), else stands upright."""
        axis, names = self._bottom, self._bottom_names
        if axis is None or not names:
            return
        # QtCharts gives each label the axis's whole width (the chart's, less its margins)
        # shared among the categories and two more, less 5 pixels of padding on either side.
        margins = self.chart.margins()
        width = self.chart.size().width() - margins.left() - margins.right()
        slot = width / (len(names) + 2) - 12
        metrics = QFontMetricsF(axis.labelsFont())

        def widest(lines: Sequence[str]) -> float:
            return float(max(metrics.horizontalAdvance(line) for line in lines))

        angle, height = 0, 240
        labels = list(names)
        if widest(names) > slot:
            wrapped = [two_lines(name) for name in names]
            if widest([line for lines in wrapped for line in lines]) <= slot:
                # QtCharts reads a label with a tag as rich text: <br> breaks the line.
                labels = ["<br>".join(html.escape(line) for line in lines) for lines in wrapped]
            else:
                # Upright: QtCharts gives the axis under the plot at most 40% of the
                # chart's height, and each label needs its length there.
                angle = -90
                height = max(height, round((widest(names) + 24) / 0.4))
        self.view.setMinimumHeight(height)
        if labels != axis.categories() or angle != axis.labelsAngle():
            axis.setCategories(labels)
            axis.setLabelsAngle(angle)

    # --- kinds of chart ---------------------------------------------------------------------

    def bars(
        self,
        categories: Sequence[str],
        series: dict[str, list[float]],
        *,
        horizontal: bool = False,
        stacked: bool = False,
        decimals: int = 0,
        top: float | None = None,
    ) -> None:
        """Bars per category (categories in reading order). Horizontal bars read from the
        top and grow from the reading side; vertical ones start at the reading side."""
        self._reset(categories, series)
        rtl = self._rtl()
        # Qt draws the first category at the bottom (horizontal) or on the left (vertical).
        backwards = horizontal or rtl
        order = list(range(len(categories)))[:: -1 if backwards else 1]
        if horizontal:
            chart_series = QHorizontalBarSeries()
        elif stacked:
            chart_series = QStackedBarSeries()
        else:
            chart_series = QBarSeries()
        for index, (name, values) in enumerate(series.items()):
            bar_set = QBarSet(name)
            bar_set.setColor(colour(index))
            bar_set.append([float(values[i]) for i in order])
            chart_series.append(bar_set)
        if stacked:
            biggest = max((sum(v[i] for v in series.values()) for i in order), default=0.0)
        else:
            biggest = max((x for v in series.values() for x in v), default=0.0)
        # Counts and averages are written on their bars; amounts are read on the axis.
        chart_series.setLabelsVisible(len(categories) <= 12 and not stacked and biggest < 10_000)
        chart_series.setLabelsFormat("@value")
        chart_series.setLabelsPrecision(3 if decimals else 12)
        chart_series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart_series.setBarWidth(0.6)
        self.chart.addSeries(chart_series)
        names = [categories[i] for i in order]
        values_axis = self._value_axis(top if top is not None else biggest * 1.15, decimals)
        if horizontal:
            # Each category needs a line of text: a long list gets a taller chart.
            self.view.setMinimumHeight(max(240, 80 + 30 * len(names)))
            category_axis = self._category_axis(names, bottom=False)
            self.chart.addAxis(
                category_axis, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            )
            values_axis.setReverse(rtl)
            self.chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            category_axis = self._category_axis(names, bottom=True)
            self.chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(
                values_axis, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
            )
        chart_series.attachAxis(category_axis)
        chart_series.attachAxis(values_axis)
        self._legend(list(series) if len(series) > 1 else [])

    def pie(self, items: Sequence[tuple[str, float]], texts: Sequence[str] | None = None) -> None:
        """Slices of a whole (empty ones left out of the picture, not the legend)."""
        self._reset([name for name, _n in items], {"": [float(n) for _name, n in items]})
        pie = QPieSeries()
        for index, (name, value) in enumerate(items):
            if value > 0:
                piece = pie.append(name, float(value))
                piece.setColor(colour(index))
                piece.setBorderColor(QColor("white"))
        pie.setPieSize(0.8)
        if self._rtl():
            pie.setPieEndAngle(-360)  # the first slice starts at the top, going right to left
        self.chart.addSeries(pie)
        self._legend(list(texts) if texts is not None else [name for name, _n in items], 2)

    def lines(
        self,
        categories: Sequence[str],
        series: dict[str, list[float | None]],
        *,
        bottom: float,
        top: float,
        decimals: int = 1,
    ) -> None:
        """A line per series over the categories (months, in time order); gaps where a
        value is missing."""
        self._reset(categories, {k: [v or 0.0 for v in vs] for k, vs in series.items()})
        rtl = self._rtl()
        count = len(categories)
        names = list(categories)[::-1] if rtl else list(categories)
        category_axis = self._category_axis(names, bottom=True)
        values_axis = QValueAxis()
        values_axis.setRange(bottom, top)
        values_axis.setTickCount(int(top - bottom) + 1)
        values_axis.setLabelFormat(f"%.{decimals}f" if decimals else "%d")
        values_axis.setLabelsFont(self.font())
        self.chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(
            values_axis, Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        )
        for index, (name, values) in enumerate(series.items()):
            line = QLineSeries()
            line.setName(name)
            line.setColor(colour(index))
            line.setPointsVisible(True)
            for position, value in enumerate(values):
                if value is not None:
                    line.append(count - 1 - position if rtl else position, float(value))
            self.chart.addSeries(line)
            line.attachAxis(category_axis)
            line.attachAxis(values_axis)
        self._legend(list(series))


class FigureTile(QFrame):
    """One headline figure of the dashboard, with what it counts."""

    def __init__(self, name: str, caption: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = QLabel("–")
        self.value.setObjectName(f"{name}_value")
        font = self.value.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        self.value.setFont(font)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName(f"{name}_detail")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)

    def show_value(self, value: str, detail: str = "") -> None:
        """Show the figure, and under it what it is made of."""
        self.value.setText(value)
        self.detail.setText(detail)
