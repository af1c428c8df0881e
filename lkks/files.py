"""The stored files users may download at ``/files/<kind>/<pk>/``.

Each app registers the file fields of its models when it is ready
(``files.register(Organisation, "logo")``). A file is served only after its record is
found through the model's scoping method, so another body's file is a 404.
"""

# "<model name>-<field name>" → (model, field name)
DOWNLOADABLE = {}


def register(model, *field_names):
    for field_name in field_names:
        DOWNLOADABLE[f"{model._meta.model_name}-{field_name}"] = (model, field_name)
