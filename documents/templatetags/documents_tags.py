from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ..forms import target_value
from ..registry import target_of_model

register = template.Library()


@register.simple_tag
def attach_url(obj) -> str:
    """The documents page of ``obj``'s agreement at its upload form, with ``obj`` chosen in it
    (``document_list`` reads ``?target=``), for a link on the page that shows the row."""
    target = target_of_model(type(obj))
    url = reverse("documents:document_list", args=[target.agreement_id(obj)])
    return f"{url}?{urlencode({'target': target_value(obj)}, safe=':')}#attach"
