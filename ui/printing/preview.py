"""The print preview: a PDF's pages to look at (thumbnails, scroll, zoom), then Print… to any
installed printer through Qt, or Save as PDF….

Pages are drawn by PDFium on the GUI thread only when they come into view; printing goes a step
at a time through the event loop, so the window keeps answering and a long batch can be stopped.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from pathlib import Path

from romah_desktop.grammar import PAGE, count_phrase
from romah_desktop.printing import save_pdf
from ui.context import AppContext, error_text
from ui.printing.pages import POINTS_PER_INCH, PdfPages
from ui.qt import (
    QAbstractItemView,
    QAbstractPrintDialog,
    QColor,
    QComboBox,
    QDialog,
    QEvent,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QImage,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMarginsF,
    QObject,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPrintDialog,
    QPrinter,
    QProgressBar,
    QPushButton,
    QRect,
    QScrollArea,
    QShortcut,
    QSize,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger("romah.ui.printing")

ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
FIT_WIDTH = -1.0
PAGE_GAP = 16
THUMB_WIDTH = 110
THUMBS_PER_TICK = 4
CACHED_PAGES = 12
PRINT_DPI_LIMIT = 300
"""Pages go to the printer at its own resolution up to this; an A4 page at 300 dpi is already
26 MB of pixels, and finer than the PDF's type needs on paper."""

ERROR_STYLE = "color: #b00020;"
_last_folder: list[Path] = []


