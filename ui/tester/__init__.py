"""tester package."""
