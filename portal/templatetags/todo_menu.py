"""The admin menu's to-do counts (portal.todo.menu_counts: no query)."""

from django import template

from portal import todo

register = template.Library()


@register.simple_tag(takes_context=True)
def todo_count(context, app_label: str, object_name: str) -> int:
    request = context.get("request")
    if request is None:
        return 0
    return todo.menu_counts(request).get(f"{app_label}.{object_name.lower()}", 0)
