"""Privacy controls: field masking, exports with a reason, statistics, subject access, retention."""
