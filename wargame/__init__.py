"""wargame: a turn-based policy wargame on critical-mineral supply chains."""

__version__ = "0.1.0"
# Raised whenever the engine's arithmetic changes, even in the last decimals: a save
# records the version that played it, and a replay by another version says so.
ENGINE_VERSION = "1.5"
