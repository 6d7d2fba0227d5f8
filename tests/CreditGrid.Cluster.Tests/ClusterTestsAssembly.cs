// Each test starts its own PostgreSQL, silos and gateway; run side by side on a 2-core machine they starve each
// other's membership probes and timeouts, so the cluster tests run one at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
