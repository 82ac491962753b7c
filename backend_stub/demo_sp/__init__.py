"""demo_sp package."""
