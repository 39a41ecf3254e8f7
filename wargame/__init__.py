"""wargame: a turn-based policy wargame on critical-mineral supply chains."""

__version__ = "0.1.0"
ENGINE_VERSION = "1.0"
