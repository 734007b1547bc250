"""The site registry: every general website and social network in the province."""
