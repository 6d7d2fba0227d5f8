using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CreditGrid.Bench.Scoring.ScoringBenchmarks).Assembly).Run(args);
