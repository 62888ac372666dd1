// BitextOutput: writers.
