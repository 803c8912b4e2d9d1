"""Development-only support, not part of the shipped packages: the local outlet mirror (a
simulator of the outlets' web sites), the tiny translation model builder, and the offline
demo. Tests, benchmarks and ``make demo`` use it from a source checkout."""
