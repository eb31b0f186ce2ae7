"""Channel-neutral form definitions and the engine that walks them."""
