"""Document downloads through the application, so access levels hold in production as in development:
public files for anyone who may see the opportunity, "registered" for signed-in users, NDA files for staff."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import permissions
from .choices import AccessLevel
from .models import Document
from .selectors import opportunities_visible_to


def may_download(user, document: Document) -> bool:
    if document.access_level == AccessLevel.PUBLIC:
        return True
    if document.access_level == AccessLevel.REGISTERED:
        return user.is_authenticated
    return permissions.may_see_staff_side(user, document.opportunity)


@require_GET
def document_download(request, pk: int):
    document = get_object_or_404(
        Document.objects.select_related("opportunity"), pk=pk, opportunity__in=opportunities_visible_to(request.user)
    )
    if not may_download(request.user, document):
        raise Http404
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=False)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{document.file.name.rsplit("/", 1)[-1]}"'
    return response
