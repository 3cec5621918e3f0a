"""Decision-analysis commands (sensitivity, break-even, Monte Carlo)."""
