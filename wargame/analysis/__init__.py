"""Analyses that run the engine on scenario folders and report on the results."""
