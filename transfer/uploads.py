"""The size limit of the data import, enforced while the upload is read."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_BIG = "This file is larger than 5 MB, which is more than an export can be."
# A request up to this size that carries a file over the limit is read to its end in
# DRAIN_CHUNK pieces and dropped, so that the browser, which is still sending, gets the
# 413 page rather than a reset connection. A larger request is not read any further.
DRAIN_UP_TO = 32 * 1024 * 1024
DRAIN_CHUNK = 64 * 1024


class SizeLimitedUpload(FileUploadHandler):
    """Stop keeping uploaded files once they pass 5 MB together (settings.
    FILE_UPLOAD_HANDLERS), and set ``request.upload_too_big`` for the view (413).

    The data import is the only upload; an oversized file is never kept in memory or on
    disk beyond the limit. The form fields before the file (the CSRF token) have arrived
    by then. What is left of a request of up to DRAIN_UP_TO is read in small pieces and
    dropped here (Django's own "read the rest" iterates the stream by lines, so a body
    without line breaks would sit in memory whole); a larger request is cut off as soon
    as its file starts, without reading it.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.stream = input_data
        self.request_length = content_length
        self.received = 0
        return None  # the multipart parser goes on as usual

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.request_length > DRAIN_UP_TO:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_IMPORT_BYTES:
            self._drain()
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        self.request.upload_too_big = True
        # The rest is drained already, or too big to read: Django must not read it.
        raise StopUpload(connection_reset=True)

    def _drain(self) -> None:
        while self.stream.read(DRAIN_CHUNK):
            pass
