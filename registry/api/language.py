"""The API speaks the client's language: `Accept-Language` (or the language cookie) picks Persian or English for
messages such as validation errors; Persian when the client names neither.

Django's LocaleMiddleware reads the language of an unprefixed path as the default one when `i18n_patterns` is used
with `prefix_default_language=False` (the pages' scheme: `/…` Persian, `/en/…` English), which would answer every
API client in Persian whatever it asked for. The API has no language prefix, so it negotiates instead."""

from django.utils import translation

from . import is_api_request


class ApiLanguageMiddleware:
    """Placed after LocaleMiddleware: on API paths, activate the negotiated language in place of the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
