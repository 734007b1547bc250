"""Web page capture: the browser engine (`browser`), the guard proxy (`proxy`), the files
and their manifest (`manifest`). No models: features store what it returns."""
