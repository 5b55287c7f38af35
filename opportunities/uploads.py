"""What a document upload may be: sniffed from its first bytes, never trusted from its name or header."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}


def inspect_upload(uploaded_file) -> str:
    """Return the sniffed content type, or raise a ValidationError on the `file` field saying what is wrong."""
    if uploaded_file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
            }
        )
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_CONTENT_TYPES:
        allowed = ", ".join(sorted(ALLOWED_CONTENT_TYPES.values()))
        raise ValidationError(
            {"file": _("This type of file is not accepted. Accepted: %(allowed)s.") % {"allowed": allowed}}
        )
    return kind.mime
