"""Golden files: one saved mirror page per registry outlet and the catalog's truth for it."""
