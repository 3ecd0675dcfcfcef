"""A language server for ``.rule`` files (``policyrules lsp``, on pygls).

Diagnostics while typing (the checker's own, for the whole policy directory), hover, go to
definition, completion and formatting through :func:`policyrules.printer.print_module`.
:mod:`policyrules.lsp.server` wires the features of the other modules to the protocol;
pygls is the optional extra ``lsp``, imported only when the server starts.
"""

__all__: list[str] = []
