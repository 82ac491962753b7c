"""staff package."""
