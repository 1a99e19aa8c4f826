"""The size limit of the data import, enforced while the upload is read."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_IMPORT_BYTES = 5 * 1024 * 1024
TOO_BIG = "This file is larger than 5 MB, which is more than an export can be."


class SizeLimitedUpload(FileUploadHandler):
    """Stop reading an uploaded file once it passes 5 MB (settings.FILE_UPLOAD_HANDLERS).

    The data import is the only upload; an oversized file is never kept in memory or on
    disk. The rest of the request body is read and dropped, so the form fields (and the
    CSRF token) still arrive and the view can say what went wrong.
    """

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_IMPORT_BYTES:
            self.request.upload_too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
