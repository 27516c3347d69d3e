"""The web layer: audience blueprints, access gates, request parsing, shared form parts."""
