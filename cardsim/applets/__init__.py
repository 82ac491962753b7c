"""applets package."""
