"""Territory management: rules that define territories, workload against capacity, rebalancing
proposals, rep departures and the quarterly review."""
