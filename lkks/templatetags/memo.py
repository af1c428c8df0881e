"""``{% memoize %}``: a part of a template drawn once per process for each combination
of the values it varies on, such as the navigation."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# What was drawn, by name, language, URLconf and the values varied on. Only parts drawn
# from the code (templates, URLs, translations) go here, never data: every process
# draws the same, so a per-process store is as good as a shared cache and costs no
# query. A redeployment starts new processes with an empty store.
_drawn = {}
MAX_DRAWN = 256


class MemoizeNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        if settings.DEBUG:  # templates are edited while the server runs
            return self.nodelist.render(context)
        key = (
            self.name,
            get_language(),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.vary_on),
        )
        drawn = _drawn.get(key)
        if drawn is None:
            drawn = self.nodelist.render(context)
            if len(_drawn) >= MAX_DRAWN:
                _drawn.clear()
            _drawn[key] = drawn
        return drawn


@register.tag
def memoize(parser, token):
    """``{% memoize "name" value… %}…{% endmemoize %}``: the enclosed part is drawn once
    per process for each language and combination of the values (e.g.
    ``user.is_superuser``). Everything the part shows must follow from those: no
    request, no record, no CSRF token inside."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'memoize' needs a name")
    nodelist = parser.parse(("endmemoize",))
    parser.delete_first_token()
    return MemoizeNode(nodelist, bits[1], [parser.compile_filter(bit) for bit in bits[2:]])
