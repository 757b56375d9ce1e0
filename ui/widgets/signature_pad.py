"""A pad the person signs on with a mouse, a pen (tablet) or a finger (touch)."""

from __future__ import annotations

from romah_desktop.grammar import for_gender, is_feminine
from ui.qt import (
    QBuffer,
    QByteArray,
    QColor,
    QEvent,
    QImage,
    QIODevice,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPointF,
    QSize,
    Qt,
    QTabletEvent,
    QTouchEvent,
    QWidget,
    Signal,
)

CANVAS = QSize(480, 160)
"""The pad's size on screen and the stored image's size, in pixels (one to one)."""

INK_WIDTH = 3.0
_TOUCH_EVENTS = {
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TouchCancel,
}


class SignaturePad(QWidget):
    """Collects a handwritten signature as strokes; `to_png()` gives the stored image.

    Positions are the pad's own coordinates, so a right-to-left window never mirrors the
    signature. A press without a move leaves a dot.
    """

    sig_changed = Signal()
    """A stroke was added or the pad was cleared."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._drawing = False
        self._feminine = False
        self.setFixedSize(CANVAS)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))
        self.address(None)

    def address(self, gender: str | None) -> None:
        """Word the pad's invitation for the person signing: «وقّعي هنا» for a woman."""
        self._feminine = is_feminine(gender)
        self.setToolTip(
            for_gender(
                gender,
                self.tr("The person signs here with the mouse, a pen or a finger."),
                self.tr("The person signs here with the mouse, a pen or a finger.", "feminine"),
            )
        )
        self.update()

    # --- what the pad holds -------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not self._strokes

    def stroke_count(self) -> int:
        return len(self._strokes)

    def clear(self) -> None:
        """Wipe the signature so the person can sign again."""
        had_ink = bool(self._strokes)
        self._strokes = []
        self._drawing = False
        self.update()
        if had_ink:
            self.sig_changed.emit()

    def path(self) -> QPainterPath:
        """The signature as one path in pad coordinates."""
        path = QPainterPath()
        for stroke in self._strokes:
            path.moveTo(stroke[0])
            if len(stroke) == 1:
                # A zero-length line draws nothing with some pens: nudge it into a dot.
                path.lineTo(stroke[0] + QPointF(0.01, 0.01))
            for point in stroke[1:]:
                path.lineTo(point)
        return path

    def to_png(self) -> bytes:
        """The signature as a PNG of CANVAS size: black ink on white. Raises ValueError when
        the pad is empty."""
        if self.is_empty():
            raise ValueError("the signature pad is empty")
        image = QImage(CANVAS, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(self._ink(QColor("black")))
            painter.drawPath(self.path())
        finally:
            painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    # --- drawing ------------------------------------------------------------------------------

    def _inside(self, pos: QPointF) -> QPointF:
        return QPointF(
            min(max(pos.x(), 0.0), float(CANVAS.width() - 1)),
            min(max(pos.y(), 0.0), float(CANVAS.height() - 1)),
        )

    def _begin(self, pos: QPointF) -> None:
        self._drawing = True
        self._strokes.append([self._inside(pos)])
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if not self._drawing:
            return
        point = self._inside(pos)
        if point != self._strokes[-1][-1]:
            self._strokes[-1].append(point)
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.sig_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._end()
            event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802 (Qt API)
        # Accepted, so Qt does not also send the same movement as mouse events.
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._extend(event.position())
            self._end()
        event.accept()

    def event(self, event: QEvent) -> bool:
        if event.type() in _TOUCH_EVENTS and isinstance(event, QTouchEvent):
            self._touch(event)
            event.accept()
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TouchCancel:
            self._end()
            return
        points = event.points()
        if not points:
            return
        # One finger signs; a second finger resting on the screen is ignored.
        pos = points[0].position()
        if kind == QEvent.Type.TouchBegin:
            self._begin(pos)
        elif kind == QEvent.Type.TouchUpdate:
            self._extend(pos)
        else:
            self._extend(pos)
            self._end()

    # --- painting -----------------------------------------------------------------------------

    def _ink(self, color: QColor) -> QPen:
        pen = QPen(color, INK_WIDTH)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("white"))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            guide = QColor(self.palette().color(self.palette().ColorRole.PlaceholderText))
            painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
            baseline = int(self.height() * 0.75)
            painter.drawLine(20, baseline, self.width() - 20, baseline)
            if self.is_empty():
                painter.drawText(
                    self.rect().adjusted(0, 0, 0, -self.height() // 3),
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("Sign here", "feminine") if self._feminine else self.tr("Sign here"),
                )
            painter.setPen(self._ink(QColor("black")))
            painter.drawPath(self.path())
            painter.setPen(QPen(guide, 1))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        finally:
            painter.end()
