"""Demo content: data files and the generator that dates them relative to today, and its commands."""
