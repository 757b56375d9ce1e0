"""A PDF's pages as images, drawn by PDFium (Qt's own PDF module is not part of the install).

PDFium is not safe to call from two threads at once, so every page is rendered on the GUI
thread, one at a time, and only when it is about to be seen or printed.
"""

from __future__ import annotations

import pypdfium2 as pdfium

from ui.qt import QImage, QSizeF

POINTS_PER_INCH = 72.0


class PdfUnreadable(ValueError):
    """The bytes are not a PDF that PDFium can open."""


class PdfPages:
    """An open PDF: how many pages, each page's size in points, and a page as a QImage."""

    def __init__(self, data: bytes) -> None:
        self._closed = False
        self._sizes: list[QSizeF] = []
        try:
            self._document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise PdfUnreadable(str(error)) from error
        for index in range(len(self._document)):
            page = self._document[index]
            width, height = page.get_size()
            page.close()
            self._sizes.append(QSizeF(width, height))

    def __len__(self) -> int:
        return len(self._sizes)

    def size(self, index: int) -> QSizeF:
        """The page's size in points (1/72 inch)."""
        return self._sizes[index]

    def render(self, index: int, dpi: float, for_print: bool = False) -> QImage:
        """Page `index` (0-based) at `dpi` dots per inch, white behind the ink (a null image
        once the PDF is closed)."""
        if self._closed:
            return QImage()
        page = self._document[index]
        try:
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH,
                rev_byteorder=True,  # RGB, the byte order QImage.Format_RGB888 expects
                optimize_mode="print" if for_print else None,
            )
            try:
                pixels = memoryview(bitmap.buffer).cast("B")
                width, height, stride = bitmap.width, bitmap.height, bitmap.stride
                # An image that owns its memory, filled with a copy of PDFium's pixels
                # (QImage's constructor that borrows a Python buffer leaves its lifetime
                # to chance).
                image = QImage(width, height, QImage.Format.Format_RGB888)
                line = image.bytesPerLine()
                target = memoryview(image.bits())
                if line == stride:
                    target[: stride * height] = pixels[: stride * height]
                else:
                    row = min(line, stride)
                    for y in range(height):
                        target[y * line : y * line + row] = pixels[y * stride : y * stride + row]
                return image
            finally:
                bitmap.close()
        finally:
            page.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._document.close()
