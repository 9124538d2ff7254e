"""Article -> statements: parse, find attributions, resolve speakers, channels and dates."""