class PageCanvas(QWidget):
    """One page of the preview at the current zoom, drawn when it is on screen."""

    def __init__(self, preview: PrintPreviewDialog, index: int) -> None:
        super().__init__()
        self.preview = preview
        self.index = index
        self.setObjectName(f"preview_page_{index + 1}")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.drawImage(self.rect(), self.preview.page_image(self.index))
        painter.setPen(QPen(QColor("#9e9e9e"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PrintRun(QObject):
    """Sends a PDF's pages to a printer, a step per turn of the event loop.

    A page costs most of a second (PDFium draws it at up to 300 dpi, then the print engine
    packs the pixels, holding the interpreter meanwhile), so no step does more than one of
    the two: the window answers between steps, and Cancel is heard between pages.
    """

    sig_progress = Signal(int, int)
    """Pages sent so far and how many in all."""

    sig_finished = Signal(int)
    """Every page was handed to the printer; the argument is how many."""

    sig_failed = Signal(str)
    """The printer refused or failed; the argument is the message for the user."""

    def __init__(
        self,
        pages: PdfPages,
        printer: QPrinter,
        numbers: list[int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.pages = pages
        self.printer = printer
        self.numbers = numbers
        self.sent = 0
        self.running = False
        self._painter: QPainter | None = None
        self._image: QImage | None = None

    def start(self) -> None:
        painter = QPainter()
        if not painter.begin(self.printer):
            self.sig_failed.emit(self._cannot_start())
            return
        self._painter = painter
        self.running = True
        QTimer.singleShot(0, self._step)

    def cancel(self) -> None:
        """Stop after the page being sent; the printer drops the unfinished job."""
        if self.running:
            self.printer.abort()
            self._stop()

    def _step(self) -> None:
        if not self.running or self._painter is None:
            return
        index = self.numbers[self.sent]
        if self._image is None:
            # First half of a page: its pixels.
            dpi = min(float(self.printer.resolution()), PRINT_DPI_LIMIT)
            self._image = self.pages.render(index, dpi, for_print=True)
            QTimer.singleShot(0, self._step)
            return
        # Second half: onto a new sheet (the engine packs the previous one here) and drawn.
        image, self._image = self._image, None
        if self.sent > 0 and not self.printer.newPage():
            self._fail(self._failed_at(index + 1))
            return
        paper = QRect(0, 0, self.printer.width(), self.printer.height())
        self._painter.drawImage(_fitted(image.size(), paper), image)
        if self.printer.printerState() == QPrinter.PrinterState.Error:
            self._fail(self._failed_at(index + 1))
            return
        self.sent += 1
        self.sig_progress.emit(self.sent, len(self.numbers))
        if self.sent < len(self.numbers):
            QTimer.singleShot(0, self._step)
            return
        self._stop()
        if self.printer.printerState() == QPrinter.PrinterState.Error:
            self.sig_failed.emit(self._failed_at(index + 1))
        else:
            self.sig_finished.emit(self.sent)

    def _stop(self) -> None:
        self.running = False
        self._image = None
        if self._painter is not None and self._painter.isActive():
            self._painter.end()
        self._painter = None

    def _fail(self, message: str) -> None:
        self.printer.abort()
        self._stop()
        self.sig_failed.emit(message)

    def _printer_name(self) -> str:
        return self.printer.printerName() or self.tr("the printer")

    def _cannot_start(self) -> str:
        if self.printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            return self.tr(
                "Printing to the file {path} failed: it could not be written. Choose another "
                "folder or name. Nothing was printed."
            ).format(path=left_to_right(self.printer.outputFileName()))
        return self.tr(
            "The printer “{printer}” could not start printing. Check that it is switched on "
            "and connected, then try again. Nothing was printed."
        ).format(printer=self._printer_name())

    def _failed_at(self, page: int) -> str:
        return self.tr(
            "The printer “{printer}” reported an error at page {page}. Check the printer and "
            "print again; pages after it were not sent."
        ).format(printer=self._printer_name(), page=page)


def left_to_right(text: str) -> str:
    """`text` (a file path) kept in its own left-to-right order inside a right-to-left
    sentence; without the isolates its slashes let the parts swap places."""
    return f"\u2066{text}\u2069"


def _fitted(size: QSize, area: QRect) -> QRect:
    """`size` scaled to fit inside `area`, keeping its proportions, centred."""
    scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = area.x() + (area.width() - scaled.width()) // 2
    y = area.y() + (area.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


class PrintPreviewDialog(QDialog):
    """A rendered PDF with page thumbnails, zoom, Print…, Save as PDF… and Close.

    `title` names the document (the window's title and the print job's name); `file_name` is
    the name offered when saving.
    """

    sig_saved = Signal(str)
    """The PDF was written; the argument is its path."""

    sig_save_failed = Signal(str)
    """Saving failed; the argument is the message shown."""

    sig_printed = Signal(int)
    """Every page was sent to the printer; the argument is how many."""

    sig_print_failed = Signal(str)
    """Printing failed or could not start; the argument is the message shown."""

    sig_page_changed = Signal(int)
    """Another page is the one in view; the argument is its number (from 1)."""

    def __init__(
        self,
        ctx: AppContext,
        data: bytes,
        title: str,
        file_name: str = "document.pdf",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data = data
        self.title = title
        self.file_name = file_name
        self.pages = PdfPages(data)
        self.zoom = FIT_WIDTH
        self.run: PrintRun | None = None
        self._cache: OrderedDict[tuple[int, int], QImage] = OrderedDict()
        self._thumbs_done = 0
        self._current = 0
        self._saving = False
        self._closed = False
        self.setObjectName("print_preview")
        self.setWindowTitle(self.tr("Print preview — {title}").format(title=title))
        self.resize(1000, 720)

        self.thumbnails = QListWidget()
        self.thumbnails.setObjectName("preview_thumbnails")
        self.thumbnails.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbnails.setFlow(QListWidget.Flow.TopToBottom)
        self.thumbnails.setWrapping(False)
        self.thumbnails.setMovement(QListWidget.Movement.Static)
        self.thumbnails.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.thumbnails.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.thumbnails.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.thumbnails.setSpacing(6)
        self.thumbnails.setFixedWidth(THUMB_WIDTH + 48)
        self.thumbnails.setAccessibleName(self.tr("Pages"))
        blank = QPixmap(THUMB_WIDTH, int(THUMB_WIDTH * 1.42))
        blank.fill(QColor("white"))
        for index in range(len(self.pages)):
            item = QListWidgetItem(str(index + 1))
            item.setData(Qt.ItemDataRole.DecorationRole, blank)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            item.setToolTip(self.tr("Page {page}").format(page=index + 1))
            self.thumbnails.addItem(item)
        self.thumbnails.currentRowChanged.connect(self._thumbnail_chosen)

        self.sheet = QWidget()
        self.sheet.setObjectName("preview_sheet")
        sheet_layout = QVBoxLayout(self.sheet)
        sheet_layout.setSpacing(PAGE_GAP)
        sheet_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.canvases = [PageCanvas(self, index) for index in range(len(self.pages))]
        for canvas in self.canvases:
            sheet_layout.addWidget(canvas, 0, Qt.AlignmentFlag.AlignHCenter)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("preview_scroll")
        self.scroll.setWidget(self.sheet)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.viewport().setStyleSheet("background: #e0e0e0;")
        self.scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        # "Page width" follows the view's width, which is known only once it is laid out.
        self.scroll.viewport().installEventFilter(self)

        self.zoom_out = QToolButton()
        self.zoom_out.setObjectName("zoom_out")
        self.zoom_out.setText("−")
        self.zoom_out.setToolTip(self.tr("Zoom out (Ctrl+−)"))
        self.zoom_out.setAccessibleName(self.tr("Zoom out"))
        self.zoom_out.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in = QToolButton()
        self.zoom_in.setObjectName("zoom_in")
        self.zoom_in.setText("+")
        self.zoom_in.setToolTip(self.tr("Zoom in (Ctrl++)"))
        self.zoom_in.setAccessibleName(self.tr("Zoom in"))
        self.zoom_in.clicked.connect(lambda: self.step_zoom(1))
        self.zoom_box = QComboBox()
        self.zoom_box.setObjectName("zoom")
        self.zoom_box.setAccessibleName(self.tr("Zoom"))
        self.zoom_box.addItem(self.tr("Page width"), FIT_WIDTH)
        for zoom in ZOOMS:
            self.zoom_box.addItem(f"{round(zoom * 100)}%", zoom)
        self.zoom_box.currentIndexChanged.connect(
            lambda _i: self.set_zoom(float(self.zoom_box.currentData()))
        )
        self.page_label = QLabel()
        self.page_label.setObjectName("preview_page_label")

        self.message = QLabel()
        self.message.setObjectName("preview_message")
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("print_progress")
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.setObjectName("print_document")
        self.print_button.setToolTip(self.tr("Print on a printer of this computer (Ctrl+P)"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton(self.tr("&Save as PDF…"))
        self.save_button.setObjectName("save_pdf")
        self.save_button.setToolTip(self.tr("Save the document as a PDF file (Ctrl+S)"))
        self.save_button.clicked.connect(self.save_document)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close_preview")
        self.close_button.clicked.connect(self.close)
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
        self.print_button.setDefault(True)

        tools = QHBoxLayout()
        tools.addWidget(self.zoom_out)
        tools.addWidget(self.zoom_box)
        tools.addWidget(self.zoom_in)
        tools.addStretch(1)
        tools.addWidget(self.page_label)
        middle = QHBoxLayout()
        middle.addWidget(self.thumbnails)
        middle.addWidget(self.scroll, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addLayout(middle, 1)
        layout.addLayout(bottom)

        shortcuts = (
            (QKeySequence.StandardKey.Print, self.print_document),
            (QKeySequence.StandardKey.Save, self.save_document),
            (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
        )
        for keys, slot in shortcuts:
            QShortcut(QKeySequence(keys), self, slot)

        self._thumb_timer = QTimer(self)
        self._thumb_timer.setInterval(0)
        self._thumb_timer.timeout.connect(self._draw_thumbnails)
        self._apply_zoom()
        self._show_page_number(0)
        self._thumb_timer.start()
        # Arrow keys and Page Up/Down move through the pages from the start.
        self.scroll.setFocus()

    # --- pages ------------------------------------------------------------------------------

    def page_count(self) -> int:
        return len(self.pages)

    def current_page(self) -> int:
        """The number (from 1) of the page in view."""
        return self._current + 1

    def _screen_dpi(self) -> float:
        return float(self.logicalDpiX() or 96)

    def scale(self) -> float:
        """Screen pixels per point at the current zoom ("page width" worked out)."""
        if self.zoom != FIT_WIDTH:
            return self.zoom * self._screen_dpi() / POINTS_PER_INCH
        widest = max((self.pages.size(i).width() for i in range(len(self.pages))), default=1.0)
        room = self.scroll.viewport().width() - 2 * PAGE_GAP
        if self.scroll.verticalScrollBar().isHidden():
            room -= self.scroll.verticalScrollBar().sizeHint().width()
        room = max(room, 200)
        return min(room / widest, 2.0 * self._screen_dpi() / POINTS_PER_INCH)

    def page_image(self, index: int) -> QImage:
        """Page `index` rendered for the screen at the current zoom (kept for a while)."""
        if self._closed:
            return QImage()
        ratio = self.devicePixelRatioF()
        width = round(self.pages.size(index).width() * self.scale())
        key = (index, width)
        image = self._cache.get(key)
        if image is not None:
            self._cache.move_to_end(key)
            return image
        dpi = self.scale() * POINTS_PER_INCH * ratio
        image = self.pages.render(index, dpi)
        image.setDevicePixelRatio(ratio)
        self._cache[key] = image
        while len(self._cache) > CACHED_PAGES:
            self._cache.popitem(last=False)
        return image

    def _draw_thumbnails(self) -> None:
        """Render a few thumbnails per turn of the event loop until every page has one."""
        ratio = self.devicePixelRatioF()
        for _ in range(THUMBS_PER_TICK):
            index = self._thumbs_done
            if index >= len(self.pages):
                self._thumb_timer.stop()
                return
            dpi = THUMB_WIDTH * ratio / (self.pages.size(index).width() / POINTS_PER_INCH)
            thumb = QPixmap.fromImage(self.pages.render(index, dpi))
            thumb.setDevicePixelRatio(ratio)
            self.thumbnails.item(index).setData(Qt.ItemDataRole.DecorationRole, thumb)
            self._thumbs_done += 1

    def thumbnails_ready(self) -> bool:
        return self._thumbs_done >= len(self.pages)

    # --- zoom and scrolling -----------------------------------------------------------------

    def set_zoom(self, zoom: float) -> None:
        """Show the pages at `zoom` (1.0 is their size on paper; FIT_WIDTH fills the width)."""
        page = self._current
        self.zoom = zoom
        found = self.zoom_box.findData(zoom)
        if found >= 0 and found != self.zoom_box.currentIndex():
            self.zoom_box.blockSignals(True)
            self.zoom_box.setCurrentIndex(found)
            self.zoom_box.blockSignals(False)
        self._apply_zoom()
        self.show_page(page + 1)

    def step_zoom(self, steps: int) -> None:
        """One zoom step larger (1) or smaller (-1) than what is shown now."""
        now = self.scale() * POINTS_PER_INCH / self._screen_dpi()
        if steps > 0:
            larger = [z for z in ZOOMS if z > now + 0.01]
            self.set_zoom(larger[0] if larger else ZOOMS[-1])
        else:
            smaller = [z for z in ZOOMS if z < now - 0.01]
            self.set_zoom(smaller[-1] if smaller else ZOOMS[0])

    def _apply_zoom(self) -> None:
        scale = self.scale()
        for canvas in self.canvases:
            size = self.pages.size(canvas.index)
            canvas.setFixedSize(round(size.width() * scale), round(size.height() * scale))
        self.sheet.adjustSize()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if (
            watched is self.scroll.viewport()
            and event.type() == QEvent.Type.Resize
            and self.zoom == FIT_WIDTH
        ):
            self._apply_zoom()
        return super().eventFilter(watched, event)

    def show_page(self, number: int) -> None:
        """Scroll so that page `number` (from 1) starts at the top of the view."""
        index = max(0, min(number - 1, len(self.canvases) - 1))
        if not self.canvases:
            return
        self.scroll.verticalScrollBar().setValue(self.canvases[index].y() - PAGE_GAP // 2)
        self._show_page_number(index)

    def _thumbnail_chosen(self, row: int) -> None:
        if row >= 0 and row != self._current:
            self.show_page(row + 1)

    def _scrolled(self, value: int) -> None:
        # The page in view is the last one whose top is above the view's upper third.
        mark = value + self.scroll.viewport().height() // 3
        index = 0
        for canvas in self.canvases:
            if canvas.y() <= mark:
                index = canvas.index
        self._show_page_number(index)

    def _show_page_number(self, index: int) -> None:
        changed = index != self._current
        self._current = index
        self.page_label.setText(
            self.tr("Page {page} of {pages}").format(page=index + 1, pages=len(self.pages))
        )
        if self.thumbnails.currentRow() != index:
            self.thumbnails.blockSignals(True)
            self.thumbnails.setCurrentRow(index)
            self.thumbnails.blockSignals(False)
        if changed:
            self.sig_page_changed.emit(index + 1)

    # --- printing ---------------------------------------------------------------------------

    def new_printer(self) -> QPrinter:
        """A printer set up for this document: its paper size, no margins of its own."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.title)
        first = self.pages.size(0) if len(self.pages) else None
        if first is not None:
            portrait = first.height() >= first.width()
            size = QPageSize(first, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
            printer.setPageLayout(
                QPageLayout(
                    size,
                    QPageLayout.Orientation.Portrait
                    if portrait
                    else QPageLayout.Orientation.Landscape,
                    QMarginsF(0, 0, 0, 0),
                )
            )
        # The PDF has its own margins: draw on the whole sheet.
        printer.setFullPage(True)
        return printer

    def choose_printer(self) -> QPrinter | None:
        """Ask which printer, which pages and how many copies; None if the user cancels."""
        printer = self.new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print — {title}").format(title=self.title))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, max(1, len(self.pages)))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return printer

    def print_document(self) -> None:
        """Print… : choose a printer, then send the pages to it."""
        if self.run is not None and self.run.running:
            return
        printer = self.choose_printer()
        if printer is not None:
            self.print_to(printer)

    def pages_to_print(self, printer: QPrinter) -> list[int]:
        """The 0-based pages the print dialog asked for (all of them by default)."""
        count = len(self.pages)
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            first = max(1, printer.fromPage())
            last = min(count, printer.toPage() or count)
            return list(range(first - 1, last))
        return list(range(count))

    def print_to(self, printer: QPrinter) -> None:
        """Send the chosen pages to `printer`; sig_printed or sig_print_failed tells the end."""
        numbers = self.pages_to_print(printer)
        if not numbers:
            self._print_failed(self.tr("There is no page to print in the range chosen."))
            return
        self.run = PrintRun(self.pages, printer, numbers, self)
        self.run.sig_progress.connect(self._print_progress)
        self.run.sig_finished.connect(self._printed)
        self.run.sig_failed.connect(self._print_failed)
        self.progress.setRange(0, len(numbers))
        self.progress.setValue(0)
        self.progress.show()
        self._set_message(self.tr("Sending the pages to the printer…"))
        self._busy(True)
        self.run.start()

    def _print_progress(self, sent: int, total: int) -> None:
        self.progress.setValue(sent)
        self._set_message(
            self.tr("Sending page {page} of {pages} to the printer…").format(page=sent, pages=total)
        )

    def _printed(self, pages: int) -> None:
        self._busy(False)
        self.progress.hide()
        self._set_message(
            self.tr("Sent to the printer: {pages}.").format(pages=count_phrase(pages, PAGE))
        )
        self.sig_printed.emit(pages)

    def _print_failed(self, message: str) -> None:
        self._busy(False)
        self.progress.hide()
        self._set_message(message, problem=True)
        log.warning("printing failed: %s", message)
        self.sig_print_failed.emit(message)

    # --- saving -----------------------------------------------------------------------------

    def choose_save_path(self) -> Path | None:
        """Ask where to save the PDF; None if the user cancels."""
        folder = _last_folder[0] if _last_folder else Path.home()
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as PDF"),
            str(folder / self.file_name),
            self.tr("PDF documents (*.pdf)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path

    def save_document(self) -> None:
        """Save as PDF… : choose a file, then write it (whole, or not at all)."""
        if self._saving:
            return
        path = self.choose_save_path()
        if path is not None:
            self.save_to(path)

    def save_to(self, path: Path) -> None:
        """Write the PDF to `path` on the worker; sig_saved or sig_save_failed tells the end."""
        data = self.data
        self._saving = True
        self._busy(True)
        self._set_message(self.tr("Saving…"))
        self.ctx.worker.submit(
            lambda: save_pdf(data, path),
            lambda _none: self._saved(path),
            self._save_failed,
            owner=self,
        )

    def _saved(self, path: Path) -> None:
        self._saving = False
        self._busy(False)
        _last_folder[:] = [path.parent]
        self._set_message(self.tr("Saved: {path}").format(path=left_to_right(str(path))))
        self.sig_saved.emit(str(path))

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        self._busy(False)
        text = error_text(error)
        self._set_message(text, problem=True)
        self.sig_save_failed.emit(text)

    # --- state ------------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        printing = self.run is not None and self.run.running
        self.print_button.setEnabled(not busy and not printing)
        self.save_button.setEnabled(not busy)

    def _set_message(self, text: str, problem: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if problem else "")

    def done(self, result: int) -> None:
        # Closing while printing stops the job rather than leaving half of it queued.
        if self.run is not None and self.run.running:
            self.run.cancel()
            self._print_failed(self.tr("Printing was stopped: the preview was closed."))
        self._thumb_timer.stop()
        super().done(result)
        if not self._closed:
            # The PDF is let go with the window (PDFium keeps it in memory until then).
            self._closed = True
            self._cache.clear()
            self.pages.close()
